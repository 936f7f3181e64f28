/*
 * root.c -- the state root: of a transaction (its accumulator), of the
 * last committed block, recomputed from scratch, and block records.
 */
#include <string.h>
#include "internal.h"

void st_txn_root(st_txn *t, wvm_hash *root) {
    st_lattice acc;
    if (!st_txn_acc(t, &acc) || !lattice_root(&acc, root)) memset(root, 0, sizeof *root);
}

uint64_t st_last_height(st_env *env) {
    st_txn *t;
    if (st_read_begin(env, &t)) return 0;
    uint64_t h = t->height;
    st_txn_abort(t);
    return h;
}

void st_last_root(st_env *env, wvm_hash *root) {
    st_txn *t;
    st_lattice zero;
    memset(&zero, 0, sizeof zero);
    if (st_read_begin(env, &t)) {
        lattice_root(&zero, root);
        return;
    }
    st_txn_root(t, root);
    st_txn_abort(t);
}

/* Every state entry, walked in key order; history and meta skipped. */
wvm_status st_root_recompute(st_txn *t, wvm_hash *root) {
    st_cursor c;
    wvm_status st = cursor_open(t, &c, "walking the store");
    if (st) return st;
    st_lattice acc;
    memset(&acc, 0, sizeof acc);
    lattice_hasher h;
    if (!lattice_hasher_init(&h)) {
        cursor_close(&c);
        return st_fail(t, WVM_ERR_NOMEM, "out of memory");
    }
    st_kv e;
    static const uint8_t from_first[1];
    for (st = cursor_seek(&c, from_first, 0, &e); !st; st = cursor_next(&c, &e)) {
        if (!keys_is_state(e.key, e.klen)) continue;
        if (!lattice_mix(&h, &acc, e.key, e.klen, e.val, e.vlen, +1)) {
            st = st_fail(t, WVM_ERR_NOMEM, "out of memory hashing the root");
            break;
        }
    }
    if (st == WVM_ERR_NOT_FOUND) st = WVM_OK;
    cursor_close(&c);
    lattice_hasher_free(&h);
    if (!st && !lattice_root(&acc, root)) st = st_fail(t, WVM_ERR_NOMEM, "out of memory");
    return st;
}

wvm_status st_block_get(st_txn *t, uint64_t height, st_block_info *out) {
    st_key k;
    keys_block(&k, height);
    const uint8_t *v;
    size_t n;
    wvm_status st = st_get(t, &k, &v, &n);
    if (st == WVM_ERR_NOT_FOUND) return st_fail(t, st, "no block at height %llu", (unsigned long long)height);
    if (st) return st;
    if (n != 44) return st_fail(t, WVM_ERR_STATE, "damaged block record at height %llu", (unsigned long long)height);
    out->height = height;
    out->time = keys_get_u64(v);
    out->ntx = keys_get_u32(v + 8);
    memcpy(out->root.b, v + 12, 32);
    return WVM_OK;
}
