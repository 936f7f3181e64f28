/*
 * dispatch.c -- ownership's dispatch, written by hand.  `wvm build
 * ownership.c` generates the same from the source (src/toolchain/); this
 * file lets the example build and run without the toolchain.
 */
#include <wvm/contract.h>

void Initialize(wvm_ctx *ctx);
void SetNote(wvm_ctx *ctx, const char *note);
const char *Note(wvm_ctx *ctx);
wvm_address Owner(wvm_ctx *ctx);
void GiveAway(wvm_ctx *ctx, wvm_address to);

static void do_initialize(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        Initialize(ctx);
}

static void do_set_note(wvm_ctx *ctx, wvm_args *a) {
    const char *note = wvm_arg_str(a, "note");
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        SetNote(ctx, note);
}

static void do_note(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    const char *r = Note(ctx);
    if (!wvm_failed(ctx))
        wvm_return_str(ctx, r);
}

static void do_owner(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    wvm_address r = Owner(ctx);
    if (!wvm_failed(ctx))
        wvm_return_address(ctx, r);
}

static void do_give_away(wvm_ctx *ctx, wvm_args *a) {
    wvm_address to = wvm_arg_address(a, "to");
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        GiveAway(ctx, to);
}

WVM_EXPORTS({"Initialize", do_initialize}, {"SetNote", do_set_note}, {"Note", do_note},
            {"Owner", do_owner}, {"GiveAway", do_give_away})
