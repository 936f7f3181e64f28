/*
 * balance.c -- the native token: balances and transfers from this
 * contract's own balance.
 */
#include "sdk.h"

uint64_t wvm_balance(wvm_ctx *ctx, wvm_address who) {
    (void)ctx;
    return (uint64_t)env_get_balance(who.b);
}

bool wvm_transfer(wvm_ctx *ctx, wvm_address to, uint64_t amount) {
    (void)ctx;
    uint8_t a[8];
    for (int i = 0; i < 8; i++)
        a[i] = (uint8_t)(amount >> (8 * i));
    host_arg args[2] = {{to.b, sizeof to.b}, {a, 8}};
    return host_call(WVM_HOST_TRANSFER, args, 2) >= 0;
}
