/*
 * pool.c -- a bounded set of idle instances of one module (a pool per
 * module cache entry), checked out exclusively: a unit is either idle
 * here or owned by exactly one call.  What a unit is, and how it is put
 * back into its initial state, is the caller's business (call.c); the
 * pool only keeps them, under a short mutex of its own.
 */
#include <pthread.h>
#include <stdlib.h>
#include "engine.h"

struct pool {
    pthread_mutex_t mu;
    void **idle;
    const void **last;         /* the thread that put each idle unit back */
    uint32_t n, max;
    void (*free_unit)(void *);
    metrics *m;
};

wvm_status pool_new(uint32_t max, void (*free_unit)(void *), metrics *m, pool **out) {
    *out = NULL;
    pool *p = calloc(1, sizeof *p);
    if (!p || !(p->idle = calloc(max ? max : 1, sizeof *p->idle)) ||
        !(p->last = calloc(max ? max : 1, sizeof *p->last))) {
        if (p) free(p->idle);
        free(p);
        return WVM_ERR_NOMEM;
    }
    pthread_mutex_init(&p->mu, NULL);
    p->max = max;
    p->free_unit = free_unit;
    p->m = m;
    *out = p;
    return WVM_OK;
}

void pool_free(pool *p) {
    if (!p) return;
    for (uint32_t i = 0; i < p->n; i++) p->free_unit(p->idle[i]);
    atomic_fetch_sub_explicit(&metrics_mine(p->m)->pool_idle, p->n, memory_order_relaxed);
    pthread_mutex_destroy(&p->mu);
    free(p->idle);
    free(p->last);
    free(p);
}

/* This thread, as a pool sees it: the address of a thread-local. */
static const void *this_thread(void) {
    static _Thread_local char me;
    return &me;
}

void pool_close(pool *p) {
    pthread_mutex_lock(&p->mu);
    void **idle = p->idle;
    uint32_t n = p->n;
    p->n = p->max = 0;
    p->idle = NULL;
    pthread_mutex_unlock(&p->mu);
    /* outside the lock: freeing a unit may free other entries' pools */
    for (uint32_t i = 0; i < n; i++) p->free_unit(idle[i]);
    atomic_fetch_sub_explicit(&metrics_mine(p->m)->pool_idle, n, memory_order_relaxed);
    free(idle);
}

void *pool_take(pool *p) {
    const void *me = this_thread();
    pthread_mutex_lock(&p->mu);
    void *u = NULL;
    if (p->n) {
        /* the unit this thread used last, if idle: its memory is still
         * in this core's caches (a unit another thread used comes with
         * cache misses on every page it touches) */
        uint32_t i = p->n - 1;
        for (uint32_t k = 0; k < p->n; k++)
            if (p->last[k] == me) i = k;
        u = p->idle[i];
        p->idle[i] = p->idle[--p->n];
        p->last[i] = p->last[p->n];
    }
    pthread_mutex_unlock(&p->mu);
    if (u) {
        atomic_fetch_add_explicit(&metrics_mine(p->m)->pool_hits, 1, memory_order_relaxed);
        atomic_fetch_sub_explicit(&metrics_mine(p->m)->pool_idle, 1, memory_order_relaxed);
    } else {
        atomic_fetch_add_explicit(&metrics_mine(p->m)->pool_misses, 1, memory_order_relaxed);
    }
    return u;
}

void pool_untake(pool *p, void *u) {
    atomic_fetch_sub_explicit(&metrics_mine(p->m)->pool_hits, 1, memory_order_relaxed);
    pool_give(p, u);
}

bool pool_put(pool *p, void *u) {
    pthread_mutex_lock(&p->mu);
    bool ok = p->n < p->max;
    if (ok) {
        p->last[p->n] = this_thread();
        p->idle[p->n++] = u;
    }
    pthread_mutex_unlock(&p->mu);
    if (ok) atomic_fetch_add_explicit(&metrics_mine(p->m)->pool_idle, 1, memory_order_relaxed);
    return ok;
}

void pool_give(pool *p, void *u) {
    if (!pool_put(p, u)) p->free_unit(u);
}

void pool_discard(pool *p, void *u) { p->free_unit(u); }

void pool_count(pool *p, int hits, int idle) {
    metrics_shard *s = metrics_mine(p->m);
    if (hits) atomic_fetch_add_explicit(&s->pool_hits, (uint64_t)(int64_t)hits, memory_order_relaxed);
    if (idle) atomic_fetch_add_explicit(&s->pool_idle, (uint64_t)(int64_t)idle, memory_order_relaxed);
}
