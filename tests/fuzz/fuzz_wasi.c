/*
 * fuzz_wasi.c -- every WASI preview1 function of wvm_wasi_new's context,
 * called from a guest with fuzzer-chosen pointers, lengths, iovec arrays
 * and memory contents, and a fuzzer-chosen configuration (arguments,
 * environment, clock, seed).
 *
 * The module is built here: it imports all 45 functions of
 * wasi_snapshot_preview1 and exports, for each, a wrapper "w<i>" of the
 * same signature that calls it, so the host functions run with the
 * instance's memory (1 page) as the caller's memory.
 *
 * Checks: every call returns an errno (0..76), or ends with WVM_TRAP_EXIT
 * (proc_exit, with its code) or out of fuel; fd_write's nwritten equals
 * the bytes handed to the write callback; the callback only gets fd 1 or
 * 2 and bytes inside guest memory (ASan checks each byte is readable).
 */
#include "fuzz_common.h"

static const struct { const char *name, *params, *results; } fns[] = {
    { "args_get", "ii", "i" },           { "args_sizes_get", "ii", "i" },
    { "environ_get", "ii", "i" },        { "environ_sizes_get", "ii", "i" },
    { "clock_res_get", "ii", "i" },      { "clock_time_get", "iIi", "i" },
    { "fd_advise", "iIIi", "i" },        { "fd_allocate", "iII", "i" },
    { "fd_close", "i", "i" },            { "fd_datasync", "i", "i" },
    { "fd_fdstat_get", "ii", "i" },      { "fd_fdstat_set_flags", "ii", "i" },
    { "fd_fdstat_set_rights", "iII", "i" }, { "fd_filestat_get", "ii", "i" },
    { "fd_filestat_set_size", "iI", "i" }, { "fd_filestat_set_times", "iIIi", "i" },
    { "fd_pread", "iiiIi", "i" },        { "fd_prestat_get", "ii", "i" },
    { "fd_prestat_dir_name", "iii", "i" }, { "fd_pwrite", "iiiIi", "i" },
    { "fd_read", "iiii", "i" },          { "fd_readdir", "iiiIi", "i" },
    { "fd_renumber", "ii", "i" },        { "fd_seek", "iIii", "i" },
    { "fd_sync", "i", "i" },             { "fd_tell", "ii", "i" },
    { "fd_write", "iiii", "i" },         { "path_create_directory", "iii", "i" },
    { "path_filestat_get", "iiiii", "i" }, { "path_filestat_set_times", "iiiiIIi", "i" },
    { "path_link", "iiiiiii", "i" },     { "path_open", "iiiiiIIii", "i" },
    { "path_readlink", "iiiiii", "i" },  { "path_remove_directory", "iii", "i" },
    { "path_rename", "iiiiii", "i" },    { "path_symlink", "iiiii", "i" },
    { "path_unlink_file", "iii", "i" },  { "poll_oneoff", "iiii", "i" },
    { "proc_exit", "i", "" },            { "proc_raise", "i", "i" },
    { "random_get", "ii", "i" },         { "sched_yield", "", "i" },
    { "sock_accept", "iii", "i" },       { "sock_recv", "iiiiii", "i" },
    { "sock_send", "iiiii", "i" },
};
enum { NFNS = sizeof fns / sizeof fns[0], FD_WRITE = 26, PROC_EXIT = 38, PAGE = 65536 };

static uint8_t vt(char c) { return c == 'I' ? 0x7e : 0x7f; }

static void build_module(fz_buf *mod) {
    fz_buf sec = { 0 };
    fz_module_header(mod);
    fz_uleb(&sec, NFNS);  /* one type per function */
    for (int i = 0; i < NFNS; i++) {
        fz_byte(&sec, 0x60);
        fz_uleb(&sec, strlen(fns[i].params));
        for (const char *p = fns[i].params; *p; p++) fz_byte(&sec, vt(*p));
        fz_uleb(&sec, strlen(fns[i].results));
        for (const char *p = fns[i].results; *p; p++) fz_byte(&sec, vt(*p));
    }
    fz_section(mod, 1, &sec);
    fz_uleb(&sec, NFNS);
    for (int i = 0; i < NFNS; i++) {
        fz_name(&sec, "wasi_snapshot_preview1");
        fz_name(&sec, fns[i].name);
        fz_byte(&sec, 0);
        fz_uleb(&sec, (uint32_t)i);
    }
    fz_section(mod, 2, &sec);
    fz_uleb(&sec, NFNS);
    for (int i = 0; i < NFNS; i++) fz_uleb(&sec, (uint32_t)i);
    fz_section(mod, 3, &sec);
    fz_uleb(&sec, 1);
    fz_byte(&sec, 1); fz_uleb(&sec, 1); fz_uleb(&sec, 1);
    fz_section(mod, 5, &sec);
    fz_uleb(&sec, NFNS + 1);
    for (int i = 0; i < NFNS; i++) {
        char name[8];
        snprintf(name, sizeof name, "w%d", i);
        fz_name(&sec, name);
        fz_byte(&sec, 0);
        fz_uleb(&sec, NFNS + (uint32_t)i);
    }
    fz_name(&sec, "memory");
    fz_byte(&sec, 2);
    fz_uleb(&sec, 0);
    fz_section(mod, 7, &sec);
    fz_uleb(&sec, NFNS);
    fz_buf body = { 0 };
    for (int i = 0; i < NFNS; i++) {
        uint32_t np = (uint32_t)strlen(fns[i].params);
        fz_uleb(&body, 0);
        for (uint32_t k = 0; k < np; k++) { fz_byte(&body, 0x20); fz_uleb(&body, k); }
        fz_byte(&body, 0x10);
        fz_uleb(&body, (uint32_t)i);
        fz_code_entry(&sec, &body);
    }
    fz_buf_free(&body);
    fz_section(mod, 10, &sec);
    fz_buf_free(&sec);
}

typedef struct sink {
    uint64_t bytes;   /* handed to the callback during the current call */
    uint32_t sum;     /* every byte is read: ASan checks it is valid */
} sink;

static void on_write(void *user, int fd, const uint8_t *buf, size_t len) {
    sink *s = user;
    FZ_ASSERT(fd == 1 || fd == 2);
    FZ_ASSERT(len > 0);
    for (size_t i = 0; i < len; i++) s->sum += buf[i];
    s->bytes += len;
}

/* A guest pointer: mostly inside the page or near its end. */
static uint32_t pick_ptr(fz_input *in) {
    switch (fz_u8(in) % 6) {
    case 0: return fz_u32(in);
    case 1: return PAGE - fz_u8(in) % 24;
    case 2: return UINT32_MAX - fz_u8(in) % 16;
    default: return (uint32_t)(fz_u8(in) | fz_u8(in) << 8);
    }
}

static uint32_t pick_len(fz_input *in) {
    switch (fz_u8(in) % 5) {
    case 0: return fz_u32(in);
    case 1: return PAGE - fz_u8(in) % 8;
    default: return fz_u8(in) % 40;
    }
}

/* A C string of up to 12 bytes from the input (NUL ends it early). */
static void pick_str(fz_input *in, char *out) {
    uint32_t n = fz_u8(in) % 13;
    for (uint32_t i = 0; i < n; i++) out[i] = (char)fz_u8(in);
    out[n] = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static wvm_engine *engine;   /* immutable after creation: shared by all inputs */
    static wvm_module *mod;
    if (!engine) {
        engine = fz_engine(true, WVM_FLOAT_ALLOW);
        fz_buf b = { 0 };
        build_module(&b);
        wvm_status st = wvm_module_new(engine, b.p, b.n, &mod);
        if (st != WVM_OK) {
            fprintf(stderr, "fuzz_wasi: module: %s\n", wvm_module_errmsg(mod));
            abort();
        }
        fz_buf_free(&b);
    }
    fz_input in = { data, size, 0 };

    /* configuration */
    char argbuf[3][13], envbuf[3][13];
    const char *argv[3], *envp[3];
    wvm_wasi_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.argc = fz_u8(&in) % 4;
    for (int i = 0; i < cfg.argc; i++) { pick_str(&in, argbuf[i]); argv[i] = argbuf[i]; }
    cfg.envc = fz_u8(&in) % 4;
    for (int i = 0; i < cfg.envc; i++) { pick_str(&in, envbuf[i]); envp[i] = envbuf[i]; }
    cfg.argv = cfg.argc ? argv : NULL;
    cfg.envp = cfg.envc ? envp : NULL;
    cfg.clock_ns = fz_u64(&in);
    cfg.random_seed = fz_u64(&in);
    sink out = { 0, 0 };
    if (fz_u8(&in) % 4) {
        cfg.write = on_write;
        cfg.write_user = &out;
    }

    wvm_store *s;
    if (wvm_store_new(engine, &s) != WVM_OK) abort();
    wvm_wasi *w;
    if (wvm_wasi_new(s, &cfg, &w) != WVM_OK) abort();
    wvm_extern imports[NFNS];
    for (int i = 0; i < NFNS; i++)
        if (wvm_wasi_import(w, fns[i].name, &imports[i]) != WVM_OK) abort();
    wvm_extern bogus;
    FZ_ASSERT(wvm_wasi_import_n(w, "fd_writ", 7, &bogus) == WVM_ERR_NOT_FOUND);
    wvm_instance *inst;
    if (wvm_instance_new(s, mod, imports, NFNS, &inst) != WVM_OK) abort();
    wvm_func *wrap[NFNS];
    for (int i = 0; i < NFNS; i++) {
        char name[8];
        snprintf(name, sizeof name, "w%d", i);
        if (wvm_instance_func(inst, name, &wrap[i]) != WVM_OK) abort();
    }

    for (int step = 0; step < 32 && fz_left(&in); step++) {
        uint8_t op = fz_u8(&in);
        if (op % 4 == 0) {
            /* memory contents: raw bytes, or an iovec array */
            uint32_t at = (uint32_t)(fz_u8(&in) | fz_u8(&in) << 8);
            if (op & 4) {
                uint8_t bytes[64];
                uint32_t n = fz_u8(&in) % 64;
                for (uint32_t i = 0; i < n; i++) bytes[i] = fz_u8(&in);
                (void)wvm_instance_memory_write(inst, at, bytes, n);
            } else {
                uint32_t n = fz_u8(&in) % 8;
                for (uint32_t i = 0; i < n; i++) {
                    uint32_t iov[2] = { pick_ptr(&in), pick_len(&in) };
                    (void)wvm_instance_memory_write(inst, at + 8 * i, iov, 8);
                }
            }
            continue;
        }
        int f = op % NFNS;
        if (f == PROC_EXIT && fz_u8(&in) % 4) continue;  /* rarer: it ends nothing else here */
        wvm_val args[9];
        int np = (int)strlen(fns[f].params);
        for (int k = 0; k < np; k++) {
            if (fns[f].params[k] == 'I') { args[k] = wvm_i64((int64_t)fz_u64(&in)); continue; }
            uint8_t how = fz_u8(&in) % 4;
            uint32_t v = how == 0 ? pick_len(&in) : how == 1 ? fz_u8(&in) % 4 : pick_ptr(&in);
            args[k] = wvm_i32((int32_t)v);
        }
        wvm_val res[1];
        out.bytes = 0;
        wvm_store_set_fuel(s, fz_u8(&in) % 8 ? 1000000 : fz_u8(&in) * 10u);
        wvm_store_set_timeout(s, 1000);
        wvm_status st = wvm_func_call(s, wrap[f], args, (uint32_t)np, res, 1);
        if (f == PROC_EXIT) {
            FZ_ASSERT(st == WVM_TRAP_EXIT || st == WVM_TRAP_OUT_OF_FUEL);
            if (st == WVM_TRAP_EXIT) FZ_ASSERT(wvm_store_exit_code(s) == args[0].of.i32);
            continue;
        }
        FZ_ASSERT(st == WVM_OK || st == WVM_TRAP_OUT_OF_FUEL);
        if (st != WVM_OK) {
            FZ_ASSERT(out.bytes == 0);  /* charged before any work */
            continue;
        }
        FZ_ASSERT(res[0].type == WVM_I32);
        uint32_t err = (uint32_t)res[0].of.i32;
        FZ_ASSERT(err <= 76);
        if (f == FD_WRITE) {
            if (err == 0 && cfg.write) {
                uint32_t nw;
                FZ_ASSERT(wvm_instance_memory_read(inst, (uint32_t)args[3].of.i32, &nw, 4) == WVM_OK);
                FZ_ASSERT(nw == out.bytes);
            }
            if (err != 0) FZ_ASSERT(out.bytes == 0);
        } else {
            FZ_ASSERT(out.bytes == 0);
        }
    }
    wvm_store_free(s);
    return 0;
}
