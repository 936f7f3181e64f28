/*
 * counter -- the smallest useful contract (latency benchmarks): one
 * 64-bit counter in the contract's default object.
 */
#include <wvm/contract.h>

uint64_t Increment(wvm_ctx *ctx) {
    uint64_t n = 0;
    wvm_field_get_u64(ctx, wvm_default_object(), "count", &n);   /* missing: 0 */
    if (n == UINT64_MAX) {
        wvm_error(ctx, "overflow: the counter is at 2^64 - 1");
        return 0;
    }
    wvm_field_set_u64(ctx, wvm_default_object(), "count", n + 1);
    return n + 1;
}

uint64_t Get(wvm_ctx *ctx) {
    uint64_t n = 0;
    wvm_field_get_u64(ctx, wvm_default_object(), "count", &n);
    return n;
}
