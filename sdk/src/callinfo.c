/*
 * callinfo.c -- the call chain as the callee sees it (docs/calls.md):
 * caller, caller function, depth, frames, reentrancy.
 */
#include "sdk.h"

bool wvm_caller(wvm_ctx *ctx, wvm_address *out) {
    (void)ctx;
    return host_call_fixed(WVM_HOST_CALLER, NULL, 0, out->b, sizeof out->b);
}

const char *wvm_caller_function(wvm_ctx *ctx) {
    (void)ctx;
    int32_t r = host_call(WVM_HOST_CALLER_FUNCTION, NULL, 0);
    return r < 0 ? NULL : host_result(r);
}

uint32_t wvm_call_depth(wvm_ctx *ctx) {
    (void)ctx;
    uint8_t b[4];
    return host_call_fixed(WVM_HOST_CALL_DEPTH, NULL, 0, b, 4) ? host_get_u32le(b) : 0;
}

bool wvm_call_frame(wvm_ctx *ctx, uint32_t i, wvm_address *contract, const char **function) {
    (void)ctx;
    uint8_t idx[4];
    host_u32le(idx, i);
    host_arg a = {idx, 4};
    int32_t r = host_call(WVM_HOST_CALL_FRAME, &a, 1);
    if (r < 0)
        return false;
    char *buf = host_result(r);
    host_arg f[2];
    if (host_fields(buf, (uint32_t)r, f, 2) != 2 || f[0].len != WVM_ADDRESS_LEN)
        return false;
    if (contract)
        memcpy(contract->b, f[0].ptr, WVM_ADDRESS_LEN);
    if (function)
        *function = arena_strndup(f[1].ptr, f[1].len);
    return true;
}

bool wvm_is_reentrant(wvm_ctx *ctx) {
    wvm_address self = wvm_self(ctx), a;
    uint32_t depth = wvm_call_depth(ctx);
    for (uint32_t i = 0; i < depth; i++)
        if (wvm_call_frame(ctx, i, &a, NULL) && wvm_address_eq(a, self))
            return true;
    return false;
}
