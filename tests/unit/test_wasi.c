/*
 * test_wasi.c -- WASI preview1 (src/wasm/wasi.c) through the public API.
 *
 * The guest modules are byte arrays made with wat2wasm from the text in
 * the comment above each.  Each exported wrapper calls the WASI import of
 * the same name, so the host functions run with the instance's memory as
 * the caller's memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"
#include "test.h"

/*
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "fd_write") (param i32 i32 i32 i32) (result i32)
    (call $fd_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "fd_read") (param i32 i32 i32 i32) (result i32)
    (call $fd_read (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "args_sizes_get") (param i32 i32) (result i32)
    (call $args_sizes_get (local.get 0) (local.get 1)))
  (func (export "args_get") (param i32 i32) (result i32)
    (call $args_get (local.get 0) (local.get 1)))
  (func (export "environ_sizes_get") (param i32 i32) (result i32)
    (call $environ_sizes_get (local.get 0) (local.get 1)))
  (func (export "environ_get") (param i32 i32) (result i32)
    (call $environ_get (local.get 0) (local.get 1)))
  (func (export "random_get") (param i32 i32) (result i32)
    (call $random_get (local.get 0) (local.get 1)))
  (func (export "clock_time_get") (param i32 i64 i32) (result i32)
    (call $clock_time_get (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fd_fdstat_get") (param i32 i32) (result i32)
    (call $fd_fdstat_get (local.get 0) (local.get 1)))
  (func (export "fd_prestat_get") (param i32 i32) (result i32)
    (call $fd_prestat_get (local.get 0) (local.get 1)))
  (func (export "proc_exit") (param i32)
    (call $proc_exit (local.get 0)))
)
*/
static const uint8_t wasi_test_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1a, 0x04, 0x60,
    0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01,
    0x7f, 0x60, 0x03, 0x7f, 0x7e, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00,
    0x02, 0x9c, 0x03, 0x0b, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e,
    0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69,
    0x65, 0x77, 0x31, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74, 0x65,
    0x00, 0x00, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70,
    0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77,
    0x31, 0x07, 0x66, 0x64, 0x5f, 0x72, 0x65, 0x61, 0x64, 0x00, 0x00, 0x16,
    0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f,
    0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0e, 0x61,
    0x72, 0x67, 0x73, 0x5f, 0x73, 0x69, 0x7a, 0x65, 0x73, 0x5f, 0x67, 0x65,
    0x74, 0x00, 0x01, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61,
    0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65,
    0x77, 0x31, 0x08, 0x61, 0x72, 0x67, 0x73, 0x5f, 0x67, 0x65, 0x74, 0x00,
    0x01, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73,
    0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31,
    0x11, 0x65, 0x6e, 0x76, 0x69, 0x72, 0x6f, 0x6e, 0x5f, 0x73, 0x69, 0x7a,
    0x65, 0x73, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x01, 0x16, 0x77, 0x61, 0x73,
    0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70,
    0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0b, 0x65, 0x6e, 0x76, 0x69,
    0x72, 0x6f, 0x6e, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x01, 0x16, 0x77, 0x61,
    0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f,
    0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0a, 0x72, 0x61, 0x6e,
    0x64, 0x6f, 0x6d, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x01, 0x16, 0x77, 0x61,
    0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f,
    0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x0e, 0x63, 0x6c, 0x6f,
    0x63, 0x6b, 0x5f, 0x74, 0x69, 0x6d, 0x65, 0x5f, 0x67, 0x65, 0x74, 0x00,
    0x02, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73,
    0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31,
    0x0d, 0x66, 0x64, 0x5f, 0x66, 0x64, 0x73, 0x74, 0x61, 0x74, 0x5f, 0x67,
    0x65, 0x74, 0x00, 0x01, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e,
    0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69,
    0x65, 0x77, 0x31, 0x0e, 0x66, 0x64, 0x5f, 0x70, 0x72, 0x65, 0x73, 0x74,
    0x61, 0x74, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x01, 0x16, 0x77, 0x61, 0x73,
    0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70,
    0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x09, 0x70, 0x72, 0x6f, 0x63,
    0x5f, 0x65, 0x78, 0x69, 0x74, 0x00, 0x03, 0x03, 0x0c, 0x0b, 0x00, 0x00,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x02, 0x01, 0x01, 0x03, 0x05, 0x03, 0x01,
    0x00, 0x01, 0x07, 0xa8, 0x01, 0x0c, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72,
    0x79, 0x02, 0x00, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74, 0x65,
    0x00, 0x0b, 0x07, 0x66, 0x64, 0x5f, 0x72, 0x65, 0x61, 0x64, 0x00, 0x0c,
    0x0e, 0x61, 0x72, 0x67, 0x73, 0x5f, 0x73, 0x69, 0x7a, 0x65, 0x73, 0x5f,
    0x67, 0x65, 0x74, 0x00, 0x0d, 0x08, 0x61, 0x72, 0x67, 0x73, 0x5f, 0x67,
    0x65, 0x74, 0x00, 0x0e, 0x11, 0x65, 0x6e, 0x76, 0x69, 0x72, 0x6f, 0x6e,
    0x5f, 0x73, 0x69, 0x7a, 0x65, 0x73, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x0f,
    0x0b, 0x65, 0x6e, 0x76, 0x69, 0x72, 0x6f, 0x6e, 0x5f, 0x67, 0x65, 0x74,
    0x00, 0x10, 0x0a, 0x72, 0x61, 0x6e, 0x64, 0x6f, 0x6d, 0x5f, 0x67, 0x65,
    0x74, 0x00, 0x11, 0x0e, 0x63, 0x6c, 0x6f, 0x63, 0x6b, 0x5f, 0x74, 0x69,
    0x6d, 0x65, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x12, 0x0d, 0x66, 0x64, 0x5f,
    0x66, 0x64, 0x73, 0x74, 0x61, 0x74, 0x5f, 0x67, 0x65, 0x74, 0x00, 0x13,
    0x0e, 0x66, 0x64, 0x5f, 0x70, 0x72, 0x65, 0x73, 0x74, 0x61, 0x74, 0x5f,
    0x67, 0x65, 0x74, 0x00, 0x14, 0x09, 0x70, 0x72, 0x6f, 0x63, 0x5f, 0x65,
    0x78, 0x69, 0x74, 0x00, 0x15, 0x0a, 0x6c, 0x0b, 0x0c, 0x00, 0x20, 0x00,
    0x20, 0x01, 0x20, 0x02, 0x20, 0x03, 0x10, 0x00, 0x0b, 0x0c, 0x00, 0x20,
    0x00, 0x20, 0x01, 0x20, 0x02, 0x20, 0x03, 0x10, 0x01, 0x0b, 0x08, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x10, 0x02, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x10, 0x03, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x04,
    0x0b, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x05, 0x0b, 0x08, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x10, 0x06, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x20, 0x02, 0x10, 0x07, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01,
    0x10, 0x08, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x09, 0x0b,
    0x06, 0x00, 0x20, 0x00, 0x10, 0x0a, 0x0b,
};

/*
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (func (export "fd_write") (param i32 i32 i32 i32) (result i32)
    (call $fd_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
)
*/
static const uint8_t nomem_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x01, 0x60,
    0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x02, 0x23, 0x01, 0x16, 0x77,
    0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74,
    0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x08, 0x66, 0x64,
    0x5f, 0x77, 0x72, 0x69, 0x74, 0x65, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
    0x07, 0x0c, 0x01, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74, 0x65,
    0x00, 0x01, 0x0a, 0x0e, 0x01, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20,
    0x02, 0x20, 0x03, 0x10, 0x00, 0x0b,
};

/*
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32) (result i32))))
*/
static const uint8_t badsig_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x02, 0x23, 0x01, 0x16, 0x77, 0x61, 0x73, 0x69,
    0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72,
    0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72,
    0x69, 0x74, 0x65, 0x00, 0x00,
};

/* ------------------------------------------------------------------ */
/* Fixture: an engine, the module, a store with WASI, the instance      */

enum {
    ESUCCESS = 0, EBADF = 8, EFAULT = 21, EINVAL = 28,
    PAGE = 65536,
};

typedef struct fixture {
    wvm_engine *engine;
    wvm_module *module;
    wvm_store *store;
    wvm_wasi *wasi;
    wvm_instance *inst;
    char out[2][4096];     /* what the guest wrote to fd 1 and fd 2 */
    size_t out_len[2];
    int bad_fd_writes;     /* writes to any other fd */
} fixture;

static void capture(void *user, int fd, const uint8_t *buf, size_t len) {
    fixture *f = user;
    if (fd != 1 && fd != 2) { f->bad_fd_writes++; return; }
    size_t room = sizeof f->out[0] - 1 - f->out_len[fd - 1];
    if (len > room) len = room;
    memcpy(f->out[fd - 1] + f->out_len[fd - 1], buf, len);
    f->out_len[fd - 1] += len;
}

static const char *const default_argv[] = { "prog", "a", "bc" };
static const char *const default_env[] = { "A=1", "BB=22" };

static wvm_wasi_config default_config(fixture *f) {
    wvm_wasi_config c;
    memset(&c, 0, sizeof c);
    c.argc = 3;
    c.argv = default_argv;
    c.envc = 2;
    c.envp = default_env;
    c.clock_ns = 123456789012345ull;
    c.random_seed = 7;
    c.write = capture;
    c.write_user = f;
    return c;
}

static void fixture_close(fixture *f) {
    wvm_store_free(f->store);
    wvm_module_free(f->module);
    wvm_engine_free(f->engine);
    memset(f, 0, sizeof *f);
}

/* Loads wasm, makes WASI from cfg (the default when NULL), links every
 * import to it and instantiates.  Returns the first failure; on failure
 * the fixture is still closable. */
static wvm_status fixture_open_cfg(fixture *f, const uint8_t *wasm, size_t len,
                                   const wvm_wasi_config *cfg, bool metering) {
    memset(f, 0, sizeof *f);
    wvm_config ec;
    wvm_config_default(&ec);
    ec.metering = metering;
    wvm_status st = wvm_engine_new(&ec, &f->engine);
    if (st != WVM_OK) return st;
    st = wvm_module_new(f->engine, wasm, len, &f->module);
    if (st != WVM_OK) return st;
    st = wvm_store_new(f->engine, &f->store);
    if (st != WVM_OK) return st;
    wvm_wasi_config dc = default_config(f);
    st = wvm_wasi_new(f->store, cfg ? cfg : &dc, &f->wasi);
    if (st != WVM_OK) return st;
    uint32_t n = wvm_module_import_count(f->module);
    wvm_extern imports[16];
    if (n > 16) return WVM_ERR_ARG;
    for (uint32_t i = 0; i < n; i++) {
        const char *mod, *name;
        uint32_t mod_len, name_len;
        wvm_externkind kind;
        wvm_module_import(f->module, i, &mod, &mod_len, &name, &name_len, &kind);
        if (mod_len != strlen("wasi_snapshot_preview1") ||
            memcmp(mod, "wasi_snapshot_preview1", mod_len) != 0) return WVM_ERR_LINK;
        st = wvm_wasi_import_n(f->wasi, name, name_len, &imports[i]);
        if (st != WVM_OK) return st;
    }
    return wvm_instance_new(f->store, f->module, imports, n, &f->inst);
}

static wvm_status fixture_open(fixture *f) {
    return fixture_open_cfg(f, wasi_test_wasm, sizeof wasi_test_wasm, NULL, false);
}

/* Calls export name with i32 arguments; *ret gets the i32 result (the
 * WASI errno), or -1 when the call failed. */
static wvm_status call_args(fixture *f, const char *name, const wvm_val *args,
                            uint32_t nargs, int32_t *ret) {
    wvm_func *fn;
    *ret = -1;
    wvm_status st = wvm_instance_func(f->inst, name, &fn);
    if (st != WVM_OK) return st;
    wvm_val res[1];
    uint32_t nres = wvm_func_type(fn)->nresults;
    st = wvm_func_call(f->store, fn, args, nargs, res, nres);
    if (st == WVM_OK && nres == 1) *ret = res[0].of.i32;
    return st;
}

/* The errno of export name called with 2 or 4 i32 arguments (-1 when
 * the call itself failed). */
static int32_t call2(fixture *f, const char *name, uint32_t a, uint32_t b) {
    wvm_val args[2] = { wvm_i32((int32_t)a), wvm_i32((int32_t)b) };
    int32_t ret;
    call_args(f, name, args, 2, &ret);
    return ret;
}

static int32_t call4(fixture *f, const char *name, uint32_t a, uint32_t b,
                     uint32_t c, uint32_t d) {
    wvm_val args[4] = { wvm_i32((int32_t)a), wvm_i32((int32_t)b),
                        wvm_i32((int32_t)c), wvm_i32((int32_t)d) };
    int32_t ret;
    call_args(f, name, args, 4, &ret);
    return ret;
}

static int32_t clock_time_get(fixture *f, uint32_t id, uint32_t ptr) {
    wvm_val args[3] = { wvm_i32((int32_t)id), wvm_i64(1), wvm_i32((int32_t)ptr) };
    int32_t ret;
    call_args(f, "clock_time_get", args, 3, &ret);
    return ret;
}

static void put(fixture *f, uint32_t ptr, const void *src, uint32_t len) {
    CHECK_EQ_INT(wvm_instance_memory_write(f->inst, ptr, src, len), WVM_OK);
}

static void put_u32(fixture *f, uint32_t ptr, uint32_t v) {
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    put(f, ptr, b, 4);
}

/* Writes an iovec {buf, len} at ptr. */
static void put_iov(fixture *f, uint32_t ptr, uint32_t buf, uint32_t len) {
    put_u32(f, ptr, buf);
    put_u32(f, ptr + 4, len);
}

static uint64_t get_le(fixture *f, uint32_t ptr, int n) {
    uint8_t b[8] = { 0 };
    CHECK_EQ_INT(wvm_instance_memory_read(f->inst, ptr, b, (uint32_t)n), WVM_OK);
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | b[i];
    return v;
}
static uint32_t get_u32(fixture *f, uint32_t ptr) { return (uint32_t)get_le(f, ptr, 4); }
static uint64_t get_u64(fixture *f, uint32_t ptr) { return get_le(f, ptr, 8); }

static void fill(fixture *f, uint32_t ptr, uint8_t byte, uint32_t len) {
    uint8_t buf[256];
    memset(buf, byte, sizeof buf);
    while (len > 0) {
        uint32_t n = len < sizeof buf ? len : (uint32_t)sizeof buf;
        put(f, ptr, buf, n);
        ptr += n;
        len -= n;
    }
}

/* ------------------------------------------------------------------ */
/* fd_write                                                            */

TEST(wasi_fd_write_stdout) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    put(&f, 100, "hello", 5);
    put(&f, 200, "world\n", 6);
    put_iov(&f, 0, 100, 5);
    put_iov(&f, 8, 200, 6);
    put_iov(&f, 16, 300, 0);   /* empty iovecs are fine */
    fill(&f, 32, 0xaa, 4);
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 3, 32), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 32), 11);
    CHECK_EQ_STR(f.out[0], "helloworld\n");
    CHECK_EQ_INT(f.out_len[1], 0);
    fixture_close(&f);
}

TEST(wasi_fd_write_stderr) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    put(&f, 100, "oops\n", 5);
    put_iov(&f, 0, 100, 5);
    CHECK_EQ_INT(call4(&f, "fd_write", 2, 0, 1, 16), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 16), 5);
    CHECK_EQ_STR(f.out[1], "oops\n");
    CHECK_EQ_INT(f.out_len[0], 0);
    /* no iovecs: nothing written, nwritten 0 */
    put_u32(&f, 16, 99);
    CHECK_EQ_INT(call4(&f, "fd_write", 2, 0, 0, 16), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 16), 0);
    CHECK_EQ_INT(f.out_len[1], 5);
    fixture_close(&f);
}

TEST(wasi_fd_write_bad_fd) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    put(&f, 100, "x", 1);
    put_iov(&f, 0, 100, 1);
    CHECK_EQ_INT(call4(&f, "fd_write", 0, 0, 1, 16), EBADF);  /* stdin */
    CHECK_EQ_INT(call4(&f, "fd_write", 3, 0, 1, 16), EBADF);
    CHECK_EQ_INT(call4(&f, "fd_write", 0xffffffffu, 0, 1, 16), EBADF);
    CHECK_EQ_INT(f.out_len[0] + f.out_len[1], 0);
    CHECK_EQ_INT(f.bad_fd_writes, 0);
    fixture_close(&f);
}

/* Every bad pointer is EFAULT, and a failing call writes nothing, not
 * even the iovecs before the bad one. */
TEST(wasi_fd_write_bad_pointers) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    put(&f, 100, "hello", 5);
    put_iov(&f, 0, 100, 5);
    put_iov(&f, 8, PAGE - 2, 5);          /* runs off the end of memory */
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 2, 64), EFAULT);
    put_iov(&f, 8, 0xffffffffu, 2);       /* wraps around 2^32 */
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 2, 64), EFAULT);
    put_iov(&f, 8, PAGE, 1);              /* starts just past the end */
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 2, 64), EFAULT);
    /* the iovec array itself out of bounds, or partly */
    CHECK_EQ_INT(call4(&f, "fd_write", 1, PAGE - 4, 1, 64), EFAULT);
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0xfffffffcu, 1, 64), EFAULT);
    CHECK_EQ_INT(call4(&f, "fd_write", 1, PAGE - 800, 1000, 64), EFAULT);
    /* a count whose byte size wraps in 32 bits (0x20000000 * 8 == 2^32) */
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 0x20000000u, 64), EINVAL);
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 0xffffffffu, 64), EINVAL);
    /* the nwritten pointer: checked before anything is written */
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 1, PAGE - 3), EFAULT);
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 1, 0xfffffffeu), EFAULT);
    CHECK_EQ_INT(f.out_len[0], 0);
    /* and the good request still works afterwards */
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 1, PAGE - 4), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, PAGE - 4), 5);
    CHECK_EQ_STR(f.out[0], "hello");
    fixture_close(&f);
}

TEST(wasi_fd_write_without_memory) {
    fixture f;
    REQUIRE(fixture_open_cfg(&f, nomem_wasm, sizeof nomem_wasm, NULL, false) == WVM_OK);
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 0, 0), EFAULT);
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 1, 8), EFAULT);
    CHECK_EQ_INT(f.out_len[0], 0);
    fixture_close(&f);
}

TEST(wasi_fd_write_without_callback) {
    fixture f;
    wvm_wasi_config c = default_config(&f);
    c.write = NULL;
    REQUIRE(fixture_open_cfg(&f, wasi_test_wasm, sizeof wasi_test_wasm, &c, false) == WVM_OK);
    put(&f, 100, "dropped", 7);
    put_iov(&f, 0, 100, 7);
    CHECK_EQ_INT(call4(&f, "fd_write", 1, 0, 1, 16), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 16), 7);
    fixture_close(&f);
}

/* ------------------------------------------------------------------ */
/* Other descriptors                                                   */

TEST(wasi_fd_read_stdin_is_empty) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    put_iov(&f, 0, 100, 10);
    put_u32(&f, 16, 77);
    CHECK_EQ_INT(call4(&f, "fd_read", 0, 0, 1, 16), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 16), 0);
    CHECK_EQ_INT(call4(&f, "fd_read", 0, 0, 1, PAGE - 2), EFAULT);
    CHECK_EQ_INT(call4(&f, "fd_read", 5, 0, 1, 16), EBADF);
    fixture_close(&f);
}

TEST(wasi_fdstat_and_prestat) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    fill(&f, 64, 0xaa, 24);
    CHECK_EQ_INT(call2(&f, "fd_fdstat_get", 1, 64), ESUCCESS);
    CHECK_EQ_INT(get_le(&f, 64, 1), 2);              /* character device */
    uint64_t rights = get_u64(&f, 72);
    CHECK((rights & (1u << 6)) != 0);                  /* fd_write */
    CHECK((rights & ((1u << 2) | (1u << 5))) == 0);    /* no seek/tell: a tty */
    CHECK_EQ_INT(call2(&f, "fd_fdstat_get", 9, 64), EBADF);
    CHECK_EQ_INT(call2(&f, "fd_fdstat_get", 1, PAGE - 20), EFAULT);
    /* no preopened directories */
    CHECK_EQ_INT(call2(&f, "fd_prestat_get", 3, 64), EBADF);
    CHECK_EQ_INT(call2(&f, "fd_prestat_get", 0, 64), EBADF);
    fixture_close(&f);
}

/* ------------------------------------------------------------------ */
/* Arguments and environment                                           */

TEST(wasi_args) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    CHECK_EQ_INT(call2(&f, "args_sizes_get", 0, 4), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 0), 3);
    CHECK_EQ_INT(get_u32(&f, 4), 10);     /* "prog\0a\0bc\0" */
    fill(&f, 0x100, 0xaa, 0x200);
    CHECK_EQ_INT(call2(&f, "args_get", 0x100, 0x200), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 0x100), 0x200);
    CHECK_EQ_INT(get_u32(&f, 0x104), 0x205);
    CHECK_EQ_INT(get_u32(&f, 0x108), 0x207);
    CHECK_EQ_INT(get_le(&f, 0x10c, 1), 0xaa);      /* nothing past argv */
    char buf[11];
    CHECK_EQ_INT(wvm_instance_memory_read(f.inst, 0x200, buf, 11), WVM_OK);
    CHECK(memcmp(buf, "prog\0a\0bc\0\xaa", 11) == 0);
    fixture_close(&f);
}

TEST(wasi_args_bad_pointers) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    CHECK_EQ_INT(call2(&f, "args_sizes_get", PAGE - 2, 4), EFAULT);
    CHECK_EQ_INT(call2(&f, "args_sizes_get", 0, PAGE), EFAULT);
    fill(&f, 0x100, 0xaa, 16);
    /* strings would run off the end (10 bytes at PAGE - 5): nothing is
     * written, not even the pointer array */
    CHECK_EQ_INT(call2(&f, "args_get", 0x100, PAGE - 5), EFAULT);
    CHECK_EQ_INT(get_u32(&f, 0x100), 0xaaaaaaaau);
    CHECK_EQ_INT(call2(&f, "args_get", 0x100, 0xfffffffbu), EFAULT);
    CHECK_EQ_INT(call2(&f, "args_get", PAGE - 8, 0x200), EFAULT);   /* 12 bytes of argv */
    CHECK_EQ_INT(call2(&f, "args_get", 0xfffffffcu, 0x200), EFAULT);
    CHECK_EQ_INT(get_le(&f, 0x200, 1), 0);
    fixture_close(&f);
}

TEST(wasi_environ) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    CHECK_EQ_INT(call2(&f, "environ_sizes_get", 0, 4), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 0), 2);
    CHECK_EQ_INT(get_u32(&f, 4), 10);     /* "A=1\0BB=22\0" */
    CHECK_EQ_INT(call2(&f, "environ_get", 0x100, 0x200), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 0x100), 0x200);
    CHECK_EQ_INT(get_u32(&f, 0x104), 0x204);
    char buf[10];
    CHECK_EQ_INT(wvm_instance_memory_read(f.inst, 0x200, buf, 10), WVM_OK);
    CHECK(memcmp(buf, "A=1\0BB=22\0", 10) == 0);
    CHECK_EQ_INT(call2(&f, "environ_get", 0x100, PAGE - 9), EFAULT);
    fixture_close(&f);
}

TEST(wasi_empty_args_and_environ) {
    fixture f;
    wvm_wasi_config c = default_config(&f);
    c.argc = 0;
    c.argv = NULL;
    c.envc = 0;
    c.envp = NULL;
    REQUIRE(fixture_open_cfg(&f, wasi_test_wasm, sizeof wasi_test_wasm, &c, false) == WVM_OK);
    fill(&f, 0, 0xaa, 8);
    CHECK_EQ_INT(call2(&f, "args_sizes_get", 0, 4), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 0), 0);
    CHECK_EQ_INT(get_u32(&f, 4), 0);
    CHECK_EQ_INT(call2(&f, "args_get", 0xfffffff0u, 0xfffffff0u), ESUCCESS);  /* nothing to write */
    CHECK_EQ_INT(call2(&f, "environ_sizes_get", 0, 4), ESUCCESS);
    CHECK_EQ_INT(get_u32(&f, 0), 0);
    fixture_close(&f);
}

/* The context keeps its own copies of the strings. */
TEST(wasi_config_is_copied) {
    fixture f;
    char arg0[] = "first";
    const char *argv[] = { arg0 };
    wvm_wasi_config c = default_config(&f);
    c.argc = 1;
    c.argv = argv;
    REQUIRE(fixture_open_cfg(&f, wasi_test_wasm, sizeof wasi_test_wasm, &c, false) == WVM_OK);
    memcpy(arg0, "XXXXX", 5);
    argv[0] = NULL;
    CHECK_EQ_INT(call2(&f, "args_get", 0x100, 0x200), ESUCCESS);
    char buf[6];
    CHECK_EQ_INT(wvm_instance_memory_read(f.inst, 0x200, buf, 6), WVM_OK);
    CHECK(memcmp(buf, "first", 6) == 0);
    fixture_close(&f);
}

TEST(wasi_new_rejects_bad_config) {
    wvm_engine *e = NULL;
    wvm_store *s = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    wvm_wasi *w = (wvm_wasi *)1;
    wvm_wasi_config c;
    memset(&c, 0, sizeof c);
    CHECK_EQ_INT(wvm_wasi_new(s, NULL, &w), WVM_ERR_ARG);
    CHECK_EQ_INT(wvm_wasi_new(NULL, &c, &w), WVM_ERR_ARG);
    c.argc = 2;                                   /* argv NULL */
    CHECK_EQ_INT(wvm_wasi_new(s, &c, &w), WVM_ERR_ARG);
    CHECK(w == NULL);
    const char *with_null[] = { "a", NULL };
    c.argv = with_null;
    CHECK_EQ_INT(wvm_wasi_new(s, &c, &w), WVM_ERR_ARG);
    c.argc = -1;
    CHECK_EQ_INT(wvm_wasi_new(s, &c, &w), WVM_ERR_ARG);
    c.argc = 0;
    c.envc = 1;                                   /* envp NULL */
    CHECK_EQ_INT(wvm_wasi_new(s, &c, &w), WVM_ERR_ARG);
    c.envc = 0;
    CHECK_EQ_INT(wvm_wasi_new(s, &c, &w), WVM_OK);
    CHECK(w != NULL);
    wvm_store_free(s);                            /* frees w */
    wvm_engine_free(e);
}

/* ------------------------------------------------------------------ */
/* Random, clocks, exit                                                */

TEST(wasi_random_is_deterministic) {
    fixture a, b, c;
    wvm_wasi_config ca = default_config(&a), cb = default_config(&b), cc = default_config(&c);
    cc.random_seed = 8;
    REQUIRE(fixture_open_cfg(&a, wasi_test_wasm, sizeof wasi_test_wasm, &ca, false) == WVM_OK);
    REQUIRE(fixture_open_cfg(&b, wasi_test_wasm, sizeof wasi_test_wasm, &cb, false) == WVM_OK);
    REQUIRE(fixture_open_cfg(&c, wasi_test_wasm, sizeof wasi_test_wasm, &cc, false) == WVM_OK);
    uint8_t a1[37], a2[37], b1[37], b2[37], c1[37], zero[37] = { 0 };
    CHECK_EQ_INT(call2(&a, "random_get", 0x100, 37), ESUCCESS);
    CHECK_EQ_INT(call2(&a, "random_get", 0x200, 37), ESUCCESS);
    CHECK_EQ_INT(call2(&b, "random_get", 0x100, 37), ESUCCESS);
    CHECK_EQ_INT(call2(&b, "random_get", 0x200, 37), ESUCCESS);
    CHECK_EQ_INT(call2(&c, "random_get", 0x100, 37), ESUCCESS);
    wvm_instance_memory_read(a.inst, 0x100, a1, 37);
    wvm_instance_memory_read(a.inst, 0x200, a2, 37);
    wvm_instance_memory_read(b.inst, 0x100, b1, 37);
    wvm_instance_memory_read(b.inst, 0x200, b2, 37);
    wvm_instance_memory_read(c.inst, 0x100, c1, 37);
    CHECK(memcmp(a1, b1, 37) == 0);       /* same seed, same bytes */
    CHECK(memcmp(a2, b2, 37) == 0);
    CHECK(memcmp(a1, a2, 37) != 0);       /* the stream advances */
    CHECK(memcmp(a1, c1, 37) != 0);       /* another seed, other bytes */
    CHECK(memcmp(a1, zero, 37) != 0);
    CHECK_EQ_INT(get_le(&a, 0x100 + 37, 1), 0);   /* exactly 37 bytes */
    /* bad buffers */
    CHECK_EQ_INT(call2(&a, "random_get", PAGE - 10, 11), EFAULT);
    CHECK_EQ_INT(call2(&a, "random_get", 0xfffffff0u, 0x20), EFAULT);
    CHECK_EQ_INT(call2(&a, "random_get", 0, 0xffffffffu), EFAULT);
    CHECK_EQ_INT(call2(&a, "random_get", 0xffffffffu, 0), ESUCCESS);   /* empty */
    fixture_close(&a);
    fixture_close(&b);
    fixture_close(&c);
}

TEST(wasi_clock) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    for (uint32_t id = 0; id < 4; id++) {
        put_u32(&f, 8, 0);
        put_u32(&f, 12, 0);
        CHECK_EQ_INT(clock_time_get(&f, id, 8), ESUCCESS);
        CHECK_EQ_INT(get_u64(&f, 8), 123456789012345ll);
    }
    CHECK_EQ_INT(clock_time_get(&f, 4, 8), EINVAL);
    CHECK_EQ_INT(clock_time_get(&f, 0xffffffffu, 8), EINVAL);
    CHECK_EQ_INT(clock_time_get(&f, 0, PAGE - 7), EFAULT);
    CHECK_EQ_INT(clock_time_get(&f, 0, 0xfffffffcu), EFAULT);
    fixture_close(&f);
}

TEST(wasi_proc_exit) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    wvm_val arg = wvm_i32(42);
    int32_t ret;
    CHECK_EQ_INT(call_args(&f, "proc_exit", &arg, 1, &ret), WVM_TRAP_EXIT);
    CHECK_EQ_INT(wvm_store_exit_code(f.store), 42);
    /* the store stays usable */
    CHECK_EQ_INT(clock_time_get(&f, 0, 8), ESUCCESS);
    arg = wvm_i32(-3);
    CHECK_EQ_INT(call_args(&f, "proc_exit", &arg, 1, &ret), WVM_TRAP_EXIT);
    CHECK_EQ_INT(wvm_store_exit_code(f.store), -3);
    fixture_close(&f);
}

/* ------------------------------------------------------------------ */
/* Linking and fuel                                                    */

TEST(wasi_import_lookup) {
    fixture f;
    REQUIRE(fixture_open(&f) == WVM_OK);
    wvm_extern a, b;
    CHECK_EQ_INT(wvm_wasi_import_n(f.wasi, "nope", 4, &a), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(wvm_wasi_import_n(f.wasi, "fd_writ", 7, &a), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(wvm_wasi_import_n(f.wasi, "fd_write_", 9, &a), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(wvm_wasi_import_n(f.wasi, "", 0, &a), WVM_ERR_NOT_FOUND);
    /* names are length-delimited, not NUL-terminated */
    CHECK_EQ_INT(wvm_wasi_import_n(f.wasi, "fd_writeXYZ", 8, &a), WVM_OK);
    CHECK_EQ_INT(a.kind, WVM_EXTERN_FUNC);
    CHECK_EQ_INT(wvm_wasi_import_n(f.wasi, "fd_write", 8, &b), WVM_OK);
    CHECK(a.ptr == b.ptr);                 /* one function per name */
    const wvm_functype *t = wvm_func_type(a.ptr);
    CHECK_EQ_INT(t->nparams, 4);
    CHECK_EQ_INT(t->nresults, 1);
    CHECK_EQ_INT(wvm_wasi_import_n(f.wasi, "clock_time_get", 14, &a), WVM_OK);
    t = wvm_func_type(a.ptr);
    REQUIRE(t->nparams == 3);
    CHECK_EQ_INT(t->params[1], WVM_I64);
    CHECK_EQ_INT(wvm_wasi_import_n(f.wasi, "proc_exit", 9, &a), WVM_OK);
    CHECK_EQ_INT(wvm_func_type(a.ptr)->nresults, 0);
    CHECK_EQ_INT(wvm_wasi_import_n(f.wasi, "path_open", 9, &a), WVM_OK);
    CHECK_EQ_INT(wvm_func_type(a.ptr)->nparams, 9);
    fixture_close(&f);
}

TEST(wasi_import_wrong_signature) {
    fixture f;
    CHECK_EQ_INT(fixture_open_cfg(&f, badsig_wasm, sizeof badsig_wasm, NULL, false),
                 WVM_ERR_LINK);
    fixture_close(&f);
}

/* Fuel used by one fd_write call of n bytes (metering on). */
static uint64_t fd_write_fuel(fixture *f, uint32_t n, int32_t *ret) {
    put_iov(f, 0, 0x1000, n);
    wvm_val args[4] = { wvm_i32(1), wvm_i32(0), wvm_i32(1), wvm_i32(16) };
    wvm_status st = call_args(f, "fd_write", args, 4, ret);
    CHECK_EQ_INT(st, WVM_OK);
    return wvm_store_fuel_used(f->store);
}

/* 50 per call plus 1 per byte copied, charged before the work. */
TEST(wasi_fuel) {
    fixture f;
    REQUIRE(fixture_open_cfg(&f, wasi_test_wasm, sizeof wasi_test_wasm, NULL, true) == WVM_OK);
    fill(&f, 0x1000, 'x', 2000);
    int32_t ret;
    uint64_t small = fd_write_fuel(&f, 10, &ret);
    CHECK_EQ_INT(ret, ESUCCESS);
    uint64_t big = fd_write_fuel(&f, 1010, &ret);
    CHECK_EQ_INT(ret, ESUCCESS);
    CHECK_EQ_INT(big - small, 1000);
    CHECK(small >= 50 + 8 + 10 + 4);
    CHECK_EQ_INT(f.out_len[0], 1020);

    /* one unit short: the call stops before writing anything */
    wvm_store_set_fuel(f.store, small - 1);
    wvm_val args[4] = { wvm_i32(1), wvm_i32(0), wvm_i32(1), wvm_i32(16) };
    put_iov(&f, 0, 0x1000, 10);
    put_u32(&f, 16, 0);
    CHECK_EQ_INT(call_args(&f, "fd_write", args, 4, &ret), WVM_TRAP_OUT_OF_FUEL);
    CHECK_EQ_INT(f.out_len[0], 1020);
    CHECK_EQ_INT(get_u32(&f, 16), 0);
    wvm_store_set_fuel(f.store, small);
    CHECK_EQ_INT(call_args(&f, "fd_write", args, 4, &ret), WVM_OK);
    CHECK_EQ_INT(f.out_len[0], 1030);
    fixture_close(&f);
}
