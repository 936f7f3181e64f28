/*
 * balances.c -- native balances: uint64 per address, checked arithmetic.
 * A zero balance is stored as no entry, so the state (and its root) does
 * not depend on whether an address once held funds.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

static uint64_t get(st_txn *t, const wvm_address *a, wvm_status *st) {
    st_key k;
    keys_balance(&k, a);
    const uint8_t *v;
    size_t n;
    *st = st_get(t, &k, &v, &n);
    if (*st == WVM_ERR_NOT_FOUND) {
        *st = WVM_OK;
        return 0;
    }
    if (*st) return 0;
    if (n != 8) {
        *st = st_fail(t, WVM_ERR_STATE, "damaged balance record (%zu bytes)", n);
        return 0;
    }
    return keys_get_u64(v);
}

static wvm_status set(st_txn *t, const wvm_address *a, uint64_t amount) {
    st_key k;
    keys_balance(&k, a);
    if (amount == 0) {
        wvm_status st = st_del(t, &k);
        return st == WVM_ERR_NOT_FOUND ? WVM_OK : st;
    }
    uint8_t v[8];
    keys_put_u64(v, amount);
    return st_put(t, &k, v, 8);
}

uint64_t st_balance(st_txn *t, const wvm_address *addr) {
    wvm_status st;
    return get(t, addr, &st);
}

wvm_status st_mint(st_txn *t, const wvm_address *to, uint64_t amount) {
    wvm_status st = st_writable(t);
    if (st) return st;
    uint64_t have = get(t, to, &st);
    if (st) return st;
    if (amount > UINT64_MAX - have)
        return st_fail(t, WVM_ERR_OVERFLOW, "balance overflow: %llu + %llu passes 2^64 - 1",
                       (unsigned long long)have, (unsigned long long)amount);
    return amount ? set(t, to, have + amount) : WVM_OK;
}

wvm_status st_transfer(st_txn *t, const wvm_address *from, const wvm_address *to, uint64_t amount) {
    wvm_status st = st_writable(t);
    if (st) return st;
    uint64_t have = get(t, from, &st);
    if (st) return st;
    if (have < amount)
        return st_fail(t, WVM_ERR_FUNDS, "insufficient funds: balance %llu, transfer %llu",
                       (unsigned long long)have, (unsigned long long)amount);
    if (amount == 0 || !memcmp(from->b, to->b, 20)) return WVM_OK;
    uint64_t dest = get(t, to, &st);
    if (st) return st;
    if (amount > UINT64_MAX - dest)
        return st_fail(t, WVM_ERR_OVERFLOW, "balance overflow: %llu + %llu passes 2^64 - 1",
                       (unsigned long long)dest, (unsigned long long)amount);
    if ((st = set(t, from, have - amount))) return st;
    return set(t, to, dest + amount);
}
