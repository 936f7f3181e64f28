/*
 * test_alloc_fail.c -- allocation failure: an allocator that refuses the
 * Nth allocation, run over loading, instantiating and calling a module
 * for every N.  Each run must end with a status (never a crash) and give
 * every byte back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "wvm.h"

/* tests/alloc/af.wat (wat2wasm --debug-names): imports, table, memory,
 * globals, active and passive segments, start, name section. */
static const unsigned char af_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x15, 0x02, 0x03, 0x65,
  0x6e, 0x76, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x00, 0x03, 0x65, 0x6e,
  0x76, 0x01, 0x67, 0x03, 0x7f, 0x00, 0x03, 0x03, 0x02, 0x00, 0x01, 0x04,
  0x04, 0x01, 0x70, 0x00, 0x04, 0x05, 0x04, 0x01, 0x01, 0x01, 0x02, 0x06,
  0x0b, 0x02, 0x7f, 0x01, 0x41, 0x07, 0x0b, 0x70, 0x00, 0xd2, 0x01, 0x0b,
  0x07, 0x0b, 0x02, 0x01, 0x66, 0x00, 0x01, 0x03, 0x6d, 0x65, 0x6d, 0x02,
  0x00, 0x08, 0x01, 0x02, 0x09, 0x11, 0x02, 0x00, 0x41, 0x00, 0x0b, 0x02,
  0x01, 0x00, 0x05, 0x70, 0x02, 0xd2, 0x01, 0x0b, 0xd0, 0x70, 0x0b, 0x0a,
  0x2f, 0x02, 0x26, 0x02, 0x01, 0x7e, 0x01, 0x7c, 0x02, 0x7f, 0x03, 0x40,
  0x20, 0x00, 0x45, 0x20, 0x00, 0x0d, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b,
  0x21, 0x00, 0x0c, 0x00, 0x0b, 0x41, 0x00, 0x0b, 0x41, 0x01, 0x11, 0x00,
  0x00, 0x23, 0x00, 0x6a, 0x0b, 0x06, 0x00, 0x41, 0x09, 0x24, 0x01, 0x0b,
  0x0b, 0x14, 0x02, 0x00, 0x41, 0x10, 0x0b, 0x05, 0x68, 0x65, 0x6c, 0x6c,
  0x6f, 0x01, 0x07, 0x70, 0x61, 0x73, 0x73, 0x69, 0x76, 0x65, 0x00, 0x47,
  0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x11, 0x03, 0x00, 0x04, 0x68, 0x6f,
  0x73, 0x74, 0x01, 0x01, 0x66, 0x02, 0x05, 0x73, 0x74, 0x61, 0x72, 0x74,
  0x02, 0x07, 0x03, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x04, 0x04, 0x01,
  0x00, 0x01, 0x74, 0x05, 0x06, 0x01, 0x00, 0x03, 0x74, 0x61, 0x62, 0x07,
  0x0a, 0x03, 0x00, 0x01, 0x67, 0x01, 0x01, 0x6d, 0x02, 0x01, 0x72, 0x08,
  0x04, 0x01, 0x01, 0x01, 0x70, 0x09, 0x04, 0x01, 0x01, 0x01, 0x64
};
static const unsigned int af_wasm_len = 251;

typedef struct failing {
    long calls;   /* allocations so far */
    long fail_at; /* refuse this one (1-based); 0: never */
    long live;    /* blocks not yet freed */
} failing;

static void *failing_realloc(void *user, void *p, size_t n) {
    failing *f = user;
    if (n == 0) {
        if (p) f->live--;
        free(p);
        return NULL;
    }
    if (++f->calls == f->fail_at) return NULL;
    void *q = realloc(p, n);
    if (q && !p) f->live++;
    return q;
}

static wvm_status host(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c;
    (void)user;
    results[0] = wvm_i32(args[0].of.i32 + 1);
    return WVM_OK;
}

/* Loads, instantiates and calls f(5); returns the first failing status. */
static wvm_status run_once(failing *f, int32_t *result) {
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.allocator.realloc = failing_realloc;
    cfg.allocator.user = f;
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    wvm_store *s = NULL;
    wvm_status st = wvm_engine_new(&cfg, &e);
    if (st) goto out;
    st = wvm_module_new(e, af_wasm, af_wasm_len, &m);
    if (st) goto out;
    st = wvm_store_new(e, &s);
    if (st) goto out;
    wvm_valtype i32 = WVM_I32;
    wvm_functype ft = { 1, 1, &i32, &i32 };
    wvm_func *h;
    wvm_extern imports[2];
    if ((st = wvm_func_new_host(s, &ft, host, NULL, &h))) goto out;
    imports[0] = (wvm_extern){ WVM_EXTERN_FUNC, h };
    if ((st = wvm_global_new(s, wvm_i32(100), false, &imports[1]))) goto out;
    wvm_instance *inst;
    if ((st = wvm_instance_new(s, m, imports, 2, &inst))) goto out;
    wvm_func *fn;
    if ((st = wvm_instance_func(inst, "f", &fn))) goto out;
    wvm_val arg = wvm_i32(5), res;
    if ((st = wvm_func_call(s, fn, &arg, 1, &res, 1))) goto out;
    *result = res.of.i32;
out:
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
    return st;
}

TEST(alloc_fail_every_allocation) {
    failing ok = { 0, 0, 0 };
    int32_t result = 0;
    CHECK_EQ_INT(run_once(&ok, &result), WVM_OK);
    CHECK_EQ_INT(result, 101); /* loop leaves 0; host(0) = 1; + global 100 */
    CHECK_EQ_INT(ok.live, 0);
    CHECK(ok.calls > 10);
    for (long n = 1; n <= ok.calls; n++) {
        failing f = { 0, n, 0 };
        int32_t r = 0;
        wvm_status st = run_once(&f, &r);
        /* a refused allocation is reported as out of memory (or, for a
         * host-side block, whatever the call made of it), never ignored */
        if (st != WVM_ERR_NOMEM) {
            CHECK(st != WVM_OK);
            if (st == WVM_OK) fprintf(stderr, "  allocation %ld refused, yet the run succeeded\n", n);
        }
        CHECK_EQ_INT(f.live, 0);
    }
}

/* A WASI context with arguments and environment, two of its host
 * functions imported: everything through the failing allocator. */
static wvm_status run_wasi_once(failing *f) {
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.allocator.realloc = failing_realloc;
    cfg.allocator.user = f;
    wvm_engine *e = NULL;
    wvm_store *s = NULL;
    wvm_status st = wvm_engine_new(&cfg, &e);
    if (st) goto out;
    st = wvm_store_new(e, &s);
    if (st) goto out;
    static const char *const argv[] = { "prog", "an argument" };
    static const char *const envp[] = { "KEY=VALUE" };
    wvm_wasi_config wc = { 0 };
    wc.argc = 2;
    wc.argv = argv;
    wc.envc = 1;
    wc.envp = envp;
    wvm_wasi *w = NULL;
    if ((st = wvm_wasi_new(s, &wc, &w))) goto out;
    wvm_extern x;
    if ((st = wvm_wasi_import(w, "fd_write", &x))) goto out;
    if ((st = wvm_wasi_import_n(w, "args_get", 8, &x))) goto out;
out:
    wvm_store_free(s);
    wvm_engine_free(e);
    return st;
}

/* wvm_wasi_new used to take its memory from malloc, and when the store
 * could not record the new context it freed it twice (ASan:
 * heap-use-after-free; glibc: double free).  Now every block of a
 * context comes from the engine's allocator and each refusal is
 * WVM_ERR_NOMEM with nothing leaked. */
TEST(alloc_fail_wasi_context) {
    failing ok = { 0, 0, 0 };
    CHECK_EQ_INT(run_wasi_once(&ok), WVM_OK);
    CHECK_EQ_INT(ok.live, 0);
    /* engine, store, its stacks: 4 blocks; the context, its two lists
     * and two host functions come on top, all through the allocator */
    CHECK(ok.calls >= 4 + 5);
    for (long n = 1; n <= ok.calls; n++) {
        failing f = { 0, n, 0 };
        CHECK_EQ_INT(run_wasi_once(&f), WVM_ERR_NOMEM);
        CHECK_EQ_INT(f.live, 0);
    }
}

/* Instantiates af.wasm, takes snapshot A, then B with memory changed in
 * between, changes it again and resets.  Every refused allocation must
 * come back as WVM_ERR_NOMEM; a refused snapshot B leaves A in place, so
 * the reset lands on A's byte (1) instead of B's (2).  *byte: what
 * memory holds after the reset (0 when the run stopped before it). */
static wvm_status run_snapshot_once(failing *f, uint8_t *byte) {
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.allocator.realloc = failing_realloc;
    cfg.allocator.user = f;
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    wvm_store *s = NULL;
    *byte = 0;
    wvm_status st = wvm_engine_new(&cfg, &e);
    if (st || (st = wvm_module_new(e, af_wasm, af_wasm_len, &m)) || (st = wvm_store_new(e, &s))) goto out;
    wvm_valtype i32 = WVM_I32;
    wvm_functype ft = { 1, 1, &i32, &i32 };
    wvm_func *h;
    wvm_extern imports[2];
    if ((st = wvm_func_new_host(s, &ft, host, NULL, &h))) goto out;
    imports[0] = (wvm_extern){ WVM_EXTERN_FUNC, h };
    if ((st = wvm_global_new(s, wvm_i32(100), false, &imports[1]))) goto out;
    wvm_instance *inst;
    if ((st = wvm_instance_new(s, m, imports, 2, &inst))) goto out;
    uint8_t one = 1, two = 2, three = 3;
    if ((st = wvm_instance_memory_write(inst, 100, &one, 1)) || (st = wvm_instance_snapshot(inst))) goto out;
    wvm_instance_memory_write(inst, 100, &two, 1);
    wvm_status b = wvm_instance_snapshot(inst);
    wvm_instance_memory_write(inst, 100, &three, 1);
    if ((st = wvm_instance_reset(inst))) goto out;
    wvm_instance_memory_read(inst, 100, byte, 1);
    st = b;
out:
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
    return st;
}

TEST(alloc_fail_snapshot) {
    failing ok = { 0, 0, 0 };
    uint8_t byte;
    CHECK_EQ_INT(run_snapshot_once(&ok, &byte), WVM_OK);
    CHECK_EQ_INT(byte, 2);
    CHECK_EQ_INT(ok.live, 0);
    int refused_b = 0;
    for (long n = 1; n <= ok.calls; n++) {
        failing f = { 0, n, 0 };
        wvm_status st = run_snapshot_once(&f, &byte);
        CHECK_EQ_INT(st, WVM_ERR_NOMEM);
        /* snapshot B refused: the reset went back to A */
        if (byte) {
            CHECK_EQ_INT(byte, 1);
            refused_b++;
        }
        CHECK_EQ_INT(f.live, 0);
    }
    CHECK(refused_b >= 3); /* its snapshot, its copies of memory and a table at least */
}
