/* expect: variadic.c:4:6: error: exported function 'Log' may not be variadic */
#include <wvm/contract.h>

void Log(wvm_ctx *ctx, ...) { (void)ctx; }
