/*
 * metrics.c -- the engine's counters and histograms and their Prometheus
 * text exposition (version 0.0.4).  Updates are relaxed atomic adds: a
 * reader may see a call counted before its latency, never a torn value.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "engine/engine.h"

/* Upper bounds of the histogram buckets in nanoseconds: 1-2-5 steps from
 * 1 µs to 5 s; the last bucket is +Inf. */
static const uint64_t bounds_ns[METRICS_BUCKETS - 1] = {
    1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000,
    1000000, 2000000, 5000000, 10000000, 20000000, 50000000, 100000000,
    200000000, 500000000, 5000000000ull,
};

uint64_t metrics_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void metrics_observe(metrics_hist *h, uint64_t ns) {
    int i = 0;
    while (i < METRICS_BUCKETS - 1 && ns > bounds_ns[i]) i++;
    atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_ns, ns, memory_order_relaxed);
}

metrics_shard *metrics_mine(metrics *m) {
    static _Atomic unsigned next;
    static _Thread_local unsigned mine = UINT32_MAX;
    if (mine == UINT32_MAX) mine = atomic_fetch_add_explicit(&next, 1, memory_order_relaxed) % METRICS_SHARDS;
    return &m->shard[mine];
}

void metrics_call(metrics *m, bool is_query, uint64_t ns, uint64_t fuel, wvm_error_kind k) {
    metrics_shard *s = metrics_mine(m);
    atomic_fetch_add_explicit(is_query ? &s->queries : &s->calls, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->fuel_used, fuel, memory_order_relaxed);
    if (k != WVM_KIND_NONE && (unsigned)k < METRICS_KINDS)
        atomic_fetch_add_explicit(&s->errors[k], 1, memory_order_relaxed);
    metrics_observe(&s->call_ns, ns);
}

typedef struct text { char *p; size_t len, cap; bool nomem; } text;

static void put(text *t, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *f, ...) {
    if (t->nomem) return;
    for (;;) {
        va_list ap;
        va_start(ap, f);
        int n = vsnprintf(t->p + t->len, t->cap - t->len, f, ap);
        va_end(ap);
        if (n < 0) { t->nomem = true; return; }
        if ((size_t)n < t->cap - t->len) { t->len += (size_t)n; return; }
        size_t cap = t->cap * 2 + (size_t)n + 1;
        char *p = realloc(t->p, cap);
        if (!p) { t->nomem = true; return; }
        t->p = p;
        t->cap = cap;
    }
}

static uint64_t ld(const _Atomic uint64_t *a) {
    return atomic_load_explicit(a, memory_order_relaxed);
}

/* A shard counter summed over the shards: the counter at offset off. */
static uint64_t sum(const metrics *m, size_t off) {
    uint64_t v = 0;
    for (int i = 0; i < METRICS_SHARDS; i++) v += ld((const _Atomic uint64_t *)((const char *)&m->shard[i] + off));
    return v;
}
#define SUM(m, field) sum(m, offsetof(metrics_shard, field))

static void counter(text *t, const char *name, const char *help, uint64_t v) {
    put(t, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name,
        (unsigned long long)v);
}

static void gauge(text *t, const char *name, const char *help, double v) {
    put(t, "# HELP %s %s\n# TYPE %s gauge\n%s %.6g\n", name, help, name, name, v);
}

/* A histogram, summed over n copies of it `stride` bytes apart. */
static void hist_n(text *t, const char *name, const char *help, const metrics_hist *h, int n, size_t stride) {
    put(t, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
    uint64_t cum = 0, total_sum = 0, count = 0;
    for (int k = 0; k < n; k++) {
        const metrics_hist *hk = (const metrics_hist *)((const char *)h + k * stride);
        total_sum += ld(&hk->sum_ns);
        count += ld(&hk->count);
    }
    for (int i = 0; i < METRICS_BUCKETS; i++) {
        for (int k = 0; k < n; k++) cum += ld(&((const metrics_hist *)((const char *)h + k * stride))->bucket[i]);
        if (i < METRICS_BUCKETS - 1)
            put(t, "%s_bucket{le=\"%.9g\"} %llu\n", name, (double)bounds_ns[i] / 1e9,
                (unsigned long long)cum);
        else
            put(t, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cum);
    }
    put(t, "%s_sum %.9f\n%s_count %llu\n", name, (double)total_sum / 1e9, name, (unsigned long long)count);
}

wvm_status metrics_text(const metrics *m, const cache_stats *cs, char **out) {
    *out = NULL;
    text t = { malloc(4096), 0, 4096, false };
    if (!t.p) return WVM_ERR_NOMEM;
    t.p[0] = 0;
    if (cs) {
        /* a thread's front serves hits without asking the cache (front.c) */
        uint64_t hits = cs->hits + SUM(m, front_hits);
        counter(&t, "wvm_cache_hits_total", "Module cache lookups that found the module translated.", hits);
        counter(&t, "wvm_cache_misses_total", "Module cache lookups that did not.", cs->misses);
        counter(&t, "wvm_cache_waits_total", "Misses that waited for another thread's translation of the same module.", cs->waits);
        uint64_t n = hits + cs->misses;
        gauge(&t, "wvm_cache_hit_rate", "Hits over lookups since the chain was opened.",
              n ? (double)hits / (double)n : 0.0);
        counter(&t, "wvm_cache_evictions_total", "Modules evicted by the cache's bounds.", cs->evictions);
        counter(&t, "wvm_cache_load_failures_total", "Translations that failed.", cs->load_failures);
        gauge(&t, "wvm_cache_entries", "Translated modules in the cache.", (double)cs->entries);
        gauge(&t, "wvm_cache_bytes", "Bytes the cache's bound counts (code size of the modules).", (double)cs->bytes);
        gauge(&t, "wvm_cache_pinned", "Pinned modules in the cache.", (double)cs->pinned);
    }
    counter(&t, "wvm_translations_total", "Modules decoded, validated and translated.", ld(&m->translations));
    hist_n(&t, "wvm_translation_seconds", "Time to translate a module.", &m->translate_ns, 1, 0);
    counter(&t, "wvm_disk_cache_reads_total", "Modules read back from the on-disk cache instead of translated.", ld(&m->disk_reads));
    counter(&t, "wvm_disk_cache_rejected_total", "On-disk translations found but not used (stale, damaged, other settings).", ld(&m->disk_rejected));
    counter(&t, "wvm_disk_cache_writes_total", "Translations written to the on-disk cache.", ld(&m->disk_writes));
    counter(&t, "wvm_disk_cache_write_failures_total", "Translations that could not be written out.", ld(&m->disk_write_failures));
    counter(&t, "wvm_instantiations_total", "Contract instances made.", ld(&m->instantiations));
    hist_n(&t, "wvm_instantiation_seconds", "Time to instantiate a contract.", &m->instantiate_ns, 1, 0);
    counter(&t, "wvm_pool_hits_total", "Calls whose top frame reused a pooled instance.", SUM(m, pool_hits));
    counter(&t, "wvm_pool_misses_total", "Calls that could use the pool but found no idle instance.", SUM(m, pool_misses));
    gauge(&t, "wvm_pool_idle", "Idle pooled instances, all modules.", (double)SUM(m, pool_idle));
    counter(&t, "wvm_pool_callee_hits_total", "Callee frames that reused an instance kept in their call's pooled store.", SUM(m, callee_hits));
    counter(&t, "wvm_calls_total", "Calls run by wvm_call (and deploys' Initialize).", SUM(m, calls));
    counter(&t, "wvm_queries_total", "Calls run by wvm_query.", SUM(m, queries));
    hist_n(&t, "wvm_call_seconds", "Latency of a call or query, end to end.", &m->shard[0].call_ns, METRICS_SHARDS,
           sizeof(metrics_shard));
    counter(&t, "wvm_fuel_used_total", "Fuel used by all calls and queries.", SUM(m, fuel_used));
    put(&t, "# HELP wvm_call_errors_total Calls and queries that failed, by error kind.\n"
            "# TYPE wvm_call_errors_total counter\n");
    for (int k = 1; k < METRICS_KINDS; k++)
        put(&t, "wvm_call_errors_total{kind=\"%s\"} %llu\n", wvm_error_kind_str((wvm_error_kind)k),
            (unsigned long long)sum(m, offsetof(metrics_shard, errors) + (size_t)k * sizeof(uint64_t)));
    if (t.nomem) {
        free(t.p);
        return WVM_ERR_NOMEM;
    }
    *out = t.p;
    return WVM_OK;
}
