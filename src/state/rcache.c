/*
 * rcache.c -- what the block's LMDB transaction holds for the state
 * keys its transactions read lately (txn.c caches no others), so that a
 * read the overlay does not answer skips the B-tree walk of mdb_get.  A token transfer reads the same
 * few keys in every transaction (the contract record, the default
 * object's fields, the sender's balance) and reads the recipient's key
 * twice (the contract's read, then the root's tracking before the
 * write).
 *
 * The cache mirrors the block's LMDB transaction only, below the
 * overlay: that changes only where txn.c writes it (a transaction's
 * commit applying its overlay, a write on the block itself), and each of
 * those updates the cache (rcache_update), so an abort has nothing to
 * undo here.
 *
 * Values live in one buffer allocated once and never moved, so a value
 * given out stays where it is while later misses add entries: a reader
 * may hold it until its transaction ends or writes, as one from LMDB.
 * When the buffer or the table is full, new keys are simply not cached;
 * the cache is emptied at the next write of the block (rcache_sweep),
 * where no value given out is still in use.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

enum {
    RC_ENTRIES = 4096,           /* at most half the slots */
    RC_SLOTS = 2 * RC_ENTRIES,
    RC_BYTES = 512 * 1024,       /* keys and values */
    RC_MAX_VALUE = 1024,         /* bigger values are not cached (a contract
                                    record with its metadata fits) */
};

struct rc_entry {
    uint32_t key_off, val_off; /* in mem */
    uint16_t klen, vlen;
    int8_t state;              /* 1 a value, 0 absent, -1 unknown (ask LMDB) */
};

void rcache_init(st_rcache *c) { memset(c, 0, sizeof *c); }

void rcache_free(st_rcache *c) {
    free(c->e);
    free(c->slots);
    free(c->mem);
    memset(c, 0, sizeof *c);
}

static int64_t find(const st_rcache *c, const uint8_t *k, size_t klen) {
    if (!c->n) return -1;
    uint32_t mask = RC_SLOTS - 1;
    for (uint32_t i = (uint32_t)keys_hash(k, klen) & mask;; i = (i + 1) & mask) {
        uint32_t s = c->slots[i];
        if (!s) return -1;
        const rc_entry *e = &c->e[s - 1];
        if (e->klen == klen && !memcmp(c->mem + e->key_off, k, klen)) return s - 1;
    }
}

int rcache_get(const st_rcache *c, const uint8_t *k, size_t klen, const uint8_t **val,
               size_t *len) {
    int64_t i = find(c, k, klen);
    if (i < 0) return -1;
    const rc_entry *e = &c->e[i];
    if (e->state == 1) {
        *val = c->mem + e->val_off;
        *len = e->vlen;
    }
    return e->state;
}

/* n bytes of mem at *off; false when full (or never allocated). */
static bool take(st_rcache *c, size_t n, uint32_t *off) {
    if (c->used + n > RC_BYTES) {
        c->full = true;
        return false;
    }
    *off = c->used;
    c->used += (uint32_t)n;
    return true;
}

/* e's value becomes present/val (copied), or unknown when it cannot be
 * stored. */
static void set_value(st_rcache *c, rc_entry *e, bool present, const void *val, size_t vlen) {
    e->state = 0;
    e->vlen = 0;
    if (!present) return;
    if (vlen > RC_MAX_VALUE || !take(c, vlen, &e->val_off)) {
        e->state = -1;
        return;
    }
    if (vlen) memcpy(c->mem + e->val_off, val, vlen);
    e->vlen = (uint16_t)vlen;
    e->state = 1;
}

void rcache_put(st_rcache *c, const uint8_t *k, size_t klen, bool present, const void *val,
                size_t vlen) {
    if (present && vlen > RC_MAX_VALUE) return;
    if (!c->mem) {
        c->e = malloc(RC_ENTRIES * sizeof *c->e);
        c->slots = calloc(RC_SLOTS, sizeof *c->slots);
        c->mem = malloc(RC_BYTES);
        if (!c->e || !c->slots || !c->mem) {
            /* out of memory: no cache, every read asks LMDB */
            rcache_free(c);
            return;
        }
    }
    if (c->n == RC_ENTRIES || klen > UINT16_MAX) {
        c->full = true;
        return;
    }
    uint32_t key_off;
    if (!take(c, klen, &key_off)) return;
    memcpy(c->mem + key_off, k, klen);
    rc_entry *e = &c->e[c->n];
    e->key_off = key_off;
    e->klen = (uint16_t)klen;
    set_value(c, e, present, val, vlen);
    uint32_t mask = RC_SLOTS - 1, i = (uint32_t)keys_hash(k, klen) & mask;
    while (c->slots[i]) i = (i + 1) & mask;
    c->slots[i] = ++c->n;
}

void rcache_update(st_rcache *c, const uint8_t *k, size_t klen, bool present, const void *val,
                   size_t vlen) {
    int64_t i = find(c, k, klen);
    if (i >= 0) set_value(c, &c->e[i], present, val, vlen);
}

void rcache_sweep(st_rcache *c) {
    if (!c->full) return;
    c->n = 0;
    c->used = 0;
    c->full = false;
    memset(c->slots, 0, RC_SLOTS * sizeof *c->slots);
}
