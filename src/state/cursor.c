/*
 * cursor.c -- walks of the store in key order: an LMDB cursor, merged
 * with the transaction's overlay when it is a query's (overlay.c).
 *
 * The merge keeps two positions, LMDB's and the overlay's, and gives the
 * smaller key; on equal keys the overlay's entry wins and both advance.
 * A tombstone hides the key (and LMDB's entry of it) and is skipped.
 * Every file of src/state walks through here, so a query sees its own
 * writes in listings exactly as in gets.
 */
#include <string.h>
#include "internal.h"

enum { FROM_MDB = 1, FROM_OV = 2 };

wvm_status cursor_open(st_txn *t, st_cursor *c, const char *what) {
    memset(c, 0, sizeof *c);
    c->t = t;
    c->what = what;
    c->ov = t->ov;
    int rc = mdb_cursor_open(t->mdb, t->env->dbi, &c->mc);
    if (rc) {
        c->mc = NULL;
        return st_mdb_fail(t, rc, what);
    }
    return WVM_OK;
}

void cursor_close(st_cursor *c) {
    if (c->mc) mdb_cursor_close(c->mc);
    c->mc = NULL;
}

/* LMDB moved (op) with result rc: note its entry or its end. */
static wvm_status mdb_moved(st_cursor *c, int rc) {
    c->m_ok = rc == 0;
    if (rc && rc != MDB_NOTFOUND) return st_mdb_fail(c->t, rc, c->what);
    return WVM_OK;
}

static int cmp_key(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
    int r = memcmp(a, b, alen < blen ? alen : blen);
    if (r) return r;
    return alen < blen ? -1 : alen > blen;
}

/* Moves past the current entry (from both sources when they had
 * the same key). */
static wvm_status skip(st_cursor *c) {
    if (c->from & FROM_OV) c->oi++;
    if (c->from & FROM_MDB) {
        wvm_status st = mdb_moved(c, mdb_cursor_get(c->mc, &c->mk, &c->mv, MDB_NEXT));
        if (st) return st;
    }
    c->from = 0;
    return WVM_OK;
}

/* From the two positions, the next visible entry into *out (tombstones
 * skipped); WVM_ERR_NOT_FOUND at the end. */
static wvm_status settle(st_cursor *c, st_kv *out) {
    for (;;) {
        ov_view o;
        bool have_o = c->ov && overlay_at(c->ov, c->oi, &o);
        if (!c->m_ok && !have_o) {
            c->from = 0;
            return WVM_ERR_NOT_FOUND;
        }
        int cmp = !have_o ? -1 : !c->m_ok ? 1
                : cmp_key(c->mk.mv_data, c->mk.mv_size, o.key, o.klen);
        if (cmp < 0) {
            c->from = FROM_MDB;
            *out = (st_kv){ c->mk.mv_data, c->mk.mv_size, c->mv.mv_data, c->mv.mv_size };
            return WVM_OK;
        }
        c->from = cmp == 0 ? FROM_MDB | FROM_OV : FROM_OV;
        if (!o.del) {
            *out = (st_kv){ o.key, o.klen, o.val, o.vlen };
            return WVM_OK;
        }
        wvm_status st = skip(c);
        if (st) return st;
    }
}

wvm_status cursor_seek(st_cursor *c, const uint8_t *key, size_t klen, st_kv *out) {
    c->mk = (MDB_val){ klen, (void *)key };
    wvm_status st = mdb_moved(c, klen ? mdb_cursor_get(c->mc, &c->mk, &c->mv, MDB_SET_RANGE)
                                      : mdb_cursor_get(c->mc, &c->mk, &c->mv, MDB_FIRST));
    if (st) return st;
    if (c->ov) c->oi = overlay_seek(c->ov, key, klen);
    return settle(c, out);
}

wvm_status cursor_next(st_cursor *c, st_kv *out) {
    wvm_status st = skip(c);
    if (st) return st;
    return settle(c, out);
}
