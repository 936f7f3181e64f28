/*
 * test_engine.c -- the engine service (src/engine/): the module cache's
 * LRU bounds, pinning, single-flight loads and shared failures, entries
 * that outlive their eviction; through the chain: the same fuel cold and
 * warm, metrics, eviction under calls, and many threads calling and
 * querying at once with results checked against a serial run (run under
 * ThreadSanitizer by `make tsan`).
 */
#include <pthread.h>
#include <sched.h>
#include "chaintest.h"
#include "engine/engine.h"

/* ------------------------------------------------------------------ */
/* The cache alone, with a counting loader (modules are NULL; the flags
 * carry which load made the entry). */

typedef struct loader {
    pthread_mutex_t mu;
    int loads;
    wvm_error_kind fail;       /* what each load returns */
    cache *c;
    uint64_t wait_for;         /* hold the load until this many waiters */
} loader;

static wvm_error_kind count_load(void *user, const cache_key *key, cache_loaded *out, char *msg,
                                 size_t cap) {
    loader *l = user;
    if (l->wait_for) {
        /* single flight: the others must be waiting on this load, not
         * loading themselves, for the count to reach wait_for */
        cache_stats st;
        do {
            sched_yield();
            cache_get_stats(l->c, &st);
        } while (st.waits < l->wait_for);
    }
    pthread_mutex_lock(&l->mu);
    int n = ++l->loads;
    pthread_mutex_unlock(&l->mu);
    if (l->fail != WVM_KIND_NONE) {
        snprintf(msg, cap, "load %d of key %u failed", n, key->code.b[0]);
        return l->fail;
    }
    out->module = NULL;
    out->bytes = 100;
    out->flags = (uint32_t)n;
    return WVM_KIND_NONE;
}

static cache_key key_of(uint8_t n) {
    cache_key k;
    memset(&k, 0, sizeof k);
    k.code.b[0] = n;
    k.code.b[31] = n;
    k.costs = 7;
    return k;
}

/* Looks key n up and releases it at once; the entry's flags (its load
 * number), or -1 on failure. */
static int touch(cache *c, loader *l, uint8_t n) {
    cache_key k = key_of(n);
    cache_entry *e;
    char msg[128];
    if (cache_get(c, &k, count_load, l, &e, msg, sizeof msg) != WVM_KIND_NONE) return -1;
    int f = (int)cache_entry_flags(e);
    cache_release(c, e);
    return f;
}

TEST(engine_cache_lru_entries) {
    cache *c;
    cache_config cfg = { 0, 2 };
    REQUIRE(cache_new(&cfg, &c) == WVM_OK);
    loader l = { PTHREAD_MUTEX_INITIALIZER, 0, WVM_KIND_NONE, c, 0 };
    CHECK_EQ_INT(touch(c, &l, 1), 1);
    CHECK_EQ_INT(touch(c, &l, 2), 2);
    CHECK_EQ_INT(touch(c, &l, 1), 1);            /* hit: 1 is now the most recent */
    CHECK_EQ_INT(touch(c, &l, 3), 3);            /* evicts 2, the least recent */
    cache_key k1 = key_of(1), k2 = key_of(2), k3 = key_of(3);
    CHECK(cache_contains(c, &k1));
    CHECK(!cache_contains(c, &k2));
    CHECK(cache_contains(c, &k3));
    CHECK_EQ_INT(touch(c, &l, 2), 4);            /* loaded again */
    cache_stats st;
    cache_get_stats(c, &st);
    CHECK_EQ_INT(st.hits, 1);
    CHECK_EQ_INT(st.misses, 4);
    CHECK_EQ_INT(st.evictions, 2);
    CHECK_EQ_INT(st.entries, 2);
    CHECK_EQ_INT(st.bytes, 200);
    cache_free(c);
}

TEST(engine_cache_lru_bytes_and_pin) {
    cache *c;
    cache_config cfg = { 250, 0 };               /* two modules of 100 bytes */
    REQUIRE(cache_new(&cfg, &c) == WVM_OK);
    loader l = { PTHREAD_MUTEX_INITIALIZER, 0, WVM_KIND_NONE, c, 0 };
    cache_key k1 = key_of(1), k2 = key_of(2);
    REQUIRE(cache_pin(c, &k1, true) == WVM_OK);  /* before it is loaded */
    CHECK(!cache_contains(c, &k1));
    CHECK_EQ_INT(touch(c, &l, 1), 1);
    for (uint8_t n = 2; n < 10; n++) CHECK(touch(c, &l, n) > 0);
    CHECK(cache_contains(c, &k1));               /* pinned: never evicted */
    CHECK_EQ_INT(touch(c, &l, 1), 1);
    cache_stats st;
    cache_get_stats(c, &st);
    CHECK_EQ_INT(st.bytes, 200);
    CHECK_EQ_INT(st.pinned, 1);
    CHECK(!cache_contains(c, &k2));
    cache_free(c);
}

/* Segmented LRU: a module used twice (protected) outlives any number of
 * modules used once; an unpinned module is evicted like any other. */
TEST(engine_cache_segments_and_unpin) {
    cache *c;
    cache_config cfg = { 0, 5 };                 /* protected: up to 4 */
    REQUIRE(cache_new(&cfg, &c) == WVM_OK);
    loader l = { PTHREAD_MUTEX_INITIALIZER, 0, WVM_KIND_NONE, c, 0 };
    cache_key k1 = key_of(1), k2 = key_of(2), k9 = key_of(9);
    CHECK_EQ_INT(touch(c, &l, 1), 1);
    CHECK_EQ_INT(touch(c, &l, 1), 1);            /* second use: protected */
    for (uint8_t n = 10; n < 30; n++) CHECK(touch(c, &l, n) > 0);
    CHECK(cache_contains(c, &k1));
    CHECK(!cache_contains(c, &k9));
    cache_free(c);

    cfg.max_entries = 1;                         /* no room to protect: plain LRU */
    REQUIRE(cache_new(&cfg, &c) == WVM_OK);
    l.c = c;
    l.loads = 0;
    REQUIRE(cache_pin(c, &k1, true) == WVM_OK);
    CHECK_EQ_INT(touch(c, &l, 1), 1);
    CHECK_EQ_INT(touch(c, &l, 2), 2);            /* over the bound: 2 goes, not 1 */
    CHECK(cache_contains(c, &k1));
    CHECK(!cache_contains(c, &k2));
    REQUIRE(cache_pin(c, &k1, false) == WVM_OK);
    CHECK_EQ_INT(touch(c, &l, 2), 3);
    CHECK(!cache_contains(c, &k1));              /* unpinned: evicted */
    CHECK(cache_contains(c, &k2));
    cache_free(c);
}

TEST(engine_cache_evicted_entry_stays_valid) {
    cache *c;
    cache_config cfg = { 0, 1 };
    REQUIRE(cache_new(&cfg, &c) == WVM_OK);
    loader l = { PTHREAD_MUTEX_INITIALIZER, 0, WVM_KIND_NONE, c, 0 };
    cache_key k1 = key_of(1);
    cache_entry *e;
    char msg[64];
    REQUIRE(cache_get(c, &k1, count_load, &l, &e, msg, sizeof msg) == WVM_KIND_NONE);
    CHECK_EQ_INT(touch(c, &l, 2), 2);            /* evicts 1 while held */
    CHECK(!cache_contains(c, &k1));
    CHECK_EQ_INT(cache_entry_flags(e), 1);       /* still readable (ASan: not freed) */
    cache_release(c, e);                         /* freed here */
    cache_free(c);
}

typedef struct sf_arg { cache *c; loader *l; uint8_t key; int got; wvm_error_kind kind; char msg[128]; } sf_arg;

static void *sf_thread(void *p) {
    sf_arg *a = p;
    cache_key k = key_of(a->key);
    cache_entry *e;
    a->kind = cache_get(a->c, &k, count_load, a->l, &e, a->msg, sizeof a->msg);
    a->got = a->kind == WVM_KIND_NONE ? (int)cache_entry_flags(e) : -1;
    if (a->kind == WVM_KIND_NONE) cache_release(a->c, e);
    return NULL;
}

/* n threads ask for one key; the load waits until n-1 are waiting. */
static void single_flight(wvm_error_kind fail) {
    enum { N = 6 };
    cache *c;
    REQUIRE(cache_new(NULL, &c) == WVM_OK);
    loader l = { PTHREAD_MUTEX_INITIALIZER, 0, fail, c, N - 1 };
    pthread_t t[N];
    sf_arg a[N];
    for (int i = 0; i < N; i++) {
        a[i] = (sf_arg){ c, &l, 5, 0, WVM_KIND_NONE, "" };
        REQUIRE(pthread_create(&t[i], NULL, sf_thread, &a[i]) == 0);
    }
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    CHECK_EQ_INT(l.loads, 1);
    for (int i = 0; i < N; i++) {
        CHECK_EQ_INT(a[i].kind, fail);
        CHECK_EQ_INT(a[i].got, fail == WVM_KIND_NONE ? 1 : -1);
        if (fail != WVM_KIND_NONE) CHECK_EQ_STR(a[i].msg, "load 1 of key 5 failed");
    }
    cache_stats st;
    cache_get_stats(c, &st);
    CHECK_EQ_INT(st.loads, 1);
    CHECK_EQ_INT(st.waits, N - 1);
    if (fail != WVM_KIND_NONE) {
        /* a failure is not cached: the next caller loads again */
        l.wait_for = 0;
        CHECK_EQ_INT(touch(c, &l, 5), -1);
        CHECK_EQ_INT(l.loads, 2);
        CHECK_EQ_INT(st.entries, 0);
    }
    cache_free(c);
}

TEST(engine_cache_single_flight) { single_flight(WVM_KIND_NONE); }
TEST(engine_cache_single_flight_failure) { single_flight(WVM_KIND_COMPILATION_FAILED); }

/* ------------------------------------------------------------------ */
/* Through the chain */

#define ALICE ct_addr(0xa11ce)

static wvm_address deploy_example(wvm_chain *c, const char *name, const char *init, uint32_t salt) {
    wvm_address addr;
    memset(&addr, 0, sizeof addr);
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/examples/%s.wasm", CT_BUILD, name);
    unsigned char *code = test_read_file(path, &len);
    if (!code) return addr;
    wvm_block *b;
    if (wvm_block_begin(c, wvm_chain_height(c) + 1, 10 * (wvm_chain_height(c) + 1), &b) == WVM_OK) {
        wvm_deploy_args a;
        memset(&a, 0, sizeof a);
        a.code = code;
        a.code_len = len;
        a.deployer = ALICE;
        a.init_params = init;
        uint8_t s[4] = { (uint8_t)(salt >> 24), (uint8_t)(salt >> 16), (uint8_t)(salt >> 8), (uint8_t)salt };
        a.salt = s;
        a.salt_len = 4;
        wvm_receipt *r = NULL;
        if (wvm_deploy(b, &a, &addr, &r) || !r || r->kind != WVM_KIND_NONE) {
            printf("deploy %s: %s\n", name, r ? r->message : wvm_block_errmsg(b));
            memset(&addr, 0, sizeof addr);
        }
        wvm_receipt_free(r);
        if (wvm_block_commit(b, NULL)) memset(&addr, 0, sizeof addr);
    }
    free(code);
    return addr;
}

static bool is_zero(const wvm_address *a) {
    static const wvm_address z;
    return !memcmp(a, &z, sizeof z);
}

static wvm_receipt *query(wvm_chain *c, wvm_address k, const char *fn, const char *params) {
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = k;
    a.function = fn;
    a.params = params;
    a.sender = ALICE;
    wvm_receipt *r = NULL;
    if (wvm_query(c, &a, &r)) return NULL;
    return r;
}

static wvm_chain *open_dir_xlat(const char *dir, uint32_t entries, const char *xlat) {
    wvm_chain_config cfg;
    wvm_chain_config_default(&cfg);
    cfg.dir = dir;
    cfg.no_sync = true;
    cfg.cache_max_entries = entries;
    cfg.translation_dir = xlat;
    wvm_chain *c = NULL;
    char *err = NULL;
    if (wvm_chain_open(&cfg, &c, &err)) {
        printf("open %s: %s\n", dir, err ? err : "?");
        free(err);
    }
    return c;
}

static wvm_chain *open_dir(const char *dir, uint32_t entries) { return open_dir_xlat(dir, entries, NULL); }

static uint64_t metric(const char *text, const char *name) {
    char key[128];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *p = strstr(text, key);
    return p ? strtoull(p + strlen(key), NULL, 10) : UINT64_MAX;
}

/* Loading charges fuel by code only, never by cache state: a cold call
 * (chain just opened, nothing translated) and a warm one use the same
 * fuel, and so does a call after its module was evicted. */
TEST(engine_fuel_cold_equals_warm) {
    const char *d = ct_dir("engine_fuel");
    REQUIRE(d);
    char dir[512];
    snprintf(dir, sizeof dir, "%s", d);
    wvm_chain *c = open_dir(dir, 1);
    REQUIRE(c);
    wvm_address k1 = deploy_example(c, "counter", NULL, 1);
    wvm_address k2 = deploy_example(c, "counter", NULL, 2);
    wvm_address tok = deploy_example(c, "token", "{\"name\":\"T\",\"symbol\":\"T\",\"supply\":1000}", 3);
    wvm_chain_close(c);
    REQUIRE(!is_zero(&tok));
    c = open_dir(dir, 1);
    REQUIRE(c);
    wvm_receipt *cold = query(c, k1, "Get", NULL);
    wvm_receipt *warm = query(c, k1, "Get", NULL);
    wvm_receipt *other = query(c, tok, "TotalSupply", NULL);   /* evicts counter */
    wvm_receipt *again = query(c, k2, "Get", NULL);             /* same code: cold again */
    REQUIRE(cold && warm && other && again);
    CHECK_EQ_STR(cold->result, "0");
    CHECK(cold->fuel_used > 0);
    CHECK_EQ_INT(cold->fuel_used, warm->fuel_used);
    CHECK_EQ_INT(cold->fuel_used, again->fuel_used);
    CHECK_EQ_STR(other->result, "1000");
    char *m = NULL;
    REQUIRE(wvm_chain_metrics(c, &m) == WVM_OK);
    CHECK_EQ_INT(metric(m, "wvm_cache_hits_total"), 1);
    CHECK_EQ_INT(metric(m, "wvm_cache_misses_total"), 3);
    CHECK_EQ_INT(metric(m, "wvm_translations_total"), 3);
    CHECK_EQ_INT(metric(m, "wvm_cache_evictions_total"), 2);
    CHECK_EQ_INT(metric(m, "wvm_cache_entries"), 1);
    CHECK_EQ_INT(metric(m, "wvm_queries_total"), 4);
    CHECK_EQ_INT(metric(m, "wvm_call_seconds_count"), 4);
    CHECK_EQ_INT(metric(m, "wvm_fuel_used_total"),
                 cold->fuel_used * 3 + other->fuel_used);
    free(m);
    wvm_receipt_free(cold);
    wvm_receipt_free(warm);
    wvm_receipt_free(other);
    wvm_receipt_free(again);
    wvm_chain_close(c);
}

/* The on-disk cache (docs/engine.md): translations written at the first
 * load, read back after a restart instead of translated, with the same
 * results and fuel; damaged files not used and written anew; a cache
 * directory that is not one refused at open. */
static void disk_queries(wvm_chain *c, wvm_address k, wvm_address tok, uint64_t fuel[2]) {
    wvm_receipt *a = query(c, k, "Get", NULL), *b = query(c, tok, "TotalSupply", NULL);
    CHECK(a && b);
    if (a && b) {
        CHECK_EQ_STR(a->result, "0");
        CHECK_EQ_STR(b->result, "1000");
        if (fuel[0]) CHECK_EQ_INT(a->fuel_used, fuel[0]);
        if (fuel[1]) CHECK_EQ_INT(b->fuel_used, fuel[1]);
        fuel[0] = a->fuel_used;
        fuel[1] = b->fuel_used;
    }
    wvm_receipt_free(a);
    wvm_receipt_free(b);
}

static void disk_metrics(wvm_chain *c, uint64_t reads, uint64_t rejected, uint64_t writes, uint64_t translations) {
    char *m = NULL;
    REQUIRE(wvm_chain_metrics(c, &m) == WVM_OK);
    CHECK_EQ_INT(metric(m, "wvm_disk_cache_reads_total"), reads);
    CHECK_EQ_INT(metric(m, "wvm_disk_cache_rejected_total"), rejected);
    CHECK_EQ_INT(metric(m, "wvm_disk_cache_writes_total"), writes);
    CHECK_EQ_INT(metric(m, "wvm_disk_cache_write_failures_total"), 0);
    CHECK_EQ_INT(metric(m, "wvm_translations_total"), translations);
    free(m);
}

TEST(engine_disk_cache) {
    const char *d = ct_dir("engine_disk");
    REQUIRE(d);
    char dir[512], xlat[600], cmd[1400];
    snprintf(dir, sizeof dir, "%s", d);
    snprintf(xlat, sizeof xlat, "%s-xlat", dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", xlat);
    REQUIRE(system(cmd) == 0);
    wvm_chain *c = open_dir_xlat(dir, 0, xlat);
    REQUIRE(c);
    wvm_address k = deploy_example(c, "counter", NULL, 1);
    wvm_address tok = deploy_example(c, "token", "{\"name\":\"T\",\"symbol\":\"T\",\"supply\":1000}", 2);
    uint64_t fuel[2] = { 0, 0 };
    disk_queries(c, k, tok, fuel);
    disk_metrics(c, 0, 0, 2, 2);
    wvm_chain_close(c);
    /* restarted: both read back, none translated, the same fuel */
    REQUIRE((c = open_dir_xlat(dir, 0, xlat)));
    disk_queries(c, k, tok, fuel);
    disk_metrics(c, 2, 0, 0, 0);
    wvm_chain_close(c);
    /* one file cut short, the other overwritten with junk */
    snprintf(cmd, sizeof cmd, "cd '%s' && set -- *.xlat && [ $# -eq 2 ] && truncate -s 100 \"$1\" && "
             "head -c 5000 /dev/urandom > \"$2\"", xlat);
    REQUIRE(system(cmd) == 0);
    REQUIRE((c = open_dir_xlat(dir, 0, xlat)));
    disk_queries(c, k, tok, fuel);
    disk_metrics(c, 0, 2, 2, 2);
    wvm_chain_close(c);
    /* written anew, whole */
    REQUIRE((c = open_dir_xlat(dir, 0, xlat)));
    disk_queries(c, k, tok, fuel);
    disk_metrics(c, 2, 0, 0, 0);
    wvm_chain_close(c);
    /* without the cache: the same fuel again */
    REQUIRE((c = open_dir(dir, 0)));
    disk_queries(c, k, tok, fuel);
    wvm_chain_close(c);
    /* a file where the directory should be */
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && touch '%s'", xlat, xlat);
    REQUIRE(system(cmd) == 0);
    wvm_chain_config cfg;
    wvm_chain_config_default(&cfg);
    cfg.dir = dir;
    cfg.translation_dir = xlat;
    char *err = NULL;
    c = NULL;
    CHECK_EQ_INT(wvm_chain_open(&cfg, &c, &err), WVM_ERR_STATE);
    CHECK(!c);
    CHECK(err && strstr(err, "as the translation cache directory: not a directory"));
    free(err);
}

/* Failures are counted by kind in the metrics. */
TEST(engine_metrics_errors_by_kind) {
    wvm_chain *c = ct_chain("engine_metrics", 0);
    REQUIRE(c);
    wvm_address k = deploy_example(c, "counter", NULL, 1);
    wvm_receipt *r1 = query(c, k, "NoSuchFunction", NULL);
    wvm_receipt *r2 = query(c, ct_addr(99), "Get", NULL);
    wvm_receipt *r3 = query(c, k, "Get", "[1]");
    REQUIRE(r1 && r2 && r3);
    CHECK_EQ_INT(r1->kind, WVM_KIND_FUNCTION_NOT_FOUND);
    CHECK_EQ_INT(r2->kind, WVM_KIND_NOT_FOUND);
    CHECK_EQ_INT(r3->kind, WVM_KIND_INVALID_PARAMETERS);
    char *m = NULL;
    REQUIRE(wvm_chain_metrics(c, &m) == WVM_OK);
    CHECK(strstr(m, "\nwvm_call_errors_total{kind=\"function_not_found\"} 1\n"));
    CHECK(strstr(m, "\nwvm_call_errors_total{kind=\"not_found\"} 1\n"));
    CHECK(strstr(m, "\nwvm_call_errors_total{kind=\"invalid_parameters\"} 1\n"));
    CHECK(strstr(m, "\nwvm_call_errors_total{kind=\"timeout\"} 0\n"));
    CHECK(strstr(m, "# TYPE wvm_call_seconds histogram\n"));
    CHECK(strstr(m, "wvm_call_seconds_bucket{le=\"+Inf\"} 3\n"));
    free(m);
    wvm_receipt_free(r1);
    wvm_receipt_free(r2);
    wvm_receipt_free(r3);
    wvm_chain_close(c);
}

/* ------------------------------------------------------------------ */
/* Many threads: queries of several contracts from T threads while one
 * thread commits blocks of calls to another; every result is checked
 * against the serial run's.  A small cache keeps evicting under them,
 * among them call_probe's, whose "x" calls itself: the pooled units keep
 * that callee's instance, and drop it when the module is evicted.
 * Queries that write (Increment) see their own write and never each
 * other's; queries of the writer's counter see a whole block or none:
 * the count always matches the height they report. */

enum { CT_CONTRACTS = 6, CT_THREADS = 4, CT_ROUNDS = 40, CT_WRITES = 30 };

typedef struct conc {
    wvm_chain *c;
    wvm_address k[CT_CONTRACTS];
    char *want[CT_CONTRACTS];     /* serial results */
    uint64_t want_fuel[CT_CONTRACTS];
    uint64_t inc_fuel;            /* a query of Increment on a fresh counter */
    wvm_address writer;
    wvm_address probe;            /* call_probe: its "x" calls itself */
    char *want_x;                 /* serial result and fuel */
    uint64_t x_fuel;
    uint64_t base;                /* the height before the writer's first block */
    int bad;
    pthread_mutex_t mu;
} conc;

static const char *conc_fn(int i) { return i % 2 ? "TotalSupply" : "Get"; }

static void *conc_reader(void *p) {
    conc *x = p;
    for (int r = 0; r < CT_ROUNDS; r++) {
        for (int j = 0; j < CT_CONTRACTS; j++) {
            int i = (j + r) % CT_CONTRACTS;
            wvm_receipt *q = query(x->c, x->k[i], conc_fn(i), NULL);
            bool ok = q && !strcmp(q->result, x->want[i]) && q->fuel_used == x->want_fuel[i];
            if (!ok) {
                pthread_mutex_lock(&x->mu);
                printf("  query %d: %s\n", i, q ? q->result : wvm_chain_errmsg(x->c));
                x->bad++;
                pthread_mutex_unlock(&x->mu);
            }
            wvm_receipt_free(q);
            if (i % 2 == 0) {
                /* a writing query: its own write only, never kept */
                q = query(x->c, x->k[i], "Increment", NULL);
                ok = q && !strcmp(q->result, "1") && q->fuel_used == x->inc_fuel;
                if (!ok) {
                    pthread_mutex_lock(&x->mu);
                    printf("  Increment query %d: %s\n", i, q ? q->result : wvm_chain_errmsg(x->c));
                    x->bad++;
                    pthread_mutex_unlock(&x->mu);
                }
                wvm_receipt_free(q);
            }
        }
        wvm_receipt *q = query(x->c, x->probe, "x", NULL);
        if (!q || strcmp(q->result, x->want_x) || q->fuel_used != x->x_fuel) {
            pthread_mutex_lock(&x->mu);
            printf("  x: %s\n", q ? q->message : wvm_chain_errmsg(x->c));
            x->bad++;
            pthread_mutex_unlock(&x->mu);
        }
        wvm_receipt_free(q);
        q = query(x->c, x->writer, "Get", NULL);
        /* block base + n set the count to n: the snapshot has it whole */
        bool ok = q && q->kind == WVM_KIND_NONE && q->height >= x->base + 1 &&
                  strtoull(q->result, NULL, 10) == q->height - 1 - x->base;
        if (!ok) {
            pthread_mutex_lock(&x->mu);
            printf("  writer's Get: %s at height %llu\n", q ? q->result : wvm_chain_errmsg(x->c),
                   q ? (unsigned long long)q->height : 0ull);
            x->bad++;
            pthread_mutex_unlock(&x->mu);
        }
        wvm_receipt_free(q);
    }
    return NULL;
}

static void *conc_writer(void *p) {
    conc *x = p;
    for (int n = 1; n <= CT_WRITES; n++) {
        wvm_block *b;
        if (wvm_block_begin(x->c, wvm_chain_height(x->c) + 1, 1000 + (uint64_t)n, &b)) { x->bad++; break; }
        wvm_call_args a;
        memset(&a, 0, sizeof a);
        a.contract = x->writer;
        a.function = "Increment";
        a.sender = ALICE;
        wvm_receipt *r = NULL;
        char want[16];
        snprintf(want, sizeof want, "%d", n);
        if (wvm_call(b, &a, &r) || !r || strcmp(r->result, want)) x->bad++;
        wvm_receipt_free(r);
        if (wvm_block_commit(b, NULL)) x->bad++;
    }
    return NULL;
}

TEST(engine_concurrent_calls_and_queries) {
    const char *d = ct_dir("engine_conc");
    REQUIRE(d);
    conc x;
    memset(&x, 0, sizeof x);
    pthread_mutex_init(&x.mu, NULL);
    x.c = open_dir(d, 3);
    REQUIRE(x.c);
    for (int i = 0; i < CT_CONTRACTS; i++) {
        x.k[i] = i % 2 ? deploy_example(x.c, "token", "{\"name\":\"T\",\"symbol\":\"T\",\"supply\":777}", (uint32_t)i)
                       : deploy_example(x.c, "counter", NULL, (uint32_t)i);
        REQUIRE(!is_zero(&x.k[i]));
    }
    x.writer = deploy_example(x.c, "counter", NULL, 100);
    REQUIRE(!is_zero(&x.writer));
    size_t plen;
    unsigned char *probe = ct_wasm("call_probe", &plen);
    REQUIRE(probe);
    wvm_block *b;
    REQUIRE(wvm_block_begin(x.c, wvm_chain_height(x.c) + 1, 10 * (wvm_chain_height(x.c) + 1), &b) == WVM_OK);
    wvm_deploy_args da;
    memset(&da, 0, sizeof da);
    da.code = probe;
    da.code_len = plen;
    da.deployer = ALICE;
    wvm_receipt *rw = NULL;
    REQUIRE(wvm_deploy(b, &da, &x.probe, &rw) == WVM_OK && rw && rw->kind == WVM_KIND_NONE);
    wvm_receipt_free(rw);
    REQUIRE(wvm_block_commit(b, NULL) == WVM_OK);
    free(probe);
    rw = query(x.c, x.probe, "x", NULL);
    REQUIRE(rw);
    CHECK_EQ_INT(rw->kind, WVM_KIND_NONE);
    x.want_x = strdup(rw->result);
    x.x_fuel = rw->fuel_used;
    wvm_receipt_free(rw);
    /* the serial run */
    for (int i = 0; i < CT_CONTRACTS; i++) {
        wvm_receipt *q = query(x.c, x.k[i], conc_fn(i), NULL);
        REQUIRE(q && q->kind == WVM_KIND_NONE);
        x.want[i] = strdup(q->result);
        x.want_fuel[i] = q->fuel_used;
        wvm_receipt_free(q);
    }
    CHECK_EQ_STR(x.want[0], "0");
    CHECK_EQ_STR(x.want[1], "777");
    wvm_receipt *inc = query(x.c, x.k[0], "Increment", NULL);
    REQUIRE(inc && !strcmp(inc->result, "1"));
    x.inc_fuel = inc->fuel_used;
    wvm_receipt_free(inc);
    x.base = wvm_chain_height(x.c);
    pthread_t t[CT_THREADS + 1];
    for (int i = 0; i < CT_THREADS; i++) REQUIRE(pthread_create(&t[i], NULL, conc_reader, &x) == 0);
    REQUIRE(pthread_create(&t[CT_THREADS], NULL, conc_writer, &x) == 0);
    for (int i = 0; i <= CT_THREADS; i++) pthread_join(t[i], NULL);
    CHECK_EQ_INT(x.bad, 0);
    wvm_receipt *q = query(x.c, x.writer, "Get", NULL);
    REQUIRE(q);
    CHECK_EQ_INT(atoi(q->result), CT_WRITES);
    wvm_receipt_free(q);
    char *m = NULL;
    REQUIRE(wvm_chain_metrics(x.c, &m) == WVM_OK);
    CHECK_EQ_INT(metric(m, "wvm_queries_total"),
                 CT_CONTRACTS * (1 + CT_THREADS * CT_ROUNDS) + 1                /* the reads */
                 + 1 + CT_THREADS * CT_ROUNDS * (CT_CONTRACTS / 2)            /* Increment */
                 + CT_THREADS * CT_ROUNDS                                     /* writer's Get */
                 + 1 + CT_THREADS * CT_ROUNDS);                               /* x */
    CHECK(metric(m, "wvm_cache_entries") <= 3);
    free(m);
    free(x.want_x);
    for (int i = 0; i < CT_CONTRACTS; i++) free(x.want[i]);
    wvm_chain_close(x.c);
    pthread_mutex_destroy(&x.mu);
}

/* Many threads at once: each keeps read transactions of its own (a
 * reader slot each), but only the first ST_KEEPING_THREADS (64) keep
 * any, so 300 threads alive at once, each querying before and after
 * all the others have, never run LMDB out of its 256 reader slots. */
enum { MANY = 300 };
typedef struct many_arg {
    wvm_chain *c;
    wvm_address k;
    pthread_barrier_t *all;
    _Atomic int *failed;
} many_arg;

static void *many_query(void *p) {
    many_arg *m = p;
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = m->k;
    a.function = "Get";
    for (int round = 0; round < 2; round++) {
        wvm_receipt *r = NULL;
        if (wvm_query(m->c, &a, &r) || !r || r->kind != WVM_KIND_NONE) atomic_fetch_add(m->failed, 1);
        wvm_receipt_free(r);
        pthread_barrier_wait(m->all);          /* every thread alive, each with its readers */
    }
    return NULL;
}

TEST(engine_query_many_threads) {
    wvm_chain *c = ct_chain("engine_many_threads", 0);
    REQUIRE(c);
    wvm_address k = deploy_example(c, "counter", NULL, 1);
    pthread_barrier_t all;
    pthread_barrier_init(&all, NULL, MANY);
    _Atomic int failed = 0;
    many_arg m = { c, k, &all, &failed };
    pthread_t *th = calloc(MANY, sizeof *th);
    REQUIRE(th);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 << 10);
    int made = 0;
    for (; made < MANY; made++)
        if (pthread_create(&th[made], &attr, many_query, &m)) break;
    REQUIRE(made == MANY);
    for (int i = 0; i < made; i++) pthread_join(th[i], NULL);
    CHECK_EQ_INT(atomic_load(&failed), 0);
    pthread_attr_destroy(&attr);
    pthread_barrier_destroy(&all);
    free(th);
    wvm_chain_close(c);
}
