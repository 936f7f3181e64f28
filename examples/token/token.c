/*
 * token -- a fungible token (ERC-20 style), the worked example of
 * docs/contracts.md.
 *
 * State: the default object holds name, symbol, total supply and the IDs
 * of two objects this contract owns: "balances" (one u64 field per
 * holder, named by the holder's address) and "allowances" (one u64
 * field per owner and spender pair).  Events: Transfer {from, to,
 * amount} and Approval {owner, spender, amount}.  Insufficient balance
 * or allowance and overflow are contract errors, raised before any
 * write, so a failed call changes nothing.
 */
#include <wvm/contract.h>

/* The state object named `field` of the default object; false (after
 * failing the call) before Initialize. */
static bool token_object(wvm_ctx *ctx, const char *field, wvm_object_id *out) {
    wvm_bytes b;
    if (!wvm_field_get(ctx, wvm_default_object(), field, &b) || b.len != WVM_OBJECT_ID_LEN) {
        wvm_error(ctx, "the token is not initialized");
        return false;
    }
    memcpy(out->b, b.ptr, WVM_OBJECT_ID_LEN);
    return true;
}

/* The balances object alone, for the functions that need no allowance:
 * one field read less.  Initialize writes both IDs in one call, so one
 * exists exactly when the other does. */
static bool token_balances(wvm_ctx *ctx, wvm_object_id *balances) {
    return token_object(ctx, "balances", balances);
}

/* The two state objects; false (after failing the call) before Initialize. */
static bool token_objects(wvm_ctx *ctx, wvm_object_id *balances, wvm_object_id *allowances) {
    return token_object(ctx, "balances", balances) &&
           token_object(ctx, "allowances", allowances);
}

static uint64_t token_get(wvm_ctx *ctx, wvm_object_id obj, const char *key) {
    uint64_t v = 0;
    wvm_field_get_u64(ctx, obj, key, &v);   /* no field: 0 */
    return v;
}

/* The allowances key of (owner, spender): both addresses, in hex. */
static const char *token_pair(wvm_ctx *ctx, wvm_address owner, wvm_address spender) {
    const char *o = wvm_address_hex(ctx, owner), *s = wvm_address_hex(ctx, spender);
    char *k = wvm_allocate(2 * 42 + 2);
    memcpy(k, o, 42);
    k[42] = ':';
    memcpy(k + 43, s, 43);
    return k;
}

static void token_event(wvm_ctx *ctx, const char *name, const char *k1, wvm_address a1,
                        const char *k2, wvm_address a2, uint64_t amount) {
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, k1);
    wvm_jw_address(&w, a1);
    wvm_jw_key(&w, k2);
    wvm_jw_address(&w, a2);
    wvm_jw_key(&w, "amount");
    wvm_jw_u64(&w, amount);
    wvm_jw_object_end(&w);
    wvm_emit(ctx, name, &w);
}

/* Moves amount from `from` to `to` after checking both balances. */
static void token_move(wvm_ctx *ctx, wvm_object_id balances, wvm_address from, wvm_address to,
                       uint64_t amount) {
    const char *fk = wvm_address_hex(ctx, from), *tk = wvm_address_hex(ctx, to);
    uint64_t have = token_get(ctx, balances, fk);
    if (have < amount)
        return wvm_error(ctx, "insufficient balance: %s has %llu, needs %llu", fk,
                         (unsigned long long)have, (unsigned long long)amount);
    if (!wvm_address_eq(from, to)) {
        uint64_t to_have = token_get(ctx, balances, tk);
        if (to_have > UINT64_MAX - amount)
            return wvm_error(ctx, "overflow: the balance of %s would pass 2^64 - 1", tk);
        wvm_field_set_u64(ctx, balances, fk, have - amount);
        wvm_field_set_u64(ctx, balances, tk, to_have + amount);
    }
    token_event(ctx, "Transfer", "from", from, "to", to, amount);
}

void Initialize(wvm_ctx *ctx, const char *name, const char *symbol, uint64_t supply) {
    wvm_object_id self = wvm_default_object(), balances, allowances;
    wvm_address me = {{0}}, creator = wvm_sender(ctx);
    if (wvm_field_get(ctx, self, "balances", &(wvm_bytes){0}))
        return wvm_error(ctx, "the token is already initialized");
    if (!name[0] || !symbol[0])
        return wvm_error(ctx, "name and symbol must not be empty");
    if (!wvm_object_create(ctx, me, &balances) || !wvm_object_create(ctx, me, &allowances))
        return wvm_error(ctx, "cannot create the state objects");
    wvm_field_set_str(ctx, self, "name", name);
    wvm_field_set_str(ctx, self, "symbol", symbol);
    wvm_field_set_u64(ctx, self, "supply", supply);
    wvm_field_set(ctx, self, "balances", balances.b, WVM_OBJECT_ID_LEN);
    wvm_field_set(ctx, self, "allowances", allowances.b, WVM_OBJECT_ID_LEN);
    wvm_field_set_u64(ctx, balances, wvm_address_hex(ctx, creator), supply);
    token_event(ctx, "Transfer", "from", me, "to", creator, supply);
}

void Transfer(wvm_ctx *ctx, wvm_address to, uint64_t amount) {
    wvm_object_id balances;
    if (token_balances(ctx, &balances))
        token_move(ctx, balances, wvm_sender(ctx), to, amount);
}

uint64_t BalanceOf(wvm_ctx *ctx, wvm_address owner) {
    wvm_object_id balances;
    if (!token_balances(ctx, &balances))
        return 0;
    return token_get(ctx, balances, wvm_address_hex(ctx, owner));
}

void Approve(wvm_ctx *ctx, wvm_address spender, uint64_t amount) {
    wvm_object_id balances, allowances;
    if (!token_objects(ctx, &balances, &allowances))
        return;
    wvm_address owner = wvm_sender(ctx);
    wvm_field_set_u64(ctx, allowances, token_pair(ctx, owner, spender), amount);
    token_event(ctx, "Approval", "owner", owner, "spender", spender, amount);
}

uint64_t Allowance(wvm_ctx *ctx, wvm_address owner, wvm_address spender) {
    wvm_object_id balances, allowances;
    if (!token_objects(ctx, &balances, &allowances))
        return 0;
    return token_get(ctx, allowances, token_pair(ctx, owner, spender));
}

void TransferFrom(wvm_ctx *ctx, wvm_address from, wvm_address to, uint64_t amount) {
    wvm_object_id balances, allowances;
    if (!token_objects(ctx, &balances, &allowances))
        return;
    const char *key = token_pair(ctx, from, wvm_sender(ctx));
    uint64_t allowed = token_get(ctx, allowances, key);
    if (allowed < amount)
        return wvm_error(ctx, "insufficient allowance: %llu approved, %llu asked",
                         (unsigned long long)allowed, (unsigned long long)amount);
    token_move(ctx, balances, from, to, amount);
    if (!wvm_failed(ctx))
        wvm_field_set_u64(ctx, allowances, key, allowed - amount);
}

uint64_t TotalSupply(wvm_ctx *ctx) {
    return token_get(ctx, wvm_default_object(), "supply");
}

const char *Name(wvm_ctx *ctx) {
    const char *s = "";
    wvm_field_get_str(ctx, wvm_default_object(), "name", &s);
    return s;
}

const char *Symbol(wvm_ctx *ctx) {
    const char *s = "";
    wvm_field_get_str(ctx, wvm_default_object(), "symbol", &s);
    return s;
}
