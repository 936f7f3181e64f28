/* expect: syntax_error.c:4:49: error: expected ';' after return statement */
#include <wvm/contract.h>

uint32_t Get(wvm_ctx *ctx) { (void)ctx; return 1
}
