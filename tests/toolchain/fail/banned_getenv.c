/* expect: banned_getenv.c:5:23: error: 'getenv' is not allowed in a contract (nondeterministic or host access) */
#include <wvm/contract.h>

bool HasHome(wvm_ctx *ctx) {
    (void)ctx; return getenv("HOME") != 0;
}
