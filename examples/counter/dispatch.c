/*
 * dispatch.c -- counter's dispatch, written by hand.  `wvm build
 * counter.c` generates the same from the source (src/toolchain/); this
 * file lets the example build and run without the toolchain.
 */
#include <wvm/contract.h>

uint64_t Increment(wvm_ctx *ctx);
uint64_t Get(wvm_ctx *ctx);

static void do_increment(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    uint64_t r = Increment(ctx);
    if (!wvm_failed(ctx))
        wvm_return_u64(ctx, r);
}

static void do_get(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    uint64_t r = Get(ctx);
    if (!wvm_failed(ctx))
        wvm_return_u64(ctx, r);
}

WVM_EXPORTS({"Increment", do_increment}, {"Get", do_get})
