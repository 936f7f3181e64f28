/*
 * overlay.c -- a query's writes, kept in memory in key order, on top of
 * an LMDB read snapshot (docs/state.md "Queries"); and a block's
 * transaction's writes, on top of the block's LMDB transaction, until
 * its commit applies them (txn.c).
 *
 * A sorted array of entries, each a key with a value or a tombstone (the
 * key is deleted whatever the snapshot holds).  Queries write little, so
 * binary search and a memmove per new key beat a tree here.
 *
 * Nested transactions of a query share the one overlay: a nested
 * transaction notes the undo log's length at begin (its mark), and each
 * write it makes to an entry older than the mark first saves that entry
 * in the log.  Abort replays the log back to the mark; commit does
 * nothing, the records now belong to the parent, whose abort replays
 * them too.  An entry remembers the log position that saved its
 * predecessor (seq, 0 when unsaved), so a second write to it at the same
 * level overwrites in place instead of growing the log.  The query's
 * top level is never undone (it is thrown away whole): it logs nothing.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct ov_entry {
    size_t seq;                /* 1 + index of the undo record behind it; 0: none */
    uint32_t klen, vlen;
    bool del;                  /* tombstone */
    bool absent;               /* undo only: the key was not in the overlay */
    uint8_t b[];               /* key, then value */
};

void overlay_init(overlay *o) { memset(o, 0, sizeof *o); }

void overlay_clear(overlay *o) {
    for (size_t i = 0; i < o->n; i++) free(o->e[i]);
    for (size_t i = 0; i < o->nundo; i++) free(o->undo[i]);
    o->n = o->nundo = 0;
}

void overlay_free(overlay *o) {
    if (!o) return;
    overlay_clear(o);
    free(o->e);
    free(o->undo);
    memset(o, 0, sizeof *o);
}

static int cmp_key(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c) return c;
    return alen < blen ? -1 : alen > blen;
}

size_t overlay_seek(const overlay *o, const uint8_t *k, size_t klen) {
    size_t lo = 0, hi = o->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_key(o->e[mid]->b, o->e[mid]->klen, k, klen) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static bool found_at(const overlay *o, size_t i, const uint8_t *k, size_t klen) {
    return i < o->n && o->e[i]->klen == klen && !memcmp(o->e[i]->b, k, klen);
}

int overlay_get(const overlay *o, const uint8_t *k, size_t klen, const uint8_t **val, size_t *len) {
    size_t i = overlay_seek(o, k, klen);
    if (!found_at(o, i, k, klen)) return -1;
    const ov_entry *e = o->e[i];
    if (e->del) return 0;
    *val = e->b + e->klen;
    *len = e->vlen;
    return 1;
}

bool overlay_at(const overlay *o, size_t i, ov_view *out) {
    if (i >= o->n) return false;
    const ov_entry *e = o->e[i];
    out->key = e->b;
    out->klen = e->klen;
    out->val = e->b + e->klen;
    out->vlen = e->vlen;
    out->del = e->del;
    return true;
}

static ov_entry *entry_new(const uint8_t *k, size_t klen, size_t vlen) {
    ov_entry *e = malloc(sizeof *e + klen + vlen);
    if (!e) return NULL;
    e->seq = 0;
    e->klen = (uint32_t)klen;
    e->vlen = (uint32_t)vlen;
    e->del = e->absent = false;
    memcpy(e->b, k, klen);
    return e;
}

/* Room for one more pointer in *p (n used of *cap). */
static bool grow(ov_entry ***p, size_t *cap, size_t n) {
    if (n < *cap) return true;
    if (*cap > SIZE_MAX / 2 / sizeof **p) return false;
    size_t c = *cap ? *cap * 2 : 16;
    ov_entry **q = realloc(*p, c * sizeof **p);
    if (!q) return false;
    *p = q;
    *cap = c;
    return true;
}

bool overlay_put(overlay *o, const uint8_t *k, size_t klen, const void *a, size_t alen,
                 const void *b, size_t blen, bool del, bool logged, size_t mark) {
    size_t vlen = del ? 0 : alen + blen;
    ov_entry *e = entry_new(k, klen, vlen);
    if (!e) return false;
    e->del = del;
    if (alen && !del) memcpy(e->b + klen, a, alen);
    if (blen && !del) memcpy(e->b + klen + alen, b, blen);
    size_t i = overlay_seek(o, k, klen);
    bool found = found_at(o, i, k, klen);
    /* Room first, so that nothing below can fail half-way. */
    if (!found && !grow(&o->e, &o->cap, o->n)) goto nomem;
    if (logged && (!found || o->e[i]->seq <= mark)) {
        if (!grow(&o->undo, &o->capundo, o->nundo)) goto nomem;
        ov_entry *saved = found ? o->e[i] : entry_new(k, klen, 0);
        if (!saved) goto nomem;
        saved->absent = !found;
        o->undo[o->nundo++] = saved;
        e->seq = o->nundo;
        if (found) {
            o->e[i] = e;
            return true;
        }
    } else if (found) {
        /* unlogged, or the entry is this level's own: in place */
        e->seq = o->e[i]->seq;
        free(o->e[i]);
        o->e[i] = e;
        return true;
    }
    memmove(o->e + i + 1, o->e + i, (o->n - i) * sizeof *o->e);
    o->e[i] = e;
    o->n++;
    return true;
nomem:
    free(e);
    return false;
}

void overlay_rollback(overlay *o, size_t mark) {
    while (o->nundo > mark) {
        ov_entry *saved = o->undo[--o->nundo];
        size_t i = overlay_seek(o, saved->b, saved->klen);
        /* the key was written after the record was taken, so it is there */
        free(o->e[i]);
        if (saved->absent) {
            memmove(o->e + i, o->e + i + 1, (o->n - i - 1) * sizeof *o->e);
            o->n--;
            free(saved);
        } else {
            o->e[i] = saved;
        }
    }
}

size_t overlay_mark(const overlay *o) { return o->nundo; }
