/* options: --float reject
   expect: float_reject.c:8:12: error: floating-point type 'double' is not allowed (float policy: reject)
   expect: float_reject.c:9:22: error: floating-point type 'double' is not allowed (float policy: reject) */
#include <wvm/contract.h>

uint64_t Half(wvm_ctx *ctx, uint64_t x) {
    (void)ctx;
    double h = (double)x / 2;
    return (uint64_t)h;
}
