/*
 * engine.c -- the engine service's benchmarks (`make bench-engine`, part
 * of `make bench`): each figure printed beside issue 16's target.
 *
 *   bench-engine BUILD_DIR BIG_WASM STATE_DIR
 *
 * BIG_WASM is gen_big.py's module (the Makefile builds it); the example
 * contracts are read from BUILD_DIR/examples.  Timings are wall clock
 * (monotonic) medians or best-of runs; nothing here is a test.
 */
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include "wvm.h"
#include "wvm_chain.h"
#include "engine/engine.h"

static uint64_t now_ns(void) { return metrics_now(); }

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(n > 0 ? (size_t)n : 1);
    if (p && fread(p, 1, (size_t)n, f) != (size_t)n) { free(p); p = NULL; }
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void report(const char *what, double v, const char *unit, const char *target, bool met) {
    printf("  %-58s %12.3f %-6s target %-10s %s\n", what, v, unit, target, met ? "met" : "NOT met");
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------------ */

static void bench_load(wvm_engine *e, const char *path) {
    size_t len;
    unsigned char *w = read_file(path, &len);
    if (!w) { printf("  load: cannot read %s\n", path); return; }
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 5; i++) {
        wvm_module *m = NULL;
        uint64_t t0 = now_ns();
        wvm_status st = wvm_module_new(e, w, len, &m);
        uint64_t t = now_ns() - t0;
        wvm_module_free(m);
        if (st) { printf("  load: %s\n", wvm_status_str(st)); break; }
        if (t < best) best = t;
    }
    char what[128];
    snprintf(what, sizeof what, "load (decode+validate; each function translated at its first call), %zu B module", len);
    report(what, (double)best / (double)len, "ns/B", "<= 5", (double)best / (double)len <= 5);
    free(w);
}

/* Best of 5 loads of w with e. */
static uint64_t load_best(wvm_engine *e, const unsigned char *w, size_t len) {
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 5; i++) {
        wvm_module *m = NULL;
        uint64_t t0 = now_ns();
        wvm_status st = wvm_module_new(e, w, len, &m);
        uint64_t t = now_ns() - t0;
        wvm_module_free(m);
        if (st) return 0;
        if (t < best) best = t;
    }
    return best;
}

/* Whether an on-disk cache of the translated form could beat loading
 * from the wasm (issue 16 asks to measure before building one).  With
 * lazy translation a load is decode + validate; a cache hit would
 * replace that, and the later translations, with reading the
 * translated form back: the floor of that is reading the bytes, a
 * checksum over them and one pass re-linking each cell's handler
 * address (it differs per process), timed here on a file of the
 * translated form's size. */
typedef struct blob_buf { unsigned char *b; size_t n; } blob_buf;
static void blob_keep(void *user, const void *bytes, size_t len) {
    blob_buf *o = user;
    if ((o->b = malloc(len))) memcpy(o->b, bytes, len), o->n = len;
}

/* The on-disk cache (issue 16 asks to keep it only if it beats loading
 * from wasm): a load from the wasm, lazy and eager, against reading the
 * module's translation back from a file -- read, checksum, decode,
 * re-link, no validation or translation -- each the best of 5. */
static void bench_disk_cache(const char *path, const char *what) {
    size_t len;
    unsigned char *w = read_file(path, &len);
    if (!w) return;
    wvm_engine *e[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        wvm_config cfg;
        wvm_config_default(&cfg);
        cfg.eager_translation = i;
        wvm_engine_new(&cfg, &e[i]);
    }
    uint64_t t_lazy = e[0] ? load_best(e[0], w, len) : 0;
    uint64_t t_eager = e[1] ? load_best(e[1], w, len) : 0;
    wvm_module *m = NULL;
    blob_buf o = { NULL, 0 };
    uint64_t t_write = 0, best = UINT64_MAX;
    char tmpl[] = "/tmp/wvm-bench-xlat-XXXXXX";
    int fd = -1;
    if (e[0] && wvm_module_new(e[0], w, len, &m) == WVM_OK) {
        uint64_t t0 = now_ns();
        wvm_module_write_translation(m, blob_keep, &o);
        t_write = now_ns() - t0;
    }
    wvm_module_free(m);
    if (o.b && (fd = mkstemp(tmpl)) >= 0 && write(fd, o.b, o.n) == (ssize_t)o.n) {
        unsigned char *back = malloc(o.n);
        for (int r = 0; back && r < 5; r++) {
            wvm_translation_use use = WVM_TRANSLATION_CORRUPT;
            uint64_t t0 = now_ns();
            if (pread(fd, back, o.n, 0) != (ssize_t)o.n) break;
            wvm_status st = wvm_module_new_translated(e[0], w, len, back, o.n, &m, &use);
            uint64_t t = now_ns() - t0;
            wvm_module_free(m);
            if (st || use != WVM_TRANSLATION_USED) { best = UINT64_MAX; break; }
            if (t < best) best = t;
        }
        free(back);
    }
    if (fd >= 0) { close(fd); unlink(tmpl); }
    if (best != UINT64_MAX && t_lazy && t_eager) {
        double per = (double)len;
        printf("  %s (%zu B): load from wasm, lazy / eager             %8.3f / %.3f ns/B\n", what, len,
               t_lazy / per, t_eager / per);
        printf("  %s: translation written out: %zu B (%.2f B per byte of wasm) in %.3f ms\n", what, o.n,
               o.n / per, t_write / 1e6);
        report("on-disk cache hit: read, check, decode, re-link", best / per, "ns/B", "< lazy load",
               best < t_lazy);
        printf("    -> %.2fx faster than the lazy load, %.2fx than the eager one, and no function\n"
               "       is translated at its first call after it\n", (double)t_lazy / best, (double)t_eager / best);
    }
    free(o.b);
    for (int i = 0; i < 2; i++) wvm_engine_free(e[i]);
    free(w);
}

static wvm_error_kind null_load(void *user, const cache_key *key, cache_loaded *out, char *msg,
                                size_t cap) {
    (void)user; (void)key; (void)msg; (void)cap;
    out->module = NULL;
    out->bytes = 1;
    out->flags = 0;
    return WVM_KIND_NONE;
}

static void bench_cache_hit(void) {
    cache *c;
    cache_config cfg = { 0, 1024 };
    if (cache_new(&cfg, &c)) return;
    cache_key keys[256];
    memset(keys, 0, sizeof keys);
    char msg[64];
    cache_entry *e;
    for (int i = 0; i < 256; i++) {
        keys[i].code.b[0] = (uint8_t)i;
        keys[i].code.b[9] = (uint8_t)(i * 7);
        keys[i].costs = 1;
        cache_get(c, &keys[i], null_load, NULL, &e, msg, sizeof msg);
        cache_release(c, e);
    }
    enum { N = 2000000 };
    uint64_t t0 = now_ns();
    for (int i = 0; i < N; i++) {
        cache_get(c, &keys[i & 255], null_load, NULL, &e, msg, sizeof msg);
        cache_release(c, e);
    }
    double ns = (double)(now_ns() - t0) / N;
    report("module cache lookup on a hit (get + release)", ns / 1000, "us", "<= 1", ns <= 1000);
    cache_free(c);
}

/* Zipf(s) over n keys with a fixed-seed generator: the requests of a
 * node whose contracts' popularity follows a power law. */
static void bench_zipf(void) {
    enum { NKEYS = 1000, CAP = 300, WARM = 100000, N = 1000000 };
    double s = 1.2, *cdf = malloc(NKEYS * sizeof *cdf), sum = 0;
    for (int i = 0; i < NKEYS; i++) cdf[i] = (sum += 1.0 / pow(i + 1, s));
    double top = cdf[CAP - 1] / sum;
    cache *c;
    cache_config cfg = { 0, CAP };
    if (cache_new(&cfg, &c)) return;
    uint64_t x = 88172645463325252ull;
    cache_key k;
    memset(&k, 0, sizeof k);
    char msg[64];
    cache_entry *e;
    cache_stats st0, st1;
    for (int i = 0; i < WARM + N; i++) {
        if (i == WARM) cache_get_stats(c, &st0);
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        double u = (double)(x >> 11) / 9007199254740992.0 * sum;
        int lo = 0, hi = NKEYS - 1;
        while (lo < hi) { int mid = (lo + hi) / 2; if (cdf[mid] < u) lo = mid + 1; else hi = mid; }
        /* a key's id spread over the hash's bytes */
        k.code.b[0] = (uint8_t)(lo * 37);
        k.code.b[1] = (uint8_t)(lo >> 8);
        k.code.b[2] = (uint8_t)lo;
        cache_get(c, &k, null_load, NULL, &e, msg, sizeof msg);
        cache_release(c, e);
    }
    cache_get_stats(c, &st1);
    double rate = (double)(st1.hits - st0.hits) / N * 100;
    char what[160];
    snprintf(what, sizeof what, "Zipf s=1.2, 1000 contracts, cache of 300: hit rate (ideal %.1f%%)", top * 100);
    report(what, rate, "%", ">= 90", rate >= 90);
    cache_free(c);
    free(cdf);
}

/* (module (memory 17) (func (export "f"))
 *         (func (export "add") (param i32 i32) (result i32)
 *           local.get 0 local.get 1 i32.add)) */
static const unsigned char mem17[] = {
    0, 'a', 's', 'm', 1, 0, 0, 0,
    1, 10, 2, 0x60, 0, 0,           /* type 0: () -> () */
    0x60, 2, 0x7f, 0x7f, 1, 0x7f,   /* type 1: (i32, i32) -> i32 */
    3, 3, 2, 0, 1,                  /* func 0: type 0, func 1: type 1 */
    5, 3, 1, 0, 17,                 /* memory min 17 */
    7, 11, 2, 1, 'f', 0, 0,         /* export "f" func 0 */
    3, 'a', 'd', 'd', 0, 1,         /* export "add" func 1 */
    10, 12, 2, 2, 0, 0x0b,          /* body 0: end */
    7, 0, 0x20, 0, 0x20, 1, 0x6a, 0x0b, /* body 1 */
};

static uint64_t cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Best of 5 passes of n calls, in ns per call of wall clock, and in
 * *cpu of this thread's CPU time (the machine is shared: the best pass
 * is the least disturbed one; the CPU time leaves out the time the
 * thread waited for a core). */
static double call_ns(wvm_store *s, wvm_func *f, const wvm_val *args, uint32_t nargs, wvm_val *res,
                      uint32_t nres, int n, double *cpu) {
    double best = INFINITY;
    *cpu = INFINITY;
    for (int pass = 0; pass < 5; pass++) {
        uint64_t t0 = now_ns(), c0 = cpu_ns();
        for (int i = 0; i < n; i++) wvm_func_call(s, f, args, nargs, res, nres);
        double ns = (double)(now_ns() - t0) / n, c = (double)(cpu_ns() - c0) / n;
        if (ns < best) best = ns;
        if (c < *cpu) *cpu = c;
    }
    return best;
}

static void bench_instance_and_call(wvm_engine *e) {
    wvm_module *m = NULL;
    if (wvm_module_new(e, mem17, sizeof mem17, &m)) { printf("  mem17: %s\n", wvm_module_errmsg(m)); return; }
    enum { NI = 20000 };
    uint64_t t0 = now_ns();
    for (int i = 0; i < NI; i++) {
        wvm_store *s;
        wvm_instance *inst;
        wvm_store_new(e, &s);
        wvm_instance_new(s, m, NULL, 0, &inst);
        wvm_store_free(s);
    }
    double us = (double)(now_ns() - t0) / NI / 1000;
    /* for comparison only: the 2 us target is the pooled instance's
     * (reset and ready, below) */
    printf("  %-58s %12.3f %-6s (without the pool; compare the reset below)\n",
           "instance ready, 17-page memory (new store+instance)", us, "us");

    /* the fixed cost: an empty function, metering on (the engine's
     * default), through wvm_func_call as an embedder calls it */
    wvm_store *s;
    wvm_instance *inst;
    wvm_func *f = NULL, *add = NULL;
    wvm_store_new(e, &s);
    wvm_instance_new(s, m, NULL, 0, &inst);
    wvm_instance_func(inst, "f", &f);
    wvm_instance_func(inst, "add", &add);
    wvm_val args[2] = { wvm_i32(3), wvm_i32(4) }, res;
    if (!f || !add || wvm_func_call(s, f, NULL, 0, NULL, 0) || wvm_func_call(s, add, args, 2, &res, 1) ||
        res.of.i32 != 7)
        printf("  the calls measured below fail: %s\n", wvm_store_errmsg(s));
    enum { NC = 1000000 };
    double cpu[3];
    for (int pass = 0; pass < 2; pass++) {
        wvm_store_set_timeout(s, pass ? 5000 : WVM_NO_TIMEOUT);
        double ns = call_ns(s, f, NULL, 0, NULL, 0, NC, &cpu[pass]);
        report(pass ? "fixed cost of a call, timeout on (5 s), metering on"
                    : "fixed cost of a call, no timeout, metering on",
               ns, "ns", "<= 20", ns <= 20);
    }
    /* beside it, a call that passes arguments and returns a result */
    double ns = call_ns(s, add, args, 2, &res, 1, NC, &cpu[2]);
    printf("  (i32, i32) -> i32 add, timeout on, metering on: %.3f ns a call\n", ns);
    printf("  the same three in CPU time: %.3f, %.3f, %.3f ns\n", cpu[0], cpu[1], cpu[2]);
    wvm_store_free(s);
    wvm_module_free(m);
}

/* (module (memory 17) (global $sp (mut i32) ...)
 *   (func (export "w") (param $n i32): moves $sp down and back (as a
 *   C function's stack frame does) and stores an i32 at i << 16 for i
 *   in [0, n): n 4 KiB pages written, one in each 64 KiB page) */
static const unsigned char mem17w[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7f, 0x00, 0x03,
    0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x11, 0x06, 0x09, 0x01, 0x7f, 0x01, 0x41, 0x80, 0x80,
    0xc0, 0x00, 0x0b, 0x07, 0x05, 0x01, 0x01, 0x77, 0x00, 0x00, 0x0a, 0x36, 0x01, 0x34, 0x01, 0x01,
    0x7f, 0x23, 0x00, 0x41, 0xc0, 0x00, 0x6b, 0x24, 0x00, 0x02, 0x40, 0x03, 0x40, 0x20, 0x01, 0x20,
    0x00, 0x4f, 0x0d, 0x01, 0x20, 0x01, 0x41, 0x10, 0x74, 0x20, 0x01, 0x36, 0x02, 0x00, 0x20, 0x01,
    0x41, 0x01, 0x6a, 0x21, 0x01, 0x0c, 0x00, 0x0b, 0x0b, 0x23, 0x00, 0x41, 0xc0, 0x00, 0x6a, 0x24,
    0x00, 0x0b,
};

/* A pooled instance: snapshot once, then per use a call that writes N
 * pages and wvm_instance_reset, timed alone (median). */
static void bench_instance_reset(wvm_engine *e) {
    wvm_module *m = NULL;
    if (wvm_module_new(e, mem17w, sizeof mem17w, &m)) { printf("  mem17w: %s\n", wvm_module_errmsg(m)); return; }
    wvm_store *s;
    wvm_instance *inst;
    wvm_func *f;
    wvm_store_new(e, &s);
    if (wvm_instance_new(s, m, NULL, 0, &inst) || wvm_instance_func(inst, "w", &f) ||
        wvm_instance_snapshot(inst)) {
        printf("  mem17w: %s\n", wvm_store_errmsg(s));
        wvm_store_free(s);
        wvm_module_free(m);
        return;
    }
    enum { NR = 20001 };
    static uint64_t t[NR];
    static const int32_t written[] = { 4, 17 };
    for (int k = 0; k < 2; k++) {
        wvm_val n = wvm_i32(written[k]);
        for (int i = 0; i < NR; i++) {
            wvm_func_call(s, f, &n, 1, NULL, 0);
            uint64_t t0 = now_ns();
            wvm_instance_reset(inst);
            t[i] = now_ns() - t0;
        }
        qsort(t, NR, sizeof t[0], cmp_u64);
        char what[96];
        snprintf(what, sizeof what, "17-page instance reset and ready after a call writing %d 4K pages", written[k]);
        double us = (double)t[NR / 2] / 1000;
        report(what, us, "us", "<= 2", us <= 2);
    }
    wvm_store_free(s);
    wvm_module_free(m);
}

/* ------------------------------------------------------------------ */
/* Through the chain */

static wvm_address deploy(wvm_chain *c, const char *build, const char *name, const char *init) {
    wvm_address a;
    memset(&a, 0, sizeof a);
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/examples/%s.wasm", build, name);
    unsigned char *w = read_file(path, &len);
    if (!w) { printf("  cannot read %s\n", path); return a; }
    wvm_block *b;
    if (!wvm_block_begin(c, wvm_chain_height(c) + 1, wvm_chain_height(c) + 1, &b)) {
        wvm_deploy_args d;
        memset(&d, 0, sizeof d);
        d.code = w;
        d.code_len = len;
        d.deployer.b[0] = 0xa1;
        d.init_params = init;
        wvm_receipt *r = NULL;
        if (wvm_deploy(b, &d, &a, &r) || !r || r->kind) printf("  deploy %s failed\n", name);
        wvm_receipt_free(r);
        wvm_block_commit(b, NULL);
    }
    free(w);
    return a;
}

typedef struct qarg {
    wvm_chain *c;
    wvm_address k;
    const char *fn;
    int n;
    double cpu_s;              /* out: the thread's CPU time */
    long waits;                /* out: voluntary context switches (blocking) */
} qarg;


static void *query_loop(void *p) {
    qarg *q = p;
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = q->k;
    a.function = q->fn;
    struct rusage ru0, ru1;
    getrusage(RUSAGE_THREAD, &ru0);
    uint64_t c0 = cpu_ns();
    for (int i = 0; i < q->n; i++) {
        wvm_receipt *r = NULL;
        wvm_query(q->c, &a, &r);
        wvm_receipt_free(r);
    }
    q->cpu_s = (double)(cpu_ns() - c0) / 1e9;
    getrusage(RUSAGE_THREAD, &ru1);
    q->waits = ru1.ru_nvcsw - ru0.ru_nvcsw;
    return NULL;
}

/* Two worker threads that live through all the runs of bench_scaling,
 * as a node's workers do: each run, main hands them a qarg and waits for
 * both to finish. */
typedef struct workers {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int gen, done;             /* run number handed out; workers finished it */
    bool quit;
    qarg q[2];
    pthread_t th[2];
} workers;

typedef struct worker_arg { workers *w; int i; } worker_arg;

static void *worker(void *p) {
    worker_arg *a = p;
    workers *w = a->w;
    int seen = 0;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->gen == seen && !w->quit) pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit) { pthread_mutex_unlock(&w->mu); return NULL; }
        seen = w->gen;
        pthread_mutex_unlock(&w->mu);
        query_loop(&w->q[a->i]);
        pthread_mutex_lock(&w->mu);
        w->done++;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
}

/* Queries of fn per second on 1 thread, then on 2; best of 3 each.
 * Wall clock is what the target means, but on a machine busy with other
 * work it says little: beside it, the CPU time per query on each thread
 * (what contention -- shared cache lines, spinning -- inflates) and the
 * voluntary context switches (a thread blocking on a lock).  The 2
 * threads are started once, before the runs, and kept. */
static void bench_scaling(wvm_chain *c, wvm_address k, const char *fn, const char *what) {
    enum { NT = 40000 };
    double one = 0, two = 0, cpu1 = 1e9, cpu2 = 1e9;
    long waits = 0;
    workers w = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };
    worker_arg wa[2] = { { &w, 0 }, { &w, 1 } };
    for (int i = 0; i < 2; i++) pthread_create(&w.th[i], NULL, worker, &wa[i]);
    for (int rep = 0; rep < 3; rep++) {
        qarg q1 = { c, k, fn, NT, 0, 0 };
        uint64_t t0 = now_ns();
        query_loop(&q1);
        double r1 = (double)NT / ((double)(now_ns() - t0) / 1e9);
        pthread_mutex_lock(&w.mu);
        for (int i = 0; i < 2; i++) w.q[i] = (qarg){ c, k, fn, NT, 0, 0 };
        w.done = 0;
        t0 = now_ns();
        w.gen++;
        pthread_cond_broadcast(&w.cv);
        while (w.done < 2) pthread_cond_wait(&w.cv, &w.mu);
        double r2 = 2.0 * NT / ((double)(now_ns() - t0) / 1e9);
        pthread_mutex_unlock(&w.mu);
        if (r1 > one) one = r1;
        if (r2 > two) two = r2;
        if (q1.cpu_s < cpu1) cpu1 = q1.cpu_s;
        double c2 = (w.q[0].cpu_s + w.q[1].cpu_s) / 2;
        if (c2 < cpu2) cpu2 = c2;
        waits += w.q[0].waits + w.q[1].waits;
    }
    pthread_mutex_lock(&w.mu);
    w.quit = true;
    pthread_cond_broadcast(&w.cv);
    pthread_mutex_unlock(&w.mu);
    for (int i = 0; i < 2; i++) pthread_join(w.th[i], NULL);
    printf("  %s queries/s: 1 thread %.0f, 2 threads %.0f; CPU per query: 1 thread %.2f us, "
           "2 threads %.2f us; blocking waits in 2-thread runs: %ld per 1000 queries\n", fn, one,
           two, cpu1 / NT * 1e6, cpu2 / NT * 1e6, waits * 1000 / (3 * 2 * NT));
    report(what, two / one, "x", ">= 1.8", two / one >= 1.8);
}

static void bench_chain(const char *build, const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) return;
    wvm_chain_config cfg;
    wvm_chain_config_default(&cfg);
    cfg.dir = dir;                 /* synced commits */
    wvm_chain *c;
    char *err = NULL;
    if (wvm_chain_open(&cfg, &c, &err)) { printf("  open: %s\n", err); free(err); return; }
    wvm_address counter = deploy(c, build, "counter", NULL);
    wvm_address token = deploy(c, build, "token", "{\"name\":\"T\",\"symbol\":\"T\",\"supply\":1000000000}");

    enum { NQ = 3000 };
    uint64_t *t = malloc(NQ * sizeof *t);
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = counter;
    a.function = "Get";
    for (int i = 0; i < NQ; i++) {
        wvm_receipt *r = NULL;
        uint64_t t0 = now_ns();
        wvm_query(c, &a, &r);
        t[i] = now_ns() - t0;
        wvm_receipt_free(r);
    }
    qsort(t, NQ, sizeof *t, cmp_u64);
    report("counter Get through wvm_query, median", (double)t[NQ / 2] / 1000, "us", "<= 10", t[NQ / 2] <= 10000);
    wvm_block *b;
    if (!wvm_block_begin(c, wvm_chain_height(c) + 1, wvm_chain_height(c) + 1, &b)) {
        for (int i = 0; i < NQ; i++) {
            wvm_receipt *r = NULL;
            uint64_t t0 = now_ns();
            wvm_call(b, &a, &r);
            t[i] = now_ns() - t0;
            wvm_receipt_free(r);
        }
        wvm_block_abort(b);
        qsort(t, NQ, sizeof *t, cmp_u64);
        report("counter Get through wvm_call (in a block), median", (double)t[NQ / 2] / 1000, "us", "<= 10",
               t[NQ / 2] <= 10000);
    }
    free(t);

    /* token Transfer, blocks of 1,000, each committed with sync */
    enum { BLOCKS = 5, PER = 1000 };
    a.contract = token;
    a.function = "Transfer";
    a.sender.b[0] = 0xa1;
    char params[128];
    a.params = params;
    uint64_t t0 = now_ns();
    int failed = 0;
    for (int blk = 0; blk < BLOCKS; blk++) {
        if (wvm_block_begin(c, wvm_chain_height(c) + 1, wvm_chain_height(c) + 1, &b)) break;
        for (int i = 0; i < PER; i++) {
            snprintf(params, sizeof params,
                     "{\"to\":\"0x%040x\",\"amount\":1}", (unsigned)(blk * PER + i + 1));
            wvm_receipt *r = NULL;
            if (wvm_call(b, &a, &r) || !r || r->kind) failed++;
            wvm_receipt_free(r);
        }
        if (wvm_block_commit(b, NULL)) failed++;
    }
    double per_s = (double)BLOCKS * PER / ((double)(now_ns() - t0) / 1e9);
    if (failed) printf("  (%d transfers failed)\n", failed);
    report("token Transfer, blocks of 1,000 committed with sync", per_s, "/s", ">= 50000", per_s >= 50000);

    /* a query that writes (its write kept in memory, then dropped) */
    t = malloc(NQ * sizeof *t);
    a.contract = counter;
    a.function = "Increment";
    a.params = NULL;
    memset(&a.sender, 0, sizeof a.sender);
    for (int i = 0; i < NQ; i++) {
        wvm_receipt *r = NULL;
        uint64_t t1 = now_ns();
        wvm_query(c, &a, &r);
        t[i] = now_ns() - t1;
        wvm_receipt_free(r);
    }
    qsort(t, NQ, sizeof *t, cmp_u64);
    printf("  counter Increment through wvm_query (writes, dropped), median %.3f us\n",
           (double)t[NQ / 2] / 1000);
    free(t);

    /* cross-contract calls: dapp -> logic -> ledger, each a callee */
    {
        wvm_address logic = deploy(c, build, "logic", NULL);
        char hex[43], init[128], params[400];
        wvm_address_hex(&logic, hex);
        snprintf(init, sizeof init, "{\"logic\":\"%s\"}", hex);
        wvm_address ledger = deploy(c, build, "ledger", init);
        wvm_address dapp = deploy(c, build, "dapp", NULL);
        char lh[43];
        wvm_address_hex(&ledger, lh);
        snprintf(params, sizeof params,
                 "{\"logic\":\"%s\",\"ledger\":\"%s\",\"to\":\"0x%040x\",\"amount\":5}", hex, lh, 7u);
        t = malloc(NQ * sizeof *t);
        a.contract = dapp;
        a.function = "Reward";
        a.params = params;
        int failed_q = 0;
        for (int i = 0; i < NQ; i++) {
            wvm_receipt *r = NULL;
            uint64_t t1 = now_ns();
            if (wvm_query(c, &a, &r) || !r || r->kind) failed_q++;
            t[i] = now_ns() - t1;
            wvm_receipt_free(r);
        }
        qsort(t, NQ, sizeof *t, cmp_u64);
        if (failed_q) printf("  (%d Reward queries failed)\n", failed_q);
        printf("  dapp -> logic -> ledger Reward through wvm_query (2 callees), median %.3f us\n",
               (double)t[NQ / 2] / 1000);
        free(t);
        a.params = NULL;
    }

    /* query throughput, 1 then 2 threads: Get reads only, Increment
     * writes into its query's overlay */
    bench_scaling(c, counter, "Get", "query throughput 2 threads / 1 thread (Get, reads)");
    bench_scaling(c, counter, "Increment", "query throughput 2 threads / 1 thread (Increment, writes)");
    wvm_chain_close(c);
}

int main(int argc, char **argv) {
    /* An optional fourth argument runs one part: "engine" (load, cache,
     * instances, calls) or "chain" (the contract calls on a state). */
    if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "engine") && strcmp(argv[4], "chain"))) {
        fprintf(stderr, "usage: bench-engine BUILD_DIR BIG_WASM STATE_DIR [engine|chain]\n");
        return 2;
    }
    const char *only = argc == 5 ? argv[4] : "";
    wvm_config cfg;
    wvm_config_default(&cfg);
    wvm_engine *e;
    if (wvm_engine_new(&cfg, &e)) return 1;
    printf("engine benchmarks (issue 16):\n");
    if (strcmp(only, "chain")) {
        bench_load(e, argv[2]);
        bench_disk_cache(argv[2], "gen_big");
        char tok[512];
        snprintf(tok, sizeof tok, "%s/examples/token.wasm", argv[1]);
        bench_disk_cache(tok, "token");
        bench_cache_hit();
        bench_zipf();
        bench_instance_and_call(e);
        bench_instance_reset(e);
    }
    wvm_engine_free(e);
    if (strcmp(only, "engine")) bench_chain(argv[1], argv[3]);
    return 0;
}
