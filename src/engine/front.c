/*
 * front.c -- each thread's front of the module cache and the instance
 * pools: the last FRONT_SLOTS modules the thread called, each held (a
 * reference of its cache entry) with up to one idle unit of its pool.
 *
 * A call whose module is in its thread's front takes both from there,
 * touching nothing another thread writes: no cache mutex, no entry
 * reference count, no pool mutex.  Measured on two threads querying one
 * contract (bench/engine.c), those three cost about a tenth of each
 * query's CPU time, the lines moving between the cores on every query.
 *
 * What the cache still has to know:
 *   - recency: every FRONT_TOUCH hits of a slot tell the cache's LRU
 *     (cache_touch), so a module hot in the fronts is never the one the
 *     cache evicts first;
 *   - eviction: an entry evicted while a front holds it stays valid (the
 *     front's reference) and is dropped the next time its thread looks
 *     at it.  Until then a thread that stopped calling keeps at most
 *     FRONT_SLOTS modules, evicted or not, and their units;
 *   - units: one in a front counts as idle (wvm_pool_idle) and as a pool
 *     hit when a call takes it, beside the pool's own max_idle; a
 *     thread's exit frees them (drop says why), and only FRONT_THREADS
 *     threads at a time have a front.
 */
#include <stdlib.h>
#include <string.h>
#include "engine/engine.h"
#include "util/perthread.h"

#define FRONT_SLOTS 4
#define FRONT_TOUCH 32
/* Threads with a front, at most, at a time: a front keeps up to
 * FRONT_SLOTS units (a 17-page instance is over 1 MiB), and a node may
 * run any number of threads; the others take the cache and the pools. */
#define FRONT_THREADS 32

typedef struct front_slot {
    cache_key key;
    cache_entry *e;            /* held; NULL: the slot is empty */
    pool *p;                   /* e's pool, NULL: none */
    void *unit;                /* an idle unit of p, or NULL */
    uint64_t used;             /* the thread's clock at its last use */
    uint32_t hits;             /* since the cache's LRU last heard of it */
    bool busy;                 /* a call of this thread has it */
} front_slot;

typedef struct front_data {
    front_slot slot[FRONT_SLOTS];
    uint64_t clock;
    bool decided, on;          /* whether this thread has a front (counted) */
} front_data;

struct front {
    cache *c;
    metrics *m;
    perthread *threads;        /* front_data */
    _Atomic uint32_t on;       /* threads with a front */
};

/* Empties s: its unit back to its pool (or freed: !keep_unit), its
 * reference to the cache. */
static void slot_empty(front *f, front_slot *s, bool keep_unit) {
    if (s->unit) {
        pool_count(s->p, 0, -1);
        if (keep_unit) pool_give(s->p, s->unit);
        else pool_discard(s->p, s->unit);
    }
    if (s->e) cache_release(f->c, s->e);
    memset(s, 0, sizeof *s);
}

/* perthread drop: a thread's front, at its exit or at front_free.  Its
 * units are freed, not pooled: the next thread glibc starts takes over
 * the exited one's malloc arena, so its allocations would land beside
 * the hot lines of a unit that another thread then uses.  Measured
 * (bench/engine.c, 2 threads of Increment started after 2 that exited):
 * about 10% more CPU per query in half the runs, none once freed. */
static void drop(void *user, void *data) {
    front *f = user;
    front_data *d = data;
    for (int i = 0; i < FRONT_SLOTS; i++) slot_empty(f, &d->slot[i], false);
    if (d->on) atomic_fetch_sub_explicit(&f->on, 1, memory_order_relaxed);
    d->on = false;
}

/* The calling thread's front, or NULL: none (FRONT_THREADS have one, or
 * out of memory). */
static front_data *mine(front *f) {
    front_data *d = perthread_get(f->threads);
    if (d && !d->decided) {
        d->decided = true;
        d->on = atomic_fetch_add_explicit(&f->on, 1, memory_order_relaxed) < FRONT_THREADS;
        if (!d->on) atomic_fetch_sub_explicit(&f->on, 1, memory_order_relaxed);
    }
    return d && d->on ? d : NULL;
}

wvm_status front_new(cache *c, metrics *m, front **out) {
    *out = NULL;
    front *f = calloc(1, sizeof *f);
    if (!f) return WVM_ERR_NOMEM;
    f->c = c;
    f->m = m;
    if (!(f->threads = perthread_new(sizeof(front_data), drop, f))) {
        free(f);
        return WVM_ERR_NOMEM;
    }
    *out = f;
    return WVM_OK;
}

void front_free(front *f) {
    if (!f) return;
    perthread_free(f->threads);
    free(f);
}

cache_entry *front_take(front *f, const cache_key *key, void **unit) {
    *unit = NULL;
    front_data *d = mine(f);
    if (!d) return NULL;
    for (int i = 0; i < FRONT_SLOTS; i++) {
        front_slot *s = &d->slot[i];
        if (!s->e || s->busy || !cache_key_eq(&s->key, key)) continue;
        if (cache_entry_gone(s->e)) {
            slot_empty(f, s, true);
            return NULL;
        }
        s->busy = true;
        s->used = ++d->clock;
        if (++s->hits == FRONT_TOUCH) {
            s->hits = 0;
            cache_touch(f->c, s->e);
        }
        atomic_fetch_add_explicit(&metrics_mine(f->m)->front_hits, 1, memory_order_relaxed);
        if ((*unit = s->unit)) {
            s->unit = NULL;
            pool_count(s->p, 1, -1);
        }
        return s->e;
    }
    return NULL;
}

void front_done(front *f, cache_entry *e, bool borrowed, pool *p, void *unit) {
    front_data *d = mine(f);
    front_slot *s = NULL;
    for (int i = 0; d && i < FRONT_SLOTS; i++)
        if (d->slot[i].e == e && d->slot[i].busy == borrowed) s = &d->slot[i];
    if (borrowed && s) {
        s->busy = false;
    } else if (s) {
        cache_release(f->c, e);        /* the slot holds it already */
    } else if (!borrowed && d) {
        /* the least recent slot not in use makes room */
        for (int i = 0; i < FRONT_SLOTS; i++)
            if (!d->slot[i].busy && (!s || d->slot[i].used < s->used)) s = &d->slot[i];
        if (s) {
            slot_empty(f, s, true);
            s->key = *cache_entry_key(e);
            s->e = e;
            s->p = p;
            s->used = ++d->clock;
        }
    }
    if (!s) {                          /* nowhere to keep them */
        if (unit) pool_give(p, unit);
        if (!borrowed) cache_release(f->c, e);
    } else if (unit && !s->unit) {
        s->unit = unit;
        pool_count(p, 0, 1);
    } else if (unit) {
        pool_give(p, unit);
    }
}
