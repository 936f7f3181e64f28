/* expect: banned_time.c:4:6: error: 'time' is not allowed in a contract (nondeterministic or host access)
   expect: banned_time.c:7:22: error: 'time' is not allowed in a contract (nondeterministic or host access) */
#include <wvm/contract.h>
long time(long *t);

uint32_t Now(wvm_ctx *ctx) {
    return (uint32_t)time(0) + (uint32_t)wvm_block_height(ctx);
}
