/* expect: banned_rand.c:5:17: error: 'rand' is not allowed in a contract (nondeterministic or host access)
   expect: banned_rand.c:8:23: error: 'rand' is not allowed in a contract (nondeterministic or host access) */
#include <wvm/contract.h>
/* Even the author's own function of that name: a reader cannot tell. */
static uint32_t rand(void) { return 4; }

uint32_t Roll(wvm_ctx *ctx) {
    (void)ctx; return rand();
}
