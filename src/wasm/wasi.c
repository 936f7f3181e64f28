/*
 * wasi.c -- a deterministic subset of WASI preview1 ("wasi_snapshot_preview1").
 *
 * Enough for programs built with `clang --target=wasm32-wasi` that print,
 * read their arguments and environment, and exit.  There is no file
 * system: stdin is empty, stdout and stderr go to the embedder's write
 * callback, no directories are preopened, and every other descriptor is
 * EBADF.  Clocks and random bytes come from the configuration, never from
 * the host, so a run is reproducible.
 *
 * Built on the public host-function API only (wvm.h).  Each WASI function
 * is one row of wasi_fns[] below: name, signature, implementation.  The
 * host functions are made on first import and cached in the context.
 *
 * Every guest pointer and length is hostile.  Memory is reached only
 * through span(), which checks [ptr, ptr+len) with 64-bit arithmetic
 * before asking the runtime for it, and every size computed from guest
 * values is done in uint64_t and checked.  A bad pointer is the WASI errno
 * EFAULT, never a trap.  Output is written only after every input has been
 * checked, so a failing call has no effect.
 *
 * Fuel (for docs/fuel.md): every WASI call costs the cost table's host_call (50),
 * plus host_byte (1) per byte copied across the guest boundary in
 * either direction: iovec arrays, data written or read, strings, results.
 * Each charge is made before the work it pays for, so a call that runs out
 * of fuel does nothing.
 *
 * The context is owned by the store: everything in it is allocated with
 * store_alloc, through the engine's allocator like every other object,
 * and freed by wvm_store_free.  A refused allocation leaves nothing to
 * undo: what was allocated before it is the store's already.
 */
#include <stdlib.h>
#include <string.h>
#include "wvm.h"

/* Runtime hook (store.c): size zeroed bytes from the engine's allocator,
 * freed with s; NULL when the allocator refuses. */
extern void *store_alloc(wvm_store *s, size_t size);


/* WASI errno values (preview1 numbering, not the host's). */
enum {
    WASI_ESUCCESS = 0,
    WASI_EBADF = 8,
    WASI_EFAULT = 21,
    WASI_EINVAL = 28,
    WASI_ENOSYS = 52,
    WASI_ESPIPE = 70,
};

enum { WASI_FILETYPE_CHARACTER_DEVICE = 2 };
enum {
    WASI_RIGHT_FD_READ = 1u << 1,
    WASI_RIGHT_FD_WRITE = 1u << 6,
    WASI_RIGHT_POLL_FD_READWRITE = 1u << 27,
};
enum { WASI_CLOCK_COUNT = 4 };  /* realtime, monotonic, process, thread */
enum { WASI_IOV_MAX = 1024 };   /* as wasi-libc's IOV_MAX */
enum { NSTDIO = 3 };

/* A list of NUL-terminated strings (argv or environ), packed as WASI
 * hands it to the guest: all strings back to back in blob, off[i] the
 * offset of string i.  bytes is the blob size, NULs included. */
typedef struct strlist {
    uint32_t n, bytes;
    uint32_t *off;
    char *blob;
} strlist;

typedef struct wasi_fn wasi_fn;

/* One imported function: passed as the host function's user pointer. */
typedef struct wasi_binding {
    wvm_wasi *wasi;
    const wasi_fn *def;
    wvm_func *func;     /* made on first import; owned by the store */
} wasi_binding;

/* An implementation.  Fills *err with the WASI errno.  Returns WVM_OK, or
 * a trap status (out of fuel, proc_exit) that ends the guest's call. */
typedef wvm_status (*wasi_impl)(wvm_caller *c, wvm_wasi *w,
                                const wvm_val *a, uint32_t *err);

struct wasi_fn {
    const char *name;
    const char *params;   /* 'i' i32, 'I' i64 */
    const char *results;  /* "i" (an errno) or "" */
    wasi_impl impl;
};

enum { WASI_NFNS = 45 };  /* rows of wasi_fns[]; checked below it */

struct wvm_wasi {
    wvm_store *store;
    strlist args, env;
    uint64_t clock_ns;
    uint64_t rng;                 /* splitmix64 state */
    unsigned closed;              /* bit fd set: stdio fd closed */
    void (*write)(void *user, int fd, const uint8_t *buf, size_t len);
    void *write_user;
    wasi_binding bind[WASI_NFNS];
};

/* ------------------------------------------------------------------ */
/* Guest memory                                                        */

/* Guest bytes [ptr, ptr+len), or NULL when any of them is outside memory.
 * len may be any guest-derived value; 0 gives NULL too, so callers skip
 * empty copies themselves. */
static uint8_t *span(wvm_caller *c, uint32_t ptr, uint64_t len) {
    if (len == 0 || len > UINT32_MAX || (uint64_t)ptr + len > (uint64_t)UINT32_MAX + 1)
        return NULL;
    return wvm_caller_memory(c, ptr, (uint32_t)len);
}

static uint32_t get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Charges n bytes of copying; returns from the calling impl on a trap. */
#define CHARGE_BYTES(c, n) do { \
        wvm_status st_ = wvm_caller_charge((c), (uint64_t)(n) * wvm_caller_costs(c)->host_byte); \
        if (st_ != WVM_OK) return st_; \
    } while (0)

/* Sets *err and returns WVM_OK from the calling impl. */
#define FAIL(e) do { *err = (e); return WVM_OK; } while (0)

/* Stores one u32 (or u64) result at a guest address, charging for it. */
static wvm_status out_u32(wvm_caller *c, uint32_t ptr, uint32_t v, uint32_t *err) {
    uint8_t *p = span(c, ptr, 4);
    if (!p) FAIL(WASI_EFAULT);
    CHARGE_BYTES(c, 4);
    put_u32(p, v);
    return WVM_OK;
}

static wvm_status out_u64(wvm_caller *c, uint32_t ptr, uint64_t v, uint32_t *err) {
    uint8_t *p = span(c, ptr, 8);
    if (!p) FAIL(WASI_EFAULT);
    CHARGE_BYTES(c, 8);
    put_u64(p, v);
    return WVM_OK;
}

static uint32_t arg_u32(const wvm_val *a, int i) { return (uint32_t)a[i].of.i32; }

static bool is_open_stdio(const wvm_wasi *w, uint32_t fd) {
    return fd < NSTDIO && !(w->closed & (1u << fd));
}

/* ------------------------------------------------------------------ */
/* Arguments and environment                                           */

static wvm_status list_sizes(wvm_caller *c, const strlist *l,
                             const wvm_val *a, uint32_t *err) {
    uint8_t *pn = span(c, arg_u32(a, 0), 4), *pb = span(c, arg_u32(a, 1), 4);
    if (!pn || !pb) FAIL(WASI_EFAULT);
    CHARGE_BYTES(c, 8);
    put_u32(pn, l->n);
    put_u32(pb, l->bytes);
    return WVM_OK;
}

/* Writes the pointer array at a[0] (n u32 guest addresses) and the
 * strings at a[1]. */
static wvm_status list_get(wvm_caller *c, const strlist *l,
                           const wvm_val *a, uint32_t *err) {
    uint32_t vec = arg_u32(a, 0), buf = arg_u32(a, 1);
    if (l->n == 0) return WVM_OK;
    uint8_t *pv = span(c, vec, (uint64_t)l->n * 4);
    uint8_t *pb = span(c, buf, l->bytes);
    if (!pv || !pb) FAIL(WASI_EFAULT);
    CHARGE_BYTES(c, (uint64_t)l->n * 4 + l->bytes);
    /* buf + off[i] cannot wrap: span checked buf + bytes <= 2^32. */
    for (uint32_t i = 0; i < l->n; i++) put_u32(pv + 4 * (size_t)i, buf + l->off[i]);
    memcpy(pb, l->blob, l->bytes);
    return WVM_OK;
}

static wvm_status op_args_sizes_get(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    return list_sizes(c, &w->args, a, err);
}
static wvm_status op_args_get(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    return list_get(c, &w->args, a, err);
}
static wvm_status op_environ_sizes_get(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    return list_sizes(c, &w->env, a, err);
}
static wvm_status op_environ_get(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    return list_get(c, &w->env, a, err);
}

/* ------------------------------------------------------------------ */
/* Descriptors: 0, 1 and 2 only                                        */

/* fd_write(fd, iovs, iovs_len, nwritten_ptr).  Checks the whole request
 * (result pointer, iovec array, every buffer, the total) before writing
 * anything. */
static wvm_status op_fd_write(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    uint32_t fd = arg_u32(a, 0), iovs = arg_u32(a, 1), niov = arg_u32(a, 2);
    if (fd != 1 && fd != 2) FAIL(WASI_EBADF);
    if (!is_open_stdio(w, fd)) FAIL(WASI_EBADF);
    if (niov > WASI_IOV_MAX) FAIL(WASI_EINVAL);
    uint8_t *pres = span(c, arg_u32(a, 3), 4);
    if (!pres) FAIL(WASI_EFAULT);
    const uint8_t *pv = NULL;
    if (niov > 0) {
        pv = span(c, iovs, (uint64_t)niov * 8);
        if (!pv) FAIL(WASI_EFAULT);
        CHARGE_BYTES(c, (uint64_t)niov * 8);
    }
    uint64_t total = 0;
    for (uint32_t i = 0; i < niov; i++) {
        uint32_t len = get_u32(pv + 8 * (size_t)i + 4);
        if (len > 0 && !span(c, get_u32(pv + 8 * (size_t)i), len)) FAIL(WASI_EFAULT);
        total += len;   /* at most 1024 * (2^32 - 1): no overflow */
    }
    if (total > UINT32_MAX) FAIL(WASI_EINVAL);  /* nwritten is a u32 */
    CHARGE_BYTES(c, total + 4);
    for (uint32_t i = 0; i < niov && w->write; i++) {
        uint32_t len = get_u32(pv + 8 * (size_t)i + 4);
        if (len == 0) continue;
        const uint8_t *buf = span(c, get_u32(pv + 8 * (size_t)i), len);
        if (buf) w->write(w->write_user, (int)fd, buf, len);
    }
    put_u32(pres, (uint32_t)total);
    return WVM_OK;
}

/* fd_read(fd, iovs, iovs_len, nread_ptr): stdin is always at its end. */
static wvm_status op_fd_read(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    if (arg_u32(a, 0) != 0 || !is_open_stdio(w, 0)) FAIL(WASI_EBADF);
    return out_u32(c, arg_u32(a, 3), 0, err);
}

static wvm_status op_fd_close(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    (void)c;
    uint32_t fd = arg_u32(a, 0);
    if (!is_open_stdio(w, fd)) FAIL(WASI_EBADF);
    w->closed |= 1u << fd;
    return WVM_OK;
}

/* fd_seek(fd, offset, whence, newoffset_ptr): stdio cannot seek. */
static wvm_status op_fd_seek(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    (void)c;
    FAIL(is_open_stdio(w, arg_u32(a, 0)) ? WASI_ESPIPE : WASI_EBADF);
}

/* fd_fdstat_get(fd, ptr): a 24-byte fdstat.  Stdio is a character device
 * without seek/tell rights, which wasi-libc's isatty() reads as a tty. */
static wvm_status op_fd_fdstat_get(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    uint32_t fd = arg_u32(a, 0);
    if (!is_open_stdio(w, fd)) FAIL(WASI_EBADF);
    uint8_t *p = span(c, arg_u32(a, 1), 24);
    if (!p) FAIL(WASI_EFAULT);
    CHARGE_BYTES(c, 24);
    uint64_t rights = (fd == 0 ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE) |
                      WASI_RIGHT_POLL_FD_READWRITE;
    memset(p, 0, 24);
    p[0] = WASI_FILETYPE_CHARACTER_DEVICE;   /* fs_filetype; fs_flags = 0 */
    put_u64(p + 8, rights);                  /* fs_rights_base */
    put_u64(p + 16, 0);                      /* fs_rights_inheriting */
    return WVM_OK;
}

/* No preopened directories: libc's scan for them stops at the first
 * EBADF. */
static wvm_status op_ebadf(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    (void)c; (void)w; (void)a;
    FAIL(WASI_EBADF);
}

/* Descriptor operations we do not support: ENOSYS on stdio, EBADF on
 * any other descriptor (a[0] is the descriptor). */
static wvm_status op_fd_other(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    (void)c;
    FAIL(is_open_stdio(w, arg_u32(a, 0)) ? WASI_ENOSYS : WASI_EBADF);
}

static wvm_status op_enosys(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    (void)c; (void)w; (void)a;
    FAIL(WASI_ENOSYS);
}

/* ------------------------------------------------------------------ */
/* Clocks, random, process                                             */

/* clock_time_get(id, precision, time_ptr): every clock reads clock_ns. */
static wvm_status op_clock_time_get(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    if (arg_u32(a, 0) >= WASI_CLOCK_COUNT) FAIL(WASI_EINVAL);
    return out_u64(c, arg_u32(a, 2), w->clock_ns, err);
}

/* clock_res_get(id, res_ptr): 1 ns. */
static wvm_status op_clock_res_get(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    (void)w;
    if (arg_u32(a, 0) >= WASI_CLOCK_COUNT) FAIL(WASI_EINVAL);
    return out_u64(c, arg_u32(a, 1), 1, err);
}

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit word per step. */
static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* random_get(buf, len): the next bytes of the context's stream.  Each
 * call starts on a fresh word (the rest of the last word is dropped), so
 * the bytes depend only on the seed and the sequence of lengths asked. */
static wvm_status op_random_get(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    uint32_t len = arg_u32(a, 1);
    if (len == 0) return WVM_OK;
    uint8_t *p = span(c, arg_u32(a, 0), len);
    if (!p) FAIL(WASI_EFAULT);
    CHARGE_BYTES(c, len);
    for (uint64_t i = 0; i < len; i += 8) {
        uint8_t word[8];
        put_u64(word, splitmix64(&w->rng));
        memcpy(p + i, word, len - i < 8 ? (size_t)(len - i) : 8);
    }
    return WVM_OK;
}

static wvm_status op_sched_yield(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    (void)c; (void)w; (void)a; (void)err;
    return WVM_OK;
}

/* proc_exit(code): ends the call with WVM_TRAP_EXIT. */
static wvm_status op_proc_exit(wvm_caller *c, wvm_wasi *w, const wvm_val *a, uint32_t *err) {
    (void)w; (void)err;
    return wvm_caller_exit(c, a[0].of.i32);
}

/* ------------------------------------------------------------------ */
/* The table: every function of wasi_snapshot_preview1                 */

static const wasi_fn wasi_fns[] = {
    /* name                       params       results  impl */
    { "args_get",                 "ii",        "i", op_args_get },
    { "args_sizes_get",           "ii",        "i", op_args_sizes_get },
    { "environ_get",              "ii",        "i", op_environ_get },
    { "environ_sizes_get",        "ii",        "i", op_environ_sizes_get },
    { "clock_res_get",            "ii",        "i", op_clock_res_get },
    { "clock_time_get",           "iIi",       "i", op_clock_time_get },
    { "fd_advise",                "iIIi",      "i", op_fd_other },
    { "fd_allocate",              "iII",       "i", op_fd_other },
    { "fd_close",                 "i",         "i", op_fd_close },
    { "fd_datasync",              "i",         "i", op_fd_other },
    { "fd_fdstat_get",            "ii",        "i", op_fd_fdstat_get },
    { "fd_fdstat_set_flags",      "ii",        "i", op_fd_other },
    { "fd_fdstat_set_rights",     "iII",       "i", op_fd_other },
    { "fd_filestat_get",          "ii",        "i", op_fd_other },
    { "fd_filestat_set_size",     "iI",        "i", op_fd_other },
    { "fd_filestat_set_times",    "iIIi",      "i", op_fd_other },
    { "fd_pread",                 "iiiIi",     "i", op_fd_other },
    { "fd_prestat_get",           "ii",        "i", op_ebadf },
    { "fd_prestat_dir_name",      "iii",       "i", op_ebadf },
    { "fd_pwrite",                "iiiIi",     "i", op_fd_other },
    { "fd_read",                  "iiii",      "i", op_fd_read },
    { "fd_readdir",               "iiiIi",     "i", op_fd_other },
    { "fd_renumber",              "ii",        "i", op_fd_other },
    { "fd_seek",                  "iIii",      "i", op_fd_seek },
    { "fd_sync",                  "i",         "i", op_fd_other },
    { "fd_tell",                  "ii",        "i", op_fd_seek },
    { "fd_write",                 "iiii",      "i", op_fd_write },
    { "path_create_directory",    "iii",       "i", op_fd_other },
    { "path_filestat_get",        "iiiii",     "i", op_fd_other },
    { "path_filestat_set_times",  "iiiiIIi",   "i", op_fd_other },
    { "path_link",                "iiiiiii",   "i", op_fd_other },
    { "path_open",                "iiiiiIIii", "i", op_fd_other },
    { "path_readlink",            "iiiiii",    "i", op_fd_other },
    { "path_remove_directory",    "iii",       "i", op_fd_other },
    { "path_rename",              "iiiiii",    "i", op_fd_other },
    { "path_symlink",             "iiiii",     "i", op_enosys },
    { "path_unlink_file",         "iii",       "i", op_fd_other },
    { "poll_oneoff",              "iiii",      "i", op_enosys },
    { "proc_exit",                "i",         "",  op_proc_exit },
    { "proc_raise",               "i",         "i", op_enosys },
    { "random_get",               "ii",        "i", op_random_get },
    { "sched_yield",              "",          "i", op_sched_yield },
    { "sock_accept",              "iii",       "i", op_fd_other },
    { "sock_recv",                "iiiiii",    "i", op_fd_other },
    { "sock_send",                "iiiii",     "i", op_fd_other },
};
_Static_assert(sizeof wasi_fns / sizeof wasi_fns[0] == WASI_NFNS, "WASI_NFNS");

/* The host function behind every WASI import: charges the base cost,
 * runs the row's impl and returns its errno. */
static wvm_status wasi_call(wvm_caller *c, void *user, const wvm_val *args,
                            wvm_val *results) {
    wasi_binding *b = user;
    wvm_status st = wvm_caller_charge(c, wvm_caller_costs(c)->host_call);
    if (st != WVM_OK) return st;
    uint32_t err = WASI_ESUCCESS;
    st = b->def->impl(c, b->wasi, args, &err);
    if (st != WVM_OK) return st;
    if (b->def->results[0]) results[0] = wvm_i32((int32_t)err);
    return WVM_OK;
}

/* ------------------------------------------------------------------ */
/* Context                                                             */

/* Copies n strings into l.  WVM_ERR_ARG for NULL strings or sizes WASI
 * cannot describe (u32 counts and offsets). */
static wvm_status strlist_init(wvm_store *s, strlist *l, int n, const char *const *v) {
    if (n < 0 || (n > 0 && !v)) return WVM_ERR_ARG;
    if ((uint64_t)n > UINT32_MAX / 4) return WVM_ERR_ARG;
    uint64_t bytes = 0;
    for (int i = 0; i < n; i++) {
        if (!v[i]) return WVM_ERR_ARG;
        bytes += (uint64_t)strlen(v[i]) + 1;
        if (bytes > UINT32_MAX) return WVM_ERR_ARG;
    }
    l->n = (uint32_t)n;
    l->bytes = (uint32_t)bytes;
    if (n == 0) return WVM_OK;
    l->off = store_alloc(s, (size_t)n * sizeof *l->off);
    l->blob = store_alloc(s, (size_t)bytes);
    if (!l->off || !l->blob) return WVM_ERR_NOMEM;
    uint32_t at = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(v[i]) + 1;
        l->off[i] = at;
        memcpy(l->blob + at, v[i], len);
        at += (uint32_t)len;
    }
    return WVM_OK;
}

wvm_status wvm_wasi_new(wvm_store *s, const wvm_wasi_config *cfg, wvm_wasi **out) {
    if (out) *out = NULL;
    if (!s || !cfg || !out) return WVM_ERR_ARG;
    wvm_wasi *w = store_alloc(s, sizeof *w);
    if (!w) return WVM_ERR_NOMEM;
    wvm_status st = strlist_init(s, &w->args, cfg->argc, cfg->argv);
    if (st == WVM_OK) st = strlist_init(s, &w->env, cfg->envc, cfg->envp);
    if (st != WVM_OK) return st; /* w and its lists are the store's */
    w->store = s;
    w->clock_ns = cfg->clock_ns;
    w->rng = cfg->random_seed;
    w->write = cfg->write;
    w->write_user = cfg->write_user;
    for (int i = 0; i < WASI_NFNS; i++) {
        w->bind[i].wasi = w;
        w->bind[i].def = &wasi_fns[i];
    }
    *out = w;
    return WVM_OK;
}

/* Parses a row's signature string into a wvm_valtype array. */
static uint32_t sig_types(const char *sig, wvm_valtype *out) {
    uint32_t n = 0;
    for (; sig[n]; n++) out[n] = sig[n] == 'I' ? WVM_I64 : WVM_I32;
    return n;
}

wvm_status wvm_wasi_import(wvm_wasi *w, const char *name, wvm_extern *out) {
    if (out) *out = (wvm_extern){ 0, NULL };
    if (!name) return WVM_ERR_ARG;
    return wvm_wasi_import_n(w, name, (uint32_t)strnlen(name, UINT32_MAX), out);
}

wvm_status wvm_wasi_import_n(wvm_wasi *w, const char *name, uint32_t name_len,
                             wvm_extern *out) {
    if (out) *out = (wvm_extern){ 0, NULL };
    if (!w || (!name && name_len) || !out) return WVM_ERR_ARG;
    for (int i = 0; i < WASI_NFNS; i++) {
        const wasi_fn *def = &wasi_fns[i];
        if (strlen(def->name) != name_len || memcmp(def->name, name, name_len) != 0)
            continue;
        wasi_binding *b = &w->bind[i];
        if (!b->func) {
            wvm_valtype params[16], results[1];
            wvm_functype type;
            type.nparams = sig_types(def->params, params);
            type.nresults = sig_types(def->results, results);
            type.params = params;
            type.results = results;
            wvm_status st = wvm_func_new_host(w->store, &type, wasi_call, b, &b->func);
            if (st != WVM_OK) {
                b->func = NULL;
                return st;
            }
        }
        out->kind = WVM_EXTERN_FUNC;
        out->ptr = b->func;
        return WVM_OK;
    }
    return WVM_ERR_NOT_FOUND;
}
