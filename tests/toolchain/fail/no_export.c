/* expect: no_export.c:1:1: error: no exported function (a contract exports each non-static function whose first parameter is 'wvm_ctx *') */
#include <wvm/contract.h>

static uint32_t helper(wvm_ctx *ctx) { (void)ctx; return 1; }
uint32_t not_exported(uint32_t x) { return x + helper(0); }
