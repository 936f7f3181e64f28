/*
 * dirty.c -- a block's changed state keys, so the root's accumulator is
 * brought up to date once per key and block instead of once per write.
 *
 * The accumulator is the sum of the vectors of the entries (lattice.c),
 * so the block's accumulator after any number of writes is its value at
 * the last fold, minus the vector of each changed key's value then
 * (`orig`), plus the vector of its value now (`cur`).  Intermediate
 * values cancel out: a key written by every transaction of a block (a
 * token's sender balance) costs two ChaCha20 expansions per block, not
 * two per write.  Nor two hashes: a value of up to DIRTY_RAW_MAX bytes
 * is kept as it is and hashed into its seed (SHA-256) at the fold; a
 * bigger one is hashed at its write, so that the set holds 32 bytes for
 * it, not the value.
 *
 * Aborts: a write inside a transaction logs the key's previous `cur`;
 * aborting the transaction restores them (dirty_rollback), as LMDB drops
 * its pages.  Keys first touched by an aborted transaction stay in the
 * set with cur == orig and add nothing.  The log only spans the open
 * transactions: a transaction committing into the block drops its part.
 *
 * One st_dirty per block transaction, shared by its nested transactions
 * (one writer thread: LMDB's write lock).
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void dirty_init(st_dirty *d) { memset(d, 0, sizeof *d); }

void dirty_free(st_dirty *d) {
    rcache_free(&d->reads);
    free(d->e);
    free(d->slots);
    free(d->keys);
    free(d->undo);
    memset(d, 0, sizeof *d);
}

static const uint8_t *entry_key(const st_dirty *d, const dirty_entry *e) {
    return d->keys + e->key_off;
}

int64_t dirty_find(const st_dirty *d, const uint8_t *k, size_t klen) {
    if (!d->nslots) return -1;
    uint32_t mask = d->nslots - 1;
    for (uint32_t i = (uint32_t)keys_hash(k, klen) & mask;; i = (i + 1) & mask) {
        uint32_t s = d->slots[i];
        if (!s) return -1;
        const dirty_entry *e = &d->e[s - 1];
        if (e->klen == klen && !memcmp(entry_key(d, e), k, klen)) return s - 1;
    }
}

/* Puts entry index idx in its slot of a table with free slots. */
static void slot_place(st_dirty *d, uint32_t idx) {
    const dirty_entry *e = &d->e[idx];
    uint32_t mask = d->nslots - 1;
    uint32_t i = (uint32_t)keys_hash(entry_key(d, e), e->klen) & mask;
    while (d->slots[i]) i = (i + 1) & mask;
    d->slots[i] = idx + 1;
}

/* Room for one more entry of klen key bytes (slots at most half full). */
static bool reserve_entry(st_dirty *d, size_t klen) {
    if (d->n == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 64;
        dirty_entry *e = realloc(d->e, cap * sizeof *e);
        if (!e) return false;
        d->e = e;
        d->cap = cap;
    }
    if (d->keys_len + klen > d->keys_cap) {
        size_t cap = d->keys_cap ? d->keys_cap * 2 : 4096;
        while (cap < d->keys_len + klen) cap *= 2;
        uint8_t *k = realloc(d->keys, cap);
        if (!k) return false;
        d->keys = k;
        d->keys_cap = cap;
    }
    if (2 * (d->n + 1) > d->nslots) {
        uint32_t ns = d->nslots ? d->nslots * 2 : 128;
        uint32_t *s = calloc(ns, sizeof *s);
        if (!s) return false;
        free(d->slots);
        d->slots = s;
        d->nslots = ns;
        for (uint32_t i = 0; i < d->n; i++) slot_place(d, i);
    }
    return true;
}

int64_t dirty_add(st_dirty *d, const uint8_t *k, size_t klen, bool present,
                  const uint8_t seed[32]) {
    if (klen > UINT16_MAX || !reserve_entry(d, klen)) return -1;
    uint32_t idx = d->n++;
    dirty_entry *e = &d->e[idx];
    e->key_off = (uint32_t)d->keys_len;
    e->klen = (uint16_t)klen;
    memcpy(d->keys + d->keys_len, k, klen);
    d->keys_len += klen;
    e->orig_present = e->cur.present = present;
    e->cur.raw = false;
    e->cur.len = 32;
    if (present) {
        memcpy(e->orig, seed, 32);
        memcpy(e->cur.b, seed, 32);
    } else {
        memset(e->orig, 0, 32);
    }
    slot_place(d, idx);
    return idx;
}

bool dirty_reserve_undo(st_dirty *d) {
    if (d->nundo < d->capundo) return true;
    uint32_t cap = d->capundo ? d->capundo * 2 : 64;
    dirty_undo *u = realloc(d->undo, cap * sizeof *u);
    if (!u) return false;
    d->undo = u;
    d->capundo = cap;
    return true;
}

void dirty_set(st_dirty *d, uint32_t idx, bool logged, const dirty_val *v) {
    dirty_entry *e = &d->e[idx];
    if (logged) {
        /* room made by dirty_reserve_undo before the write */
        dirty_undo *u = &d->undo[d->nundo++];
        u->entry = idx;
        u->val = e->cur;
    }
    e->cur = *v;
}

/* Exchanges entry u->entry's cur with the undo record's.  Its own
 * inverse: applied to records n-1 down to mark it takes the entries back
 * to their state at mark, and applied again from mark up to n-1 it puts
 * them back. */
static void undo_swap(st_dirty *d, dirty_undo *u) {
    dirty_entry *e = &d->e[u->entry];
    dirty_val v = e->cur;
    e->cur = u->val;
    u->val = v;
}

void dirty_rollback(st_dirty *d, uint32_t mark) {
    while (d->nundo > mark) undo_swap(d, &d->undo[--d->nundo]);
}

void dirty_keep(st_dirty *d, uint32_t mark) {
    if (d->nundo > mark) d->nundo = mark;
}

bool dirty_fold(st_dirty *d, lattice_hasher *h, uint32_t mark, st_lattice *acc) {
    /* the view as of mark: later writes swapped out for the fold */
    for (uint32_t i = d->nundo; i-- > mark;) undo_swap(d, &d->undo[i]);
    bool ok = true;
    for (uint32_t i = 0; ok && i < d->n; i++) {
        const dirty_entry *e = &d->e[i];
        const dirty_val *c = &e->cur;
        uint8_t seed[32];
        if (c->present && c->raw)
            ok = lattice_seed(h, entry_key(d, e), e->klen, c->b, c->len, NULL, 0, seed);
        else if (c->present)
            memcpy(seed, c->b, 32);
        /* unchanged since the last fold: nothing to add */
        if (!ok || (e->orig_present == c->present && (!c->present || !memcmp(e->orig, seed, 32))))
            continue;
        if (e->orig_present) ok = lattice_add_seed(h, acc, e->orig, -1);
        if (ok && c->present) ok = lattice_add_seed(h, acc, seed, +1);
    }
    for (uint32_t i = mark; i < d->nundo; i++) undo_swap(d, &d->undo[i]);
    return ok;
}

void dirty_clear(st_dirty *d) {
    d->n = 0;
    d->keys_len = 0;
    d->nundo = 0;
    if (d->slots) memset(d->slots, 0, d->nslots * sizeof *d->slots);
}
