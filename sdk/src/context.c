/*
 * context.c -- who and when: sender, self, origin, block height and time,
 * and the value attached to the call.
 */
#include "sdk.h"

static wvm_address context_address(int32_t fn) {
    wvm_address a = {{0}};
    if (!host_call_fixed(fn, NULL, 0, a.b, sizeof a.b))
        memset(a.b, 0, sizeof a.b);
    return a;
}

wvm_address wvm_sender(wvm_ctx *ctx) {
    (void)ctx;
    return context_address(WVM_HOST_SENDER);
}

wvm_address wvm_self(wvm_ctx *ctx) {
    (void)ctx;
    return context_address(WVM_HOST_SELF);
}

wvm_address wvm_origin(wvm_ctx *ctx) {
    (void)ctx;
    return context_address(WVM_HOST_ORIGIN);
}

/* The direct imports: no argument buffer, no host buffer. */
uint64_t wvm_block_height(wvm_ctx *ctx) {
    (void)ctx;
    return (uint64_t)env_get_block_height();
}

uint64_t wvm_block_time(wvm_ctx *ctx) {
    (void)ctx;
    return (uint64_t)env_get_block_time();
}

uint64_t wvm_value(wvm_ctx *ctx) {
    (void)ctx;
    uint8_t b[8];
    return host_call_fixed(WVM_HOST_VALUE, NULL, 0, b, sizeof b) ? (uint64_t)host_get_u32le(b) | (uint64_t)host_get_u32le(b + 4) << 32 : 0;
}

bool wvm_address_eq(wvm_address a, wvm_address b) {
    return mem_eq(a.b, b.b, sizeof a.b);
}

bool wvm_address_is_zero(wvm_address a) {
    for (uint32_t i = 0; i < sizeof a.b; i++)
        if (a.b[i])
            return false;
    return true;
}
