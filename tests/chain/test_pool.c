/*
 * test_pool.c -- the instance pool (src/engine/pool.c, src/chain/call.c):
 * a reused instance is back in its state after _initialize (memory size
 * and contents, globals); a call sequence run with the pool on and off
 * gives the same receipts, fuel and state roots; a budget too small for
 * _initialize fails the same way pooled or not; the pool's metrics.
 */
#include "chaintest.h"

#define ALICE ct_addr(0xa11ce)
#define BOB ct_addr(0xb0b)

/* A fresh chain in build/chaintest/NAME with the pool on (max idle
 * instances per module, 0: default) or off, a runtime of max_frames
 * frames (0: default) and a cache of max_modules (0: default). */
static wvm_chain *chain_with(const char *name, bool on, uint32_t max, uint32_t max_frames,
                             uint32_t max_modules) {
    const char *dir = ct_dir(name);
    if (!dir) return NULL;
    wvm_config rt;
    wvm_config_default(&rt);
    if (max_frames) rt.limits.max_call_depth = max_frames;
    wvm_chain_config cfg;
    wvm_chain_config_default(&cfg);
    cfg.dir = dir;
    cfg.no_sync = true;
    cfg.no_pool = !on;
    cfg.pool_max_idle = max;
    cfg.runtime = &rt;
    cfg.cache_max_entries = max_modules;
    wvm_chain *c = NULL;
    char *err = NULL;
    if (wvm_chain_open(&cfg, &c, &err)) {
        printf("open %s: %s\n", dir, err ? err : "?");
        free(err);
        return NULL;
    }
    return c;
}

static wvm_chain *pool_chain(const char *name, bool on, uint32_t max) {
    return chain_with(name, on, max, 0, 0);
}

static wvm_address deploy_code(wvm_chain *c, const unsigned char *code, size_t len, const char *init) {
    wvm_address addr;
    memset(&addr, 0, sizeof addr);
    wvm_block *b;
    if (wvm_block_begin(c, wvm_chain_height(c) + 1, ct_next_time(c), &b) == WVM_OK) {
        wvm_deploy_args a;
        memset(&a, 0, sizeof a);
        a.code = code;
        a.code_len = len;
        a.deployer = ALICE;
        a.init_params = init;
        wvm_receipt *r = NULL;
        if (wvm_deploy(b, &a, &addr, &r) || !r || r->kind != WVM_KIND_NONE) {
            printf("deploy: %s\n", r ? r->message : wvm_block_errmsg(b));
            memset(&addr, 0, sizeof addr);
        }
        wvm_receipt_free(r);
        if (wvm_block_commit(b, NULL)) memset(&addr, 0, sizeof addr);
    }
    return addr;
}

static wvm_receipt *pcall(wvm_chain *c, wvm_address k, const char *fn, const char *params,
                          uint64_t fuel) {
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = k;
    a.function = fn;
    a.params = params;
    a.sender = ALICE;
    a.fuel = fuel;
    return ct_call(c, ct_next_time(c), &a);
}

/* A metric's value in the Prometheus text of c, -1 when absent. */
static long long metric(wvm_chain *c, const char *name) {
    char *m = NULL;
    if (wvm_chain_metrics(c, &m)) return -1;
    char key[128];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *p = strstr(m, key);
    long long v = p ? strtoll(p + strlen(key), NULL, 10) : -1;
    free(m);
    return v;
}

static bool same_receipt(const wvm_receipt *a, const wvm_receipt *b) {
    if (a->kind != b->kind || strcmp(a->message, b->message) || strcmp(a->result, b->result) ||
        a->fuel_used != b->fuel_used || a->nevents != b->nevents)
        return false;
    for (uint32_t i = 0; i < a->nevents; i++)
        if (strcmp(a->events[i].name, b->events[i].name) ||
            strcmp(a->events[i].attributes, b->events[i].attributes))
            return false;
    return true;
}

/* A call that changes memory size and contents and globals, then calls
 * that check they see the initial image: every one succeeds and costs
 * the same fuel, pooled (hits) or fresh. */
TEST(engine_pool_reset_image) {
    size_t len;
    unsigned char *code = ct_wasm("pool_state", &len);
    REQUIRE(code);
    wvm_chain *on = pool_chain("pool_image_on", true, 0), *off = pool_chain("pool_image_off", false, 0);
    REQUIRE(on && off);
    wvm_address kon = deploy_code(on, code, len, NULL), koff = deploy_code(off, code, len, NULL);
    free(code);
    uint64_t fuel = 0;
    for (int i = 0; i < 4; i++) {
        wvm_receipt *a = pcall(on, kon, "Go", NULL, 0), *b = pcall(off, koff, "Go", NULL, 0);
        REQUIRE(a && b);
        CHECK_EQ_INT(a->kind, WVM_KIND_NONE);
        CHECK_EQ_STR(a->message, "");
        CHECK(same_receipt(a, b));
        if (i) CHECK_EQ_INT(a->fuel_used, fuel);
        fuel = a->fuel_used;
        wvm_receipt_free(a);
        wvm_receipt_free(b);
    }
    /* the first call made the unit (no Initialize: none was asked for);
     * the three others reused it */
    CHECK_EQ_INT(metric(on, "wvm_pool_hits_total"), 3);
    CHECK_EQ_INT(metric(on, "wvm_pool_misses_total"), 1);
    CHECK_EQ_INT(metric(on, "wvm_pool_idle"), 1);
    CHECK_EQ_INT(metric(on, "wvm_instantiations_total"), 1);
    CHECK_EQ_INT(metric(off, "wvm_pool_hits_total"), 0);
    CHECK_EQ_INT(metric(off, "wvm_instantiations_total"), 4);
    /* a budget short of _initialize's loop: out of fuel there, the same
     * outcome and fuel pooled or not, and the idle unit stays usable */
    for (uint64_t f = 20; f <= 400; f += 190) {
        wvm_receipt *a = pcall(on, kon, "Go", NULL, f), *b = pcall(off, koff, "Go", NULL, f);
        REQUIRE(a && b);
        CHECK_EQ_INT(a->kind, WVM_KIND_RESOURCE_EXHAUSTED);
        CHECK(strstr(a->message, "_initialize") != NULL);
        CHECK(same_receipt(a, b));
        wvm_receipt_free(a);
        wvm_receipt_free(b);
    }
    wvm_receipt *a = pcall(on, kon, "Go", NULL, 0);
    REQUIRE(a);
    CHECK_EQ_INT(a->kind, WVM_KIND_NONE);
    CHECK_EQ_INT(a->fuel_used, fuel);
    wvm_receipt_free(a);
    wvm_hash ra, rb;
    wvm_chain_root(on, &ra);
    wvm_chain_root(off, &rb);
    CHECK(!memcmp(&ra, &rb, sizeof ra));
    wvm_chain_close(on);
    wvm_chain_close(off);
}

/* The token example's calls -- transfers, reads, contract errors, a
 * budget that runs out mid-call -- pool on (one idle instance) and off:
 * the same receipts and state roots after every block. */
TEST(engine_pool_same_as_fresh) {
    char path[512];
    snprintf(path, sizeof path, "%s/examples/token.wasm", CT_BUILD);
    size_t len;
    unsigned char *code = test_read_file(path, &len);
    REQUIRE(code);
    wvm_chain *c[2] = { pool_chain("pool_same_on", true, 1), pool_chain("pool_same_off", false, 0) };
    REQUIRE(c[0] && c[1]);
    const char *init = "{\"name\":\"Demo\",\"symbol\":\"DMO\",\"supply\":1000}";
    wvm_address k[2] = { deploy_code(c[0], code, len, init), deploy_code(c[1], code, len, init) };
    free(code);
    char bob[43], alice[43], p[4][256];
    wvm_address ab = BOB, aa = ALICE;
    wvm_address_hex(&ab, bob);
    wvm_address_hex(&aa, alice);
    snprintf(p[0], sizeof p[0], "{\"to\":\"%s\",\"amount\":7}", bob);
    snprintf(p[1], sizeof p[1], "{\"owner\":\"%s\"}", bob);
    snprintf(p[2], sizeof p[2], "{\"to\":\"%s\",\"amount\":999999}", bob);
    snprintf(p[3], sizeof p[3], "{\"to\":\"%s\"", alice);
    struct { const char *fn, *params; uint64_t fuel; } seq[] = {
        { "Transfer", p[0], 0 }, { "BalanceOf", p[1], 0 }, { "Transfer", p[2], 0 },
        { "Transfer", p[0], 0 }, { "Nope", "{}", 0 }, { "Transfer", p[0], 3000 },
        { "Transfer", p[0], 0 }, { "BalanceOf", p[1], 0 }, { "Transfer", p[3], 0 },
        { "TotalSupply", NULL, 0 },
    };
    for (size_t i = 0; i < sizeof seq / sizeof *seq; i++) {
        wvm_receipt *r[2];
        for (int j = 0; j < 2; j++) r[j] = pcall(c[j], k[j], seq[i].fn, seq[i].params, seq[i].fuel);
        REQUIRE(r[0] && r[1]);
        if (getenv("SHOW") || !same_receipt(r[0], r[1]))
            test_fail(__FILE__, __LINE__, "call %zu %s: %s %s %llu vs %s %s %llu", i, seq[i].fn,
                      wvm_error_kind_str(r[0]->kind), r[0]->message,
                      (unsigned long long)r[0]->fuel_used, wvm_error_kind_str(r[1]->kind),
                      r[1]->message, (unsigned long long)r[1]->fuel_used);
        wvm_hash ra, rb;
        wvm_chain_root(c[0], &ra);
        wvm_chain_root(c[1], &rb);
        CHECK(!memcmp(&ra, &rb, sizeof ra));
        wvm_receipt_free(r[0]);
        wvm_receipt_free(r[1]);
    }
    CHECK(metric(c[0], "wvm_pool_hits_total") >= 8);
    CHECK_EQ_INT(metric(c[0], "wvm_pool_idle"), 1);
    wvm_chain_close(c[0]);
    wvm_chain_close(c[1]);
}

/* A start function or _initialize may not call the host: what they
 * leave is reused by the pool without running them again, so it must
 * not depend on the block (init_host reads the height) or the caller
 * (start_host asks for the sender).  Both fail at every call, pooled or
 * not, with the same receipt. */
TEST(engine_pool_init_host) {
    const char *names[2] = { "init_host", "start_host" };
    for (int n = 0; n < 2; n++) {
        size_t len;
        unsigned char *code = ct_wasm(names[n], &len);
        REQUIRE(code);
        char on_dir[64], off_dir[64];
        snprintf(on_dir, sizeof on_dir, "pool_%s_on", names[n]);
        snprintf(off_dir, sizeof off_dir, "pool_%s_off", names[n]);
        wvm_chain *on = pool_chain(on_dir, true, 0), *off = pool_chain(off_dir, false, 0);
        REQUIRE(on && off);
        wvm_address kon = deploy_code(on, code, len, NULL), koff = deploy_code(off, code, len, NULL);
        free(code);
        for (int i = 0; i < 3; i++) {
            wvm_receipt *a = pcall(on, kon, "Go", NULL, 0), *b = pcall(off, koff, "Go", NULL, 0);
            REQUIRE(a && b);
            CHECK_EQ_INT(a->kind, WVM_KIND_INSTANCE_CREATION_FAILED);
            CHECK(strstr(a->message, "while it initializes") != NULL);
            CHECK(strstr(a->message, n ? "call_host_set" : "get_block_height") != NULL);
            CHECK(same_receipt(a, b));
            wvm_receipt_free(a);
            wvm_receipt_free(b);
        }
        wvm_chain_close(on);
        wvm_chain_close(off);
    }
}

/* A call of fn of k by sender, in a block of its own (fuel 0: default). */
static wvm_receipt *call_from(wvm_chain *c, wvm_address k, const char *fn, wvm_address sender,
                              uint64_t fuel) {
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = k;
    a.function = fn;
    a.sender = sender;
    a.fuel = fuel;
    return ct_call(c, ct_next_time(c), &a);
}

/* Callees' instances kept in a pooled store (unit_callee, call.c) give
 * what fresh ones give.  nest calls itself N - 1 times, then deep_init,
 * whose _initialize recurses 40 frames: with 100 frames in all, deep
 * enough a chain leaves it too little room, and its fresh
 * initialization exhausts the stack.  Depths on both sides of that, in
 * an order that keeps instances made with much room and with little,
 * and budgets on both sides of the callee's initialization fuel: every
 * receipt the same pooled or not. */
TEST(engine_pool_callees) {
    size_t nlen, dlen;
    unsigned char *nest = ct_wasm("nest", &nlen), *deep = ct_wasm("deep_init", &dlen);
    REQUIRE(nest && deep);
    wvm_chain *c[2] = { chain_with("pool_callees_on", true, 0, 100, 0),
                        chain_with("pool_callees_off", false, 0, 100, 0) };
    REQUIRE(c[0] && c[1]);
    wvm_address kn[2], kd[2];
    for (int i = 0; i < 2; i++) {
        kn[i] = deploy_code(c[i], nest, nlen, NULL);
        kd[i] = deploy_code(c[i], deep, dlen, NULL);
    }
    free(nest);
    free(deep);
    CHECK(!memcmp(&kd[0], &kd[1], sizeof kd[0]));
    static const int depths[] = { 1, 1, 59, 2, 58, 59, 58, 57, 1, 60, 30, 58, 1, 1, 2 };
    char name[64];
    int ok = 0, exhausted = 0;
    for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
        memset(name, 'a', (size_t)depths[d]);
        name[depths[d]] = 0;
        wvm_receipt *r[2] = { call_from(c[0], kn[0], name, kd[0], 0), call_from(c[1], kn[1], name, kd[1], 0) };
        REQUIRE(r[0] && r[1]);
        if (!same_receipt(r[0], r[1]))
            printf("  depth %d: pooled %d %s (fuel %llu), fresh %d %s (fuel %llu)\n", depths[d], r[0]->kind,
                   r[0]->message, (unsigned long long)r[0]->fuel_used, r[1]->kind, r[1]->message,
                   (unsigned long long)r[1]->fuel_used);
        CHECK(same_receipt(r[0], r[1]));
        if (r[0]->kind == WVM_KIND_NONE) ok++;
        if (strstr(r[0]->message, "stack exhausted in _initialize")) exhausted++;
        wvm_receipt_free(r[0]);
        wvm_receipt_free(r[1]);
    }
    CHECK(ok >= 8);                              /* both outcomes were seen */
    CHECK(exhausted >= 3);
    CHECK(metric(c[0], "wvm_pool_callee_hits_total") >= 6);
    CHECK_EQ_INT(metric(c[1], "wvm_pool_callee_hits_total"), 0);
    /* budgets around what the callee's initialization costs, at depth 1 */
    wvm_receipt *one = call_from(c[1], kn[1], "a", kd[1], 0);
    REQUIRE(one && one->kind == WVM_KIND_NONE);
    uint64_t base = one->fuel_used;
    wvm_receipt_free(one);
    for (uint64_t f = base > 400 ? base - 400 : 1; f <= base + 10; f += 7) {
        wvm_receipt *r[2] = { call_from(c[0], kn[0], "a", kd[0], f), call_from(c[1], kn[1], "a", kd[1], f) };
        REQUIRE(r[0] && r[1]);
        CHECK(same_receipt(r[0], r[1]));
        wvm_receipt_free(r[0]);
        wvm_receipt_free(r[1]);
    }
    wvm_hash root[2];
    for (int i = 0; i < 2; i++) wvm_chain_root(c[i], &root[i]);
    CHECK(!memcmp(&root[0], &root[1], sizeof root[0]));
    wvm_chain_close(c[0]);
    wvm_chain_close(c[1]);
}

/* A contract that calls itself keeps an instance of its own module in
 * its unit, so the unit holds its own cache entry.  When the entry is
 * evicted its idle units go (aux_drop), or entry and unit would keep
 * each other alive for good: ASan's leak check (make asan) fails this
 * test then.  The calls before and after the eviction agree with a
 * chain without the pool. */
TEST(engine_pool_self_call_evicted) {
    size_t plen, dlen;
    unsigned char *probe = ct_wasm("call_probe", &plen), *deep = ct_wasm("deep_init", &dlen);
    REQUIRE(probe && deep);
    wvm_chain *c[2] = { chain_with("pool_self_on", true, 0, 0, 1), chain_with("pool_self_off", false, 0, 0, 1) };
    REQUIRE(c[0] && c[1]);
    wvm_address kp[2], kd[2];
    for (int i = 0; i < 2; i++) {
        kp[i] = deploy_code(c[i], probe, plen, NULL);
        kd[i] = deploy_code(c[i], deep, dlen, NULL);
    }
    free(probe);
    free(deep);
    static const char *const steps[] = { "x", "x", "i", "x", "x", "i", "i", "x" };
    for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
        wvm_receipt *r[2];
        for (int i = 0; i < 2; i++)
            r[i] = pcall(c[i], steps[s][0] == 'x' ? kp[i] : kd[i], steps[s], NULL, 0);
        REQUIRE(r[0] && r[1]);
        CHECK_EQ_INT(r[0]->kind, WVM_KIND_NONE);
        CHECK(same_receipt(r[0], r[1]));
        wvm_receipt_free(r[0]);
        wvm_receipt_free(r[1]);
    }
    CHECK(metric(c[0], "wvm_pool_callee_hits_total") >= 2);
    CHECK(metric(c[0], "wvm_cache_evictions_total") >= 3);
    wvm_chain_close(c[0]);
    wvm_chain_close(c[1]);
}
