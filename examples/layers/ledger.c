/*
 * ledger.c -- the bottom of a three-level chain dapp -> logic -> ledger
 * (examples/layers/README): a balance book that only moves value when
 * the call came through the logic contract.  It reads the call chain
 * (wvm_call_frame) to check that logic's Route is on the path -- not
 * only the immediate caller, so the rule holds however deep the ledger
 * is called from.
 */
#include <wvm/contract.h>

#define STATE wvm_default_object()

/* The logic contract every credit must pass through. */
void Initialize(wvm_ctx *ctx, wvm_address logic) {
    wvm_field_set_address(ctx, STATE, "logic", logic);
}

/* The frame of the chain where logic's Route runs, or -1. */
static int32_t logic_frame(wvm_ctx *ctx) {
    wvm_address logic, at;
    const char *fn;
    if (!wvm_field_get_address(ctx, STATE, "logic", &logic)) return -1;
    uint32_t depth = wvm_call_depth(ctx);
    for (uint32_t i = 0; i < depth; i++)
        if (wvm_call_frame(ctx, i, &at, &fn) && wvm_address_eq(at, logic) && !strcmp(fn, "Route"))
            return (int32_t)i;
    return -1;
}

void Credit(wvm_ctx *ctx, wvm_address to, uint64_t amount) {
    if (logic_frame(ctx) < 0) {
        wvm_address logic;
        wvm_field_get_address(ctx, STATE, "logic", &logic);
        wvm_error(ctx, "Credit must be called through Route of the logic contract %s "
                  "(call depth %u)", wvm_address_hex(ctx, logic), wvm_call_depth(ctx));
        return;
    }
    const char *key = wvm_address_hex(ctx, to);
    uint64_t have = 0;
    wvm_field_get_u64(ctx, STATE, key, &have);
    if (have > UINT64_MAX - amount) {
        wvm_error(ctx, "balance overflow");
        return;
    }
    wvm_field_set_u64(ctx, STATE, key, have + amount);
}

WVM_VIEW uint64_t BalanceOf(wvm_ctx *ctx, wvm_address owner) {
    uint64_t have = 0;
    wvm_field_get_u64(ctx, STATE, wvm_address_hex(ctx, owner), &have);
    return have;
}
