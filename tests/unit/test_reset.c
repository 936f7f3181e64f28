/*
 * test_reset.c -- wvm_instance_snapshot and wvm_instance_reset: a call
 * that changes every part of an instance's state (tests/api/reset.wat),
 * then a reset, and the instance reads exactly the snapshot's state;
 * and the instances and calls refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"
#include "test.h"

static wvm_module *load(wvm_engine *e, const char *name) {
    char path[256];
    snprintf(path, sizeof path, "tests/api/%s.wasm", name);
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

/* env.poke(ptr, byte): the host writes the byte into the caller's
 * memory at ptr with wvm_caller_write, and at ptr + 8192 through the
 * pointer wvm_caller_memory gives */
static wvm_status host_poke(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)user;
    (void)results;
    uint8_t b = (uint8_t)args[1].of.i32;
    uint32_t ptr = (uint32_t)args[0].of.i32;
    uint8_t *p = wvm_caller_memory(c, ptr + 8192, 1);
    if (!p) return WVM_ERR_BOUNDS;
    *p = b;
    return wvm_caller_write(c, ptr, &b, 1);
}

typedef struct rig {
    wvm_engine *e;
    wvm_module *m;
    wvm_store *s;
    wvm_instance *inst;
} rig;

static bool rig_open(rig *r) {
    static const wvm_valtype two_i32[] = { WVM_I32, WVM_I32 };
    const wvm_functype pt = { 2, 0, two_i32, NULL };
    memset(r, 0, sizeof *r);
    if (wvm_engine_new(NULL, &r->e) || !(r->m = load(r->e, "reset")) || wvm_store_new(r->e, &r->s)) return false;
    wvm_func *poke;
    wvm_extern k;
    bool ok = wvm_func_new_host(r->s, &pt, host_poke, NULL, &poke) == WVM_OK &&
              wvm_global_new(r->s, wvm_i32(3), false, &k) == WVM_OK &&
              wvm_store_define(r->s, "env", "poke", wvm_extern_func(poke)) == WVM_OK &&
              wvm_store_define(r->s, "env", "k", k) == WVM_OK &&
              wvm_instance_link(r->s, r->m, &r->inst) == WVM_OK;
    if (!ok) test_fail(__FILE__, __LINE__, "reset.wasm: %s", wvm_store_errmsg(r->s));
    return ok;
}

static void rig_close(rig *r) {
    wvm_store_free(r->s);
    wvm_module_free(r->m);
    wvm_engine_free(r->e);
}

/* Calls export name with no argument or one i32; its i32 or i64 result
 * (0 when it has none), or -999 when the call fails. */
static int64_t call(rig *r, const char *name, int narg, int32_t arg) {
    wvm_func *f;
    if (wvm_instance_func(r->inst, name, &f)) return -999;
    wvm_val a = wvm_i32(arg), res[1];
    const wvm_functype *t = wvm_func_type(f);
    wvm_status st = wvm_func_call(r->s, f, &a, (uint32_t)narg, res, t->nresults);
    if (st) return -999;
    return t->nresults ? (res[0].type == WVM_I64 ? res[0].of.i64 : res[0].of.i32) : 0;
}

static int64_t load32(rig *r, int32_t ptr) { return call(r, "load", 1, ptr); }

/* Every part of the state reset.wat's "dirty" changes, as instantiation
 * leaves it. */
static void check_initial_state(rig *r, int line) {
    int failures = 0;
#define SAME(expr, want) do { \
        int64_t got_ = (expr); \
        if (got_ != (int64_t)(want)) { \
            test_fail(__FILE__, line, "%s: %lld, want %lld", #expr, (long long)got_, (long long)(want)); \
            failures++; \
        } \
    } while (0)
    SAME(load32(r, 16), 0x70616e73); /* "snap" */
    SAME(load32(r, 60000), 0);
    SAME(load32(r, 60004), 0);
    SAME(load32(r, 4092), 0);
    SAME(load32(r, 4096), 0);
    SAME(load32(r, 8192), 0);
    SAME(load32(r, 100), 0);
    SAME(load32(r, 200), 0);
    SAME(load32(r, 496), 0);
    SAME(load32(r, 1000), 0);
    SAME(load32(r, 30000), 0);
    SAME(load32(r, 38192), 0);
    SAME(load32(r, 65528), 0);
    SAME(load32(r, 65532), 0);
    SAME(call(r, "pages", 0, 0), 1);
    SAME(wvm_instance_memory_size(r->inst), 65536);
    SAME(call(r, "g", 0, 0), 7);
    SAME(call(r, "h", 0, 0), 100);
    SAME(call(r, "k", 0, 0), 3);
    SAME(call(r, "tsize", 0, 0), 2);
    SAME(call(r, "tcall", 1, 0), 11);
    SAME(call(r, "tnull", 1, 1), 1);
#undef SAME
    (void)failures;
}

/* Runs "dirty" and checks that it changed what it should, so that a
 * reset afterwards has something to undo. */
static bool dirty(rig *r) {
    uint8_t b = 0x55;
    if (call(r, "dirty", 0, 0) == -999) {
        test_fail(__FILE__, __LINE__, "dirty: %s", wvm_store_errmsg(r->s));
        return false;
    }
    /* the embedder writes too: through the instance and the export */
    wvm_extern mem;
    if (wvm_instance_memory_write(r->inst, 40000, &b, 1) || wvm_instance_export(r->inst, "mem", &mem) ||
        wvm_memory_write(r->s, mem, 50000, &b, 1))
        return false;
    CHECK_EQ_INT(load32(r, 16), 0x41414141);
    CHECK_EQ_INT(load32(r, 60000), -1);
    CHECK_EQ_INT(load32(r, 4092), 0x34000000);
    CHECK_EQ_INT(load32(r, 4096), 0x12);
    CHECK_EQ_INT(load32(r, 8192), 9);
    CHECK_EQ_INT(load32(r, 70000), 99);
    CHECK_EQ_INT(load32(r, 100), 0x73736170); /* "pass" */
    CHECK_EQ_INT(load32(r, 200), (int32_t)0xeeeeeeee);
    CHECK_EQ_INT(load32(r, 1000), 0x41414141);
    CHECK_EQ_INT(load32(r, 30000), 0x77);
    CHECK_EQ_INT(load32(r, 38192), 0x77);
    CHECK_EQ_INT(load32(r, 65528), 0x05060708);
    CHECK_EQ_INT(load32(r, 40000), 0x55);
    CHECK_EQ_INT(load32(r, 50000), 0x55);
    CHECK_EQ_INT(call(r, "pages", 0, 0), 3);
    CHECK_EQ_INT(call(r, "g", 0, 0), 42);
    CHECK_EQ_INT(call(r, "h", 0, 0), 5);
    CHECK_EQ_INT(call(r, "tsize", 0, 0), 5);
    CHECK_EQ_INT(call(r, "tcall", 1, 1), 22);
    CHECK_EQ_INT(call(r, "tcall", 1, 2), 11);
    CHECK_EQ_INT(call(r, "tnull", 1, 4), 1);
    /* both passive segments are dropped: initializing from them traps */
    CHECK_EQ_INT(call(r, "init_data", 0, 0), -999);
    CHECK_EQ_INT(call(r, "init_elem", 0, 0), -999);
    return true;
}

TEST(reset_returns_the_snapshot_state) {
    rig r;
    if (!rig_open(&r)) {
        rig_close(&r);
        return;
    }
    REQUIRE(wvm_instance_snapshot(r.inst) == WVM_OK);
    for (int round = 0; round < 3; round++) {
        if (!dirty(&r)) break;
        CHECK_EQ_INT(wvm_instance_reset(r.inst), WVM_OK);
        check_initial_state(&r, __LINE__);
        /* the segments are back: initializing from them works */
        CHECK_EQ_INT(call(&r, "init_data", 0, 0), 0);
        CHECK_EQ_INT(load32(&r, 300), 0x73736170);
        CHECK_EQ_INT(call(&r, "init_elem", 0, 0), -999); /* [2, 4) is past the table of 2 */
        CHECK_EQ_INT(wvm_instance_reset(r.inst), WVM_OK);
        check_initial_state(&r, __LINE__);
    }
    /* a grow after the reset gets zeroed pages, not what was there */
    CHECK_EQ_INT(call(&r, "grow", 1, 2), 1);
    CHECK_EQ_INT(load32(&r, 70000), 0);
    CHECK_EQ_INT(load32(&r, 65536 + 4 * 4096), 0);
    rig_close(&r);
}

TEST(reset_to_a_second_snapshot) {
    rig r;
    if (!rig_open(&r)) {
        rig_close(&r);
        return;
    }
    REQUIRE(wvm_instance_snapshot(r.inst) == WVM_OK);
    REQUIRE(dirty(&r));
    /* the state after "dirty" is the new snapshot */
    REQUIRE(wvm_instance_snapshot(r.inst) == WVM_OK);
    CHECK_EQ_INT(call(&r, "grow", 1, 1), 3);
    uint8_t b = 1;
    CHECK_EQ_INT(wvm_instance_memory_write(r.inst, 16, &b, 1), WVM_OK);
    CHECK_EQ_INT(wvm_instance_reset(r.inst), WVM_OK);
    CHECK_EQ_INT(call(&r, "pages", 0, 0), 3);
    CHECK_EQ_INT(load32(&r, 16), 0x41414141);
    CHECK_EQ_INT(load32(&r, 70000), 99);
    CHECK_EQ_INT(call(&r, "g", 0, 0), 42);
    CHECK_EQ_INT(call(&r, "tsize", 0, 0), 5);
    CHECK_EQ_INT(call(&r, "init_data", 0, 0), -999); /* still dropped */
    rig_close(&r);
}

TEST(reset_refused) {
    rig r;
    if (!rig_open(&r)) {
        rig_close(&r);
        return;
    }
    CHECK_EQ_INT(wvm_instance_snapshot(NULL), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_instance_reset(NULL), WVM_ERR_ARG);
    /* no snapshot yet: nothing to return to, and nothing is changed */
    REQUIRE(dirty(&r));
    CHECK_EQ_INT(wvm_instance_reset(r.inst), WVM_ERR_ARG);
    CHECK(strstr(wvm_store_errmsg(r.s), "no snapshot") != NULL);
    CHECK_EQ_INT(load32(&r, 16), 0x41414141);
    CHECK_EQ_INT(call(&r, "pages", 0, 0), 3);
    rig_close(&r);
}

/* An instance of module `name`, whose one import is x (made in s). */
static wvm_status snapshot_of(wvm_engine *e, const char *name, wvm_store *s, wvm_extern x, wvm_status *inst_st) {
    wvm_module *m = load(e, name);
    if (!m) return WVM_ERR_ARG;
    wvm_instance *inst;
    wvm_status st = WVM_ERR_ARG;
    *inst_st = wvm_instance_new(s, m, &x, 1, &inst);
    if (*inst_st == WVM_OK) st = wvm_instance_snapshot(inst);
    wvm_module_free(m);
    return st;
}

TEST(reset_refuses_shared_imports) {
    wvm_engine *e = NULL;
    wvm_store *s = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    wvm_extern mem, tab, g;
    wvm_status ist;
    REQUIRE(wvm_memory_new(s, 1, 2, &mem) == WVM_OK);
    REQUIRE(wvm_table_new(s, WVM_FUNCREF, 1, 4, &tab) == WVM_OK);
    REQUIRE(wvm_global_new(s, wvm_i32(1), true, &g) == WVM_OK);
    CHECK_EQ_INT(snapshot_of(e, "reset_imemory", s, mem, &ist), WVM_ERR_ARG);
    CHECK_EQ_INT(ist, WVM_OK);
    CHECK(strstr(wvm_store_errmsg(s), "memory is imported") != NULL);
    CHECK_EQ_INT(snapshot_of(e, "reset_itable", s, tab, &ist), WVM_ERR_ARG);
    CHECK_EQ_INT(ist, WVM_OK);
    CHECK(strstr(wvm_store_errmsg(s), "imports a table") != NULL);
    CHECK_EQ_INT(snapshot_of(e, "reset_iglobal", s, g, &ist), WVM_ERR_ARG);
    CHECK_EQ_INT(ist, WVM_OK);
    CHECK(strstr(wvm_store_errmsg(s), "mutable global") != NULL);
    wvm_store_free(s);
    wvm_engine_free(e);
}

/* Each memory's dirty map covers 65536 pages at most (4 GiB, all a
 * wasm32 address reaches): a larger memory is refused even when the
 * engine's limit would allow it. */
TEST(reset_memory_over_4gib_refused) {
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.limits.max_memory_pages = 70000;
    wvm_engine *e = NULL;
    wvm_store *s = NULL;
    REQUIRE(wvm_engine_new(&cfg, &e) == WVM_OK);
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    wvm_extern x;
    CHECK_EQ_INT(wvm_memory_new(s, 65537, UINT32_MAX, &x), WVM_ERR_RESOURCE);
    CHECK(strstr(wvm_store_errmsg(s), "65536") != NULL);
    CHECK(x.ptr == NULL);
    wvm_store_free(s);
    wvm_engine_free(e);
}
