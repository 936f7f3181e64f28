/* expect: unknown_policy.c:4:16: error: unknown policy 'wvm.pure' (known: wvm.view, wvm.nonreentrant, wvm.payable) */
#include <wvm/contract.h>

__attribute__((annotate("wvm.pure"))) uint32_t Get(wvm_ctx *ctx) { (void)ctx; return 1; }
