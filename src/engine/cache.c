/*
 * cache.c -- the translated-module cache: a hash map from (code hash,
 * cost-table hash) to modules, bounded in bytes and in entries, with
 * pinning and single-flight loads.
 *
 * Eviction is segmented LRU: a module enters the probation segment and
 * moves to the protected one on its second use; the protected segment
 * holds at most 80% of the bounds (its least recent go back to
 * probation), and eviction takes probation's least recent first.  One
 * call of a rarely used contract so cannot push out the popular ones:
 * measured on a Zipf(1.2) workload over 1,000 contracts with 300
 * entries (bench/engine.c), plain LRU hit 88.4%, the ideal being 92.1%.
 *
 * One mutex guards the map and the LRU list only; a load (decode,
 * validate, translate) runs outside it, with the key's entry in the map
 * in state LOADING so that other callers of the same key wait on the
 * condition variable instead of translating again, while callers of
 * other keys go on.  Entries are reference-counted, the map holding
 * one reference of its own: an entry evicted while a call uses its
 * module is unlinked at once and freed at its last release, so eviction
 * never waits for calls.  A release takes no lock (an atomic decrement;
 * whoever takes the count to 0 frees the entry, which nothing can reach
 * by then), so a call takes the mutex once, for its lookup.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/engine.h"

enum { E_EMPTY, E_LOADING, E_READY, E_FAILED };

struct cache_entry {
    cache_key key;
    int state;
    bool pinned, in_map;
    _Atomic bool gone;         /* out of the map for good (front.c looks) */
    _Atomic uint32_t refs;     /* holders, plus 1 while in the map */
    wvm_module *module;
    uint64_t bytes;
    uint32_t flags;
    void *aux;
    void (*aux_free)(void *);
    void (*aux_drop)(void *);
    wvm_error_kind fail_kind;  /* E_FAILED: for the waiters */
    char *fail_msg;
    cache_entry *hnext;                 /* bucket chain */
    cache_entry *prev, *next;           /* its segment's list (E_READY in map) */
    bool prot;                          /* in the protected segment */
};

typedef struct seg { cache_entry *mru, *lru; uint64_t n, bytes; } seg;

struct cache {
    pthread_mutex_t mu;
    pthread_cond_t done;       /* a load finished */
    cache_config cfg;
    cache_entry **buckets;
    size_t nbuckets, nmap;     /* nmap: entries in the map, any state */
    seg prob, prot;
    cache_stats st;
};

static size_t key_slot(const cache *c, const cache_key *k) {
    uint64_t h;
    memcpy(&h, k->code.b, sizeof h);   /* a SHA-256: any 8 bytes are uniform */
    h ^= k->costs * 0x9e3779b97f4a7c15ull;
    return (size_t)(h ^ h >> 29) & (c->nbuckets - 1);
}

wvm_status cache_new(const cache_config *cfg, cache **out) {
    *out = NULL;
    cache *c = calloc(1, sizeof *c);
    if (!c) return WVM_ERR_NOMEM;
    c->nbuckets = 64;
    if (!(c->buckets = calloc(c->nbuckets, sizeof *c->buckets))) {
        free(c);
        return WVM_ERR_NOMEM;
    }
    if (cfg) c->cfg = *cfg;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->done, NULL);
    *out = c;
    return WVM_OK;
}

static void entry_free(cache_entry *e) {
    if (e->aux_free) e->aux_free(e->aux);
    wvm_module_free(e->module);
    free(e->fail_msg);
    free(e);
}

void cache_free(cache *c) {
    if (!c) return;
    /* first what the entries keep: units holding other entries */
    for (size_t i = 0; i < c->nbuckets; i++)
        for (cache_entry *e = c->buckets[i]; e; e = e->hnext)
            if (e->state == E_READY && e->aux_drop) e->aux_drop(e->aux);
    for (size_t i = 0; i < c->nbuckets; i++)
        for (cache_entry *e = c->buckets[i], *n; e; e = n) {
            n = e->hnext;
            entry_free(e);
        }
    free(c->buckets);
    pthread_cond_destroy(&c->done);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* Map and list plumbing; all under c->mu. */

static cache_entry *map_find(cache *c, const cache_key *k) {
    for (cache_entry *e = c->buckets[key_slot(c, k)]; e; e = e->hnext)
        if (cache_key_eq(&e->key, k)) return e;
    return NULL;
}

/* Doubles the buckets when the map is twice their number; a failed
 * allocation only leaves the chains longer. */
static void map_grow(cache *c) {
    if (c->nmap < 2 * c->nbuckets) return;
    size_t nb = c->nbuckets * 2;
    cache_entry **b = calloc(nb, sizeof *b);
    if (!b) return;
    cache_entry **old = c->buckets;
    size_t on = c->nbuckets;
    c->buckets = b;
    c->nbuckets = nb;
    for (size_t i = 0; i < on; i++)
        for (cache_entry *e = old[i], *n; e; e = n) {
            n = e->hnext;
            size_t s = key_slot(c, &e->key);
            e->hnext = b[s];
            b[s] = e;
        }
    free(old);
}

/* Drops a reference; the last frees the entry. */
static void unref(cache_entry *e) {
    if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1) entry_free(e);
}

static void ref(cache_entry *e) { atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed); }

static void map_insert(cache *c, cache_entry *e) {
    size_t s = key_slot(c, &e->key);
    e->hnext = c->buckets[s];
    c->buckets[s] = e;
    e->in_map = true;
    ref(e);
    c->nmap++;
    map_grow(c);
}

static seg *seg_of(cache *c, const cache_entry *e) { return e->prot ? &c->prot : &c->prob; }

static void lru_unlink(cache *c, cache_entry *e) {
    seg *g = seg_of(c, e);
    if (e->prev) e->prev->next = e->next;
    else g->mru = e->next;
    if (e->next) e->next->prev = e->prev;
    else g->lru = e->prev;
    e->prev = e->next = NULL;
    g->n--;
    g->bytes -= e->bytes;
}

static void lru_front(cache *c, cache_entry *e) {
    seg *g = seg_of(c, e);
    e->prev = NULL;
    e->next = g->mru;
    if (g->mru) g->mru->prev = e;
    g->mru = e;
    if (!g->lru) g->lru = e;
    g->n++;
    g->bytes += e->bytes;
}

/* The protected segment's share of the bounds: 80%. */
static bool prot_over(const cache *c) {
    return (c->cfg.max_entries && c->prot.n * 5 > (uint64_t)c->cfg.max_entries * 4) ||
           (c->cfg.max_bytes && c->prot.bytes * 5 > c->cfg.max_bytes * 4);
}

/* A hit: to the front of the protected segment, demoting its least
 * recent to probation while it is over its share. */
static void lru_hit(cache *c, cache_entry *e) {
    lru_unlink(c, e);
    e->prot = true;
    lru_front(c, e);
    while (prot_over(c) && c->prot.lru) {
        cache_entry *d = c->prot.lru;
        lru_unlink(c, d);
        d->prot = false;
        lru_front(c, d);
    }
}

/* Takes e out of the map (and the LRU list and the totals when ready);
 * frees it when nobody holds it. */
static void map_remove(cache *c, cache_entry *e) {
    cache_entry **p = &c->buckets[key_slot(c, &e->key)];
    while (*p != e) p = &(*p)->hnext;
    *p = e->hnext;
    e->hnext = NULL;
    e->in_map = false;
    atomic_store_explicit(&e->gone, true, memory_order_relaxed);
    c->nmap--;
    if (e->state == E_READY) {
        lru_unlink(c, e);
        c->st.entries--;
        c->st.bytes -= e->bytes;
        if (e->pinned) c->st.pinned--;
        /* may free other entries (not in the map: none is touched here) */
        if (e->aux_drop) e->aux_drop(e->aux);
    }
    unref(e);   /* the map's */
}

static bool over_bounds(const cache *c) {
    return (c->cfg.max_entries && c->st.entries > c->cfg.max_entries) ||
           (c->cfg.max_bytes && c->st.bytes > c->cfg.max_bytes);
}

/* Evicts unpinned entries, probation's least recent first, then the
 * protected segment's, until within bounds (or only pinned ones are
 * left, which the bounds do not cover). */
static void evict(cache *c) {
    for (int pass = 0; pass < 2; pass++) {
        cache_entry *e = pass ? c->prot.lru : c->prob.lru;
        while (e && over_bounds(c)) {
            cache_entry *prev = e->prev;
            if (!e->pinned) {
                map_remove(c, e);
                c->st.evictions++;
            }
            e = prev;
        }
    }
}

wvm_error_kind cache_get(cache *c, const cache_key *key, cache_load_fn load, void *user,
                         cache_entry **out, char *msg, size_t cap) {
    *out = NULL;
    pthread_mutex_lock(&c->mu);
    cache_entry *e = map_find(c, key);
    if (e && e->state == E_READY) {
        c->st.hits++;
        if (!e->prot || c->prot.mru != e) lru_hit(c, e);
        ref(e);
        pthread_mutex_unlock(&c->mu);
        *out = e;
        return WVM_KIND_NONE;
    }
    c->st.misses++;
    if (e && e->state == E_LOADING) {
        /* single flight: share the load under way */
        c->st.waits++;
        ref(e);
        while (e->state == E_LOADING) pthread_cond_wait(&c->done, &c->mu);
        wvm_error_kind k = WVM_KIND_NONE;
        if (e->state == E_READY) {
            *out = e;
        } else {
            k = e->fail_kind;
            snprintf(msg, cap, "%s", e->fail_msg ? e->fail_msg : "out of memory");
            unref(e);
        }
        pthread_mutex_unlock(&c->mu);
        return k;
    }
    if (!e) {
        if (!(e = calloc(1, sizeof *e))) {
            pthread_mutex_unlock(&c->mu);
            snprintf(msg, cap, "out of memory for a cache entry");
            return WVM_KIND_RESOURCE_EXHAUSTED;
        }
        e->key = *key;
        map_insert(c, e);
    }
    e->state = E_LOADING;
    ref(e);
    pthread_mutex_unlock(&c->mu);

    cache_loaded ld = { NULL, 0, 0, NULL, NULL, NULL };
    wvm_error_kind k = load(user, key, &ld, msg, cap);

    pthread_mutex_lock(&c->mu);
    c->st.loads++;
    if (k == WVM_KIND_NONE) {
        e->module = ld.module;
        e->bytes = ld.bytes;
        e->flags = ld.flags;
        e->aux = ld.aux;
        e->aux_free = ld.aux_free;
        e->aux_drop = ld.aux_drop;
        e->state = E_READY;
        c->st.entries++;
        c->st.bytes += e->bytes;
        if (e->pinned) c->st.pinned++;
        lru_front(c, e);
        evict(c);
        *out = e;
    } else {
        /* the waiters get the same error; the next caller tries again */
        c->st.load_failures++;
        e->fail_kind = k;
        e->fail_msg = strdup(msg);
        e->state = E_FAILED;
        map_remove(c, e);
        unref(e);
    }
    pthread_cond_broadcast(&c->done);
    pthread_mutex_unlock(&c->mu);
    return k;
}

void cache_release(cache *c, cache_entry *e) {
    (void)c;
    if (e) unref(e);
}

void cache_retain(cache_entry *e) { ref(e); }

const wvm_module *cache_entry_module(const cache_entry *e) { return e->module; }
uint32_t cache_entry_flags(const cache_entry *e) { return e->flags; }
const cache_key *cache_entry_key(const cache_entry *e) { return &e->key; }

bool cache_entry_gone(const cache_entry *e) {
    return atomic_load_explicit(&e->gone, memory_order_relaxed);
}

void *cache_entry_aux(const cache_entry *e) { return e->aux; }

void cache_touch(cache *c, cache_entry *e) {
    pthread_mutex_lock(&c->mu);
    if (e->in_map && e->state == E_READY && (!e->prot || c->prot.mru != e)) lru_hit(c, e);
    pthread_mutex_unlock(&c->mu);
}

wvm_status cache_pin(cache *c, const cache_key *key, bool pinned) {
    pthread_mutex_lock(&c->mu);
    cache_entry *e = map_find(c, key);
    if (!e && pinned) {
        /* a placeholder the first cache_get loads */
        if (!(e = calloc(1, sizeof *e))) {
            pthread_mutex_unlock(&c->mu);
            return WVM_ERR_NOMEM;
        }
        e->key = *key;
        e->state = E_EMPTY;
        map_insert(c, e);
    }
    if (e && e->pinned != pinned) {
        e->pinned = pinned;
        if (e->state == E_READY) c->st.pinned += pinned ? 1 : (uint64_t)-1;
        if (!pinned && e->state == E_EMPTY) map_remove(c, e);
        else if (!pinned) evict(c);
    }
    pthread_mutex_unlock(&c->mu);
    return WVM_OK;
}

bool cache_contains(cache *c, const cache_key *key) {
    pthread_mutex_lock(&c->mu);
    cache_entry *e = map_find(c, key);
    bool r = e && e->state == E_READY;
    pthread_mutex_unlock(&c->mu);
    return r;
}

void cache_get_stats(cache *c, cache_stats *out) {
    pthread_mutex_lock(&c->mu);
    *out = c->st;
    pthread_mutex_unlock(&c->mu);
}
