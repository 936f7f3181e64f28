/*
 * dispatch.c -- nft's dispatch, written by hand.  `wvm build nft.c`
 * generates the same from the source (src/toolchain/); this file lets the
 * example build and run without the toolchain.
 */
#include <wvm/contract.h>

void Initialize(wvm_ctx *ctx);
wvm_object_id Mint(wvm_ctx *ctx, wvm_address to, const char *uri);
void Transfer(wvm_ctx *ctx, wvm_object_id token, wvm_address to);
wvm_address OwnerOf(wvm_ctx *ctx, wvm_object_id token);
const char *TokenURI(wvm_ctx *ctx, wvm_object_id token);

static void do_initialize(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        Initialize(ctx);
}

static void do_mint(wvm_ctx *ctx, wvm_args *a) {
    wvm_address to = wvm_arg_address(a, "to");
    const char *uri = wvm_arg_str(a, "uri");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    wvm_object_id r = Mint(ctx, to, uri);
    if (!wvm_failed(ctx))
        wvm_return_object_id(ctx, r);
}

static void do_transfer(wvm_ctx *ctx, wvm_args *a) {
    wvm_object_id token = wvm_arg_object_id(a, "token");
    wvm_address to = wvm_arg_address(a, "to");
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        Transfer(ctx, token, to);
}

static void do_owner_of(wvm_ctx *ctx, wvm_args *a) {
    wvm_object_id token = wvm_arg_object_id(a, "token");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    wvm_address r = OwnerOf(ctx, token);
    if (!wvm_failed(ctx))
        wvm_return_address(ctx, r);
}

static void do_token_uri(wvm_ctx *ctx, wvm_args *a) {
    wvm_object_id token = wvm_arg_object_id(a, "token");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    const char *r = TokenURI(ctx, token);
    if (!wvm_failed(ctx))
        wvm_return_str(ctx, r);
}

WVM_EXPORTS({"Initialize", do_initialize}, {"Mint", do_mint}, {"Transfer", do_transfer},
            {"OwnerOf", do_owner_of}, {"TokenURI", do_token_uri})
