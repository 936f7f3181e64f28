/*
 * engine.h -- private header of src/engine/: the translated-module cache
 * (cache.c) and the engine's metrics (metrics.c), used by the call path
 * (src/chain/call.c) through these few functions only.
 *
 * Thread rule: every function here may be called from any thread at any
 * time on the same cache or metrics object.
 */
#ifndef WVM_ENGINE_PRIVATE_H
#define WVM_ENGINE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include "wvm.h"
#include "wvm_chain.h"

/* ------------------------------------------------------------------ */
/* The module cache (cache.c)                                          */

/* A module is known by its code and by the cost table it was
 * translated with (block costs are fixed at translation). */
typedef struct cache_key {
    wvm_hash code;
    uint64_t costs;            /* wvm_cost_table_hash / wvm_module_cost_hash */
} cache_key;

static inline bool cache_key_eq(const cache_key *a, const cache_key *b) {
    return a->costs == b->costs && !memcmp(a->code.b, b->code.b, sizeof a->code.b);
}

typedef struct cache_config {
    uint64_t max_bytes;        /* 0: no bound in bytes */
    uint32_t max_entries;      /* 0: no bound in entries */
} cache_config;

/* What a load gives the cache: the translated module (owned by the
 * cache from then on), its size in bytes as the byte bound counts it,
 * and flags the caller wants kept with it (call.c: has a start). */
typedef struct cache_loaded {
    wvm_module *module;
    uint64_t bytes;
    uint32_t flags;
    void *aux;                 /* caller's data kept with the module */
    void (*aux_free)(void *);  /* frees aux with the entry; NULL: none */
    /* called (NULL: not) when the entry leaves the cache -- evicted, or
     * at cache_free -- while holders may still use it: aux lets go of
     * what it keeps for later calls (chain: its idle units, which may
     * hold other entries; without this two evicted entries whose units
     * held each other would never be freed) */
    void (*aux_drop)(void *);
} cache_loaded;

/* Loads (decodes, validates, translates) the module of key.  Runs
 * without any lock of the cache held.  Returns WVM_KIND_NONE with *out
 * filled, or an error kind with msg filled. */
typedef wvm_error_kind (*cache_load_fn)(void *user, const cache_key *key, cache_loaded *out,
                                        char *msg, size_t cap);

typedef struct cache cache;
typedef struct cache_entry cache_entry;

typedef struct cache_stats {
    uint64_t hits, misses;     /* lookups found ready / not (waiters of an
                                  in-flight load count as hits: they do
                                  not translate) */
    uint64_t waits;            /* lookups that waited for another's load */
    uint64_t loads, load_failures;
    uint64_t evictions;
    uint64_t entries, bytes, pinned;
} cache_stats;

/* A cache with the given bounds.  WVM_OK or WVM_ERR_NOMEM. */
wvm_status cache_new(const cache_config *cfg, cache **out);
/* Frees the cache and its modules: every entry's aux_drop first, which
 * must leave no entry held. */
void cache_free(cache *c);

/* The entry of key, loaded with load(user, ...) when not cached: one
 * load per key at a time (others asking for the same key wait for it and
 * share its result, error included); the map's lock is not held while
 * loading.  On WVM_KIND_NONE *out is held (cache_release it) and stays
 * valid even if evicted meanwhile; otherwise msg says why and *out is
 * NULL. */
wvm_error_kind cache_get(cache *c, const cache_key *key, cache_load_fn load, void *user,
                         cache_entry **out, char *msg, size_t cap);
/* c may be NULL: a release takes no lock of the cache. */
void cache_release(cache *c, cache_entry *e);
/* One more reference of held entry e, for another holder to release. */
void cache_retain(cache_entry *e);

const wvm_module *cache_entry_module(const cache_entry *e);
const cache_key *cache_entry_key(const cache_entry *e);
/* Whether e was taken out of the cache (evicted, or its load failed);
 * a held entry stays valid all the same. */
bool cache_entry_gone(const cache_entry *e);
/* Tells the LRU that held entry e was used (a hit that took no lookup:
 * front.c); nothing when e is gone. */
void cache_touch(cache *c, cache_entry *e);
uint32_t cache_entry_flags(const cache_entry *e);
void *cache_entry_aux(const cache_entry *e);

/* Pins (never evicted) or unpins the entry of key; a pin of a key not
 * cached yet applies when it is loaded.  WVM_OK or WVM_ERR_NOMEM. */
wvm_status cache_pin(cache *c, const cache_key *key, bool pinned);
/* Whether key is cached and ready (no load, no LRU change). */
bool cache_contains(cache *c, const cache_key *key);
void cache_get_stats(cache *c, cache_stats *out);

/* ------------------------------------------------------------------ */
/* Instance pools (pool.c): idle instances of one module, at most max,
 * each checked out by one call at a time.  Units are opaque here;
 * free_unit frees one (pool_free, a put into a full pool is refused). */

typedef struct metrics metrics;
typedef struct pool pool;

/* WVM_OK or WVM_ERR_NOMEM. */
wvm_status pool_new(uint32_t max, void (*free_unit)(void *), metrics *m, pool **out);
/* Frees the pool and its idle units (none may be checked out). */
void pool_free(pool *p);
/* Frees the idle units; from now on a unit put back is freed. */
void pool_close(pool *p);
/* An idle unit, now the caller's (a hit), or NULL (a miss). */
void *pool_take(pool *p);
/* Gives u back idle; false when the pool is full (u stays the caller's). */
bool pool_put(pool *p, void *u);
/* Gives back a unit taken but not used: not counted as a hit. */
void pool_untake(pool *p, void *u);
/* Puts u back idle, or frees it when the pool is full. */
void pool_give(pool *p, void *u);
/* Frees u, a unit of p's. */
void pool_discard(pool *p, void *u);
/* Counts hits and idle units of p kept elsewhere (front.c). */
void pool_count(pool *p, int hits, int idle);

/* ------------------------------------------------------------------ */
/* Thread fronts (front.c): each thread's last few modules, held, with
 * an idle unit of each, reached without any lock another thread takes.
 * A call of the top frame takes its module (and unit) from its thread's
 * front when there, and gives them back with front_done in any case. */

typedef struct front front;

/* WVM_OK or WVM_ERR_NOMEM. */
wvm_status front_new(cache *c, metrics *m, front **out);
/* Drops every thread's front: before cache_free, with no call running. */
void front_free(front *f);
/* The entry of key if the calling thread's front holds it (and the
 * cache has not dropped it), borrowed until front_done, with *unit an
 * idle unit of its pool, now the caller's, or NULL.  NULL: not there. */
cache_entry *front_take(front *f, const cache_key *key, void **unit);
/* The end of a call of e: unit (NULL: none) is idle again.  borrowed: e
 * came from front_take; otherwise the caller's reference of e passes to
 * the front, which keeps e in place of its least recent module.  p is
 * e's pool (NULL: none), where a unit the front cannot keep goes. */
void front_done(front *f, cache_entry *e, bool borrowed, pool *p, void *unit);

/* ------------------------------------------------------------------ */
/* Metrics (metrics.c): counters and histograms, updated with atomic
 * operations (no lock), read as Prometheus text.  Times are measured
 * with the monotonic clock; they never reach results or state.        */

#define METRICS_KINDS (WVM_KIND_ALREADY_EXISTS + 1)
#define METRICS_BUCKETS 20

typedef struct metrics_hist {
    _Atomic uint64_t bucket[METRICS_BUCKETS];   /* the last is +Inf */
    _Atomic uint64_t count, sum_ns;
} metrics_hist;

/* What every call or query updates: one set per shard, each on cache
 * lines of its own, a thread always updating the same one
 * (metrics_mine).  With a single set, two threads querying at once spent
 * about a tenth of their time moving these lines between cores. */
#define METRICS_SHARDS 8

typedef struct metrics_shard {
    _Alignas(64) _Atomic uint64_t calls, queries, fuel_used;
    _Atomic uint64_t errors[METRICS_KINDS];
    _Atomic uint64_t pool_hits, pool_misses;
    _Atomic uint64_t pool_idle;  /* this shard's puts minus takes (mod 2^64) */
    _Atomic uint64_t front_hits; /* cache hits served by a thread's front */
    _Atomic uint64_t callee_hits; /* callee frames that reused a kept instance */
    metrics_hist call_ns;
} metrics_shard;

struct metrics {
    metrics_shard shard[METRICS_SHARDS];
    /* rarer events, as one set */
    _Alignas(64) _Atomic uint64_t translations, instantiations;
    _Atomic uint64_t disk_reads, disk_rejected, disk_writes, disk_write_failures; /* chain/diskcache.c */
    metrics_hist translate_ns, instantiate_ns;
};

/* The calling thread's shard of m. */
metrics_shard *metrics_mine(metrics *m);

/* Now on the monotonic clock, in nanoseconds. */
uint64_t metrics_now(void);
void metrics_observe(metrics_hist *h, uint64_t ns);
/* One finished call (query when is_query) of kind k. */
void metrics_call(metrics *m, bool is_query, uint64_t ns, uint64_t fuel, wvm_error_kind k);
/* The Prometheus text exposition of m and the cache's stats (cs may be
 * NULL).  WVM_OK with a malloc'd *out, or WVM_ERR_NOMEM. */
wvm_status metrics_text(const metrics *m, const cache_stats *cs, char **out);

#endif
