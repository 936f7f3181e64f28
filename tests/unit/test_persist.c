/*
 * test_persist.c -- translations written out and read back
 * (wvm_module_write_translation, wvm_module_new_translated): a module
 * read back runs exactly as one loaded from its wasm, results and fuel;
 * every blob that is not a whole translation of the same wasm by this
 * build with the same settings -- cut short, damaged anywhere, of
 * another module, build or setting -- is refused with its reason, and
 * the module then loads from its wasm.  `wvm spectest
 * --via-translation` (make test) runs the whole spec suite on modules
 * read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"
#include "test.h"

/* persist.c and interp.c, for the tests only: a blob's checksum made
 * anew after an edit, and the handler addresses of this process. */
void persist_resign(uint8_t *blob, size_t len);
const void *const *interp_labels(void);

typedef struct blob {
    uint8_t *b;
    size_t n;
} blob;

static void keep(void *user, const void *bytes, size_t len) {
    blob *o = user;
    free(o->b);
    o->b = malloc(len);
    if (o->b) memcpy(o->b, bytes, len);
    o->n = o->b ? len : 0;
}

static wvm_engine *engine_with(bool metering, wvm_float_policy fp) {
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.metering = metering;
    cfg.float_policy = fp;
    wvm_engine *e = NULL;
    wvm_engine_new(&cfg, &e);
    return e;
}

/* The translation of wasm by e, written out. */
static blob written(wvm_engine *e, const uint8_t *wasm, size_t len) {
    blob o = { NULL, 0 };
    wvm_module *m = NULL;
    if (wvm_module_new(e, wasm, len, &m) == WVM_OK) CHECK_EQ_INT(wvm_module_write_translation(m, keep, &o), WVM_OK);
    wvm_module_free(m);
    return o;
}

/* export name(a, b) of a fresh instance of m; its result and the fuel
 * it used. */
static int64_t run(wvm_engine *e, wvm_module *m, const char *name, int nargs, int32_t a, int32_t b,
                   uint64_t *fuel) {
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    wvm_func *f = NULL;
    int64_t r = -1;
    if (wvm_store_new(e, &s) == WVM_OK && wvm_instance_new(s, m, NULL, 0, &inst) == WVM_OK &&
        wvm_instance_func(inst, name, &f) == WVM_OK) {
        wvm_val args[2] = { wvm_i32(a), wvm_i32(b) }, res;
        wvm_store_set_fuel(s, 1000000000);
        if (wvm_func_call(s, f, args, (uint32_t)nargs, &res, 1) == WVM_OK)
            r = res.type == WVM_I64 ? res.of.i64 : res.of.i32;
        if (fuel) *fuel = 1000000000 - wvm_store_fuel_remaining(s);
    }
    wvm_store_free(s);
    return r;
}

/* Loads wasm with blob; the use reported, and the module checked to run
 * as one loaded from wasm (fib 15). */
static wvm_translation_use load_with(wvm_engine *e, const uint8_t *wasm, size_t len, const void *b, size_t n) {
    wvm_module *m = NULL;
    wvm_translation_use use = WVM_TRANSLATION_USED;
    wvm_status st = wvm_module_new_translated(e, wasm, len, b, n, &m, &use);
    CHECK_EQ_INT(st, WVM_OK);
    if (!st) CHECK_EQ_INT(run(e, m, "fib", 1, 15, 0, NULL), 610);
    wvm_module_free(m);
    return use;
}

TEST(persist_round_trip_runs_the_same) {
    size_t len;
    uint8_t *w = test_read_file("tests/api/persist.wasm", &len);
    REQUIRE(w);
    wvm_engine *e = engine_with(true, WVM_FLOAT_ALLOW);
    blob o = written(e, w, len);
    REQUIRE(o.b);
    wvm_module *a = NULL, *b = NULL;
    wvm_translation_use use = WVM_TRANSLATION_CORRUPT;
    REQUIRE(wvm_module_new(e, w, len, &a) == WVM_OK);
    REQUIRE(wvm_module_new_translated(e, w, len, o.b, o.n, &b, &use) == WVM_OK);
    CHECK_EQ_INT(use, WVM_TRANSLATION_USED);
    static const struct { const char *name; int nargs; int32_t x, y; int64_t want; } calls[] = {
        { "fib", 1, 20, 0, 6765 },
        { "sum", 1, 7, 0, 778 },         /* "persist": 112 + 101 + 114 + 115 + 105 + 115 + 116 */
        { "pick", 2, 0, 10, 55 },        /* table slot 0: fib */
        { "pick", 2, 1, 7, 778 },        /* slot 1: sum */
        { "wide", 0, 0, 0, 0x123456789abcdef0 },
        { "g", 0, 0, 0, 7 },
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        uint64_t fa = 0, fb = 1;
        int64_t ra = run(e, a, calls[i].name, calls[i].nargs, calls[i].x, calls[i].y, &fa);
        int64_t rb = run(e, b, calls[i].name, calls[i].nargs, calls[i].x, calls[i].y, &fb);
        CHECK_EQ_INT(ra, calls[i].want);
        CHECK_EQ_INT(rb, calls[i].want);
        CHECK_EQ_INT(fa, fb);
    }
    /* a module read back writes the same blob again */
    blob again = { NULL, 0 };
    CHECK_EQ_INT(wvm_module_write_translation(b, keep, &again), WVM_OK);
    CHECK(again.n == o.n && again.b && !memcmp(again.b, o.b, o.n));
    free(again.b);
    wvm_module_free(a);
    wvm_module_free(b);
    free(o.b);
    wvm_engine_free(e);
    free(w);
}

TEST(persist_refuses_damaged_blobs) {
    size_t len;
    uint8_t *w = test_read_file("tests/api/persist.wasm", &len);
    REQUIRE(w);
    wvm_engine *e = engine_with(true, WVM_FLOAT_ALLOW);
    blob o = written(e, w, len);
    REQUIRE(o.b && o.n > 100);
    CHECK_EQ_INT(load_with(e, w, len, NULL, 0), WVM_TRANSLATION_TRUNCATED);
    CHECK_EQ_INT(load_with(e, w, len, o.b, 40), WVM_TRANSLATION_TRUNCATED);
    CHECK_EQ_INT(load_with(e, w, len, o.b, o.n - 1), WVM_TRANSLATION_TRUNCATED);
    CHECK_EQ_INT(load_with(e, w, len, o.b, o.n / 2), WVM_TRANSLATION_TRUNCATED);
    uint8_t *b = malloc(o.n + 1);
    REQUIRE(b);
    memcpy(b, o.b, o.n);
    b[o.n] = 0;
    CHECK_EQ_INT(load_with(e, w, len, b, o.n + 1), WVM_TRANSLATION_CORRUPT);
    memset(b, 'x', o.n);
    CHECK_EQ_INT(load_with(e, w, len, b, o.n), WVM_TRANSLATION_NOT_OURS);
    /* every bit of every byte: never used, never a crash */
    unsigned used = 0;
    for (size_t i = 0; i < o.n; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(b, o.b, o.n);
            b[i] ^= (uint8_t)(1u << bit);
            if (load_with(e, w, len, b, o.n) == WVM_TRANSLATION_USED) used++;
        }
    CHECK_EQ_INT(used, 0);
    free(b);
    free(o.b);
    wvm_engine_free(e);
    free(w);
}

TEST(persist_refuses_other_modules_settings_and_builds) {
    size_t len, rlen;
    uint8_t *w = test_read_file("tests/api/persist.wasm", &len);
    uint8_t *other = test_read_file("tests/api/reset.wasm", &rlen);
    REQUIRE(w && other);
    wvm_engine *e = engine_with(true, WVM_FLOAT_ALLOW);
    wvm_engine *unmetered = engine_with(false, WVM_FLOAT_ALLOW);
    wvm_engine *nofloat = engine_with(true, WVM_FLOAT_REJECT);
    blob o = written(e, w, len);
    REQUIRE(o.b && unmetered && nofloat);
    CHECK_EQ_INT(load_with(unmetered, w, len, o.b, o.n), WVM_TRANSLATION_OTHER_SETTINGS);
    CHECK_EQ_INT(load_with(nofloat, w, len, o.b, o.n), WVM_TRANSLATION_OTHER_SETTINGS);
    wvm_module *m = NULL;
    wvm_translation_use use = WVM_TRANSLATION_USED;
    CHECK_EQ_INT(wvm_module_new_translated(e, other, rlen, o.b, o.n, &m, &use), WVM_OK);
    CHECK_EQ_INT(use, WVM_TRANSLATION_OTHER_MODULE);
    wvm_module_free(m);
    /* another build: the header's build word changed, the checksum made anew */
    uint8_t *b = malloc(o.n);
    REQUIRE(b);
    memcpy(b, o.b, o.n);
    b[8] ^= 1;
    persist_resign(b, o.n);
    CHECK_EQ_INT(load_with(e, w, len, b, o.n), WVM_TRANSLATION_OTHER_BUILD);
    free(b);
    free(o.b);
    wvm_engine_free(e);
    wvm_engine_free(unmetered);
    wvm_engine_free(nofloat);
    free(w);
    free(other);
}

/* A blob with a good checksum whose contents do not fit the module: the
 * reader's own bounds refuse it (a blob is never trusted further than
 * it can be checked). */
TEST(persist_checks_contents_behind_the_checksum) {
    size_t len;
    uint8_t *w = test_read_file("tests/api/persist.wasm", &len);
    REQUIRE(w);
    wvm_engine *e = engine_with(true, WVM_FLOAT_ALLOW);
    blob o = written(e, w, len);
    REQUIRE(o.b && o.n > 96);
    uint8_t *b = malloc(o.n);
    REQUIRE(b);
    uint32_t head[4];
    memcpy(head, o.b + 64, sizeof head);   /* function 0: nlocals, frame, cells, pc map */
    size_t kinds = 64 + 16 + (size_t)head[3] * 8 + (size_t)head[2] * 8;
    struct { size_t at; uint32_t v; int bytes; } edits[] = {
        { 5 * 8, 99, 4 },                  /* the number of functions */
        { 64 + 4, 70000, 4 },              /* a frame past the slot limit */
        { 64, 70000, 4 },                  /* more locals than the frame */
        { 64 + 8, 0, 4 },                  /* no cells */
        { 64 + 8, 0x7fffffff, 4 },         /* more cells than the blob */
        { kinds, 7, 1 },                   /* a cell of no kind */
        { kinds, 1, 1 },                   /* a handler... */
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        memcpy(b, o.b, o.n);
        memcpy(b + edits[i].at, &edits[i].v, (size_t)edits[i].bytes);
        if (i == 6) memset(b + 64 + 16 + (size_t)head[3] * 8 + 2, 0x7f, 2); /* ...whose op is no op */
        persist_resign(b, o.n);
        CHECK_EQ_INT(load_with(e, w, len, b, o.n), WVM_TRANSLATION_CORRUPT);
    }
    free(b);
    free(o.b);
    wvm_engine_free(e);
    free(w);
}

/* A constant that equals a handler address of this process could not be
 * told from a handler when read back: such a module is not written. */
TEST(persist_refuses_a_constant_equal_to_a_handler) {
    uint64_t k = (uint64_t)(uintptr_t)interp_labels()[3];
    uint8_t w[64] = { 0, 'a', 's', 'm', 1, 0, 0, 0,
                      1, 5, 1, 0x60, 0, 1, 0x7e,        /* type: [] -> [i64] */
                      3, 2, 1, 0,                         /* one function */
                      7, 5, 1, 1, 'k', 0, 0 };            /* export "k" */
    size_t n = 26;
    w[n++] = 10;                                          /* code section */
    size_t size_at = n++;
    w[n++] = 1;
    size_t fsize_at = n++;
    w[n++] = 0;                                           /* no locals */
    w[n++] = 0x42;                                        /* i64.const k */
    int64_t v = (int64_t)k;
    for (bool more = true; more;) {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        more = !((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40)));
        w[n++] = more ? byte | 0x80 : byte;
    }
    w[n++] = 0x0b;
    w[fsize_at] = (uint8_t)(n - fsize_at - 1);
    w[size_at] = (uint8_t)(n - size_at - 1);
    wvm_engine *e = engine_with(true, WVM_FLOAT_ALLOW);
    wvm_module *m = NULL;
    REQUIRE(e && wvm_module_new(e, w, n, &m) == WVM_OK);
    blob o = { NULL, 0 };
    CHECK_EQ_INT(wvm_module_write_translation(m, keep, &o), WVM_ERR_LIMIT);
    CHECK(!o.b);
    CHECK_EQ_INT(run(e, m, "k", 0, 0, 0, NULL), (int64_t)k);
    wvm_module_free(m);
    wvm_engine_free(e);
}
