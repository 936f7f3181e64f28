/* expect: reserved_prefix.c:5:6: error: 'wvm__h_Get' is reserved: wvm build generates the dispatch (allocate, handle_contract_call, wvm__*); do not use WVM_EXPORTS */
#include <wvm/contract.h>

/* The generated handlers are named wvm__h_<function>. */
void wvm__h_Get(wvm_ctx *ctx, void *args) { (void)ctx; (void)args; }

uint32_t Get(wvm_ctx *ctx) { (void)ctx; return 1; }
