/*
 * engine.c -- the chain's side of the engine service (src/engine/): the
 * module cache keyed by (code hash, cost-table hash) and its loader, the
 * metrics, and their public entry points (wvm_chain_metrics,
 * wvm_chain_pin).
 *
 * Loading charges no fuel, cached or not: the fuel of a call never
 * depends on what this node happens to have cached
 * (tests/chain/test_engine.c checks a cold and a warm call use the
 * same fuel).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chain.h"

#define CHAIN_CACHE_ENTRIES 1024
#define CHAIN_CACHE_BYTES (256ull << 20)
#define CHAIN_POOL_IDLE 4

wvm_status chain_engine_new(wvm_chain *c, const wvm_chain_config *cfg) {
    cache_config cc = { CHAIN_CACHE_BYTES, CHAIN_CACHE_ENTRIES };
    if (cfg->cache_max_bytes) cc.max_bytes = cfg->cache_max_bytes == UINT64_MAX ? 0 : cfg->cache_max_bytes;
    if (cfg->cache_max_entries)
        cc.max_entries = cfg->cache_max_entries == UINT32_MAX ? 0 : cfg->cache_max_entries;
    c->pool_max = cfg->no_pool ? 0 : cfg->pool_max_idle ? cfg->pool_max_idle : CHAIN_POOL_IDLE;
    c->cost_hash = wvm_cost_table_hash(wvm_engine_costs(c->engine));
    wvm_status st = cache_new(&cc, &c->modules);
    if (!st && (st = front_new(c->modules, &c->metrics, &c->front))) chain_engine_free(c);
    return st;
}

void chain_engine_free(wvm_chain *c) {
    front_free(c->front);          /* its references first */
    c->front = NULL;
    cache_free(c->modules);
    c->modules = NULL;
}

/* Whether the binary module has a start section (id 8).  The code was
 * validated at deploy; this only walks section headers, bounded by len. */
static bool has_start_section(const uint8_t *p, size_t len) {
    size_t i = 8;
    while (i < len) {
        uint8_t id = p[i++];
        uint64_t size = 0;
        for (int shift = 0; i < len && shift < 35; shift += 7) {
            uint8_t b = p[i++];
            size |= (uint64_t)(b & 0x7f) << shift;
            if (!(b & 0x80)) break;
        }
        if (id == 8) return true;
        if (size > len - i) return false;
        i += size;
    }
    return false;
}

/* aux_free of an entry: its idle instances go before the module does
 * (cache.c frees aux first); none is checked out, as every call holds
 * the entry while it uses one. */
static void aux_free(void *p) {
    chain_module_aux *a = p;
    pool_free(a->pool);
    policy_set_free(a->policies);
    free(a->policies);
    free(a);
}

/* aux_drop of an entry leaving the cache: its idle units go now (they
 * may hold the entries of callees, which may hold this one's). */
static void aux_drop(void *p) {
    chain_module_aux *a = p;
    if (a->pool) pool_close(a->pool);
}

typedef struct load_ctx { wvm_chain *chain; st_txn *txn; } load_ctx;

/* cache_load_fn: the code from the store, translated. */
static wvm_error_kind load(void *user, const cache_key *key, cache_loaded *out, char *msg,
                           size_t cap) {
    load_ctx *lc = user;
    const uint8_t *wasm;
    size_t len;
    char hh[67];
    wvm_hash_hex(&key->code, hh);
    wvm_status st = st_code_get(lc->txn, &key->code, &wasm, &len);
    if (st) {
        snprintf(msg, cap, "code %s: %s", hh, st_txn_errmsg(lc->txn));
        return st == WVM_ERR_NOT_FOUND ? WVM_KIND_COMPILATION_FAILED : WVM_KIND_STATE_ERROR;
    }
    uint64_t t0 = metrics_now();
    wvm_module *m = NULL;
    bool from_disk;
    st = chain_module_load(lc->chain, &key->code, wasm, len, &m, &from_disk);
    if (!from_disk) {
        metrics_observe(&lc->chain->metrics.translate_ns, metrics_now() - t0);
        atomic_fetch_add_explicit(&lc->chain->metrics.translations, 1, memory_order_relaxed);
    }
    if (st) {
        snprintf(msg, cap, "code %s does not load: %s", hh,
                 m ? wvm_module_errmsg(m) : wvm_status_str(st));
        wvm_module_free(m);
        return st == WVM_ERR_NOMEM ? WVM_KIND_RESOURCE_EXHAUSTED : WVM_KIND_COMPILATION_FAILED;
    }
    chain_module_aux *a = calloc(1, sizeof *a);
    policy_set *pol = calloc(1, sizeof *pol);
    if (!a || !pol || policy_load(wasm, len, pol)) {
        free(pol);
        free(a);
        wvm_module_free(m);
        snprintf(msg, cap, "code %s: out of memory for its policies", hh);
        return WVM_KIND_RESOURCE_EXHAUSTED;
    }
    a->policies = pol;
    if (lc->chain->pool_max &&
        pool_new(lc->chain->pool_max, chain_unit_free, &lc->chain->metrics, &a->pool)) {
        policy_set_free(pol);
        free(pol);
        free(a);
        wvm_module_free(m);
        snprintf(msg, cap, "code %s: out of memory for its instance pool", hh);
        return WVM_KIND_RESOURCE_EXHAUSTED;
    }
    out->aux = a;
    out->aux_free = aux_free;
    out->aux_drop = aux_drop;
    out->module = m;
    out->bytes = len;
    out->flags = has_start_section(wasm, len) ? CHAIN_MODULE_HAS_START : 0;
    return WVM_KIND_NONE;
}

wvm_error_kind chain_module_get(wvm_chain *c, st_txn *txn, const wvm_hash *hash,
                                cache_entry **out, char *msg, size_t cap) {
    cache_key k = { *hash, c->cost_hash };
    load_ctx lc = { c, txn };
    return cache_get(c->modules, &k, load, &lc, out, msg, cap);
}

wvm_status wvm_chain_metrics(wvm_chain *c, char **text) {
    cache_stats cs;
    cache_get_stats(c->modules, &cs);
    return metrics_text(&c->metrics, &cs, text);
}

wvm_status wvm_chain_pin(wvm_chain *c, const wvm_hash *code_hash, bool pinned) {
    cache_key k = { *code_hash, c->cost_hash };
    return cache_pin(c->modules, &k, pinned);
}
