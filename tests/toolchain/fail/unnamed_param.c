/* expect: unnamed_param.c:4:32: error: parameter 2 of exported function 'Set' has no name (names are the keys of the JSON parameters) */
#include <wvm/contract.h>

void Set(wvm_ctx *ctx, uint64_t) { (void)ctx; }
