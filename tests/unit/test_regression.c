/*
 * test_regression.c -- one test per bug of tests/regression/README.md:
 * each replays its reproducer through the same API path, so it fails
 * while the bug exists (some only under `make asan`, where the bug is a
 * sanitizer report; each says so).
 *
 * Paths are relative to the repository root: the unit tests run from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"
#include "test.h"

/* Loads tests/regression/NAME.wasm into e; NULL (and a failure) if it
 * cannot. */
static wvm_module *load(wvm_engine *e, const char *name) {
    char path[256];
    snprintf(path, sizeof path, "tests/regression/%s.wasm", name);
    size_t len = 0;
    uint8_t *bytes = test_read_file(path, &len);
    if (!bytes) {
        test_fail(__FILE__, __LINE__, "cannot read %s", path);
        return NULL;
    }
    wvm_module *m = NULL;
    wvm_status st = wvm_module_new(e, bytes, len, &m);
    free(bytes);
    if (st) {
        test_fail(__FILE__, __LINE__, "%s: %s", path, m ? wvm_module_errmsg(m) : wvm_status_str(st));
        wvm_module_free(m);
        return NULL;
    }
    return m;
}

/* ---- host re-entry at the frame limit (reenter-at-depth.wat) ---- */

typedef struct reenter {
    wvm_func *again;
    int32_t max_level;   /* re-enter until this level */
    int32_t deepest;     /* deepest level reached */
} reenter;

/* env.host(level): calls "again"(level + 1), which calls env.host again,
 * until max_level; a failure of the nested call ends this one too. */
static wvm_status reenter_host(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    reenter *r = user;
    int32_t level = args[0].of.i32;
    if (level > r->deepest) r->deepest = level;
    if (level >= r->max_level) {
        results[0] = wvm_i32(level);
        return WVM_OK;
    }
    wvm_val a = wvm_i32(level + 1), res;
    wvm_status st = wvm_func_call(wvm_caller_store(c), r->again, &a, 1, &res, 1);
    if (st) return st;
    results[0] = res;
    return WVM_OK;
}

typedef struct reenter_rig {
    wvm_engine *e;
    wvm_module *m;
    wvm_store *s;
    wvm_func *deep;
    reenter r;
} reenter_rig;

static bool reenter_open(reenter_rig *g, const wvm_limits *lim) {
    memset(g, 0, sizeof *g);
    wvm_config cfg;
    wvm_config_default(&cfg);
    if (lim) cfg.limits = *lim;
    if (wvm_engine_new(&cfg, &g->e)) return false;
    if (!(g->m = load(g->e, "reenter-at-depth"))) return false;
    if (wvm_store_new(g->e, &g->s)) return false;
    static const wvm_valtype i32[] = { WVM_I32 };
    const wvm_functype t = { 1, 1, i32, i32 };
    wvm_func *h;
    if (wvm_func_new_host(g->s, &t, reenter_host, &g->r, &h)) return false;
    wvm_extern imp = { WVM_EXTERN_FUNC, h };
    wvm_instance *inst;
    if (wvm_instance_new(g->s, g->m, &imp, 1, &inst)) return false;
    return wvm_instance_func(inst, "deep", &g->deep) == WVM_OK &&
           wvm_instance_func(inst, "again", &g->r.again) == WVM_OK;
}

static void reenter_close(reenter_rig *g) {
    wvm_store_free(g->s);
    wvm_module_free(g->m);
    wvm_engine_free(g->e);
}

static wvm_status deep(reenter_rig *g, int32_t n, int32_t levels, int32_t *res) {
    g->r.max_level = levels;
    g->r.deepest = -1;
    wvm_val a = wvm_i32(n), r = wvm_i32(-1);
    wvm_status st = wvm_func_call(g->s, g->deep, &a, 1, &r, 1);
    *res = r.of.i32;
    return st;
}

/* The reproducer: depth 1023 of 1024, then 20 re-entries.  Each
 * host call pushed a frame past the end of the frame array (SIGSEGV in a
 * plain build, heap-buffer-overflow under ASan). */
TEST(regression_reenter_at_frame_limit) {
    reenter_rig g;
    REQUIRE(reenter_open(&g, NULL));
    int32_t res;
    CHECK_EQ_INT(deep(&g, 1023, 20, &res), WVM_TRAP_STACK_EXHAUSTED);
    CHECK(strstr(wvm_store_errmsg(g.s), "call stack exhausted") != NULL);
    /* the store is still usable, and shallow re-entry still works */
    CHECK_EQ_INT(deep(&g, 10, 20, &res), WVM_OK);
    CHECK_EQ_INT(res, 20);
    reenter_close(&g);
}

/* Every depth near the limit: the frames of the guest, of each host
 * call and of each re-entered guest all count, so the deepest run that
 * succeeds uses exactly the limit and one more level fails. */
TEST(regression_reenter_every_depth_near_limit) {
    reenter_rig g;
    REQUIRE(reenter_open(&g, NULL));
    for (int32_t n = 980; n <= 1030; n++) {
        int32_t res;
        wvm_status st = deep(&g, n, 20, &res);
        /* frames: n guest calls, then one host call per level 0..20
         * (a re-entered "again" runs in the frame of the host call) */
        int32_t frames_needed = n + 21;
        if (frames_needed <= 1024) {
            CHECK_EQ_INT(st, WVM_OK);
            CHECK_EQ_INT(res, 20);
        } else {
            CHECK_EQ_INT(st, WVM_TRAP_STACK_EXHAUSTED);
        }
    }
    reenter_close(&g);
}

/* The value stack across re-entries: a small stack runs out in the
 * re-entered calls, never past its end. */
TEST(regression_reenter_value_stack_limit) {
    wvm_limits lim = { 0 };
    lim.max_stack_slots = 64;
    lim.max_call_depth = 100000;
    reenter_rig g;
    REQUIRE(reenter_open(&g, &lim));
    int32_t res;
    for (int32_t n = 0; n < 40; n++) {
        wvm_status st = deep(&g, n, 1000, &res);
        CHECK_EQ_INT(st, WVM_TRAP_STACK_EXHAUSTED);
        /* the value stack ran out, not the re-entry depth */
        CHECK(strstr(wvm_store_errmsg(g.s), "re-entry") == NULL);
    }
    CHECK_EQ_INT(deep(&g, 0, 2, &res), WVM_OK);
    CHECK_EQ_INT(res, 2);
    reenter_close(&g);
}

/* ---- huge fuel charges (charge-huge.wat) ---- */

/* env.charge(): charges *(uint64_t *)user. */
static wvm_status charge_host(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)args;
    (void)results;
    return wvm_caller_charge(c, *(const uint64_t *)user);
}

/* Signed overflow in the charge path (UBSan, so this test fails under
 * `make asan` without the fix; a plain build happened to answer right).
 * Every charge of 2^62 or more is out of fuel, with unlimited fuel too, and
 * leaves the store usable; smaller ones are paid when the budget has
 * them. */
TEST(regression_huge_fuel_charge) {
    wvm_engine *e = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    wvm_module *m = load(e, "charge-huge");
    wvm_store *s = NULL;
    REQUIRE(m && wvm_store_new(e, &s) == WVM_OK);
    uint64_t cost = 0;
    const wvm_functype t = { 0, 0, NULL, NULL };
    wvm_func *h, *run;
    REQUIRE(wvm_func_new_host(s, &t, charge_host, &cost, &h) == WVM_OK);
    wvm_extern imp = { WVM_EXTERN_FUNC, h };
    wvm_instance *inst;
    REQUIRE(wvm_instance_new(s, m, &imp, 1, &inst) == WVM_OK);
    REQUIRE(wvm_instance_func(inst, "run", &run) == WVM_OK);
    static const uint64_t huge[] = {
        UINT64_MAX, UINT64_MAX - 1, (1ull << 63) + 1, 1ull << 63, (1ull << 63) - 1,
        (1ull << 62) + 1, 1ull << 62, 0xdeadbeefcafef00dull,
    };
    static const uint64_t limits[] = { UINT64_MAX, 1000, 0 };
    for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
        for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
            cost = huge[i];
            wvm_store_set_fuel(s, limits[l]);
            wvm_val r;
            CHECK_EQ_INT(wvm_func_call(s, run, NULL, 0, &r, 1), WVM_TRAP_OUT_OF_FUEL);
            CHECK(wvm_store_fuel_used(s) <= limits[l]);
        }
    }
    /* the largest charge that can be paid, with unlimited fuel */
    wvm_store_set_fuel(s, UINT64_MAX);
    cost = (1ull << 62) - 1;
    wvm_val r;
    CHECK_EQ_INT(wvm_func_call(s, run, NULL, 0, &r, 1), WVM_OK);
    CHECK_EQ_INT(r.of.i32, 7);
    CHECK(wvm_store_fuel_used(s) > cost && wvm_store_fuel_used(s) < cost + 100);
    /* and a limit that pays exactly */
    cost = 500;
    wvm_store_set_fuel(s, 10000);
    CHECK_EQ_INT(wvm_func_call(s, run, NULL, 0, &r, 1), WVM_OK);
    uint64_t used = wvm_store_fuel_used(s);
    wvm_store_set_fuel(s, used);
    CHECK_EQ_INT(wvm_func_call(s, run, NULL, 0, &r, 1), WVM_OK);
    wvm_store_set_fuel(s, used - 1);
    CHECK_EQ_INT(wvm_func_call(s, run, NULL, 0, &r, 1), WVM_TRAP_OUT_OF_FUEL);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}
