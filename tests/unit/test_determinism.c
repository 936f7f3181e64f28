/*
 * test_determinism.c -- the same computation gives the same result, fuel
 * and linear memory every time: in 100 fresh stores, and in another
 * process (fork).  The expected figures were computed independently (a
 * Python model of the module below), so they pin the semantics too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "wvm.h"
#include "test.h"

/* run(n): an LCG, i64 rotates and stores into 128 KiB of memory, and an
 * f64 accumulator (sqrt, convert, trunc_sat); returns an i64 checksum.
(module
  (memory 2)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i64) (local $acc i64) (local $f f64)
    i64.const 0x243f6a8885a308d3
    local.set $x
    block
      loop
        local.get $i
        local.get $n
        i32.ge_u
        br_if 1
        ;; x = x * 6364136223846793005 + 1442695040888963407
        local.get $x
        i64.const 6364136223846793005
        i64.mul
        i64.const 1442695040888963407
        i64.add
        local.set $x
        ;; mem64[(i * 8) & 131071] = rotl(x, i)
        local.get $i
        i32.const 3
        i32.shl
        i32.const 131071
        i32.and
        local.get $x
        local.get $i
        i64.extend_i32_u
        i64.rotl
        i64.store
        ;; f += sqrt(f64(x >> 11))
        local.get $f
        local.get $x
        i64.const 11
        i64.shr_u
        f64.convert_i64_u
        f64.sqrt
        f64.add
        local.set $f
        ;; acc ^= x + trunc_sat_u(f)
        local.get $acc
        local.get $x
        local.get $f
        i64.trunc_sat_f64_u
        i64.add
        i64.xor
        local.set $acc
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0
      end
    end
    local.get $acc)
)
 * Fuel (default costs): entry block 4 (i64.const, local.set, block,
 * loop), loop head 4 (n + 1 times), body 36 (n times), exit 2:
 * 40n + 10.
 */
static const uint8_t det_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
    0x01, 0x7f, 0x01, 0x7e, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00,
    0x02, 0x07, 0x07, 0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00, 0x0a, 0x74,
    0x01, 0x72, 0x03, 0x01, 0x7f, 0x02, 0x7e, 0x01, 0x7c, 0x42, 0xd3, 0x91,
    0x8c, 0xad, 0x88, 0xd1, 0xda, 0x9f, 0x24, 0x21, 0x02, 0x02, 0x40, 0x03,
    0x40, 0x20, 0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, 0x20, 0x02, 0x42, 0xad,
    0xfe, 0xd5, 0xe4, 0xd4, 0x85, 0xfd, 0xa8, 0xd8, 0x00, 0x7e, 0x42, 0xcf,
    0x82, 0x9e, 0xbb, 0xef, 0xef, 0xde, 0x82, 0x14, 0x7c, 0x21, 0x02, 0x20,
    0x01, 0x41, 0x03, 0x74, 0x41, 0xff, 0xff, 0x07, 0x71, 0x20, 0x02, 0x20,
    0x01, 0xad, 0x89, 0x37, 0x03, 0x00, 0x20, 0x04, 0x20, 0x02, 0x42, 0x0b,
    0x88, 0xba, 0x9f, 0xa0, 0x21, 0x04, 0x20, 0x03, 0x20, 0x02, 0x20, 0x04,
    0xfc, 0x07, 0x7c, 0x85, 0x21, 0x03, 0x20, 0x01, 0x41, 0x01, 0x6a, 0x21,
    0x01, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x03, 0x0b,
};

enum { N = 20000, MEM_BYTES = 2 * 65536 };
#define WANT_RESULT 0xe47487d645f7094cull
#define WANT_MEMHASH 0x3b4eb61862a49aa2ull
#define WANT_FUEL (40ull * N + 10)

/* What one run produced. */
typedef struct outcome {
    wvm_status st;
    uint64_t result, fuel, memhash;
} outcome;

static uint64_t fnv1a(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* Runs run(N) in a fresh store of engine e. */
static outcome run_once(wvm_engine *e, const wvm_module *m) {
    outcome o = { WVM_ERR_ARG, 0, 0, 0 };
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    wvm_func *f = NULL;
    static uint8_t mem[MEM_BYTES]; /* one test at a time uses it */
    if (wvm_store_new(e, &s) == WVM_OK && wvm_instance_new(s, m, NULL, 0, &inst) == WVM_OK &&
        wvm_instance_func(inst, "run", &f) == WVM_OK) {
        wvm_store_set_fuel(s, 10000000);
        wvm_val arg = wvm_i32(N), res;
        o.st = wvm_func_call(s, f, &arg, 1, &res, 1);
        o.result = (uint64_t)res.of.i64;
        o.fuel = wvm_store_fuel_used(s);
        if (wvm_instance_memory_size(inst) == MEM_BYTES &&
            wvm_instance_memory_read(inst, 0, mem, MEM_BYTES) == WVM_OK)
            o.memhash = fnv1a(mem, MEM_BYTES);
    }
    wvm_store_free(s);
    return o;
}

static bool same(const outcome *a, const outcome *b) {
    return a->st == b->st && a->result == b->result && a->fuel == b->fuel && a->memhash == b->memhash;
}

TEST(determinism_fresh_stores) {
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    REQUIRE(wvm_module_new(e, det_wasm, sizeof det_wasm, &m) == WVM_OK);
    outcome first = run_once(e, m);
    CHECK_EQ_INT(first.st, WVM_OK);
    CHECK(first.result == WANT_RESULT);
    CHECK(first.memhash == WANT_MEMHASH);
    CHECK_EQ_INT(first.fuel, WANT_FUEL);
    int differing = 0;
    for (int i = 1; i < 100; i++) {
        outcome o = run_once(e, m);
        if (!same(&o, &first)) differing++;
    }
    CHECK_EQ_INT(differing, 0);
    wvm_module_free(m);
    wvm_engine_free(e);
}

/* A fresh engine and module per run too: nothing carries over. */
TEST(determinism_fresh_engines) {
    for (int i = 0; i < 5; i++) {
        wvm_engine *e = NULL;
        wvm_module *m = NULL;
        REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
        REQUIRE(wvm_module_new(e, det_wasm, sizeof det_wasm, &m) == WVM_OK);
        outcome o = run_once(e, m);
        CHECK(o.st == WVM_OK && o.result == WANT_RESULT && o.memhash == WANT_MEMHASH &&
              o.fuel == WANT_FUEL);
        wvm_module_free(m);
        wvm_engine_free(e);
    }
}

/* Computes in a child process (its own address space, allocator state
 * and module copy) and compares with the parent's run. */
TEST(determinism_across_processes) {
    int fd[2];
    REQUIRE(pipe(fd) == 0);
    fflush(stdout);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        outcome o = { WVM_ERR_NOMEM, 0, 0, 0 };
        wvm_engine *e = NULL;
        wvm_module *m = NULL;
        if (wvm_engine_new(NULL, &e) == WVM_OK && wvm_module_new(e, det_wasm, sizeof det_wasm, &m) == WVM_OK)
            o = run_once(e, m);
        ssize_t w = write(fd[1], &o, sizeof o);
        _exit(w == (ssize_t)sizeof o ? 0 : 1);
    }
    close(fd[1]);
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    outcome mine = { WVM_ERR_NOMEM, 0, 0, 0 }, theirs;
    if (wvm_engine_new(NULL, &e) == WVM_OK && wvm_module_new(e, det_wasm, sizeof det_wasm, &m) == WVM_OK)
        mine = run_once(e, m);
    size_t got = 0;
    while (got < sizeof theirs) {
        ssize_t k = read(fd[0], (char *)&theirs + got, sizeof theirs - got);
        if (k <= 0) break;
        got += (size_t)k;
    }
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    REQUIRE(got == sizeof theirs);
    CHECK_EQ_INT(mine.st, WVM_OK);
    CHECK(same(&mine, &theirs));
    CHECK(theirs.result == WANT_RESULT && theirs.memhash == WANT_MEMHASH && theirs.fuel == WANT_FUEL);
    wvm_module_free(m);
    wvm_engine_free(e);
}
