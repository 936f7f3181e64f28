/*
 * test_lazy.c -- lazy translation: wvm_module_new validates every
 * function and each is translated at its first call (compile.c,
 * compile_lazy).  What must hold: a first call pays the translation and
 * later ones nothing; running out of memory while translating is a
 * status of the call, after which the function still works; modules
 * shared by threads translate safely; the dump and eager_translation
 * translate everything at load.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "wvm.h"

/* (func $h (param i32) (result i32) local.get 0 i32.const 3 i32.mul)
 * (func $g (param i32) (result i32) local.get 0 call $h i32.const 1 i32.add)
 * (func (export "f") (param i32) (result i32) local.get 0 call $g)
 * (func (export "unused") (result i32) i32.const 7) */
static const unsigned char lazy_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x03, 0x05, 0x04, 0x00,
  0x00, 0x00, 0x01, 0x07, 0x0e, 0x02, 0x01, 0x66, 0x00, 0x02, 0x06, 0x75,
  0x6e, 0x75, 0x73, 0x65, 0x64, 0x00, 0x03, 0x0a, 0x1f, 0x04, 0x07, 0x00,
  0x20, 0x00, 0x41, 0x03, 0x6c, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x10, 0x00,
  0x41, 0x01, 0x6a, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x10, 0x01, 0x0b, 0x04,
  0x00, 0x41, 0x07, 0x0b
};

/* An allocator that counts, and refuses the allocation numbered fail_at. */
typedef struct counting {
    long calls, fail_at, live;
} counting;

static void *counting_realloc(void *user, void *p, size_t n) {
    counting *c = user;
    if (n == 0) {
        if (p) c->live--;
        free(p);
        return NULL;
    }
    if (++c->calls == c->fail_at) return NULL;
    void *q = realloc(p, n);
    if (q && !p) c->live++;
    return q;
}

typedef struct rig {
    wvm_engine *e;
    wvm_module *m;
    wvm_store *s;
    wvm_func *f;
} rig;

static wvm_status rig_new(rig *r, counting *a, bool eager) {
    memset(r, 0, sizeof *r);
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.allocator.realloc = counting_realloc;
    cfg.allocator.user = a;
    cfg.eager_translation = eager;
    wvm_status st;
    wvm_instance *inst;
    if ((st = wvm_engine_new(&cfg, &r->e)) || (st = wvm_module_new(r->e, lazy_wasm, sizeof lazy_wasm, &r->m)) ||
        (st = wvm_store_new(r->e, &r->s)) || (st = wvm_instance_new(r->s, r->m, NULL, 0, &inst)))
        return st;
    return wvm_instance_func(inst, "f", &r->f);
}

static void rig_free(rig *r) {
    wvm_store_free(r->s);
    wvm_module_free(r->m);
    wvm_engine_free(r->e);
}

static wvm_status call_f(rig *r, int32_t x, int32_t *out) {
    wvm_val arg = wvm_i32(x), res = wvm_i32(0);
    wvm_status st = wvm_func_call(r->s, r->f, &arg, 1, &res, 1);
    *out = res.of.i32;
    return st;
}

TEST(lazy_first_call_translates) {
    counting a = { 0, 0, 0 };
    rig r;
    REQUIRE(rig_new(&r, &a, false) == WVM_OK);
    int32_t v = 0;
    long before = a.calls;
    CHECK_EQ_INT(call_f(&r, 5, &v), WVM_OK);
    CHECK_EQ_INT(v, 16);
    CHECK(a.calls > before); /* f, g and h translated now */
    before = a.calls;
    CHECK_EQ_INT(call_f(&r, 6, &v), WVM_OK);
    CHECK_EQ_INT(v, 19);
    CHECK_EQ_INT(a.calls, before); /* and only once */
    rig_free(&r);
    CHECK_EQ_INT(a.live, 0);
}

TEST(lazy_eager_translation_at_load) {
    counting a = { 0, 0, 0 };
    rig r;
    REQUIRE(rig_new(&r, &a, true) == WVM_OK);
    int32_t v = 0;
    long before = a.calls;
    CHECK_EQ_INT(call_f(&r, 5, &v), WVM_OK);
    CHECK_EQ_INT(v, 16);
    CHECK_EQ_INT(a.calls, before);
    rig_free(&r);
    CHECK_EQ_INT(a.live, 0);
}

/* Every allocation of the first call refused in turn: the call fails
 * with WVM_ERR_NOMEM and a message, nothing leaks, and the next call
 * (the allocator willing again) translates and runs. */
TEST(lazy_translation_out_of_memory) {
    counting probe = { 0, 0, 0 };
    rig r;
    REQUIRE(rig_new(&r, &probe, false) == WVM_OK);
    long ready = probe.calls;
    int32_t v = 0;
    REQUIRE(call_f(&r, 5, &v) == WVM_OK);
    long during = probe.calls - ready;
    rig_free(&r);
    CHECK(during > 0);
    for (long n = 1; n <= during; n++) {
        counting a = { 0, 0, 0 };
        REQUIRE(rig_new(&r, &a, false) == WVM_OK);
        a.fail_at = a.calls + n;
        CHECK_EQ_INT(call_f(&r, 5, &v), WVM_ERR_NOMEM);
        CHECK(strstr(wvm_store_errmsg(r.s), "out of memory") != NULL);
        a.fail_at = 0;
        CHECK_EQ_INT(call_f(&r, 5, &v), WVM_OK);
        CHECK_EQ_INT(v, 16);
        rig_free(&r);
        CHECK_EQ_INT(a.live, 0);
    }
}

static void count_funcs(void *user, const char *text, size_t len) {
    if (len > 5 && memcmp(text, "func ", 5) == 0) ++*(int *)user;
    /* a function's code: at least its FUEL and RETURN */
    if (text[0] == ' ' && memmem(text, len, "RETURN", 6)) ++((int *)user)[1];
}

TEST(lazy_dump_shows_every_function) {
    int seen[2] = { 0, 0 };
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.dump = count_funcs;
    cfg.dump_user = seen;
    wvm_engine *e;
    REQUIRE(wvm_engine_new(&cfg, &e) == WVM_OK);
    wvm_module *m;
    CHECK_EQ_INT(wvm_module_new(e, lazy_wasm, sizeof lazy_wasm, &m), WVM_OK);
    CHECK_EQ_INT(seen[0], 4);
    CHECK_EQ_INT(seen[1], 4);
    wvm_module_free(m);
    wvm_engine_free(e);
}

/* One module, many threads, each with its own store and instance, all
 * making the first calls at once: every result right (the function
 * pointers are published with compare-and-swap; losers free theirs). */
enum { NTHREADS = 8, ROUNDS = 40 };
typedef struct shared {
    wvm_engine *e;
    wvm_module *m;
    pthread_barrier_t *go;
    int bad;
} shared;

static void *caller(void *p) {
    shared *sh = p;
    wvm_store *s = NULL;
    wvm_instance *inst;
    wvm_func *f;
    bool ok = wvm_store_new(sh->e, &s) == WVM_OK && wvm_instance_new(s, sh->m, NULL, 0, &inst) == WVM_OK &&
              wvm_instance_func(inst, "f", &f) == WVM_OK;
    pthread_barrier_wait(sh->go);
    for (int i = 0; ok && i < 100; i++) {
        wvm_val arg = wvm_i32(i), res = wvm_i32(0);
        ok = wvm_func_call(s, f, &arg, 1, &res, 1) == WVM_OK && res.of.i32 == i * 3 + 1;
    }
    if (!ok) __atomic_add_fetch(&sh->bad, 1, __ATOMIC_RELAXED);
    wvm_store_free(s);
    return NULL;
}

TEST(lazy_threads_share_a_module) {
    wvm_engine *e;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    for (int round = 0; round < ROUNDS; round++) {
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, NTHREADS);
        shared sh = { e, NULL, &go, 0 };
        REQUIRE(wvm_module_new(e, lazy_wasm, sizeof lazy_wasm, &sh.m) == WVM_OK);
        pthread_t th[NTHREADS];
        for (int i = 0; i < NTHREADS; i++) REQUIRE(pthread_create(&th[i], NULL, caller, &sh) == 0);
        for (int i = 0; i < NTHREADS; i++) pthread_join(th[i], NULL);
        CHECK_EQ_INT(sh.bad, 0);
        wvm_module_free(sh.m);
        pthread_barrier_destroy(&go);
    }
    wvm_engine_free(e);
}
