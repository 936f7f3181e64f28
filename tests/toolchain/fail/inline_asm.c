/* expect: inline_asm.c:5:5: error: inline assembly is not allowed in a contract */
#include <wvm/contract.h>

uint32_t Nop(wvm_ctx *ctx) {
    __asm__ volatile("nop");
    (void)ctx;
    return 0;
}
