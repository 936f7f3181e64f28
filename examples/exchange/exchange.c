/*
 * exchange.c -- swaps between two token contracts (examples/token) at a
 * fixed rate, written with the typed client stubs `wvm build --client
 * examples/token/token.c` generates (token_client.h, beside this file
 * when it is built; the Makefile and examples/demo.sh do it).
 *
 * Swap(amount_in): the sender pays amount_in of token A to the exchange
 * (TransferFrom on A: the sender has approved the exchange first) and
 * gets amount_in * rate_num / rate_den of token B from the exchange's
 * own holdings (Transfer on B).  Either both happen or neither: a
 * failing Transfer fails the swap, and the whole transaction -- the
 * TransferFrom included -- is undone.
 */
#include <wvm/contract.h>
#include "token_client.h"

#define STATE wvm_default_object()

void Initialize(wvm_ctx *ctx, wvm_address token_a, wvm_address token_b, uint64_t rate_num,
                uint64_t rate_den) {
    if (rate_num == 0 || rate_den == 0) {
        wvm_error(ctx, "rate_num and rate_den must be positive");
        return;
    }
    wvm_field_set_address(ctx, STATE, "token_a", token_a);
    wvm_field_set_address(ctx, STATE, "token_b", token_b);
    wvm_field_set_u64(ctx, STATE, "rate_num", rate_num);
    wvm_field_set_u64(ctx, STATE, "rate_den", rate_den);
}

/* amount_in of A buys this much of B (0 and an error on overflow). */
static uint64_t quote(wvm_ctx *ctx, uint64_t amount_in) {
    uint64_t num = 0, den = 1;
    wvm_field_get_u64(ctx, STATE, "rate_num", &num);
    wvm_field_get_u64(ctx, STATE, "rate_den", &den);
    if (num && amount_in > UINT64_MAX / num) {
        wvm_error(ctx, "amount_in %llu is too large for the rate", (unsigned long long)amount_in);
        return 0;
    }
    return amount_in * num / den;
}

WVM_VIEW uint64_t Quote(wvm_ctx *ctx, uint64_t amount_in) { return quote(ctx, amount_in); }

/* The exchange's holdings of token B (a call to B's BalanceOf). */
WVM_VIEW uint64_t Reserve(wvm_ctx *ctx) {
    wvm_address b, self = wvm_self(ctx);
    uint64_t have = 0;
    wvm_field_get_address(ctx, STATE, "token_b", &b);
    if (!token_BalanceOf(ctx, b, self, &have))
        wvm_error(ctx, "token B: %s", token_last_call()->message);
    return have;
}

WVM_NONREENTRANT uint64_t Swap(wvm_ctx *ctx, uint64_t amount_in) {
    wvm_address a, b, who = wvm_sender(ctx), self = wvm_self(ctx);
    wvm_field_get_address(ctx, STATE, "token_a", &a);
    wvm_field_get_address(ctx, STATE, "token_b", &b);
    uint64_t out = quote(ctx, amount_in);
    if (wvm_failed(ctx)) return 0;
    if (out == 0) {
        wvm_error(ctx, "amount_in %llu buys nothing at this rate", (unsigned long long)amount_in);
        return 0;
    }
    if (!token_TransferFrom(ctx, a, who, self, amount_in)) {
        wvm_error(ctx, "paying %llu of token A: %s", (unsigned long long)amount_in,
                  token_last_call()->message);
        return 0;
    }
    if (!token_Transfer(ctx, b, who, out)) {
        wvm_error(ctx, "paying out %llu of token B: %s", (unsigned long long)out,
                  token_last_call()->message);
        return 0;
    }
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "who");
    wvm_jw_address(&w, who);
    wvm_jw_key(&w, "in");
    wvm_jw_u64(&w, amount_in);
    wvm_jw_key(&w, "out");
    wvm_jw_u64(&w, out);
    wvm_jw_object_end(&w);
    wvm_emit(ctx, "Swap", &w);
    return out;
}
