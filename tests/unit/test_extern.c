/*
 * test_extern.c -- the extern side of the API (include/wvm.h): types of
 * imports and exports, globals and memories through externs, names with
 * lengths, host results, and objects of one store refused by another.
 *
 * Guests: tests/api/NAME.wat (wat2wasm into NAME.wasm beside them).  Paths
 * are relative to the repository root: the unit tests run from it.
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

/* ---- types of imports and exports ---- */

TEST(extern_import_and_export_types) {
    wvm_engine *e = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    wvm_module *m = load(e, "types");
    REQUIRE(m);
    wvm_externtype t;
    REQUIRE(wvm_module_import_count(m) == 5);
    CHECK_EQ_INT(wvm_module_import_type(m, 0, &t), WVM_OK);
    CHECK_EQ_INT(t.kind, WVM_EXTERN_FUNC);
    CHECK_EQ_INT(t.of.func.nparams, 2);
    CHECK_EQ_INT(t.of.func.nresults, 1);
    if (t.of.func.nparams == 2 && t.of.func.nresults == 1) {
        CHECK_EQ_INT(t.of.func.params[0], WVM_I32);
        CHECK_EQ_INT(t.of.func.params[1], WVM_I64);
        CHECK_EQ_INT(t.of.func.results[0], WVM_F32);
    }
    CHECK_EQ_INT(wvm_module_import_type(m, 1, &t), WVM_OK);
    CHECK_EQ_INT(t.kind, WVM_EXTERN_TABLE);
    CHECK_EQ_INT(t.of.table.elem, WVM_FUNCREF);
    CHECK_EQ_INT(t.of.table.min, 1);
    CHECK_EQ_INT(t.of.table.max, 10);
    CHECK_EQ_INT(wvm_module_import_type(m, 2, &t), WVM_OK);
    CHECK_EQ_INT(t.kind, WVM_EXTERN_MEMORY);
    CHECK_EQ_INT(t.of.memory.min, 2);
    CHECK_EQ_INT(t.of.memory.max, UINT32_MAX);
    CHECK_EQ_INT(wvm_module_import_type(m, 3, &t), WVM_OK);
    CHECK_EQ_INT(t.kind, WVM_EXTERN_GLOBAL);
    CHECK_EQ_INT(t.of.global.type, WVM_I64);
    CHECK(t.of.global.mutable_);
    CHECK_EQ_INT(wvm_module_import_type(m, 4, &t), WVM_OK);
    CHECK_EQ_INT(t.of.global.type, WVM_F32);
    CHECK(!t.of.global.mutable_);
    CHECK_EQ_INT(wvm_module_import_type(m, 5, &t), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(t.kind, 0);

    /* exports, by name (their order is the module's) */
    uint32_t n = wvm_module_export_count(m);
    CHECK_EQ_INT(n, 7);
    int seen = 0;
    for (uint32_t i = 0; i < n; i++) {
        const char *name;
        uint32_t len;
        wvm_externkind kind;
        wvm_module_export(m, i, &name, &len, &kind);
        REQUIRE(wvm_module_export_type(m, i, &t) == WVM_OK);
        CHECK_EQ_INT(t.kind, kind);
        if (strcmp(name, "fx") == 0) {
            seen++;
            CHECK(t.of.func.nparams == 1 && t.of.func.params[0] == WVM_F64);
            CHECK(t.of.func.nresults == 2 && t.of.func.results[0] == WVM_I32 && t.of.func.results[1] == WVM_I64);
        } else if (strcmp(name, "fi") == 0) { /* the imported function, re-exported */
            seen++;
            CHECK(t.of.func.nparams == 2 && t.of.func.results[0] == WVM_F32);
        } else if (strcmp(name, "tx") == 0) {
            seen++;
            CHECK(t.of.table.elem == WVM_FUNCREF && t.of.table.min == 1 && t.of.table.max == 10);
        } else if (strcmp(name, "town") == 0) {
            seen++;
            CHECK(t.of.table.elem == WVM_EXTERNREF && t.of.table.min == 3 && t.of.table.max == UINT32_MAX);
        } else if (strcmp(name, "mx") == 0) {
            seen++;
            CHECK(t.of.memory.min == 2 && t.of.memory.max == UINT32_MAX);
        } else if (strcmp(name, "gx") == 0) {
            seen++;
            CHECK(t.of.global.type == WVM_I64 && t.of.global.mutable_);
        } else if (strcmp(name, "gown") == 0) {
            seen++;
            CHECK(t.of.global.type == WVM_F64 && t.of.global.mutable_);
        }
    }
    CHECK_EQ_INT(seen, 7);
    CHECK_EQ_INT(wvm_module_export_type(m, 7, &t), WVM_ERR_NOT_FOUND);
    wvm_module_free(m);

    /* a failed module has no imports or exports to describe */
    static const uint8_t junk[] = { 0, 'a', 's', 'm', 9, 0, 0, 0 };
    REQUIRE(wvm_module_new(e, junk, sizeof junk, &m) != WVM_OK);
    CHECK_EQ_INT(wvm_module_import_type(m, 0, &t), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_module_export_type(m, 0, &t), WVM_ERR_ARG);
    wvm_module_free(m);
    wvm_engine_free(e);
}

/* ---- a rig for extern.wat ---- */

typedef struct host_ctl {
    bool set_result;        /* env.h: set results[0] or not */
    wvm_valtype type;       /* of the result it sets */
    wvm_func *ref;          /* env.r returns this funcref */
} host_ctl;

static wvm_status host_h(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c;
    (void)args;
    host_ctl *h = user;
    if (h->set_result) {
        results[0] = h->type == WVM_I64 ? wvm_i64(7) : wvm_i32(7);
    }
    return WVM_OK;
}

static wvm_status host_r(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c;
    (void)args;
    host_ctl *h = user;
    results[0].type = WVM_FUNCREF;
    results[0].of.func = h->ref;
    return WVM_OK;
}

typedef struct rig {
    wvm_engine *e;
    wvm_module *m;
    wvm_store *s;
    wvm_instance *inst;
    host_ctl h;
    wvm_extern g;           /* the imported global "m\0x"."g" */
} rig;

/* Instantiates extern.wat in a new store, linking by name. */
static bool rig_store(rig *r, wvm_store **out, wvm_instance **inst, wvm_extern *gout) {
    static const wvm_valtype i32[] = { WVM_I32 }, fref[] = { WVM_FUNCREF };
    const wvm_functype ht = { 0, 1, NULL, i32 }, rt = { 0, 1, NULL, fref };
    wvm_store *s = NULL;
    wvm_func *h, *rf;
    wvm_extern g = { 0, NULL };
    if (wvm_store_new(r->e, &s)) return false;
    *out = s;
    bool ok = wvm_func_new_host(s, &ht, host_h, &r->h, &h) == WVM_OK &&
           wvm_func_new_host(s, &rt, host_r, &r->h, &rf) == WVM_OK &&
           wvm_global_new(s, wvm_i64(-3), true, &g) == WVM_OK &&
           wvm_store_define(s, "env", "h", wvm_extern_func(h)) == WVM_OK &&
           wvm_store_define_n(s, "env", 3, "r", 1, wvm_extern_func(rf)) == WVM_OK &&
           /* a module name with a NUL in it: only the _n form can say it */
           wvm_store_define_n(s, "m\0x", 3, "g", 1, g) == WVM_OK &&
           wvm_instance_link(s, r->m, inst) == WVM_OK;
    *gout = g;
    return ok;
}

static bool rig_open(rig *r) {
    memset(r, 0, sizeof *r);
    r->h.set_result = true;
    r->h.type = WVM_I32;
    if (wvm_engine_new(NULL, &r->e) || !(r->m = load(r->e, "extern"))) return false;
    if (!rig_store(r, &r->s, &r->inst, &r->g)) {
        test_fail(__FILE__, __LINE__, "extern.wasm: %s", r->s ? wvm_store_errmsg(r->s) : "no store");
        return false;
    }
    return true;
}

static void rig_close(rig *r) {
    wvm_store_free(r->s);
    wvm_module_free(r->m);
    wvm_engine_free(r->e);
}

static wvm_status call0(wvm_store *s, wvm_instance *inst, const char *name, wvm_val *res) {
    wvm_func *f;
    wvm_status st = wvm_instance_func(inst, name, &f);
    if (st) return st;
    return wvm_func_call(s, f, NULL, 0, res, 1);
}

/* ---- globals ---- */

TEST(extern_global_set) {
    rig r;
    REQUIRE(rig_open(&r));
    wvm_extern cnt, k;
    REQUIRE(wvm_instance_export(r.inst, "cnt", &cnt) == WVM_OK);
    REQUIRE(wvm_instance_export(r.inst, "k", &k) == WVM_OK);
    wvm_val v;
    CHECK_EQ_INT(wvm_global_get(r.s, cnt, &v), WVM_OK);
    CHECK(v.type == WVM_I32 && v.of.i32 == 5);
    /* the guest sees what the embedder set */
    CHECK_EQ_INT(wvm_global_set(r.s, cnt, wvm_i32(-9)), WVM_OK);
    wvm_val res;
    CHECK_EQ_INT(call0(r.s, r.inst, "get_cnt", &res), WVM_OK);
    CHECK_EQ_INT(res.of.i32, -9);
    /* the wrong type, an immutable global, not a global */
    CHECK_EQ_INT(wvm_global_set(r.s, cnt, wvm_i64(1)), WVM_ERR_TYPE);
    CHECK(strstr(wvm_store_errmsg(r.s), "i32") != NULL);
    CHECK_EQ_INT(wvm_global_set(r.s, k, wvm_f64(2.5)), WVM_ERR_ARG);
    CHECK(strstr(wvm_store_errmsg(r.s), "immutable") != NULL);
    CHECK_EQ_INT(wvm_global_get(r.s, k, &v), WVM_OK);
    CHECK(v.type == WVM_F64 && v.of.f64 == 1.5);
    wvm_extern mem;
    REQUIRE(wvm_instance_export(r.inst, "mem", &mem) == WVM_OK);
    CHECK_EQ_INT(wvm_global_set(r.s, mem, wvm_i32(1)), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_global_get(r.s, mem, &v), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_global_get(r.s, (wvm_extern){ WVM_EXTERN_GLOBAL, NULL }, &v), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_global_get(r.s, (wvm_extern){ (wvm_externkind)7, cnt.ptr }, &v), WVM_ERR_ARG);
    /* the imported global, made by wvm_global_new */
    CHECK_EQ_INT(call0(r.s, r.inst, "get_g", &res), WVM_OK);
    CHECK_EQ_INT(res.of.i64, -3);
    CHECK_EQ_INT(wvm_global_set(r.s, r.g, wvm_i64(1ll << 40)), WVM_OK);
    CHECK_EQ_INT(call0(r.s, r.inst, "get_g", &res), WVM_OK);
    CHECK_EQ_INT(res.of.i64, 1ll << 40);
    /* i32 globals keep 32 bits: the guest's and the embedder's view agree */
    CHECK_EQ_INT(wvm_global_set(r.s, cnt, wvm_i32(-1)), WVM_OK);
    CHECK_EQ_INT(wvm_global_get(r.s, cnt, &v), WVM_OK);
    CHECK_EQ_INT(v.of.i64, 0xffffffffll);
    rig_close(&r);
}

/* ---- memories ---- */

TEST(extern_memory_ops) {
    rig r;
    REQUIRE(rig_open(&r));
    wvm_extern mem;
    REQUIRE(wvm_instance_export(r.inst, "mem", &mem) == WVM_OK);
    uint32_t pages = 99, old = 99;
    CHECK_EQ_INT(wvm_memory_size(r.s, mem, &pages), WVM_OK);
    CHECK_EQ_INT(pages, 1);
    /* what the embedder writes, the guest loads */
    const uint8_t word[4] = { 0x78, 0x56, 0x34, 0x12 };
    CHECK_EQ_INT(wvm_memory_write(r.s, mem, 65532, word, 4), WVM_OK);
    wvm_func *load_fn;
    REQUIRE(wvm_instance_func(r.inst, "load", &load_fn) == WVM_OK);
    wvm_val a = wvm_i32(65532), res;
    CHECK_EQ_INT(wvm_func_call(r.s, load_fn, &a, 1, &res, 1), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 0x12345678);
    uint8_t back[4] = { 0 };
    CHECK_EQ_INT(wvm_memory_read(r.s, mem, 65532, back, 4), WVM_OK);
    CHECK(memcmp(back, word, 4) == 0);
    /* bounds: one byte past, a wrapping pointer, length 0 at the end */
    CHECK_EQ_INT(wvm_memory_write(r.s, mem, 65533, word, 4), WVM_ERR_BOUNDS);
    CHECK_EQ_INT(wvm_memory_read(r.s, mem, 0xfffffffeu, back, 4), WVM_ERR_BOUNDS);
    CHECK_EQ_INT(wvm_memory_read(r.s, mem, 65536, back, 0), WVM_OK);
    CHECK_EQ_INT(wvm_memory_read(r.s, mem, 65537, back, 0), WVM_ERR_BOUNDS);
    /* grow: the guest sees the new size; the maximum (3) holds */
    CHECK_EQ_INT(wvm_memory_grow(r.s, mem, 2, &old), WVM_OK);
    CHECK_EQ_INT(old, 1);
    CHECK_EQ_INT(call0(r.s, r.inst, "size", &res), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 3);
    CHECK_EQ_INT(wvm_memory_write(r.s, mem, 3 * 65536 - 4, word, 4), WVM_OK);
    CHECK_EQ_INT(wvm_memory_grow(r.s, mem, 1, &old), WVM_ERR_RESOURCE);
    CHECK_EQ_INT(wvm_memory_grow(r.s, mem, 0, &old), WVM_OK);
    CHECK_EQ_INT(old, 3);
    CHECK_EQ_INT(wvm_memory_size(r.s, mem, &pages), WVM_OK);
    CHECK_EQ_INT(pages, 3);
    /* a memory made by the embedder, and externs that are not memories */
    wvm_extern own, cnt;
    CHECK_EQ_INT(wvm_memory_new(r.s, 0, 1, &own), WVM_OK);
    CHECK_EQ_INT(wvm_memory_size(r.s, own, &pages), WVM_OK);
    CHECK_EQ_INT(pages, 0);
    CHECK_EQ_INT(wvm_memory_read(r.s, own, 0, back, 1), WVM_ERR_BOUNDS);
    CHECK_EQ_INT(wvm_memory_grow(r.s, own, 1, &old), WVM_OK);
    CHECK_EQ_INT(wvm_memory_read(r.s, own, 65535, back, 1), WVM_OK);
    CHECK_EQ_INT(wvm_memory_new(r.s, 2, 1, &own), WVM_ERR_ARG);
    CHECK(own.ptr == NULL);
    REQUIRE(wvm_instance_export(r.inst, "cnt", &cnt) == WVM_OK);
    CHECK_EQ_INT(wvm_memory_size(r.s, cnt, &pages), WVM_ERR_ARG);
    CHECK(strstr(wvm_store_errmsg(r.s), "not a memory") != NULL);
    CHECK_EQ_INT(wvm_memory_grow(r.s, cnt, 1, &old), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_memory_read(r.s, cnt, 0, back, 1), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_memory_write(r.s, cnt, 0, back, 1), WVM_ERR_ARG);
    rig_close(&r);
}

/* ---- functions as externs, names with lengths ---- */

TEST(extern_func_helpers_and_names) {
    rig r;
    REQUIRE(rig_open(&r));
    wvm_func *f = NULL;
    /* "a\0b" is its own export; the C-string form sees only "a" */
    CHECK_EQ_INT(wvm_instance_func_n(r.inst, "a\0b", 3, &f), WVM_OK);
    wvm_val res;
    REQUIRE(f != NULL);
    CHECK_EQ_INT(wvm_func_call(r.s, f, NULL, 0, &res, 1), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 42);
    CHECK_EQ_INT(wvm_instance_func(r.inst, "a\0b", &f), WVM_OK);
    CHECK_EQ_INT(wvm_func_call(r.s, f, NULL, 0, &res, 1), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 1);
    CHECK_EQ_INT(wvm_instance_func_n(r.inst, "a\0c", 3, &f), WVM_ERR_NOT_FOUND);
    CHECK(f == NULL);
    CHECK_EQ_INT(wvm_instance_func_n(r.inst, "cnt", 3, &f), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(wvm_instance_func_n(r.inst, NULL, 1, &f), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_instance_func(r.inst, NULL, &f), WVM_ERR_ARG);
    wvm_extern x;
    CHECK_EQ_INT(wvm_instance_export(r.inst, NULL, &x), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_instance_export_n(r.inst, "a\0b", 3, &x), WVM_OK);
    /* an extern from a function and back */
    wvm_func *g = wvm_extern_as_func(x);
    CHECK(g != NULL);
    x = wvm_extern_func(g);
    CHECK_EQ_INT(x.kind, WVM_EXTERN_FUNC);
    CHECK(x.ptr == g);
    REQUIRE(wvm_instance_export(r.inst, "mem", &x) == WVM_OK);
    CHECK(wvm_extern_as_func(x) == NULL);
    /* a NUL form of define cannot say "m\0x"; its link fails by name */
    wvm_store *s2 = NULL;
    REQUIRE(wvm_store_new(r.e, &s2) == WVM_OK);
    wvm_extern gl;
    REQUIRE(wvm_global_new(s2, wvm_i64(0), true, &gl) == WVM_OK);
    CHECK_EQ_INT(wvm_store_define(s2, "m\0x", "g", gl), WVM_OK);
    CHECK_EQ_INT(wvm_store_define(s2, NULL, "g", gl), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_store_define_n(s2, "m", 1, NULL, 1, gl), WVM_ERR_ARG);
    wvm_instance *inst = NULL;
    CHECK_EQ_INT(wvm_instance_link(s2, r.m, &inst), WVM_ERR_LINK);
    wvm_store_free(s2);
    rig_close(&r);
}

/* ---- host results ---- */

/* A host function that returns WVM_OK without setting its result used to
 * pass on whatever the result array held (a message about a stale type,
 * or garbage).  Now: a trap naming the function and the result. */
TEST(extern_host_result_unset) {
    rig r;
    REQUIRE(rig_open(&r));
    wvm_val res;
    CHECK_EQ_INT(call0(r.s, r.inst, "call_h", &res), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 7);
    r.h.set_result = false;
    CHECK_EQ_INT(call0(r.s, r.inst, "call_h", &res), WVM_TRAP_HOST);
    CHECK(strstr(wvm_store_errmsg(r.s), "host function env.h returned without setting result 0") != NULL);
    /* twice in a row: nothing of the first call's result is left over */
    CHECK_EQ_INT(call0(r.s, r.inst, "call_h", &res), WVM_TRAP_HOST);
    r.h.set_result = true;
    r.h.type = WVM_I64;
    CHECK_EQ_INT(call0(r.s, r.inst, "call_h", &res), WVM_TRAP_HOST);
    CHECK(strstr(wvm_store_errmsg(r.s), "env.h returned the wrong type for result 0 (i64 where i32") != NULL);
    r.h.type = WVM_I32;
    CHECK_EQ_INT(call0(r.s, r.inst, "call_h", &res), WVM_OK);
    rig_close(&r);
}

/* ---- objects of one store used through another ---- */

/* Each entry point that takes a store and an object checks the owner:
 * before, wvm_func_call(s2, f_of_s1) ran f in s1's instance on s2's
 * stacks, and wvm_instance_new(s2, ...) linked s1's objects. */
TEST(extern_objects_of_another_store) {
    rig r;
    REQUIRE(rig_open(&r));
    wvm_store *s2 = NULL;
    wvm_instance *inst2 = NULL;
    rig r2 = r; /* the same host controls */
    wvm_extern g2;
    REQUIRE(rig_store(&r2, &s2, &inst2, &g2));
    wvm_func *f1 = NULL, *f2 = NULL;
    REQUIRE(wvm_instance_func(r.inst, "get_cnt", &f1) == WVM_OK);
    REQUIRE(wvm_instance_func(inst2, "get_cnt", &f2) == WVM_OK);
    wvm_val res;
    /* calls */
    CHECK_EQ_INT(wvm_func_call(s2, f1, NULL, 0, &res, 1), WVM_ERR_ARG);
    CHECK(strstr(wvm_store_errmsg(s2), "another store") != NULL);
    CHECK_EQ_INT(wvm_func_call(r.s, f2, NULL, 0, &res, 1), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_func_call(s2, f2, NULL, 0, &res, 1), WVM_OK);
    /* a funcref argument of another store */
    wvm_func *is_null = NULL;
    REQUIRE(wvm_instance_func(inst2, "is_null", &is_null) == WVM_OK);
    wvm_val ref = { .type = WVM_FUNCREF, .of.func = f1 };
    CHECK_EQ_INT(wvm_func_call(s2, is_null, &ref, 1, &res, 1), WVM_ERR_ARG);
    ref.of.func = f2;
    CHECK_EQ_INT(wvm_func_call(s2, is_null, &ref, 1, &res, 1), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 0);
    /* a host function returning a funcref of another store */
    r.h.ref = f2;
    CHECK_EQ_INT(call0(r.s, r.inst, "call_r", &res), WVM_TRAP_HOST);
    CHECK(strstr(wvm_store_errmsg(r.s), "env.r returned a funcref of another store") != NULL);
    r.h.ref = f1;
    CHECK_EQ_INT(call0(r.s, r.inst, "call_r", &res), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 0);
    /* instantiation with imports of another store, by list and by name */
    wvm_extern imports[3];
    imports[0] = wvm_extern_func(f1); /* wrong store (and type): ownership is checked first */
    imports[1] = wvm_extern_func(f1);
    imports[2] = r.g;
    wvm_instance *bad = NULL;
    CHECK_EQ_INT(wvm_instance_new(s2, r.m, imports, 3, &bad), WVM_ERR_ARG);
    CHECK(strstr(wvm_store_errmsg(s2), "import 0 (env.h) belongs to another store") != NULL);
    CHECK(bad == NULL);
    CHECK_EQ_INT(wvm_store_define(s2, "env", "h", wvm_extern_func(f1)), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_store_define(s2, "m", "g", r.g), WVM_ERR_ARG);
    /* globals */
    wvm_val v;
    wvm_extern cnt1;
    REQUIRE(wvm_instance_export(r.inst, "cnt", &cnt1) == WVM_OK);
    CHECK_EQ_INT(wvm_global_get(s2, cnt1, &v), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_global_set(s2, cnt1, wvm_i32(1)), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_global_get(s2, r.g, &v), WVM_ERR_ARG);
    wvm_extern fg;
    CHECK_EQ_INT(wvm_global_new(s2, ref, true, &fg), WVM_OK); /* f2: s2's own */
    ref.of.func = f1;
    CHECK_EQ_INT(wvm_global_new(s2, ref, true, &fg), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_global_new(r.s, ref, true, &fg), WVM_OK);
    ref.of.func = f2;
    CHECK_EQ_INT(wvm_global_set(r.s, fg, ref), WVM_ERR_ARG);
    /* memories */
    wvm_extern mem1;
    REQUIRE(wvm_instance_export(r.inst, "mem", &mem1) == WVM_OK);
    uint32_t pages, old;
    uint8_t b = 0;
    CHECK_EQ_INT(wvm_memory_size(s2, mem1, &pages), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_memory_grow(s2, mem1, 1, &old), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_memory_read(s2, mem1, 0, &b, 1), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_memory_write(s2, mem1, 0, &b, 1), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_memory_size(r.s, mem1, &pages), WVM_OK);
    /* tables are checked the same way at linking */
    wvm_extern t1;
    REQUIRE(wvm_table_new(r.s, WVM_FUNCREF, 1, 10, &t1) == WVM_OK);
    CHECK_EQ_INT(wvm_store_define(s2, "env", "t", t1), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_table_new(r.s, WVM_I32, 1, 10, &t1), WVM_ERR_TYPE);
    wvm_store_free(s2);
    rig_close(&r);
}

/* ---- the room a nested call would have (wvm_caller_room) ---- */

static wvm_room seen_room;
static uint64_t seen_used;

static wvm_status record_room(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)user, (void)args, (void)results;
    wvm_caller_room(c, &seen_room);
    seen_used = wvm_caller_fuel_used(c);
    return WVM_OK;
}

/* Deeper, less room: one frame and some slots a level; the fuel is what
 * is left of the budget; without metering, no bound on fuel. */
TEST(extern_caller_room) {
    for (int metering = 1; metering >= 0; metering--) {
        wvm_config cfg;
        wvm_config_default(&cfg);
        cfg.metering = metering;
        wvm_engine *e = NULL;
        REQUIRE(wvm_engine_new(&cfg, &e) == WVM_OK);
        wvm_module *m = load(e, "room");
        REQUIRE(m);
        wvm_store *s = NULL;
        REQUIRE(wvm_store_new(e, &s) == WVM_OK);
        const wvm_functype t = { 0, 0, NULL, NULL };
        wvm_func *h = NULL, *go = NULL;
        REQUIRE(wvm_func_new_host(s, &t, record_room, NULL, &h) == WVM_OK);
        wvm_extern imp = { WVM_EXTERN_FUNC, h };
        wvm_instance *inst = NULL;
        REQUIRE(wvm_instance_new(s, m, &imp, 1, &inst) == WVM_OK);
        REQUIRE(wvm_instance_func(inst, "go", &go) == WVM_OK);
        wvm_room r1, r5;
        wvm_store_set_fuel(s, 100000);
        wvm_val a = wvm_i32(1);
        REQUIRE(wvm_func_call(s, go, &a, 1, NULL, 0) == WVM_OK);
        r1 = seen_room;
        if (metering) CHECK_EQ_INT(r1.fuel, 100000 - seen_used);
        else CHECK(r1.fuel == UINT64_MAX);
        a = wvm_i32(5);
        REQUIRE(wvm_func_call(s, go, &a, 1, NULL, 0) == WVM_OK);
        r5 = seen_room;
        CHECK_EQ_INT(r1.frames - r5.frames, 4);
        CHECK(r5.slots < r1.slots && r1.slots - r5.slots >= 4 * 3);   /* a param and two locals a frame */
        CHECK(r5.frames > 0 && r5.slots > 0);
        wvm_store_free(s);
        wvm_module_free(m);
        wvm_engine_free(e);
    }
}
