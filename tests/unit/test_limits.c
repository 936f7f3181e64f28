/*
 * test_limits.c -- hostile modules against the limits, the timeout, the
 * cancel flag and the float policy.  Each run-time attack must end with
 * its own status and leave the store usable: a normal call afterwards
 * succeeds.
 *
 * Small modules are tests/hostile/NAME.wasm, built from the .wat next to
 * them; the big ones (a million locals, a 10 MB data segment, deep
 * nesting) are made here.  Paths are relative to the repository root.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "wvm.h"
#include "test.h"

#define HOSTILE_DIR "tests/hostile/"

/* ---- helpers ---- */


/* Loads tests/hostile/NAME.wasm; returns the status, *out the module
 * (NULL only if the file is missing). */
static wvm_status load(wvm_engine *e, const char *name, wvm_module **out) {
    char path[256];
    snprintf(path, sizeof path, HOSTILE_DIR "%s.wasm", name);
    size_t len = 0;
    uint8_t *bytes = test_read_file(path, &len);
    *out = NULL;
    if (!bytes) {
        test_fail(__FILE__, __LINE__, "cannot read %s", path);
        return WVM_ERR_ARG;
    }
    wvm_status st = wvm_module_new(e, bytes, len, out);
    free(bytes);
    return st;
}

/* An engine with the given limits (zero fields: defaults) and policy. */
static wvm_engine *engine_with(const wvm_limits *lim, wvm_float_policy fp) {
    wvm_config cfg;
    wvm_config_default(&cfg);
    if (lim) cfg.limits = *lim;
    cfg.float_policy = fp;
    wvm_engine *e = NULL;
    return wvm_engine_new(&cfg, &e) == WVM_OK ? e : NULL;
}

/* One module instantiated in one store. */
typedef struct rig {
    wvm_engine *e;
    wvm_module *m;
    wvm_store *s;
    wvm_instance *inst;
} rig;

static bool rig_open(rig *r, const char *name, const wvm_limits *lim, wvm_float_policy fp) {
    memset(r, 0, sizeof *r);
    r->e = engine_with(lim, fp);
    if (!r->e) return false;
    if (load(r->e, name, &r->m) != WVM_OK) {
        test_fail(__FILE__, __LINE__, "%s: %s", name, r->m ? wvm_module_errmsg(r->m) : "");
        return false;
    }
    if (wvm_store_new(r->e, &r->s) != WVM_OK) return false;
    if (wvm_instance_new(r->s, r->m, NULL, 0, &r->inst) != WVM_OK) {
        test_fail(__FILE__, __LINE__, "%s: %s", name, wvm_store_errmsg(r->s));
        return false;
    }
    return true;
}

static void rig_close(rig *r) {
    wvm_store_free(r->s);
    wvm_module_free(r->m);
    wvm_engine_free(r->e);
}

/* Calls export name with up to one i32 argument and one result. */
static wvm_status call(rig *r, const char *name, const wvm_val *arg, wvm_val *res) {
    wvm_func *f = NULL;
    wvm_status st = wvm_instance_func(r->inst, name, &f);
    if (st) return st;
    wvm_val dummy;
    const wvm_functype *t = wvm_func_type(f);
    return wvm_func_call(r->s, f, arg, arg ? 1 : 0, res ? res : &dummy, t->nresults);
}

/* The store still runs code: "ok" returns 42. */
static bool still_usable(rig *r) {
    wvm_val v;
    return call(r, "ok", NULL, &v) == WVM_OK && v.of.i32 == 42;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- endless loops ---- */

TEST(limits_infinite_loop_out_of_fuel) {
    rig r;
    REQUIRE(rig_open(&r, "spin", NULL, WVM_FLOAT_ALLOW));
    wvm_store_set_timeout(r.s, 10000); /* backstop: never hang the suite */
    wvm_store_set_fuel(r.s, 1000000);
    CHECK_EQ_INT(call(&r, "spin", NULL, NULL), WVM_TRAP_OUT_OF_FUEL);
    /* the loop head block is `br 0` alone (1): 1 (entry: loop) + 999999 */
    CHECK_EQ_INT(wvm_store_fuel_used(r.s), 1000000);
    CHECK(strstr(wvm_store_errmsg(r.s), "out of fuel") != NULL);
    CHECK(still_usable(&r));
    rig_close(&r);
}

TEST(limits_infinite_loop_timeout) {
    rig r;
    REQUIRE(rig_open(&r, "spin", NULL, WVM_FLOAT_ALLOW));
    wvm_store_set_timeout(r.s, 50); /* fuel stays unlimited */
    double t0 = now_s();
    CHECK_EQ_INT(call(&r, "spin", NULL, NULL), WVM_TRAP_TIMEOUT);
    double took = now_s() - t0;
    CHECK(took < 2.0);
    CHECK(took >= 0.04); /* it did not stop before the deadline */
    wvm_store_set_timeout(r.s, 0);
    CHECK(still_usable(&r));
    rig_close(&r);
}

typedef struct canceller {
    wvm_store *s;
    atomic_int done;
} canceller;

/* Cancels s every 5 ms until the call has returned: a cancel that lands
 * before the call starts is cleared by it, the next one is not. */
static void *cancel_thread(void *p) {
    canceller *c = p;
    struct timespec ts = { 0, 5 * 1000 * 1000 };
    while (!atomic_load(&c->done)) {
        nanosleep(&ts, NULL);
        wvm_store_cancel(c->s);
    }
    return NULL;
}

TEST(limits_cancel_from_another_thread) {
    rig r;
    REQUIRE(rig_open(&r, "spin", NULL, WVM_FLOAT_ALLOW));
    wvm_store_set_timeout(r.s, 10000); /* backstop: a broken cancel times out */
    canceller c = { r.s, 0 };
    pthread_t th;
    REQUIRE(pthread_create(&th, NULL, cancel_thread, &c) == 0);
    wvm_status st = call(&r, "spin", NULL, NULL);
    atomic_store(&c.done, 1);
    pthread_join(th, NULL);
    CHECK_EQ_INT(st, WVM_TRAP_CANCELLED);
    CHECK(still_usable(&r)); /* a new call clears the flag */
    rig_close(&r);
}

/* ---- the start of a call: the timeout's clock starts lazily ---- */

/* What env.wait of slowhost.wat does: sleep, then maybe cancel the call
 * it is part of. */
typedef struct waiter {
    long wait_ms;
    bool cancel;
} waiter;

static wvm_status host_wait(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)args;
    (void)results;
    const waiter *w = user;
    struct timespec ts = { w->wait_ms / 1000, w->wait_ms % 1000 * 1000000L };
    while (nanosleep(&ts, &ts) != 0) {
    }
    if (w->cancel) wvm_store_cancel(wvm_caller_store(c));
    return WVM_OK;
}

/* slowhost.wat with env.wait doing what w says. */
static bool slowhost_open(rig *r, waiter *w, bool metering) {
    memset(r, 0, sizeof *r);
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.metering = metering;
    if (wvm_engine_new(&cfg, &r->e) != WVM_OK) return false;
    if (load(r->e, "slowhost", &r->m) != WVM_OK) return false;
    if (wvm_store_new(r->e, &r->s) != WVM_OK) return false;
    const wvm_functype t = { 0, 0, NULL, NULL };
    wvm_func *wait = NULL;
    if (wvm_func_new_host(r->s, &t, host_wait, w, &wait) != WVM_OK) return false;
    wvm_extern imp = { WVM_EXTERN_FUNC, wait };
    return wvm_instance_new(r->s, r->m, &imp, 1, &r->inst) == WVM_OK;
}

/* A host function called while the call is still in its first chunk of
 * fuel, before any refill, starts the clock: its 60 ms count against a
 * 20 ms timeout, and the guest's next refill stops the call.  (Were the
 * clock started at the first refill only, the 50000 units after the
 * host would run well inside 20 ms.) */
TEST(limits_timeout_counts_host_time_before_first_refill) {
    waiter w = { 60, false };
    rig r;
    REQUIRE(slowhost_open(&r, &w, true));
    wvm_store_set_timeout(r.s, 20);
    wvm_val n = wvm_i32(10000), res;
    CHECK_EQ_INT(call(&r, "wait_then_count", &n, &res), WVM_TRAP_TIMEOUT);
    /* the deadline was this call's: the next one has its own */
    wvm_store_set_timeout(r.s, 10000);
    CHECK_EQ_INT(call(&r, "count", &n, &res), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 7);
    rig_close(&r);
}

/* A cancel raised during the first chunk stops the call at the next
 * refill; one left over from an earlier call, or raised before the call,
 * does not stop the next call, which runs past several refills. */
TEST(limits_cancel_at_call_start) {
    waiter w = { 0, true };
    rig r;
    REQUIRE(slowhost_open(&r, &w, true));
    wvm_store_set_timeout(r.s, 10000); /* backstop */
    wvm_val n = wvm_i32(10000), res;
    CHECK_EQ_INT(call(&r, "wait_then_count", &n, &res), WVM_TRAP_CANCELLED);
    CHECK_EQ_INT(call(&r, "count", &n, &res), WVM_OK); /* the flag was still set */
    CHECK_EQ_INT(res.of.i32, 7);
    wvm_store_cancel(r.s);
    CHECK_EQ_INT(call(&r, "count", &n, &res), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 7);
    rig_close(&r);
}

/* Without metering the FUEL left at loop heads still paces the checks:
 * an endless loop times out, and a cancel from another thread stops it. */
TEST(limits_timeout_and_cancel_without_metering) {
    waiter w = { 0, false };
    rig r;
    REQUIRE(slowhost_open(&r, &w, false));
    wvm_store_set_timeout(r.s, 50);
    CHECK_EQ_INT(call(&r, "spin", NULL, NULL), WVM_TRAP_TIMEOUT);
    wvm_store_set_timeout(r.s, 10000); /* backstop: a broken cancel times out */
    canceller c = { r.s, 0 };
    pthread_t th;
    REQUIRE(pthread_create(&th, NULL, cancel_thread, &c) == 0);
    wvm_status st = call(&r, "spin", NULL, NULL);
    atomic_store(&c.done, 1);
    pthread_join(th, NULL);
    CHECK_EQ_INT(st, WVM_TRAP_CANCELLED);
    rig_close(&r);
}

TEST(limits_infinite_recursion) {
    rig r;
    REQUIRE(rig_open(&r, "recurse", NULL, WVM_FLOAT_ALLOW));
    wvm_store_set_timeout(r.s, 10000);
    wvm_val a = wvm_i32(0);
    CHECK_EQ_INT(call(&r, "recurse", &a, NULL), WVM_TRAP_STACK_EXHAUSTED);
    CHECK(still_usable(&r));
    rig_close(&r);

    /* a smaller call depth limit is honoured */
    wvm_limits lim = { .max_call_depth = 100 };
    REQUIRE(rig_open(&r, "recurse", &lim, WVM_FLOAT_ALLOW));
    wvm_store_set_fuel(r.s, 1000000);
    CHECK_EQ_INT(call(&r, "recurse", &a, NULL), WVM_TRAP_STACK_EXHAUSTED);
    /* each level pays its entry block (local.get, i32.const, i32.add,
     * call, end = 5) before calling: 100 frames below the first, and
     * the 101st call is refused */
    CHECK_EQ_INT(wvm_store_fuel_used(r.s), 5 * 101);
    CHECK(still_usable(&r));
    rig_close(&r);
}

/* ---- memory and table bombs ---- */

TEST(limits_memory_bomb) {
    wvm_limits lim = { .max_memory_pages = 64 };
    rig r;
    REQUIRE(rig_open(&r, "membomb", &lim, WVM_FLOAT_ALLOW));
    wvm_val v;
    CHECK_EQ_INT(call(&r, "bomb", NULL, &v), WVM_OK);
    CHECK_EQ_INT(v.of.i32, 64);
    CHECK_EQ_INT(wvm_instance_memory_size(r.inst), 64 * 65536);
    CHECK_EQ_INT(call(&r, "huge", NULL, &v), WVM_OK);
    CHECK_EQ_INT(v.of.i32, -1);
    CHECK(still_usable(&r));
    rig_close(&r);
}

TEST(limits_memory_over_limit_at_instantiation) {
    wvm_limits lim = { .max_memory_pages = 10 };
    wvm_engine *e = engine_with(&lim, WVM_FLOAT_ALLOW);
    REQUIRE(e != NULL);
    wvm_module *m = NULL;
    REQUIRE(load(e, "bigmem", &m) == WVM_OK);
    wvm_store *s = NULL;
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    wvm_instance *inst = (wvm_instance *)1;
    CHECK_EQ_INT(wvm_instance_new(s, m, NULL, 0, &inst), WVM_ERR_RESOURCE);
    CHECK(inst == NULL);
    CHECK(strstr(wvm_store_errmsg(s), "max_memory_pages") != NULL);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);

    /* at the limit it is fine */
    lim.max_memory_pages = 100;
    e = engine_with(&lim, WVM_FLOAT_ALLOW);
    REQUIRE(e != NULL);
    REQUIRE(load(e, "bigmem", &m) == WVM_OK);
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    CHECK_EQ_INT(wvm_instance_new(s, m, NULL, 0, &inst), WVM_OK);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}

TEST(limits_table_bomb) {
    wvm_limits lim = { .max_table_elems = 1000 };
    rig r;
    REQUIRE(rig_open(&r, "tablebomb", &lim, WVM_FLOAT_ALLOW));
    wvm_val v, a = wvm_i32(5000);
    CHECK_EQ_INT(call(&r, "tgrow", &a, &v), WVM_OK);
    CHECK_EQ_INT(v.of.i32, -1);
    a = wvm_i32(999);
    CHECK_EQ_INT(call(&r, "tgrow", &a, &v), WVM_OK);
    CHECK_EQ_INT(v.of.i32, 1); /* old size: now 1000, the limit */
    a = wvm_i32(1);
    CHECK_EQ_INT(call(&r, "tgrow", &a, &v), WVM_OK);
    CHECK_EQ_INT(v.of.i32, -1);
    a = wvm_i32(-1); /* 0xffffffff elements */
    CHECK_EQ_INT(call(&r, "tgrow", &a, &v), WVM_OK);
    CHECK_EQ_INT(v.of.i32, -1);
    CHECK(still_usable(&r));
    rig_close(&r);

    wvm_engine *e = engine_with(&lim, WVM_FLOAT_ALLOW);
    REQUIRE(e != NULL);
    wvm_module *m = NULL;
    REQUIRE(load(e, "bigtable", &m) == WVM_OK);
    wvm_store *s = NULL;
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    wvm_instance *inst = NULL;
    CHECK_EQ_INT(wvm_instance_new(s, m, NULL, 0, &inst), WVM_ERR_RESOURCE);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}

/* ---- load-time limits, on modules made here ---- */

/* A growable byte buffer for building modules. */
typedef struct buf {
    uint8_t *p;
    size_t n, cap;
    bool oom;
} buf;

static void put(buf *b, const void *src, size_t n) {
    if (b->oom) return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n) cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q) { b->oom = true; return; }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}
static void put8(buf *b, uint8_t v) { put(b, &v, 1); }
static void leb(buf *b, uint64_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        put8(b, byte | (v ? 0x80 : 0));
    } while (v);
}
/* Appends section id with the contents of s. */
static void section(buf *b, uint8_t id, const buf *s) {
    put8(b, id);
    leb(b, s->n);
    put(b, s->p, s->n);
}

static const uint8_t header[8] = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 };

/* A module with one () -> () function whose body is `body` (locals
 * declaration included). */
static buf module_with_body(const buf *body) {
    buf m = { 0 }, s = { 0 };
    put(&m, header, 8);
    static const uint8_t type[] = { 0x01, 0x60, 0x00, 0x00 };
    s.n = 0; put(&s, type, sizeof type); section(&m, 1, &s);
    s.n = 0; put8(&s, 1); put8(&s, 0); section(&m, 3, &s);
    s.n = 0; put8(&s, 1); leb(&s, body->n); put(&s, body->p, body->n); section(&m, 10, &s);
    free(s.p);
    return m;
}

/* wvm_module_new under limits lim; returns the status, msg the message. */
static wvm_status try_load(const wvm_limits *lim, const buf *mod, char *msg, size_t cap) {
    wvm_engine *e = engine_with(lim, WVM_FLOAT_ALLOW);
    if (!e || mod->oom) return WVM_ERR_NOMEM;
    wvm_module *m = NULL;
    wvm_status st = wvm_module_new(e, mod->p, mod->n, &m);
    snprintf(msg, cap, "%s", m ? wvm_module_errmsg(m) : "");
    wvm_module_free(m);
    wvm_engine_free(e);
    return st;
}

TEST(limits_million_locals) {
    buf body = { 0 };
    put8(&body, 1);          /* one group */
    leb(&body, 1000000);     /* of a million */
    put8(&body, 0x7f);       /* i32 */
    put8(&body, 0x0b);       /* end */
    buf mod = module_with_body(&body);
    char msg[512];
    CHECK_EQ_INT(try_load(NULL, &mod, msg, sizeof msg), WVM_ERR_LIMIT);
    CHECK(strstr(msg, "max_locals") != NULL);
    free(body.p);
    free(mod.p);

    /* 1000 locals pass the default limit, fail a limit of 999 */
    body = (buf){ 0 };
    put8(&body, 1); leb(&body, 1000); put8(&body, 0x7f); put8(&body, 0x0b);
    mod = module_with_body(&body);
    CHECK_EQ_INT(try_load(NULL, &mod, msg, sizeof msg), WVM_OK);
    wvm_limits lim = { .max_locals = 999 };
    CHECK_EQ_INT(try_load(&lim, &mod, msg, sizeof msg), WVM_ERR_LIMIT);
    lim.max_locals = 1000;
    CHECK_EQ_INT(try_load(&lim, &mod, msg, sizeof msg), WVM_OK);
    free(body.p);
    free(mod.p);
}

/* A module with a memory of 160 pages and one data segment of n bytes. */
static buf module_with_data(size_t n) {
    buf m = { 0 }, s = { 0 };
    put(&m, header, 8);
    s.n = 0; put8(&s, 1); put8(&s, 0x00); leb(&s, 160); section(&m, 5, &s);
    s.n = 0;
    put8(&s, 1);                                  /* one segment */
    put8(&s, 0x00);                               /* active, memory 0 */
    put8(&s, 0x41); put8(&s, 0x00); put8(&s, 0x0b); /* offset i32.const 0 */
    leb(&s, n);
    for (size_t i = 0; i < n && !s.oom; i += 4096) {
        static const uint8_t page[4096];
        put(&s, page, n - i < 4096 ? n - i : 4096);
    }
    section(&m, 11, &s);
    m.oom |= s.oom;
    free(s.p);
    return m;
}

TEST(limits_big_data_segment) {
    buf mod = module_with_data(10u << 20);
    REQUIRE(!mod.oom);
    char msg[512];
    wvm_limits lim = { .max_module_bytes = 1u << 20 };
    CHECK_EQ_INT(try_load(&lim, &mod, msg, sizeof msg), WVM_ERR_LIMIT);
    CHECK(strstr(msg, "max_module_bytes") != NULL);
    /* the default (64 MiB) takes it */
    CHECK_EQ_INT(try_load(NULL, &mod, msg, sizeof msg), WVM_OK);
    free(mod.p);
}

/* A body of n nested `block`s. */
static buf nested_body(uint32_t n) {
    buf body = { 0 };
    put8(&body, 0); /* no locals */
    for (uint32_t i = 0; i < n; i++) { put8(&body, 0x02); put8(&body, 0x40); }
    for (uint32_t i = 0; i < n; i++) put8(&body, 0x0b);
    put8(&body, 0x0b);
    return body;
}

TEST(limits_deep_block_nesting) {
    char msg[512];
    buf body = nested_body(5000);
    buf mod = module_with_body(&body);
    CHECK_EQ_INT(try_load(NULL, &mod, msg, sizeof msg), WVM_ERR_LIMIT); /* default 1024 */
    CHECK(strstr(msg, "max_block_depth") != NULL);
    free(body.p);
    free(mod.p);

    /* the boundary: max_block_depth blocks nest, one more does not */
    wvm_limits lim = { .max_block_depth = 10 };
    body = nested_body(10);
    mod = module_with_body(&body);
    CHECK_EQ_INT(try_load(&lim, &mod, msg, sizeof msg), WVM_OK);
    free(body.p);
    free(mod.p);
    body = nested_body(11);
    mod = module_with_body(&body);
    CHECK_EQ_INT(try_load(&lim, &mod, msg, sizeof msg), WVM_ERR_LIMIT);
    free(body.p);
    free(mod.p);
}

/* ---- float policy ---- */

TEST(limits_float_reject) {
    wvm_engine *e = engine_with(NULL, WVM_FLOAT_REJECT);
    REQUIRE(e != NULL);
    wvm_module *m = NULL;
    CHECK_EQ_INT(load(e, "fadd", &m), WVM_ERR_INVALID);
    REQUIRE(m != NULL);
    /* names the function (index 1) and the first float instruction met,
     * the f32.load that feeds f32.add */
    CHECK(strstr(wvm_module_errmsg(m), "function 1") != NULL);
    CHECK(strstr(wvm_module_errmsg(m), "float load") != NULL);
    wvm_module_free(m);
    /* floats.wasm (f32.const, f32.div, ...) is refused too */
    CHECK_EQ_INT(load(e, "floats", &m), WVM_ERR_INVALID);
    wvm_module_free(m);
    /* an integer-only module is accepted */
    CHECK_EQ_INT(load(e, "spin", &m), WVM_OK);
    wvm_module_free(m);
    wvm_engine_free(e);

    e = engine_with(NULL, WVM_FLOAT_ALLOW);
    REQUIRE(e != NULL);
    CHECK_EQ_INT(load(e, "fadd", &m), WVM_OK);
    wvm_module_free(m);
    wvm_engine_free(e);
}

TEST(limits_float_canonical_nan) {
    rig r;
    REQUIRE(rig_open(&r, "floats", NULL, WVM_FLOAT_CANONICAL_NAN));
    wvm_val v;
    CHECK_EQ_INT(call(&r, "div0", NULL, &v), WVM_OK);
    CHECK_EQ_INT((uint32_t)v.of.i32, 0x7fc00000u);
    CHECK_EQ_INT(call(&r, "payload", NULL, &v), WVM_OK);
    CHECK_EQ_INT((uint32_t)v.of.i32, 0x7fc00000u);
    CHECK_EQ_INT(call(&r, "div0_64", NULL, &v), WVM_OK);
    CHECK(v.of.i64 == 0x7ff8000000000000ll);
    /* neg, abs and copysign are bit operations, exact under every policy */
    CHECK_EQ_INT(call(&r, "neg", NULL, &v), WVM_OK);
    CHECK_EQ_INT((uint32_t)v.of.i32, 0xffa00000u);
    rig_close(&r);
}

TEST(limits_float_allow_spec) {
    rig r;
    REQUIRE(rig_open(&r, "floats", NULL, WVM_FLOAT_ALLOW));
    wvm_val v;
    /* the spec only promises a NaN (quiet bit set), of either sign */
    CHECK_EQ_INT(call(&r, "div0", NULL, &v), WVM_OK);
    CHECK_EQ_INT((uint32_t)v.of.i32 & 0x7fc00000u, 0x7fc00000u);
    CHECK_EQ_INT(call(&r, "payload", NULL, &v), WVM_OK);
    CHECK_EQ_INT((uint32_t)v.of.i32 & 0x7fc00000u, 0x7fc00000u);
#if defined(__x86_64__) || defined(__i386__)
    /* x86: 0/0 is the "default NaN" with the sign set, and an input NaN's
     * payload is propagated (quieted): neither is canonicalized */
    CHECK_EQ_INT(call(&r, "div0", NULL, &v), WVM_OK);
    CHECK_EQ_INT((uint32_t)v.of.i32, 0xffc00000u);
    CHECK_EQ_INT(call(&r, "payload", NULL, &v), WVM_OK);
    CHECK_EQ_INT((uint32_t)v.of.i32, 0x7fe00000u);
#endif
    CHECK_EQ_INT(call(&r, "neg", NULL, &v), WVM_OK);
    CHECK_EQ_INT((uint32_t)v.of.i32, 0xffa00000u);
    rig_close(&r);
}

/* ---- trap messages ---- */

TEST(limits_trap_backtrace_names) {
    rig r;
    REQUIRE(rig_open(&r, "backtrace", NULL, WVM_FLOAT_ALLOW));
    wvm_val a = wvm_i32(7), v;
    CHECK_EQ_INT(call(&r, "outer", &a, &v), WVM_TRAP_DIV_ZERO);
    const char *msg = wvm_store_errmsg(r.s);
    const char *in = strstr(msg, "inner_fn"), *mid = strstr(msg, "middle_fn"),
               *out = strstr(msg, "outer_fn");
    CHECK(strstr(msg, "integer divide by zero") != NULL);
    CHECK(in && mid && out);
    CHECK(in < mid && mid < out); /* innermost frame first */
    rig_close(&r);

    /* without a name section frames are named by index */
    REQUIRE(rig_open(&r, "recurse", &(wvm_limits){ .max_call_depth = 3 }, WVM_FLOAT_ALLOW));
    a = wvm_i32(0);
    CHECK_EQ_INT(call(&r, "recurse", &a, &v), WVM_TRAP_STACK_EXHAUSTED);
    CHECK(strstr(wvm_store_errmsg(r.s), "func[0]") != NULL);
    rig_close(&r);
}

/* A trap in y[i] += a * x[i], fused into one instruction, names the
 * access that comes first in wasm order among those out of bounds, as
 * the separate instructions would (hostile/axpy_trap.wat; the offsets are
 * those of its loads, from wasm-objdump -d). */
static const char *axpy_trap(rig *r, const char *name, const wvm_val *args, uint32_t n) {
    wvm_func *f = NULL;
    wvm_val res;
    if (wvm_instance_func(r->inst, name, &f) != WVM_OK) return "";
    if (wvm_func_call(r->s, f, args, n, &res, 1) != WVM_TRAP_MEMORY_OOB) return "";
    return wvm_store_errmsg(r->s);
}

TEST(limits_trap_fused_axpy_names_first_access) {
    rig r;
    REQUIRE(rig_open(&r, "axpy_trap", NULL, WVM_FLOAT_ALLOW));
    /* x_first: x at p + q (load at 0x4f), then y at y + 8 (0x55) */
    wvm_val both[] = { wvm_i32(65528), wvm_i32(65530), wvm_i32(0), wvm_f64(1.0) };
    CHECK(strstr(axpy_trap(&r, "x_first", both, 4), "@0x4f") != NULL);
    wvm_val y_only[] = { wvm_i32(65528), wvm_i32(0), wvm_i32(0), wvm_f64(1.0) };
    CHECK(strstr(axpy_trap(&r, "x_first", y_only, 4), "@0x55") != NULL);
    /* y_first: y at p + q (0x6c), then x at r + s (0x76) */
    wvm_val both_y[] = { wvm_i32(65528), wvm_i32(8), wvm_i32(65528), wvm_i32(4), wvm_i64(1) };
    CHECK(strstr(axpy_trap(&r, "y_first", both_y, 5), "@0x6c") != NULL);
    wvm_val x_only[] = { wvm_i32(0), wvm_i32(8), wvm_i32(65528), wvm_i32(4), wvm_i64(1) };
    CHECK(strstr(axpy_trap(&r, "y_first", x_only, 5), "@0x76") != NULL);
    rig_close(&r);
}

/* ---- the defaults are those of contracts (docs/limits.md) ---- */

TEST(limits_timeout_from_engine_limits) {
    /* limits.timeout_ms is every new store's timeout */
    wvm_limits lim = { .timeout_ms = 30 };
    rig r;
    REQUIRE(rig_open(&r, "spin", &lim, WVM_FLOAT_ALLOW));
    double t0 = now_s();
    CHECK_EQ_INT(call(&r, "spin", NULL, NULL), WVM_TRAP_TIMEOUT);
    CHECK(now_s() - t0 < 2.0);
    CHECK(still_usable(&r));
    rig_close(&r);
}

TEST(limits_contract_defaults) {
    /* 256 pages of memory: bigmem (100 pages) instantiates; a grow past
     * 256 pages returns -1 */
    rig r;
    REQUIRE(rig_open(&r, "bigmem", NULL, WVM_FLOAT_ALLOW));
    rig_close(&r);
    wvm_engine *e = engine_with(NULL, WVM_FLOAT_ALLOW);
    REQUIRE(e != NULL);
    wvm_store *s = NULL;
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    wvm_extern x;
    CHECK_EQ_INT(wvm_memory_new(s, 257, UINT32_MAX, &x), WVM_ERR_RESOURCE);
    CHECK_EQ_INT(wvm_memory_new(s, 256, UINT32_MAX, &x), WVM_OK);
    CHECK_EQ_INT(wvm_table_new(s, WVM_FUNCREF, 1025, UINT32_MAX, &x), WVM_ERR_RESOURCE);
    CHECK_EQ_INT(wvm_table_new(s, WVM_FUNCREF, 1024, UINT32_MAX, &x), WVM_OK);
    wvm_store_free(s);
    wvm_engine_free(e);
}

TEST(limits_program_preset) {
    wvm_limits lim = { 0 };
    WVM_LIMITS_PROGRAM(&lim);
    wvm_engine *e = engine_with(&lim, WVM_FLOAT_ALLOW);
    REQUIRE(e != NULL);
    wvm_store *s = NULL;
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    wvm_extern x;
    CHECK_EQ_INT(wvm_table_new(s, WVM_FUNCREF, 100000, UINT32_MAX, &x), WVM_OK);
    CHECK_EQ_INT(wvm_memory_new(s, 1024, UINT32_MAX, &x), WVM_OK);
    wvm_store_free(s);
    wvm_engine_free(e);
}

/* A zero timeout means the default in wvm_store_set_timeout as in
 * wvm_limits, never "none"; WVM_NO_TIMEOUT is none.  (Before, 0 was the
 * default in the limits but none in wvm_store_set_timeout.) */
TEST(limits_zero_timeout_is_the_default) {
    wvm_limits lim = { .timeout_ms = 30 };
    rig r;
    REQUIRE(rig_open(&r, "spin", &lim, WVM_FLOAT_ALLOW));
    /* none: only fuel stops the loop */
    wvm_store_set_timeout(r.s, WVM_NO_TIMEOUT);
    wvm_store_set_fuel(r.s, 200u * 1000 * 1000);
    CHECK_EQ_INT(call(&r, "spin", NULL, NULL), WVM_TRAP_OUT_OF_FUEL);
    /* 0: back to the engine's 30 ms; the fuel is only a backstop (tens
     * of seconds) so that a 0 read as "none" fails instead of hanging */
    wvm_store_set_fuel(r.s, 20ull * 1000 * 1000 * 1000);
    wvm_store_set_timeout(r.s, 0);
    CHECK_EQ_INT(call(&r, "spin", NULL, NULL), WVM_TRAP_TIMEOUT);
    rig_close(&r);
}
