/* expect: reserved_allocate.c:5:7: error: 'allocate' is reserved: wvm build generates the dispatch (allocate, handle_contract_call, wvm__*); do not use WVM_EXPORTS */
#include <wvm/contract.h>

/* A hand-written dispatch clashes with the generated one. */
void *allocate(uint32_t size) { (void)size; return 0; }

uint32_t Get(wvm_ctx *ctx) { (void)ctx; return 1; }
