/* expect: header_local.c:3:1: error: header 'helpers.h' is not allowed in a contract (allowed: wvm/contract.h, wvm/abi.h, stdint.h, stdbool.h, stddef.h, stdalign.h, stdnoreturn.h, limits.h, string.h, and NAME_client.h files of wvm build --client beside the source) */
#include <wvm/contract.h>
#include "helpers.h"

uint32_t Get(wvm_ctx *ctx) { (void)ctx; return 1; }
