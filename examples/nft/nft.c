/*
 * nft -- non-fungible tokens: one object per token, owned by its holder.
 *
 * The token's ID is its object's ID.  Mint creates the object owned by
 * this contract (so the contract may write its fields), writes "uri" and
 * then hands the object to the recipient; from then on the holder owns
 * it, and a transfer is an owner change that the host's write rule
 * allows because the holder is the transaction's sender.  The default
 * object keeps the minter (the deployer) and, per token, a field named
 * by the token's ID, so tokens of other contracts are refused.
 */
#include <wvm/contract.h>

void Initialize(wvm_ctx *ctx) {
    wvm_address minter;
    if (wvm_field_get_address(ctx, wvm_default_object(), "minter", &minter))
        return wvm_error(ctx, "already initialized");
    wvm_field_set_address(ctx, wvm_default_object(), "minter", wvm_sender(ctx));
}

/* The token's holder, after checking it is one of ours. */
static bool nft_holder(wvm_ctx *ctx, wvm_object_id token, wvm_address *holder) {
    wvm_bytes mark;
    if (!wvm_field_get(ctx, wvm_default_object(), wvm_object_id_hex(ctx, token), &mark) ||
        !wvm_object_owner(ctx, token, holder)) {
        wvm_error(ctx, "no token %s", wvm_object_id_hex(ctx, token));
        return false;
    }
    return true;
}

static void nft_event(wvm_ctx *ctx, wvm_object_id token, wvm_address from, wvm_address to) {
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "token");
    wvm_jw_object_id(&w, token);
    wvm_jw_key(&w, "from");
    wvm_jw_address(&w, from);
    wvm_jw_key(&w, "to");
    wvm_jw_address(&w, to);
    wvm_jw_object_end(&w);
    wvm_emit(ctx, "Transfer", &w);
}

wvm_object_id Mint(wvm_ctx *ctx, wvm_address to, const char *uri) {
    wvm_object_id token = {{0}};
    wvm_address minter, self = {{0}};
    if (!wvm_field_get_address(ctx, wvm_default_object(), "minter", &minter)) {
        wvm_error(ctx, "not initialized");
        return token;
    }
    if (!wvm_address_eq(minter, wvm_sender(ctx))) {
        wvm_error(ctx, "only the minter %s may mint", wvm_address_hex(ctx, minter));
        return token;
    }
    if (wvm_address_is_zero(to)) {
        wvm_error(ctx, "cannot mint to the zero address");
        return token;
    }
    if (!wvm_object_create(ctx, self, &token)) {
        wvm_error(ctx, "cannot create the token object");
        return token;
    }
    wvm_field_set_str(ctx, token, "uri", uri);
    wvm_field_set(ctx, wvm_default_object(), wvm_object_id_hex(ctx, token), "", 0);
    wvm_object_set_owner(ctx, token, to);
    nft_event(ctx, token, self, to);
    return token;
}

void Transfer(wvm_ctx *ctx, wvm_object_id token, wvm_address to) {
    wvm_address holder, sender = wvm_sender(ctx);
    if (!nft_holder(ctx, token, &holder))
        return;
    if (!wvm_address_eq(holder, sender))
        return wvm_error(ctx, "%s does not hold token %s", wvm_address_hex(ctx, sender),
                         wvm_object_id_hex(ctx, token));
    if (wvm_address_is_zero(to))
        return wvm_error(ctx, "cannot transfer to the zero address");
    wvm_object_set_owner(ctx, token, to);
    nft_event(ctx, token, holder, to);
}

wvm_address OwnerOf(wvm_ctx *ctx, wvm_object_id token) {
    wvm_address holder = {{0}};
    nft_holder(ctx, token, &holder);
    return holder;
}

const char *TokenURI(wvm_ctx *ctx, wvm_object_id token) {
    wvm_address holder;
    const char *uri = "";
    if (nft_holder(ctx, token, &holder))
        wvm_field_get_str(ctx, token, "uri", &uri);
    return uri;
}
