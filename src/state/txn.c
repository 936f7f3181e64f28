/*
 * txn.c -- transactions (read snapshots, blocks, transactions, nested
 * transactions) and the raw get/put/delete every other file uses, which
 * keep the lattice accumulator current.
 *
 * A block is one LMDB write transaction.  Its transactions and their
 * nested ones are not LMDB child transactions: they write into an
 * overlay in memory (overlay.c) on top of the block's LMDB transaction,
 * which the reads and walks here consult first, and a transaction's
 * commit applies it to the block in key order.  A child LMDB transaction
 * cost more than the writes of a token transfer (its begin allocates
 * LMDB's page lists, each page it touches is copied, its commit merges
 * the lists back).  An abort at any depth drops its overlay writes and
 * rolls back the changed keys' seeds it logged (dirty.c): the
 * accumulator itself is the block's, brought up to date from the changed
 * keys when the root is asked for (st_txn_acc) and at the block's commit.
 *
 * A query (st_query_begin) works the same way on an LMDB read snapshot,
 * so it never waits for the writer nor makes it wait: its writes, its
 * nested transactions' included, go to an overlay that is never
 * applied.
 */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

wvm_status st_fail(st_txn *t, wvm_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
    return st;
}

wvm_status st_mdb_fail(st_txn *t, int rc, const char *what) {
    if (rc == MDB_NOTFOUND) return st_fail(t, WVM_ERR_NOT_FOUND, "%s: not found", what);
    if (rc == ENOMEM) return st_fail(t, WVM_ERR_NOMEM, "%s: out of memory", what);
    return st_fail(t, WVM_ERR_STATE, "%s: %s", what, mdb_strerror(rc));
}

const char *st_txn_errmsg(const st_txn *t) { return t ? t->msg : "no transaction"; }
uint64_t st_txn_height(const st_txn *t) { return t->height; }
uint64_t st_txn_time(const st_txn *t) { return t->time; }
uint32_t st_txn_index(const st_txn *t) { return t->kind == ST_BLOCK ? t->next_tx : t->tx_index; }

static wvm_status load_meta_u64(st_txn *t, const char *name, uint64_t *out) {
    st_key k;
    keys_meta(&k, name);
    const uint8_t *v;
    size_t n;
    wvm_status st = st_get(t, &k, &v, &n);
    *out = 0;
    if (st == WVM_ERR_NOT_FOUND) return WVM_OK;
    if (st) return st;
    if (n != 8) return st_fail(t, WVM_ERR_STATE, "damaged store: meta %s has %zu bytes", name, n);
    *out = keys_get_u64(v);
    return WVM_OK;
}

static wvm_status load_lattice(st_txn *t) {
    st_key k;
    keys_meta(&k, "lattice");
    const uint8_t *v;
    size_t n;
    wvm_status st = st_get(t, &k, &v, &n);
    memset(&t->acc, 0, sizeof t->acc);
    if (st == WVM_ERR_NOT_FOUND) return WVM_OK;
    if (st) return st;
    if (n != 2 * LATTICE_LANES)
        return st_fail(t, WVM_ERR_STATE, "damaged store: the root accumulator has %zu bytes", n);
    lattice_load(&t->acc, v);
    return WVM_OK;
}

/* A new st_txn, cleared but for acc when the transaction is a block's
 * (kind ST_TX, or ST_NESTED outside a query: in_block), which never uses
 * it: 2 KiB less to clear per transaction. */
static st_txn *txn_new(st_env *env, enum st_kind kind, bool in_block) {
    st_txn *t = malloc(sizeof *t);
    if (!t) return NULL;
    memset(t, 0, offsetof(st_txn, msg));
    t->msg[0] = 0;
    if (!in_block) memset(&t->acc, 0, sizeof t->acc);
    t->env = env;
    t->kind = kind;
    t->object_counter = &t->own_counter;
    t->owns_mdb = true;
    return t;
}

int st_reader_get(st_env *env, MDB_txn **out) {
    st_kept *k = perthread_get(env->readers);
    if (k && k->n) {
        MDB_txn *txn = k->kept[--k->n];
        if (!mdb_txn_renew(txn)) {
            *out = txn;
            return 0;
        }
        mdb_txn_abort(txn);   /* a kept one that cannot renew: start afresh */
    }
    return mdb_txn_begin(env->mdb, NULL, MDB_RDONLY, out);
}

void st_reader_put(st_env *env, MDB_txn *txn) {
    st_kept *k = perthread_get(env->readers);
    if (k && !k->decided) {
        /* once per thread: may it keep any? */
        k->decided = true;
        if (atomic_fetch_add_explicit(&env->keeping, 1, memory_order_relaxed) < ST_KEEPING_THREADS)
            k->quota = ST_READERS_KEPT;
        else
            atomic_fetch_sub_explicit(&env->keeping, 1, memory_order_relaxed);
    }
    if (k && k->n < k->quota) {
        mdb_txn_reset(txn);
        k->kept[k->n++] = txn;
    } else {
        mdb_txn_abort(txn);
    }
}

wvm_status st_read_begin(st_env *env, st_txn **out) {
    *out = NULL;
    st_txn *t = txn_new(env, ST_READ, false);
    if (!t) return WVM_ERR_NOMEM;
    int rc = st_reader_get(env, &t->mdb);
    if (rc) {
        free(t);
        return rc == ENOMEM ? WVM_ERR_NOMEM : WVM_ERR_STATE;
    }
    wvm_status st = load_meta_u64(t, "height", &t->height);
    if (!st) st = load_lattice(t);
    if (st) {
        st_txn_abort(t);
        return st;
    }
    *out = t;
    return WVM_OK;
}

wvm_status st_query_begin(st_env *env, st_txn **out) {
    *out = NULL;
    st_txn *t = txn_new(env, ST_QUERY, false);
    if (!t) return WVM_ERR_NOMEM;
    if (!(t->ov = malloc(sizeof *t->ov))) {
        free(t);
        return WVM_ERR_NOMEM;
    }
    overlay_init(t->ov);
    int rc = st_reader_get(env, &t->mdb);
    if (rc) {
        free(t->ov);
        free(t);
        return rc == ENOMEM ? WVM_ERR_NOMEM : WVM_ERR_STATE;
    }
    /* height and time of the snapshot's last block, read in the
     * snapshot itself: a block committed meanwhile is not half seen */
    uint64_t last;
    wvm_status st = load_meta_u64(t, "height", &last);
    st_block_info bi = { 0 };
    if (!st && last && (st = st_block_get(t, last, &bi)) == WVM_ERR_NOT_FOUND)
        st = WVM_ERR_STATE;   /* the height's block record is missing: damaged */
    if (st) {
        st_txn_abort(t);
        return st;
    }
    t->height = last + 1;
    t->time = bi.time;
    *out = t;
    return WVM_OK;
}

wvm_status st_block_begin(st_env *env, uint64_t height, uint64_t time, st_txn **out) {
    *out = NULL;
    if (env->read_only) return WVM_ERR_STATE;
    st_txn *t = txn_new(env, ST_BLOCK, false);
    if (!t) return WVM_ERR_NOMEM;
    if (!(t->dirty = malloc(sizeof *t->dirty))) {
        free(t);
        return WVM_ERR_NOMEM;
    }
    dirty_init(t->dirty);
    int rc = mdb_txn_begin(env->mdb, NULL, 0, &t->mdb);
    if (rc) {
        free(t->dirty);
        free(t);
        return rc == ENOMEM ? WVM_ERR_NOMEM : WVM_ERR_STATE;
    }
    uint64_t last;
    wvm_status st = load_meta_u64(t, "height", &last);
    if (!st) st = load_lattice(t);
    if (!st && height != last + 1) st = WVM_ERR_ARG;
    if (st) {
        st_txn_abort(t);
        return st;
    }
    t->height = height;
    t->time = time;
    *out = t;
    return WVM_OK;
}

wvm_status st_txn_begin(st_txn *parent, st_txn **out) {
    *out = NULL;
    if (parent->kind == ST_READ)
        return st_fail(parent, WVM_ERR_ARG, "a read snapshot has no nested transactions");
    if (parent->child) return st_fail(parent, WVM_ERR_ARG, "a nested transaction is already open");
    if (parent->failed) return st_fail(parent, WVM_ERR_STATE, "transaction failed earlier: %s", parent->msg);
    st_txn *t = txn_new(parent->env, parent->kind == ST_BLOCK ? ST_TX : ST_NESTED, parent->dirty != NULL);
    if (!t) return st_fail(parent, WVM_ERR_NOMEM, "out of memory");
    if (parent->ov) {
        /* nested in a query or a block's transaction: the same LMDB
         * transaction and overlay, undone to here on abort */
        t->mdb = parent->mdb;
        t->owns_mdb = false;
        t->ov = parent->ov;
        t->undo_mark = overlay_mark(t->ov);
    } else {
        /* a block's transaction: the block's overlay, empty */
        if (!parent->tx_ov) {
            if (!(parent->tx_ov = malloc(sizeof *parent->tx_ov))) {
                free(t);
                return st_fail(parent, WVM_ERR_NOMEM, "out of memory");
            }
            overlay_init(parent->tx_ov);
        }
        t->mdb = parent->mdb;
        t->owns_mdb = false;
        t->ov = parent->tx_ov;
    }
    t->parent = parent;
    t->height = parent->height;
    t->time = parent->time;
    t->dirty = parent->dirty;
    if (t->dirty) t->dirty_mark = t->dirty->nundo;
    if (t->kind == ST_TX) {
        t->tx_index = parent->next_tx;
    } else {
        t->tx_index = parent->tx_index;
        t->next_event = parent->next_event;
        t->object_counter = parent->object_counter;
    }
    parent->child = t;
    *out = t;
    return WVM_OK;
}

static wvm_status put_meta(st_txn *t, const char *name, const void *v, size_t n) {
    st_key k;
    keys_meta(&k, name);
    return st_put(t, &k, v, n);
}

/* The block's record and the meta entries that make the next open
 * resume from it; written in the block's own LMDB transaction, so they
 * are committed with it or not at all. */
static wvm_status finish_block(st_txn *t) {
    wvm_hash root;
    if (!st_txn_acc(t, NULL) || !lattice_root(&t->acc, &root))
        return st_fail(t, WVM_ERR_NOMEM, "out of memory hashing the root");
    uint8_t rec[8 + 4 + 32];
    keys_put_u64(rec, t->time);
    keys_put_u32(rec + 8, t->next_tx);
    memcpy(rec + 12, root.b, 32);
    st_key k;
    keys_block(&k, t->height);
    wvm_status st = st_put(t, &k, rec, sizeof rec);
    uint8_t h[8];
    keys_put_u64(h, t->height);
    if (!st) st = put_meta(t, "height", h, 8);
    uint8_t acc[2 * LATTICE_LANES];
    lattice_store(&t->acc, acc);
    if (!st) st = put_meta(t, "lattice", acc, sizeof acc);
    return st;
}

static void block_dirty_free(st_txn *t) {
    if (t->dirty) dirty_free(t->dirty);
    free(t->dirty);
    t->dirty = NULL;
    overlay_free(t->tx_ov);
    free(t->tx_ov);
    t->tx_ov = NULL;
}

/* Block b's write cursor for key k (st_txn.wc), opened when first
 * needed; 0 or an LMDB code. */
static int block_cursor(st_txn *b, const uint8_t *k, size_t klen, MDB_cursor **out) {
    int i = 4;
    if (klen) {
        switch (k[0]) {
        case KEY_FIELD: i = 0; break;
        case KEY_EVENT: i = 1; break;
        case KEY_EVENT_BY_CONTRACT: i = 2; break;
        case KEY_RECEIPT: i = 3; break;
        default: break;
        }
    }
    if (!b->wc[i]) {
        int rc = mdb_cursor_open(b->mdb, b->env->dbi, &b->wc[i]);
        if (rc) {
            b->wc[i] = NULL;
            return rc;
        }
    }
    *out = b->wc[i];
    return 0;
}

/* Before block b's LMDB transaction ends. */
static void block_cursors_close(st_txn *b) {
    for (int i = 0; i < 5; i++) {
        if (b->wc[i]) mdb_cursor_close(b->wc[i]);
        b->wc[i] = NULL;
    }
}

/* Writes k = val (MDB_RESERVE in flags: val->mv_size bytes to fill at
 * val->mv_data) in block b's LMDB transaction. */
static int block_put(st_txn *b, const uint8_t *k, size_t klen, MDB_val *val, unsigned flags) {
    MDB_cursor *mc;
    int rc = block_cursor(b, k, klen, &mc);
    MDB_val key = { klen, (void *)k };
    return rc ? rc : mdb_cursor_put(mc, &key, val, flags);
}

/* Deletes k in block b's LMDB transaction; MDB_NOTFOUND when absent. */
static int block_del(st_txn *b, const uint8_t *k, size_t klen) {
    MDB_cursor *mc;
    int rc = block_cursor(b, k, klen, &mc);
    MDB_val key = { klen, (void *)k }, val;
    if (!rc) rc = mdb_cursor_get(mc, &key, &val, MDB_SET);
    return rc ? rc : mdb_cursor_del(mc, 0);
}

/* A block's transaction's commit: its overlay's writes into the block's
 * LMDB transaction, in key order.  A failure leaves the block's LMDB
 * transaction unusable (LMDB's rule for a failed write), so the block is
 * marked failed too. */
static wvm_status apply(st_txn *t) {
    st_txn *b = t->parent;
    st_rcache *c = &t->dirty->reads;
    rcache_sweep(c);   /* t ends: the values it was given are done with */
    int rc = 0;
    ov_view v;
    for (size_t i = 0; !rc && overlay_at(t->ov, i, &v); i++) {
        if (keys_is_state(v.key, v.klen)) rcache_update(c, v.key, v.klen, !v.del, v.val, v.vlen);
        MDB_val val = { v.vlen, (void *)v.val };
        if (!v.del) rc = block_put(b, v.key, v.klen, &val, 0);
        else if ((rc = block_del(b, v.key, v.klen)) == MDB_NOTFOUND)
            rc = 0;   /* written and deleted in the transaction: never in LMDB */
    }
    overlay_clear(t->ov);
    if (!rc) return WVM_OK;
    t->failed = b->failed = true;
    st_mdb_fail(b, rc, "transaction commit");
    return st_mdb_fail(t, rc, "transaction commit");
}

/* The block at the root of t's chain. */
static st_txn *block_of(st_txn *t) {
    while (t->parent) t = t->parent;
    return t;
}

bool st_txn_acc(st_txn *t, st_lattice *out) {
    if (!t->dirty) {
        if (out) *out = t->acc;
        return true;
    }
    st_txn *b = block_of(t);
    /* t's view: without what its open child (if any) wrote since */
    uint32_t mark = t->child ? t->child->dirty_mark : t->dirty->nundo;
    st_lattice acc = b->acc;
    if (!dirty_fold(t->dirty, &t->env->writer, mark, &acc)) return false;
    if (t == b && !t->child) {
        /* the block's own view, which nothing can roll back: fold it in */
        t->acc = acc;
        dirty_clear(t->dirty);
    }
    if (out) *out = acc;
    return true;
}

wvm_status st_txn_commit(st_txn *t) {
    if (t->kind == ST_READ) {
        st_txn_abort(t);
        return WVM_OK;
    }
    if (t->kind == ST_QUERY) {
        st_txn_abort(t);
        return WVM_ERR_ARG;
    }
    if (t->child) {
        st_txn_abort(t->child);
        t->failed = true;
        return st_fail(t, WVM_ERR_ARG, "commit with a nested transaction still open");
    }
    if (t->failed) return WVM_ERR_STATE;   /* the message says why */
    if (t->kind == ST_BLOCK) {
        wvm_status st = finish_block(t);
        if (st) {
            t->failed = true;
            return st;
        }
    }
    if (t->kind == ST_TX) {
        wvm_status st = apply(t);
        if (st) return st;
    }
    /* a nested txn: its overlay writes simply stay, now its parent's */
    if (t->kind == ST_BLOCK) block_cursors_close(t);
    int rc = t->owns_mdb ? mdb_txn_commit(t->mdb) : 0;
    t->mdb = NULL;   /* LMDB freed it, committed or not */
    if (rc) {
        t->failed = true;
        return st_mdb_fail(t, rc, "block commit");
    }
    st_txn *p = t->parent;
    if (p) {
        if (t->kind == ST_TX) p->next_tx++;
        else p->next_event = t->next_event;
        p->child = NULL;
    }
    /* in the block for good: its logged writes need no undoing */
    if (t->kind == ST_TX && t->dirty) dirty_keep(t->dirty, t->dirty_mark);
    if (t->kind == ST_BLOCK) block_dirty_free(t);
    free(t);
    return WVM_OK;
}

void st_txn_abort(st_txn *t) {
    if (!t) return;
    if (t->child) st_txn_abort(t->child);
    if (t->kind == ST_QUERY) {
        overlay_free(t->ov);
        free(t->ov);
    } else if (t->kind == ST_TX) {
        overlay_clear(t->ov);   /* the block's, kept for its next transaction */
    } else if (t->ov) {
        overlay_rollback(t->ov, t->undo_mark);
    } else if (t->kind == ST_BLOCK) {
        block_cursors_close(t);
        block_dirty_free(t);
    }
    if (t->kind != ST_BLOCK && t->dirty) {
        dirty_rollback(t->dirty, t->dirty_mark);
        t->dirty->obj_ok = false;   /* it may hold what t wrote */
    }
    if (t->mdb && t->owns_mdb) {
        if (t->kind == ST_READ || t->kind == ST_QUERY) st_reader_put(t->env, t->mdb);
        else mdb_txn_abort(t->mdb);
    }
    if (t->parent) {
        if (t->kind == ST_TX) t->parent->next_tx++;
        t->parent->child = NULL;
    }
    free(t);
}

wvm_status st_writable(st_txn *t) {
    if (t->kind == ST_READ) return st_fail(t, WVM_ERR_ARG, "write in a read snapshot");
    if (t->child) return st_fail(t, WVM_ERR_ARG, "write while a nested transaction is open");
    if (t->failed) return st_fail(t, WVM_ERR_STATE, "transaction failed earlier; abort it");
    return WVM_OK;
}

/* The block's read cache for key k, or NULL: only state keys are cached
 * (history is written once and hardly read back in the block), so the
 * writes of events and receipts need not look for theirs. */
static st_rcache *rcache_of(st_txn *t, const st_key *k) {
    return t->dirty && keys_is_state(k->b, k->len) ? &t->dirty->reads : NULL;
}

/* mdb_get of k in t's LMDB transaction; in a block's, through the
 * block's read cache. */
static int lmdb_get(st_txn *t, const st_key *k, MDB_val *v) {
    st_rcache *c = rcache_of(t, k);
    if (c) {
        const uint8_t *cv;
        size_t cn;
        int in = rcache_get(c, k->b, k->len, &cv, &cn);
        if (in == 1) *v = (MDB_val){ cn, (void *)cv };
        if (in >= 0) return in ? 0 : MDB_NOTFOUND;
    }
    MDB_val key = { k->len, (void *)k->b };
    int rc = mdb_get(t->mdb, t->env->dbi, &key, v);
    if (c && (!rc || rc == MDB_NOTFOUND)) rcache_put(c, k->b, k->len, !rc, v->mv_data, v->mv_size);
    return rc;
}

wvm_status st_get(st_txn *t, const st_key *k, const uint8_t **val, size_t *len) {
    if (t->ov) {
        int in = overlay_get(t->ov, k->b, k->len, val, len);
        if (in >= 0) return in ? WVM_OK : WVM_ERR_NOT_FOUND;
    }
    MDB_val v;
    int rc = lmdb_get(t, k, &v);
    if (rc == MDB_NOTFOUND) return WVM_ERR_NOT_FOUND;
    if (rc) return st_mdb_fail(t, rc, "read");
    *val = v.mv_data;
    *len = v.mv_size;
    return WVM_OK;
}

wvm_status st_absent(st_txn *t, const st_key *k) {
    const uint8_t *v;
    size_t n;
    wvm_status st = st_get(t, k, &v, &n);
    if (st == WVM_ERR_NOT_FOUND) return WVM_OK;
    return st ? st : WVM_ERR_EXISTS;
}

/* A failed LMDB write leaves its transaction usable only for abort. */
static wvm_status write_failed(st_txn *t, int rc) {
    t->failed = true;
    return st_mdb_fail(t, rc, "write");
}

/* The entry of state key k in t->dirty, added when k has none, with
 * the value the key has now in t as orig: no write since the last fold
 * touched it, so that is its value at the fold. */
static wvm_status track(st_txn *t, const st_key *k, int64_t *idx) {
    if (k->b[0] == KEY_OBJECT) t->dirty->obj_ok = false;
    *idx = dirty_find(t->dirty, k->b, k->len);
    if (*idx >= 0) return WVM_OK;
    MDB_val v;
    int rc = lmdb_get(t, k, &v);
    if (rc && rc != MDB_NOTFOUND) return st_mdb_fail(t, rc, "read");
    uint8_t seed[32];
    if (!rc && !lattice_seed(&t->env->writer, k->b, k->len, v.mv_data, v.mv_size, NULL, 0, seed))
        return st_fail(t, WVM_ERR_NOMEM, "out of memory hashing the root");
    if ((*idx = dirty_add(t->dirty, k->b, k->len, !rc, seed)) < 0)
        return st_fail(t, WVM_ERR_NOMEM, "out of memory for the root's changed keys");
    return WVM_OK;
}

/* Before a write of state key k in t: its entry in t->dirty and room to
 * log the write, so nothing can fail after LMDB has written. */
static wvm_status track_write(st_txn *t, const st_key *k, int64_t *idx) {
    wvm_status st = track(t, k, idx);
    if (!st && t->kind != ST_BLOCK && !dirty_reserve_undo(t->dirty))
        st = st_fail(t, WVM_ERR_NOMEM, "out of memory for the root's changed keys");
    return st;
}

wvm_status st_put2(st_txn *t, const st_key *k, const void *a, size_t alen, const void *b,
                   size_t blen) {
    wvm_status st = st_writable(t);
    if (st) return st;
    int64_t idx = -1;
    dirty_val dv;
    /* a query keeps no root (no dirty): nothing to mix */
    if (t->dirty && keys_is_state(k->b, k->len)) {
        if ((st = track_write(t, k, &idx))) return st;
        dv.present = true;
        dv.raw = alen + blen <= DIRTY_RAW_MAX;
        if (dv.raw) {
            /* hashed at the fold (dirty.c) */
            dv.len = (uint8_t)(alen + blen);
            if (alen) memcpy(dv.b, a, alen);
            if (blen) memcpy(dv.b + alen, b, blen);
        } else {
            dv.len = 32;
            if (!lattice_seed(&t->env->writer, k->b, k->len, a, alen, b, blen, dv.b))
                return st_fail(t, WVM_ERR_NOMEM, "out of memory hashing the root");
        }
    }
    if (t->ov) {
        if (!overlay_put(t->ov, k->b, k->len, a, alen, b, blen, false, t->kind == ST_NESTED,
                         t->undo_mark))
            return st_fail(t, WVM_ERR_NOMEM, t->dirty ? "out of memory for a transaction's write"
                                                      : "out of memory for a query's write");
    } else {
        MDB_val v = { alen + blen, NULL };
        int rc = block_put(t, k->b, k->len, &v, MDB_RESERVE);
        if (rc) return write_failed(t, rc);
        if (alen) memcpy(v.mv_data, a, alen);
        if (blen) memcpy((uint8_t *)v.mv_data + alen, b, blen);
        if (t->dirty) rcache_sweep(&t->dirty->reads);
        st_rcache *c = rcache_of(t, k);
        if (c) rcache_update(c, k->b, k->len, true, v.mv_data, v.mv_size);
    }
    if (idx >= 0) dirty_set(t->dirty, (uint32_t)idx, t->kind != ST_BLOCK, &dv);
    return WVM_OK;
}

wvm_status st_put(st_txn *t, const st_key *k, const void *val, size_t len) {
    return st_put2(t, k, val, len, NULL, 0);
}

wvm_status st_del(st_txn *t, const st_key *k) {
    wvm_status st = st_writable(t);
    if (st) return st;
    const uint8_t *v;
    size_t n;
    if ((st = st_get(t, k, &v, &n))) return st;
    int64_t idx = -1;
    if (t->dirty && keys_is_state(k->b, k->len) && (st = track_write(t, k, &idx))) return st;
    if (t->ov) {
        if (!overlay_put(t->ov, k->b, k->len, NULL, 0, NULL, 0, true, t->kind == ST_NESTED,
                         t->undo_mark))
            return st_fail(t, WVM_ERR_NOMEM, t->dirty ? "out of memory for a transaction's write"
                                                      : "out of memory for a query's write");
    } else {
        int rc = block_del(t, k->b, k->len);
        if (rc) return write_failed(t, rc);
        if (t->dirty) rcache_sweep(&t->dirty->reads);
        st_rcache *c = rcache_of(t, k);
        if (c) rcache_update(c, k->b, k->len, false, NULL, 0);
    }
    if (idx >= 0) {
        dirty_val none = { .present = false };
        dirty_set(t->dirty, (uint32_t)idx, t->kind != ST_BLOCK, &none);
    }
    return WVM_OK;
}
