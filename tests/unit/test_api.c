/*
 * test_api.c -- edge cases of the public API (include/wvm.h): argument
 * checks of wvm_func_call, export lookup, linking, malformed input, host
 * traps, host memory access, and destroyers given NULL.
 *
 * The guest modules are byte arrays made with wat2wasm from the text in
 * the comment above each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"
#include "test.h"

/*
(module
  (import "env" "host" (func $host (param i32 i32) (result i32)))
  (memory 1)
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func (export "call_host") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    call $host)
  (global (export "g") i32 (i32.const 7))
)
*/
static const uint8_t api_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76,
    0x04, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00,
    0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x07,
    0x0b, 0x07, 0x17, 0x03, 0x03, 0x61, 0x64, 0x64, 0x00, 0x01, 0x09, 0x63,
    0x61, 0x6c, 0x6c, 0x5f, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x02, 0x01, 0x67,
    0x03, 0x00, 0x0a, 0x12, 0x02, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a,
    0x0b, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x00, 0x0b,
};

/* The same without a memory:
(module
  (import "env" "host" (func $host (param i32 i32) (result i32)))
  (func (export "call_host") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    call $host)
)
*/
static const uint8_t nomem_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76,
    0x04, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07,
    0x0d, 0x01, 0x09, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x68, 0x6f, 0x73, 0x74,
    0x00, 0x01, 0x0a, 0x0a, 0x01, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10,
    0x00, 0x0b,
};

/* What env.host does, and what it saw. */
typedef enum { HOST_ECHO, HOST_TRAP, HOST_RW, HOST_FAIL } host_mode;
typedef struct host_state {
    host_mode mode;
    wvm_status read_st, write_st;
    int calls;
} host_state;

/* env.host(a, b) -> i32:
 *   ECHO: returns a + b
 *   TRAP: traps with "boom a b"
 *   RW:   reads then writes b bytes (at most 16) at guest address a,
 *         records both statuses, returns 0
 *   FAIL: returns WVM_ERR_BOUNDS, a status that is not a trap */
static wvm_status host_fn(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    host_state *h = user;
    uint32_t a = (uint32_t)args[0].of.i32, b = (uint32_t)args[1].of.i32;
    h->calls++;
    results[0] = wvm_i32(0);
    switch (h->mode) {
    case HOST_ECHO:
        results[0] = wvm_i32((int32_t)(a + b));
        return WVM_OK;
    case HOST_TRAP:
        return wvm_caller_trap(c, "boom %u %u", a, b);
    case HOST_RW: {
        uint8_t tmp[16] = { 0 };
        uint32_t n = b > 16 ? 16 : b;
        h->read_st = wvm_caller_read(c, a, tmp, n);
        h->write_st = wvm_caller_write(c, a, tmp, n);
        return WVM_OK;
    }
    case HOST_FAIL:
        return WVM_ERR_BOUNDS;
    }
    return WVM_OK;
}

static const wvm_valtype ii[] = { WVM_I32, WVM_I32 };
static const wvm_valtype i1[] = { WVM_I32 };
static const wvm_functype host_type = { 2, 1, ii, i1 };

/* One instance of a module with env.host linked to a host_state. */
typedef struct rig {
    wvm_engine *e;
    wvm_module *m;
    wvm_store *s;
    wvm_instance *inst;
    host_state h;
} rig;

static bool rig_open(rig *r, const uint8_t *wasm, size_t len) {
    memset(r, 0, sizeof *r);
    if (wvm_engine_new(NULL, &r->e) || wvm_module_new(r->e, wasm, len, &r->m) ||
        wvm_store_new(r->e, &r->s))
        return false;
    wvm_func *f = NULL;
    if (wvm_func_new_host(r->s, &host_type, host_fn, &r->h, &f)) return false;
    wvm_extern imp = { WVM_EXTERN_FUNC, f };
    return wvm_instance_new(r->s, r->m, &imp, 1, &r->inst) == WVM_OK;
}

static void rig_close(rig *r) {
    wvm_store_free(r->s);
    wvm_module_free(r->m);
    wvm_engine_free(r->e);
}

/* Calls export name(a, b) -> i32. */
static wvm_status call2(rig *r, const char *name, int32_t a, int32_t b, int32_t *res) {
    wvm_func *f = NULL;
    wvm_status st = wvm_instance_func(r->inst, name, &f);
    if (st) return st;
    wvm_val args[2] = { wvm_i32(a), wvm_i32(b) }, out[1];
    st = wvm_func_call(r->s, f, args, 2, out, 1);
    if (st == WVM_OK) *res = out[0].of.i32;
    return st;
}

/* ---- wvm_func_call argument checks ---- */

TEST(api_call_wrong_arguments) {
    rig r;
    REQUIRE(rig_open(&r, api_wasm, sizeof api_wasm));
    wvm_func *add = NULL;
    REQUIRE(wvm_instance_func(r.inst, "add", &add) == WVM_OK);
    wvm_val args[3] = { wvm_i32(1), wvm_i32(2), wvm_i32(3) }, res[2];
    CHECK_EQ_INT(wvm_func_call(r.s, add, args, 2, res, 1), WVM_OK);
    CHECK_EQ_INT(res[0].of.i32, 3);
    /* too few, too many arguments */
    CHECK_EQ_INT(wvm_func_call(r.s, add, args, 1, res, 1), WVM_ERR_TYPE);
    CHECK_EQ_INT(wvm_func_call(r.s, add, args, 3, res, 1), WVM_ERR_TYPE);
    CHECK(strstr(wvm_store_errmsg(r.s), "arguments") != NULL);
    /* no room for the result */
    CHECK_EQ_INT(wvm_func_call(r.s, add, args, 2, res, 0), WVM_ERR_TYPE);
    /* wrong type: an i64 where an i32 goes */
    wvm_val bad[2] = { wvm_i32(1), wvm_i64(2) };
    CHECK_EQ_INT(wvm_func_call(r.s, add, bad, 2, res, 1), WVM_ERR_TYPE);
    CHECK(strstr(wvm_store_errmsg(r.s), "argument 1") != NULL);
    /* NULL function */
    CHECK_EQ_INT(wvm_func_call(r.s, NULL, args, 2, res, 1), WVM_ERR_ARG);
    /* none of that hurt the store */
    CHECK_EQ_INT(wvm_func_call(r.s, add, args, 2, res, 1), WVM_OK);
    rig_close(&r);
}

TEST(api_unknown_export) {
    rig r;
    REQUIRE(rig_open(&r, api_wasm, sizeof api_wasm));
    wvm_func *f = (wvm_func *)1;
    CHECK_EQ_INT(wvm_instance_func(r.inst, "nope", &f), WVM_ERR_NOT_FOUND);
    CHECK(f == NULL);
    wvm_extern x;
    CHECK_EQ_INT(wvm_instance_export_n(r.inst, "ad", 2, &x), WVM_ERR_NOT_FOUND); /* a prefix */
    CHECK_EQ_INT(wvm_instance_export_n(r.inst, "addx", 4, &x), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(wvm_instance_export_n(r.inst, "add", 3, &x), WVM_OK);
    CHECK_EQ_INT(x.kind, WVM_EXTERN_FUNC);
    /* "g" exists but is a global, not a function */
    CHECK_EQ_INT(wvm_instance_func(r.inst, "g", &f), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(wvm_instance_export_n(r.inst, "g", 1, &x), WVM_OK);
    CHECK_EQ_INT(x.kind, WVM_EXTERN_GLOBAL);
    wvm_val gv;
    CHECK_EQ_INT(wvm_global_get(r.s, x, &gv), WVM_OK);
    CHECK_EQ_INT(gv.of.i32, 7);
    rig_close(&r);
}

/* ---- linking ---- */

static wvm_status nop_host(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c; (void)user; (void)args; (void)results;
    return WVM_OK;
}

TEST(api_link_errors) {
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    wvm_store *s = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    REQUIRE(wvm_module_new(e, api_wasm, sizeof api_wasm, &m) == WVM_OK);
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    CHECK_EQ_INT(wvm_module_import_count(m), 1);
    wvm_instance *inst = (wvm_instance *)1;

    /* missing import */
    CHECK_EQ_INT(wvm_instance_new(s, m, NULL, 0, &inst), WVM_ERR_LINK);
    CHECK(inst == NULL);
    /* a NULL extern */
    wvm_extern imp = { WVM_EXTERN_FUNC, NULL };
    CHECK_EQ_INT(wvm_instance_new(s, m, &imp, 1, &inst), WVM_ERR_LINK);
    /* wrong signature: (i64) -> () */
    static const wvm_valtype i64[] = { WVM_I64 };
    const wvm_functype wrong = { 1, 0, i64, NULL };
    wvm_func *f = NULL;
    REQUIRE(wvm_func_new_host(s, &wrong, nop_host, NULL, &f) == WVM_OK);
    imp = (wvm_extern){ WVM_EXTERN_FUNC, f };
    CHECK_EQ_INT(wvm_instance_new(s, m, &imp, 1, &inst), WVM_ERR_LINK);
    CHECK(strstr(wvm_store_errmsg(s), "env.host") != NULL);
    /* same params, no result */
    const wvm_functype no_result = { 2, 0, ii, NULL };
    REQUIRE(wvm_func_new_host(s, &no_result, nop_host, NULL, &f) == WVM_OK);
    imp = (wvm_extern){ WVM_EXTERN_FUNC, f };
    CHECK_EQ_INT(wvm_instance_new(s, m, &imp, 1, &inst), WVM_ERR_LINK);
    /* wrong kind: a memory for a function */
    REQUIRE(wvm_memory_new(s, 1, 1, &imp) == WVM_OK);
    CHECK_EQ_INT(wvm_instance_new(s, m, &imp, 1, &inst), WVM_ERR_LINK);
    /* the right one links */
    REQUIRE(wvm_func_new_host(s, &host_type, nop_host, NULL, &f) == WVM_OK);
    imp = (wvm_extern){ WVM_EXTERN_FUNC, f };
    CHECK_EQ_INT(wvm_instance_new(s, m, &imp, 1, &inst), WVM_OK);
    CHECK(inst != NULL);

    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}

/* ---- malformed input ---- */

TEST(api_garbage_module) {
    wvm_engine *e = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    wvm_module *m = NULL;

    /* not wasm at all */
    static const uint8_t junk[] = "this is not a wasm module";
    CHECK_EQ_INT(wvm_module_new(e, junk, sizeof junk, &m), WVM_ERR_MALFORMED);
    REQUIRE(m != NULL);
    CHECK(wvm_module_errmsg(m)[0] != 0);
    CHECK_EQ_INT(wvm_module_import_count(m), 0);
    CHECK_EQ_INT(wvm_module_export_count(m), 0);
    wvm_module_free(m);

    /* a good header, then a section whose size runs past the end: the
     * message names the offset */
    static const uint8_t cut[] = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                   0x01, 0x7f, 0x01, 0x60 };
    CHECK_EQ_INT(wvm_module_new(e, cut, sizeof cut, &m), WVM_ERR_MALFORMED);
    REQUIRE(m != NULL);
    CHECK(strstr(wvm_module_errmsg(m), "offset") != NULL);
    wvm_module_free(m);

    /* an unknown section id at offset 8 */
    static const uint8_t badsec[] = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                                      0x0e, 0x01, 0x00 };
    CHECK_EQ_INT(wvm_module_new(e, badsec, sizeof badsec, &m), WVM_ERR_MALFORMED);
    REQUIRE(m != NULL);
    CHECK(strstr(wvm_module_errmsg(m), "offset 8") != NULL);
    wvm_module_free(m);

    /* empty input */
    CHECK_EQ_INT(wvm_module_new(e, NULL, 0, &m), WVM_ERR_MALFORMED);
    wvm_module_free(m);

    /* a failed module cannot be instantiated */
    CHECK_EQ_INT(wvm_module_new(e, junk, sizeof junk, &m), WVM_ERR_MALFORMED);
    wvm_store *s = NULL;
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    wvm_instance *inst = NULL;
    CHECK_EQ_INT(wvm_instance_new(s, m, NULL, 0, &inst), WVM_ERR_ARG);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}

/* ---- host functions ---- */

TEST(api_host_trap) {
    rig r;
    REQUIRE(rig_open(&r, api_wasm, sizeof api_wasm));
    int32_t v = 0;
    r.h.mode = HOST_ECHO;
    CHECK_EQ_INT(call2(&r, "call_host", 40, 2, &v), WVM_OK);
    CHECK_EQ_INT(v, 42);
    r.h.mode = HOST_TRAP;
    CHECK_EQ_INT(call2(&r, "call_host", 4, 5, &v), WVM_TRAP_HOST);
    CHECK(strncmp(wvm_store_errmsg(r.s), "boom 4 5", 8) == 0);
    /* a host status that is not a trap becomes WVM_TRAP_HOST */
    r.h.mode = HOST_FAIL;
    CHECK_EQ_INT(call2(&r, "call_host", 0, 0, &v), WVM_TRAP_HOST);
    CHECK(strstr(wvm_store_errmsg(r.s), "out of bounds") != NULL);
    /* the store is still usable */
    r.h.mode = HOST_ECHO;
    CHECK_EQ_INT(call2(&r, "call_host", 1, 2, &v), WVM_OK);
    CHECK_EQ_INT(v, 3);
    CHECK_EQ_INT(r.h.calls, 4);
    rig_close(&r);
}

/* Runs env.host in RW mode on [ptr, ptr+len); both statuses must be want. */
static void check_rw(rig *r, uint32_t ptr, uint32_t len, wvm_status want, int line) {
    int32_t v;
    r->h.mode = HOST_RW;
    r->h.read_st = r->h.write_st = (wvm_status)-1;
    wvm_status st = call2(r, "call_host", (int32_t)ptr, (int32_t)len, &v);
    if (st != WVM_OK || r->h.read_st != want || r->h.write_st != want)
        test_fail(__FILE__, line, "rw(%u, %u): call %s, read %s, write %s, expected %s", ptr, len,
                  wvm_status_str(st), wvm_status_str(r->h.read_st), wvm_status_str(r->h.write_st),
                  wvm_status_str(want));
}

TEST(api_caller_memory_bounds) {
    rig r;
    REQUIRE(rig_open(&r, api_wasm, sizeof api_wasm));
    check_rw(&r, 0, 16, WVM_OK, __LINE__);
    check_rw(&r, 65535, 1, WVM_OK, __LINE__);   /* the last byte */
    check_rw(&r, 65536, 0, WVM_OK, __LINE__);   /* empty, at the end */
    check_rw(&r, 65535, 2, WVM_ERR_BOUNDS, __LINE__);
    check_rw(&r, 65536, 1, WVM_ERR_BOUNDS, __LINE__);
    check_rw(&r, 0xffffffffu, 2, WVM_ERR_BOUNDS, __LINE__); /* wraps in 32 bits */
    rig_close(&r);

    /* no memory at all */
    REQUIRE(rig_open(&r, nomem_wasm, sizeof nomem_wasm));
    check_rw(&r, 0, 1, WVM_ERR_BOUNDS, __LINE__);
    /* the embedder's view agrees */
    uint8_t b = 0;
    CHECK_EQ_INT(wvm_instance_memory_size(r.inst), 0);
    CHECK_EQ_INT(wvm_instance_memory_read(r.inst, 0, &b, 1), WVM_ERR_BOUNDS);
    CHECK_EQ_INT(wvm_instance_memory_write(r.inst, 0, &b, 1), WVM_ERR_BOUNDS);
    rig_close(&r);
}

TEST(api_instance_memory_bounds) {
    rig r;
    REQUIRE(rig_open(&r, api_wasm, sizeof api_wasm));
    uint8_t buf[4] = { 1, 2, 3, 4 }, back[4] = { 0 };
    CHECK_EQ_INT(wvm_instance_memory_size(r.inst), 65536);
    CHECK_EQ_INT(wvm_instance_memory_write(r.inst, 65532, buf, 4), WVM_OK);
    CHECK_EQ_INT(wvm_instance_memory_read(r.inst, 65532, back, 4), WVM_OK);
    CHECK(memcmp(buf, back, 4) == 0);
    CHECK_EQ_INT(wvm_instance_memory_write(r.inst, 65533, buf, 4), WVM_ERR_BOUNDS);
    CHECK_EQ_INT(wvm_instance_memory_read(r.inst, 0xfffffffeu, back, 4), WVM_ERR_BOUNDS);
    rig_close(&r);
}

TEST(api_host_function_null_arguments) {
    wvm_engine *e = NULL;
    wvm_store *s = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    wvm_func *f = (wvm_func *)1;
    CHECK_EQ_INT(wvm_func_new_host(s, &host_type, NULL, NULL, &f), WVM_ERR_ARG);
    CHECK(f == NULL);
    CHECK_EQ_INT(wvm_func_new_host(s, NULL, host_fn, NULL, &f), WVM_ERR_ARG);
    wvm_store_free(s);
    wvm_engine_free(e);
}

/* ---- destroyers and status texts ---- */

TEST(api_destroyers_accept_null) {
    wvm_engine_free(NULL);
    wvm_module_free(NULL);
    wvm_store_free(NULL);
    CHECK(1); /* reaching here is the test */
}

TEST(api_status_strings) {
    static const wvm_status all[] = {
        WVM_OK, WVM_ERR_MALFORMED, WVM_ERR_INVALID, WVM_ERR_LINK, WVM_ERR_LIMIT,
        WVM_TRAP_UNREACHABLE, WVM_TRAP_MEMORY_OOB, WVM_TRAP_TABLE_OOB, WVM_TRAP_INDIRECT_NULL,
        WVM_TRAP_INDIRECT_TYPE, WVM_TRAP_DIV_ZERO, WVM_TRAP_INT_OVERFLOW, WVM_TRAP_INVALID_CONV,
        WVM_TRAP_STACK_EXHAUSTED, WVM_TRAP_OUT_OF_FUEL, WVM_TRAP_TIMEOUT, WVM_TRAP_CANCELLED,
        WVM_TRAP_HOST, WVM_TRAP_EXIT, WVM_ERR_NOMEM, WVM_ERR_RESOURCE, WVM_ERR_NOT_FOUND,
        WVM_ERR_TYPE, WVM_ERR_BOUNDS, WVM_ERR_ARG,
    };
    const char *unknown = wvm_status_str((wvm_status)9999);
    CHECK(unknown != NULL);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *t = wvm_status_str(all[i]);
        CHECK(t != NULL && t[0] != 0 && strcmp(t, unknown) != 0);
        CHECK_EQ_INT(wvm_status_is_trap(all[i]), all[i] >= WVM_TRAP_UNREACHABLE && all[i] <= WVM_TRAP_EXIT);
    }
}

/* An instance without a memory: every memory access is out of bounds,
 * even of length 0 (the header promises WVM_ERR_BOUNDS for "no memory"). */
TEST(api_no_memory_is_out_of_bounds) {
    static const uint8_t no_mem[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,             /* type () -> () */
        0x03, 0x02, 0x01, 0x00,                         /* one function */
        0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,        /* export "f" */
        0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,             /* body: end */
    };
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    REQUIRE(wvm_module_new(e, no_mem, sizeof no_mem, &m) == WVM_OK);
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    REQUIRE(wvm_instance_new(s, m, NULL, 0, &inst) == WVM_OK);
    uint8_t b = 0;
    CHECK_EQ_INT(wvm_instance_memory_read(inst, 0, &b, 0), WVM_ERR_BOUNDS);
    CHECK_EQ_INT(wvm_instance_memory_write(inst, 0, &b, 0), WVM_ERR_BOUNDS);
    CHECK_EQ_INT(wvm_instance_memory_size(inst), 0);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}

/* Linking by name: imports resolve among wvm_store_define'd externs; a
 * missing one is a link error that names it; a later definition of the
 * same name replaces the earlier. */
static wvm_status add_one(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c;
    results[0] = wvm_i32(args[0].of.i32 + (int32_t)(intptr_t)user);
    return WVM_OK;
}

TEST(api_link_by_name) {
    /* (module (import "env" "inc" (func (param i32) (result i32)))
     *   (func (export "f") (param i32) (result i32) local.get 0 call 0)) */
    static const uint8_t mod[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
        0x02, 0x0b, 0x01, 0x03, 'e', 'n', 'v', 0x03, 'i', 'n', 'c', 0x00, 0x00,
        0x03, 0x02, 0x01, 0x00,
        0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x01,
        0x0a, 0x08, 0x01, 0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0b,
    };
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    REQUIRE(wvm_module_new(e, mod, sizeof mod, &m) == WVM_OK);
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    CHECK_EQ_INT(wvm_instance_link(s, m, &inst), WVM_ERR_LINK);
    CHECK(strstr(wvm_store_errmsg(s), "env.inc") != NULL);
    static const wvm_valtype i32[] = { WVM_I32 };
    wvm_functype t = { 1, 1, i32, i32 };
    wvm_func *one, *ten;
    REQUIRE(wvm_func_new_host(s, &t, add_one, (void *)(intptr_t)1, &one) == WVM_OK);
    REQUIRE(wvm_func_new_host(s, &t, add_one, (void *)(intptr_t)10, &ten) == WVM_OK);
    CHECK_EQ_INT(wvm_store_define(s, "env", "inc", (wvm_extern){ WVM_EXTERN_FUNC, one }), WVM_OK);
    CHECK_EQ_INT(wvm_store_define(s, "env", "inc", (wvm_extern){ WVM_EXTERN_FUNC, ten }), WVM_OK);
    REQUIRE(wvm_instance_link(s, m, &inst) == WVM_OK);
    wvm_func *f;
    REQUIRE(wvm_instance_func(inst, "f", &f) == WVM_OK);
    wvm_val arg = wvm_i32(5), res;
    CHECK_EQ_INT(wvm_func_call(s, f, &arg, 1, &res, 1), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 15); /* the later definition won */
    /* a definition of the wrong kind is a link error too */
    wvm_extern g;
    REQUIRE(wvm_global_new(s, wvm_i32(1), false, &g) == WVM_OK);
    CHECK_EQ_INT(wvm_store_define(s, "env", "inc", g), WVM_OK);
    CHECK_EQ_INT(wvm_instance_link(s, m, &inst), WVM_ERR_LINK);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}
