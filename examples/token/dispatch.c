/*
 * dispatch.c -- token's dispatch, written by hand.  `wvm build token.c`
 * generates the same from the source (src/toolchain/); this file lets the
 * example build and run without the toolchain.
 */
#include <wvm/contract.h>

void Initialize(wvm_ctx *ctx, const char *name, const char *symbol, uint64_t supply);
void Transfer(wvm_ctx *ctx, wvm_address to, uint64_t amount);
uint64_t BalanceOf(wvm_ctx *ctx, wvm_address owner);
void Approve(wvm_ctx *ctx, wvm_address spender, uint64_t amount);
uint64_t Allowance(wvm_ctx *ctx, wvm_address owner, wvm_address spender);
void TransferFrom(wvm_ctx *ctx, wvm_address from, wvm_address to, uint64_t amount);
uint64_t TotalSupply(wvm_ctx *ctx);
const char *Name(wvm_ctx *ctx);
const char *Symbol(wvm_ctx *ctx);

static void do_initialize(wvm_ctx *ctx, wvm_args *a) {
    const char *name = wvm_arg_str(a, "name");
    const char *symbol = wvm_arg_str(a, "symbol");
    uint64_t supply = wvm_arg_u64(a, "supply");
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        Initialize(ctx, name, symbol, supply);
}

static void do_transfer(wvm_ctx *ctx, wvm_args *a) {
    wvm_address to = wvm_arg_address(a, "to");
    uint64_t amount = wvm_arg_u64(a, "amount");
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        Transfer(ctx, to, amount);
}

static void do_balance_of(wvm_ctx *ctx, wvm_args *a) {
    wvm_address owner = wvm_arg_address(a, "owner");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    uint64_t r = BalanceOf(ctx, owner);
    if (!wvm_failed(ctx))
        wvm_return_u64(ctx, r);
}

static void do_approve(wvm_ctx *ctx, wvm_args *a) {
    wvm_address spender = wvm_arg_address(a, "spender");
    uint64_t amount = wvm_arg_u64(a, "amount");
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        Approve(ctx, spender, amount);
}

static void do_allowance(wvm_ctx *ctx, wvm_args *a) {
    wvm_address owner = wvm_arg_address(a, "owner");
    wvm_address spender = wvm_arg_address(a, "spender");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    uint64_t r = Allowance(ctx, owner, spender);
    if (!wvm_failed(ctx))
        wvm_return_u64(ctx, r);
}

static void do_transfer_from(wvm_ctx *ctx, wvm_args *a) {
    wvm_address from = wvm_arg_address(a, "from");
    wvm_address to = wvm_arg_address(a, "to");
    uint64_t amount = wvm_arg_u64(a, "amount");
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        TransferFrom(ctx, from, to, amount);
}

static void do_total_supply(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    uint64_t r = TotalSupply(ctx);
    if (!wvm_failed(ctx))
        wvm_return_u64(ctx, r);
}

static void do_name(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    const char *r = Name(ctx);
    if (!wvm_failed(ctx))
        wvm_return_str(ctx, r);
}

static void do_symbol(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    const char *r = Symbol(ctx);
    if (!wvm_failed(ctx))
        wvm_return_str(ctx, r);
}

WVM_EXPORTS({"Initialize", do_initialize}, {"Transfer", do_transfer},
            {"BalanceOf", do_balance_of}, {"Approve", do_approve},
            {"Allowance", do_allowance}, {"TransferFrom", do_transfer_from},
            {"TotalSupply", do_total_supply}, {"Name", do_name}, {"Symbol", do_symbol})
