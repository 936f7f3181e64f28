/*
 * test_front.c -- per-thread data (src/util/perthread.c) and each
 * thread's front of the module cache and pools (src/engine/front.c):
 * data of one thread never seen by another, dropped once at the
 * thread's exit or at the object's free; front hits that skip the
 * cache's lookup, units kept and counted, evicted modules dropped, the
 * cache's LRU still told of modules used through a front.  Named
 * engine_* so that `make tsan` runs them.
 */
#include <pthread.h>
#include <stdatomic.h>
#include "chaintest.h"
#include "engine/engine.h"
#include "util/perthread.h"

/* ------------------------------------------------------------------ */
/* perthread */

static _Atomic int drops;
static void count_drop(void *user, void *data) {
    (void)user;
    CHECK(*(int *)data != 0);                    /* only data a thread set */
    atomic_fetch_add(&drops, 1);
}

typedef struct pt_arg {
    perthread *pt;
    int value;
    int *seen;                 /* out: the data's address */
    bool zeroed;               /* out: zero at first */
    pthread_barrier_t *hold;   /* wait here (twice) before exiting, if set */
} pt_arg;

static void *pt_thread(void *p) {
    pt_arg *a = p;
    int *d = perthread_get(a->pt);
    if (!d) return NULL;
    a->zeroed = *d == 0;
    *d = a->value;
    a->seen = d;
    CHECK(perthread_get(a->pt) == d);            /* the same every time */
    if (a->hold) {
        pthread_barrier_wait(a->hold);           /* data made */
        pthread_barrier_wait(a->hold);           /* the object freed meanwhile */
    }
    return NULL;
}

TEST(engine_perthread_data_is_each_threads_own) {
    atomic_store(&drops, 0);
    perthread *pt = perthread_new(sizeof(int), count_drop, NULL);
    REQUIRE(pt);
    pthread_barrier_t hold;                      /* both threads alive at once */
    pthread_barrier_init(&hold, NULL, 3);
    pt_arg a[2] = { { pt, 11, NULL, false, &hold }, { pt, 22, NULL, false, &hold } };
    pthread_t th[2];
    for (int i = 0; i < 2; i++) REQUIRE(!pthread_create(&th[i], NULL, pt_thread, &a[i]));
    pthread_barrier_wait(&hold);
    CHECK(a[0].zeroed && a[1].zeroed);
    CHECK(a[0].seen && a[1].seen && a[0].seen != a[1].seen);
    CHECK(*a[0].seen == 11 && *a[1].seen == 22);
    pthread_barrier_wait(&hold);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    pthread_barrier_destroy(&hold);
    CHECK_EQ_INT(atomic_load(&drops), 2);        /* each thread's, at its exit */
    int *mine = perthread_get(pt);
    REQUIRE(mine);
    CHECK_EQ_INT(*mine, 0);                      /* this thread's: not theirs */
    CHECK_EQ_INT((uintptr_t)mine % 64, 0);
    *mine = 33;
    perthread_free(pt);
    CHECK_EQ_INT(atomic_load(&drops), 3);        /* this thread's, at the free */
}

/* A free while a thread that has data still runs drops it then, and
 * the thread's later exit drops nothing twice; a newer object never
 * finds the older one's data. */
TEST(engine_perthread_free_before_thread_exit) {
    atomic_store(&drops, 0);
    perthread *pt = perthread_new(sizeof(int), count_drop, NULL);
    REQUIRE(pt);
    pthread_barrier_t hold;
    pthread_barrier_init(&hold, NULL, 2);
    pt_arg a = { pt, 5, NULL, false, &hold };
    pthread_t th;
    REQUIRE(!pthread_create(&th, NULL, pt_thread, &a));
    pthread_barrier_wait(&hold);
    int *old = perthread_get(pt);
    REQUIRE(old);
    *old = 1;
    perthread_free(pt);
    CHECK_EQ_INT(atomic_load(&drops), 2);
    perthread *pt2 = perthread_new(sizeof(int), count_drop, NULL);
    REQUIRE(pt2);
    int *fresh = perthread_get(pt2);
    REQUIRE(fresh);
    CHECK_EQ_INT(*fresh, 0);
    pthread_barrier_wait(&hold);
    pthread_join(th, NULL);
    CHECK_EQ_INT(atomic_load(&drops), 2);        /* the exit found it orphaned */
    *fresh = 1;
    perthread_free(pt2);
    CHECK_EQ_INT(atomic_load(&drops), 3);
    pthread_barrier_destroy(&hold);
}

/* ------------------------------------------------------------------ */
/* front: with a cache whose loads make no module (NULL) but a pool of
 * counted units, and aux freed at the entry's end. */

static _Alignas(64) metrics fm;
static _Atomic int units_freed, entries_freed;

static void unit_free(void *u) {
    free(u);
    atomic_fetch_add(&units_freed, 1);
}

static void pool_aux_free(void *p) {
    pool_free(p);
    atomic_fetch_add(&entries_freed, 1);
}

static wvm_error_kind pool_load(void *user, const cache_key *key, cache_loaded *out, char *msg,
                                size_t cap) {
    (void)user, (void)key, (void)msg, (void)cap;
    pool *p;
    if (pool_new(2, unit_free, &fm, &p)) return WVM_KIND_RESOURCE_EXHAUSTED;
    *out = (cache_loaded){ NULL, 100, 0, p, pool_aux_free, NULL };
    return WVM_KIND_NONE;
}

static cache_key fkey(uint8_t n) {
    cache_key k;
    memset(&k, 0, sizeof k);
    k.code.b[0] = n;
    k.costs = 9;
    return k;
}

/* One call of key n as call.c makes it: its module from the front or
 * the cache, a unit from the front or the pool (or a new one), both
 * given back.  Returns whether the front had the module. */
static bool call_once(cache *c, front *f, uint8_t n) {
    cache_key k = fkey(n);
    void *unit = NULL;
    cache_entry *e = front_take(f, &k, &unit);
    bool borrowed = e != NULL;
    char msg[64];
    if (!e && cache_get(c, &k, pool_load, NULL, &e, msg, sizeof msg) != WVM_KIND_NONE) return false;
    pool *p = cache_entry_aux(e);
    if (!unit) unit = pool_take(p);
    if (!unit) unit = malloc(8);
    front_done(f, e, borrowed, p, unit);
    return borrowed;
}

static uint64_t shard_sum(size_t off) {
    uint64_t v = 0;
    for (int i = 0; i < METRICS_SHARDS; i++) v += atomic_load((_Atomic uint64_t *)((char *)&fm.shard[i] + off));
    return v;
}
#define FM(field) shard_sum(offsetof(metrics_shard, field))

/* Counters zeroed, a cache bounded to max_entries and a front on it. */
static bool front_setup(uint32_t max_entries, cache **c, front **f) {
    memset(&fm, 0, sizeof fm);
    atomic_store(&units_freed, 0);
    atomic_store(&entries_freed, 0);
    cache_config cfg = { 0, max_entries };
    if (cache_new(&cfg, c)) return false;
    if (front_new(*c, &fm, f) == WVM_OK) return true;
    cache_free(*c);
    return false;
}

TEST(engine_front_hits_skip_the_cache) {
    cache *c;
    front *f;
    REQUIRE(front_setup(8, &c, &f));
    CHECK(!call_once(c, f, 1));                  /* a miss, then kept */
    for (int i = 0; i < 10; i++) CHECK(call_once(c, f, 1));
    cache_stats st;
    cache_get_stats(c, &st);
    CHECK_EQ_INT(st.misses, 1);
    CHECK_EQ_INT(st.hits, 0);                    /* never asked again */
    CHECK_EQ_INT(FM(front_hits), 10);
    CHECK_EQ_INT(FM(pool_hits), 10);             /* the front's unit each time */
    CHECK_EQ_INT(FM(pool_misses), 1);
    CHECK_EQ_INT(FM(pool_idle), 1);              /* in the front */
    front_free(f);
    CHECK_EQ_INT(FM(pool_idle), 0);              /* the front's unit freed */
    CHECK_EQ_INT(atomic_load(&units_freed), 1);
    CHECK_EQ_INT(atomic_load(&entries_freed), 0); /* the cache still has it */
    cache_free(c);
    CHECK_EQ_INT(atomic_load(&entries_freed), 1);
}

/* FRONT_SLOTS (4) modules kept; a fifth replaces the least recent,
 * whose unit goes back to its pool and whose reference to the cache. */
TEST(engine_front_replaces_least_recent) {
    cache *c;
    front *f;
    REQUIRE(front_setup(16, &c, &f));
    for (uint8_t n = 1; n <= 4; n++) CHECK(!call_once(c, f, n));
    CHECK(call_once(c, f, 1));                   /* 2 is now the least recent */
    CHECK(!call_once(c, f, 5));
    CHECK(call_once(c, f, 1));
    CHECK(!call_once(c, f, 2));                  /* replaced: from the cache */
    cache_stats st;
    cache_get_stats(c, &st);
    CHECK_EQ_INT(st.misses, 5);
    CHECK_EQ_INT(st.hits, 1);                    /* 2's second lookup */
    CHECK_EQ_INT(FM(pool_idle), 5);              /* 4 in the front, 3's in its pool */
    front_free(f);
    cache_free(c);
    CHECK_EQ_INT(atomic_load(&units_freed), 5);
    CHECK_EQ_INT(atomic_load(&entries_freed), 5);
}

/* An entry evicted while a front holds it stays valid until that
 * front looks at it again, and is freed then. */
TEST(engine_front_drops_evicted) {
    cache *c;
    front *f;
    REQUIRE(front_setup(1, &c, &f));
    CHECK(!call_once(c, f, 1));
    cache_key k2 = fkey(2);
    cache_entry *e2;
    char msg[64];
    REQUIRE(cache_get(c, &k2, pool_load, NULL, &e2, msg, sizeof msg) == WVM_KIND_NONE);
    cache_release(c, e2);                        /* 1 evicted, held by the front */
    cache_key k1 = fkey(1);
    CHECK(!cache_contains(c, &k1));
    CHECK_EQ_INT(atomic_load(&entries_freed), 0);
    void *unit;
    CHECK(front_take(f, &k1, &unit) == NULL);    /* gone: dropped */
    CHECK_EQ_INT(atomic_load(&entries_freed), 1);
    CHECK_EQ_INT(atomic_load(&units_freed), 1);
    CHECK(!call_once(c, f, 1));                  /* loaded again */
    front_free(f);
    cache_free(c);
}

/* Uses through a front reach the cache's LRU every FRONT_TOUCH (32):
 * a module used only through it is protected like one looked up. */
TEST(engine_front_tells_the_lru) {
    cache *c;
    front *f;
    REQUIRE(front_setup(2, &c, &f));           /* protected: 1 */
    CHECK(!call_once(c, f, 1));
    for (int i = 0; i < 32; i++) CHECK(call_once(c, f, 1));
    cache_key k[4] = { fkey(0), fkey(1), fkey(2), fkey(3) };
    char msg[64];
    for (int n = 2; n <= 3; n++) {               /* two modules used once each */
        cache_entry *e;
        REQUIRE(cache_get(c, &k[n], pool_load, NULL, &e, msg, sizeof msg) == WVM_KIND_NONE);
        cache_release(c, e);
    }
    CHECK(cache_contains(c, &k[1]));             /* protected by the front's touch */
    CHECK(!cache_contains(c, &k[2]));
    front_free(f);
    cache_free(c);
}

static void *front_thread(void *p) {
    void **a = p;
    for (int i = 0; i < 3; i++) call_once(a[0], a[1], 7);
    return NULL;
}

/* A thread's exit gives its front back: its unit freed (front.c's drop
 * says why), the module's reference to the cache. */
TEST(engine_front_thread_exit) {
    cache *c;
    front *f;
    REQUIRE(front_setup(1, &c, &f));
    void *a[2] = { c, f };
    pthread_t th;
    REQUIRE(!pthread_create(&th, NULL, front_thread, a));
    pthread_join(th, NULL);
    CHECK_EQ_INT(FM(front_hits), 2);
    CHECK_EQ_INT(FM(pool_idle), 0);
    CHECK_EQ_INT(atomic_load(&units_freed), 1);
    cache_key k7 = fkey(7);
    cache_entry *e;
    char msg[64];
    REQUIRE(cache_get(c, &k7, pool_load, NULL, &e, msg, sizeof msg) == WVM_KIND_NONE);
    CHECK(pool_take(cache_entry_aux(e)) == NULL);   /* not in the pool either */
    cache_release(c, e);
    cache_key k8 = fkey(8);
    REQUIRE(cache_get(c, &k8, pool_load, NULL, &e, msg, sizeof msg) == WVM_KIND_NONE);
    cache_release(c, e);
    CHECK_EQ_INT(atomic_load(&entries_freed), 1); /* 7 evicted and freed: nothing held it */
    front_free(f);
    cache_free(c);
}

typedef struct many_arg { cache *c; front *f; pthread_barrier_t *all; } many_arg;

static void *many_thread(void *p) {
    many_arg *a = p;
    pthread_barrier_wait(a->all);                /* all alive before any decides */
    call_once(a->c, a->f, 3);
    call_once(a->c, a->f, 3);                    /* a front hit, if it has a front */
    pthread_barrier_wait(a->all);                /* none exits before all are done */
    return NULL;
}

/* At most FRONT_THREADS (32) threads at a time have a front: 40 alive
 * at once make 32 front hits; after they exit, others get fronts. */
TEST(engine_front_threads_bounded) {
    cache *c;
    front *f;
    REQUIRE(front_setup(8, &c, &f));
    for (int round = 0; round < 2; round++) {
        enum { N = 40 };
        pthread_barrier_t all;
        pthread_barrier_init(&all, NULL, N);
        many_arg a = { c, f, &all };
        pthread_t th[N];
        for (int i = 0; i < N; i++) REQUIRE(!pthread_create(&th[i], NULL, many_thread, &a));
        for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
        pthread_barrier_destroy(&all);
        CHECK_EQ_INT(FM(front_hits), 32 * (round + 1));
    }
    front_free(f);
    cache_free(c);
}
