/*
 * test_quiet.c -- the library writes nothing to stdout or stderr and
 * reads no environment variable; the translated code reaches the embedder
 * only through wvm_config.dump.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "wvm.h"
#include "test.h"

/* (func (export "f") (result i32) unreachable) */
static const uint8_t trap_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,             /* type () -> i32 */
    0x03, 0x02, 0x01, 0x00,                               /* func 0: type 0 */
    0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,              /* export "f" */
    0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b,             /* unreachable */
};

/* Points fd (1 or 2) at a temporary file until quiet_end. */
typedef struct quiet {
    int fd, saved;
    FILE *tmp;
} quiet;

static int quiet_begin(quiet *q, int fd) {
    fflush(NULL);
    q->fd = fd;
    q->tmp = tmpfile();
    if (!q->tmp) return 0;
    q->saved = dup(fd);
    if (q->saved < 0 || dup2(fileno(q->tmp), fd) < 0) {
        fclose(q->tmp);
        return 0;
    }
    return 1;
}

/* Restores fd; returns the number of bytes written to it meanwhile. */
static long quiet_end(quiet *q) {
    fflush(NULL);
    long n = lseek(q->fd, 0, SEEK_END);
    dup2(q->saved, q->fd);
    close(q->saved);
    fclose(q->tmp);
    return n;
}

/* Loads a malformed module, a valid one, and runs a function that traps,
 * with WVM_DUMP set (the variable that used to turn dumping on). */
static void load_and_trap(const wvm_config *cfg) {
    wvm_engine *e = NULL;
    wvm_module *bad = NULL, *m = NULL;
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    wvm_func *f = NULL;
    wvm_val res[1];
    REQUIRE(wvm_engine_new(cfg, &e) == WVM_OK);
    CHECK(wvm_module_new(e, trap_wasm, 9, &bad) == WVM_ERR_MALFORMED);
    CHECK(wvm_module_new(e, trap_wasm, sizeof trap_wasm, &m) == WVM_OK);
    if (m && wvm_store_new(e, &s) == WVM_OK && wvm_instance_new(s, m, NULL, 0, &inst) == WVM_OK &&
        wvm_instance_func(inst, "f", &f) == WVM_OK)
        CHECK_EQ_INT(wvm_func_call(s, f, NULL, 0, res, 1), WVM_TRAP_UNREACHABLE);
    CHECK(f != NULL);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_module_free(bad);
    wvm_engine_free(e);
}

TEST(library_writes_nothing_to_stdout_or_stderr) {
    setenv("WVM_DUMP", "1", 1);
    quiet out, err;
    REQUIRE(quiet_begin(&out, 1));
    if (!quiet_begin(&err, 2)) {
        quiet_end(&out);
        REQUIRE(0);
    }
    load_and_trap(NULL);
    long nerr = quiet_end(&err), nout = quiet_end(&out);
    unsetenv("WVM_DUMP");
    CHECK_EQ_INT(nout, 0);
    CHECK_EQ_INT(nerr, 0);
}

typedef struct dump_text {
    char buf[4096];
    size_t len;
    int calls, bad_piece;
} dump_text;

static void collect(void *user, const char *text, size_t len) {
    dump_text *d = user;
    d->calls++;
    if (len == 0 || text[len - 1] != '\n' || memchr(text, '\n', len) != text + len - 1) d->bad_piece = 1;
    if (len > sizeof d->buf - 1 - d->len) len = sizeof d->buf - 1 - d->len;
    memcpy(d->buf + d->len, text, len);
    d->len += len;
    d->buf[d->len] = 0;
}

TEST(dump_callback_gets_translated_code) {
    dump_text d = { .len = 0 };
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.dump = collect;
    cfg.dump_user = &d;
    load_and_trap(&cfg);
    /* once, for the valid module only: a line a call */
    CHECK(d.calls >= 2);
    CHECK(!d.bad_piece);
    CHECK(strncmp(d.buf, "func 0: locals 0 frame ", 23) == 0);
    CHECK(strstr(d.buf, " UNREACHABLE") != NULL);
    CHECK(strstr(d.buf + 1, "func 0:") == NULL);
}
