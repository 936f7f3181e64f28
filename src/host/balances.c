/*
 * balances.c -- the native token: balance of an address (storage_read)
 * and transfer from the executing contract (transfer).  Insufficient
 * funds and overflow are values the contract handles, not traps.
 */
#include "host.h"

wvm_status balances_balance(host_args *a, int32_t *ret) {
    wvm_status st = host_charge(a->caller, wvm_caller_costs(a->caller)->storage_read, 0);
    if (st) return st;
    wvm_address who;
    if ((st = args_address(a, "address", &who)) || (st = args_end(a))) return st;
    uint64_t v = st_balance(host_top(a->tx)->txn, &who);
    uint8_t b[8];
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
    if (host_buf_set(host_top(a->tx), b, 8))
        return host_fail(a->caller, a->tx, WVM_KIND_RESOURCE_EXHAUSTED, "balance: host out of memory");
    *ret = 8;
    return WVM_OK;
}

wvm_status balances_transfer(host_args *a, int32_t *ret) {
    wvm_status st = host_charge(a->caller, wvm_caller_costs(a->caller)->transfer, 0);
    if (st) return st;
    wvm_address to;
    uint64_t amount;
    if ((st = args_address(a, "to", &to)) || (st = args_u64(a, "amount", &amount)) ||
        (st = args_end(a)))
        return st;
    host_frame *f = host_top(a->tx);
    f->buf_len = 0;
    st = st_transfer(f->txn, &f->contract, &to, amount);
    if (st == WVM_ERR_FUNDS) *ret = WVM_ABI_INSUFFICIENT_FUNDS;
    else if (st == WVM_ERR_OVERFLOW) *ret = WVM_ABI_OVERFLOW;
    else if (st) return host_state_fail(a->caller, a->tx, "call_host_set(transfer)", st, st_txn_errmsg(f->txn));
    else {
        changes_transfer(a->tx, &f->contract, &to, amount);
        *ret = 0;
    }
    return WVM_OK;
}

wvm_status balances_get_balance(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    host_tx *tx = host_user(user);
    const wvm_cost_table *k = wvm_caller_costs(c);
    wvm_status st = host_charge(c, (uint64_t)k->host_call + k->storage_read, WVM_ADDRESS_LEN);
    if (st) return st;
    uint32_t ptr = (uint32_t)args[0].of.i32;
    if ((st = host_check_range(c, tx, "get_balance", "addr_ptr", ptr, WVM_ADDRESS_LEN))) return st;
    wvm_address who;
    wvm_caller_read(c, ptr, who.b, WVM_ADDRESS_LEN);
    res[0] = wvm_i64((int64_t)st_balance(host_top(tx)->txn, &who));
    return WVM_OK;
}
