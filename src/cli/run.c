/*
 * run.c -- `wvm run`: runs a WASI command module, or one export of a
 * module, with deterministic WASI (clock 0, random seed 0, no files).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "wvm.h"
#include "cli.h"

#define WASI_MODULE "wasi_snapshot_preview1"

enum {
    EXIT_TRAP = 1,        /* load, link or instantiation error, or a trap */
    EXIT_USAGE = 2,
    EXIT_FUEL = 3,
    EXIT_TIMEOUT = 4,
};

static const char usage_text[] =
    "usage: wvm run [options] FILE.wasm [ARGS...]\n"
    "\n"
    "Runs the WASI command FILE.wasm (its _start export) with ARGS as its\n"
    "arguments (argv[0] is FILE.wasm).  WASI is deterministic: no\n"
    "environment, clocks read 0, random bytes come from seed 0, stdin is\n"
    "empty, there is no file system; stdout and stderr are passed through.\n"
    "\n"
    "options:\n"
    "  --fuel N        stop with exit status 3 after N units of fuel\n"
    "  --timeout MS    stop with exit status 4 after MS milliseconds\n"
    "  --stats         print fuel used, instructions executed, peak linear\n"
    "                  memory and wall time to stderr at the end\n"
    "  --no-metering   do not count fuel (for measuring its cost; --fuel\n"
    "                  then cannot be used)\n"
    "  --invoke NAME   call the export NAME (no parameters) instead of\n"
    "                  _start, after _initialize if the module exports it,\n"
    "                  and print its results in decimal, one per line\n"
    "  --dump          print the translated code to stderr (for debugging\n"
    "                  the translator; docs/interpreter.md)\n"
    "\n"
    "exit status:\n"
    "  the program's own exit code (proc_exit, or return from main)\n"
    "  0  the function returned (with --invoke, or _start without proc_exit)\n"
    "  1  the module could not be read, loaded, linked or instantiated,\n"
    "     or it trapped (the trap is printed as \"wvm: trap: ...\")\n"
    "  2  usage error\n"
    "  3  out of fuel (--fuel)\n"
    "  4  timeout (--timeout)\n";

typedef struct run_opts {
    uint64_t fuel;        /* UINT64_MAX: unlimited */
    uint32_t timeout_ms;  /* 0: none */
    int stats;
    int no_metering;
    int dump;             /* --dump */
    const char *invoke;   /* NULL: _start */
    const char *file;
    int nargs;            /* guest arguments after FILE */
    char **args;
} run_opts;

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "wvm run: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: wvm run [options] FILE.wasm [ARGS...]  (see `wvm help run`)\n");
    return EXIT_USAGE;
}

/* Parses a decimal unsigned number; false unless all of s is one that
 * fits in max. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out) {
    if (!s || *s < '0' || *s > '9') return 0;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max) return 0;
    *out = v;
    return 1;
}

/* Fills *o from argv; returns -1 on success or the exit status. */
static int parse_args(int argc, char **argv, run_opts *o) {
    memset(o, 0, sizeof *o);
    o->fuel = UINT64_MAX;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(a, "--stats") == 0) { o->stats = 1; continue; }
        if (strcmp(a, "--no-metering") == 0) { o->no_metering = 1; continue; }
        if (strcmp(a, "--dump") == 0) { o->dump = 1; continue; }
        int takes_value = strcmp(a, "--fuel") == 0 || strcmp(a, "--timeout") == 0 ||
                          strcmp(a, "--invoke") == 0;
        if (!takes_value) return usage_error("unknown option '%s'", a);
        if (i + 1 >= argc) return usage_error("%s needs a value", a);
        const char *v = argv[++i];
        uint64_t n;
        if (strcmp(a, "--fuel") == 0) {
            if (!parse_u64(v, UINT64_MAX, &n)) return usage_error("bad --fuel value '%s'", v);
            o->fuel = n;
        } else if (strcmp(a, "--timeout") == 0) {
            if (!parse_u64(v, UINT32_MAX, &n) || n == 0)
                return usage_error("bad --timeout value '%s' (milliseconds, > 0)", v);
            o->timeout_ms = (uint32_t)n;
        } else {
            o->invoke = v;
        }
    }
    if (i >= argc) return usage_error("%s", "no FILE.wasm given");
    if (o->no_metering && o->fuel != UINT64_MAX)
        return usage_error("%s", "--fuel needs metering; drop --no-metering");
    o->file = argv[i];
    o->nargs = argc - i - 1;
    o->args = argv + i + 1;
    return -1;
}

/* Reads a whole file; prints an error naming it on failure. */
static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f) goto fail;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            uint8_t *nb = ncap > cap ? realloc(buf, ncap) : NULL;
            if (!nb) { errno = ENOMEM; goto fail; }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) goto fail;
    fclose(f);
    *len = n;
    return buf;
fail:
    fprintf(stderr, "wvm: cannot read %s: %s\n", path, strerror(errno ? errno : EIO));
    if (f) fclose(f);
    free(buf);
    return NULL;
}

/* WASI stdout/stderr. */
static void wasi_write(void *user, int fd, const uint8_t *buf, size_t len) {
    (void)user;
    fwrite(buf, 1, len, fd == 2 ? stderr : stdout);
}

/* wvm_config.dump for --dump */
static void dump_to_stderr(void *user, const char *text, size_t len) {
    (void)user;
    fwrite(text, 1, len, stderr);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Links every import of m; prints the first failure.  imports has room
 * for every import. */
static int link_imports(const run_opts *o, const wvm_module *m, wvm_wasi *wasi,
                        wvm_extern *imports) {
    uint32_t n = wvm_module_import_count(m);
    for (uint32_t i = 0; i < n; i++) {
        const char *mod, *name;
        uint32_t mod_len, name_len;
        wvm_externkind kind;
        wvm_module_import(m, i, &mod, &mod_len, &name, &name_len, &kind);
        wvm_status st = WVM_ERR_NOT_FOUND;
        if (kind == WVM_EXTERN_FUNC && mod_len == strlen(WASI_MODULE) &&
            memcmp(mod, WASI_MODULE, mod_len) == 0)
            st = wvm_wasi_import(wasi, name, name_len, &imports[i]);
        if (st == WVM_ERR_NOT_FOUND) {
            fprintf(stderr, "wvm: %s: unknown import %.*s.%.*s\n", o->file,
                    (int)mod_len, mod, (int)name_len, name);
            return 0;
        }
        if (st != WVM_OK) {
            fprintf(stderr, "wvm: %s: cannot link %.*s.%.*s: %s\n", o->file,
                    (int)mod_len, mod, (int)name_len, name, wvm_status_str(st));
            return 0;
        }
    }
    return 1;
}

/* The exit status for a failed call or instantiation, after printing
 * why.  WVM_TRAP_EXIT is the program's own exit. */
static int failure_status(const run_opts *o, wvm_store *s, wvm_status st) {
    fflush(stdout);
    switch (st) {
    case WVM_TRAP_EXIT:
        return (int)(wvm_store_exit_code(s) & 0xff);
    case WVM_TRAP_OUT_OF_FUEL:
        fprintf(stderr, "wvm: out of fuel (--fuel %" PRIu64 ")\n", o->fuel);
        return EXIT_FUEL;
    case WVM_TRAP_TIMEOUT:
        fprintf(stderr, "wvm: timeout after %" PRIu32 " ms (--timeout)\n", o->timeout_ms);
        return EXIT_TIMEOUT;
    default:
        if (wvm_status_is_trap(st))
            fprintf(stderr, "wvm: trap: %s\n", wvm_store_errmsg(s));
        else
            fprintf(stderr, "wvm: %s: %s: %s\n", o->file, wvm_status_str(st),
                    wvm_store_errmsg(s));
        return EXIT_TRAP;
    }
}

static void print_val(wvm_val v) {
    switch (v.type) {
    case WVM_I32: printf("%" PRId32 "\n", v.of.i32); break;
    case WVM_I64: printf("%" PRId64 "\n", v.of.i64); break;
    case WVM_F32: printf("%.9g\n", (double)v.of.f32); break;
    case WVM_F64: printf("%.17g\n", v.of.f64); break;
    case WVM_FUNCREF: printf(v.of.func ? "funcref\n" : "null funcref\n"); break;
    case WVM_EXTERNREF: printf(v.of.ext ? "externref\n" : "null externref\n"); break;
    default: printf("?\n"); break;
    }
}

typedef struct run_stats {
    uint64_t fuel, instructions;
} run_stats;

/* Calls f with no arguments, adding its fuel to *stats; prints its
 * results when print is set.  Returns WVM_OK or the failure. */
static wvm_status call0(wvm_store *s, wvm_func *f, int print, run_stats *stats) {
    const wvm_functype *t = wvm_func_type(f);
    wvm_val *results = calloc(t->nresults ? t->nresults : 1, sizeof *results);
    if (!results) return WVM_ERR_NOMEM;
    wvm_status st = wvm_func_call(s, f, NULL, 0, results, t->nresults);
    stats->fuel += wvm_store_fuel_used(s);
    stats->instructions += wvm_store_instructions(s);
    if (st == WVM_OK && print)
        for (uint32_t i = 0; i < t->nresults; i++) print_val(results[i]);
    free(results);
    return st;
}

int cmd_run(int argc, char **argv) {
    run_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;

    rc = EXIT_TRAP;
    wvm_engine *engine = NULL;
    wvm_module *module = NULL;
    wvm_store *store = NULL;
    wvm_extern *imports = NULL;
    char **guest_argv = NULL;
    run_stats stats = { 0, 0 };
    wvm_instance *inst = NULL;
    double t0 = now_ms();

    size_t len;
    uint8_t *wasm = read_file(o.file, &len);
    if (!wasm) goto out;

    wvm_config cfg;
    wvm_config_default(&cfg);
    WVM_LIMITS_PROGRAM(&cfg.limits); /* a program, not a contract */
    cfg.float_policy = WVM_FLOAT_ALLOW;
    cfg.metering = !o.no_metering; /* contracts always run metered */
    if (o.dump) cfg.dump = dump_to_stderr;
    wvm_status st = wvm_engine_new(&cfg, &engine);
    if (st != WVM_OK) {
        fprintf(stderr, "wvm: cannot make engine: %s\n", wvm_status_str(st));
        goto out;
    }
    st = wvm_module_new(engine, wasm, len, &module);
    if (st != WVM_OK) {
        fprintf(stderr, "wvm: %s: %s: %s\n", o.file, wvm_status_str(st),
                module ? wvm_module_errmsg(module) : "");
        goto out;
    }
    st = wvm_store_new(engine, &store);
    if (st != WVM_OK) {
        fprintf(stderr, "wvm: cannot make store: %s\n", wvm_status_str(st));
        goto out;
    }
    wvm_store_set_fuel(store, o.fuel);
    wvm_store_set_timeout(store, o.timeout_ms);

    /* argv = [FILE, ARGS...] */
    guest_argv = malloc(((size_t)o.nargs + 1) * sizeof *guest_argv);
    if (!guest_argv) { fprintf(stderr, "wvm: out of memory\n"); goto out; }
    guest_argv[0] = (char *)o.file;
    for (int i = 0; i < o.nargs; i++) guest_argv[i + 1] = o.args[i];
    wvm_wasi_config wc = {
        .argc = o.nargs + 1, .argv = (const char *const *)guest_argv,
        .envc = 0, .envp = NULL, .clock_ns = 0, .random_seed = 0,
        .write = wasi_write, .write_user = NULL,
    };
    wvm_wasi *wasi;
    st = wvm_wasi_new(store, &wc, &wasi);
    if (st != WVM_OK) {
        fprintf(stderr, "wvm: cannot set up WASI: %s\n", wvm_status_str(st));
        goto out;
    }

    uint32_t nimports = wvm_module_import_count(module);
    imports = calloc(nimports ? nimports : 1, sizeof *imports);
    if (!imports) { fprintf(stderr, "wvm: out of memory\n"); goto out; }
    if (!link_imports(&o, module, wasi, imports)) goto out;

    st = wvm_instance_new(store, module, imports, nimports, &inst);
    if (st != WVM_OK) {
        if (wvm_status_is_trap(st)) rc = failure_status(&o, store, st);
        else fprintf(stderr, "wvm: %s: %s: %s\n", o.file, wvm_status_str(st),
                     wvm_store_errmsg(store));
        goto out;
    }

    const char *entry = o.invoke ? o.invoke : "_start";
    wvm_func *f;
    if (wvm_instance_func(inst, entry, &f) != WVM_OK) {
        fprintf(stderr, "wvm: %s: no exported function '%s'%s\n", o.file, entry,
                o.invoke ? "" : " (not a WASI command; use --invoke NAME)");
        goto out;
    }
    if (wvm_func_type(f)->nparams != 0) {
        fprintf(stderr, "wvm: %s: '%s' takes %" PRIu32 " parameters; only functions "
                "without parameters can be run\n", o.file, entry, wvm_func_type(f)->nparams);
        goto out;
    }
    /* A WASI reactor is initialized before any other export is called. */
    wvm_func *init;
    if (o.invoke && strcmp(o.invoke, "_initialize") != 0 &&
        wvm_instance_func(inst, "_initialize", &init) == WVM_OK &&
        wvm_func_type(init)->nparams == 0) {
        st = call0(store, init, 0, &stats);
        if (st != WVM_OK) { rc = failure_status(&o, store, st); goto out; }
    }
    st = call0(store, f, o.invoke != NULL, &stats);
    rc = st == WVM_OK ? 0 : failure_status(&o, store, st);

out:
    fflush(stdout);
    if (o.stats) {
        /* linear memory only grows: its final size is its peak */
        uint64_t mem = inst ? wvm_instance_memory_size(inst) : 0;
        fprintf(stderr, "fuel used: %" PRIu64 "\n", stats.fuel);
        fprintf(stderr, "instructions: %" PRIu64 "\n", stats.instructions);
        fprintf(stderr, "peak memory: %" PRIu64 " bytes (%" PRIu64 " pages)\n", mem, mem / 65536);
        fprintf(stderr, "wall time: %.3f ms\n", now_ms() - t0);
    }
    free(imports);
    free(guest_argv);
    wvm_store_free(store);
    wvm_module_free(module);
    wvm_engine_free(engine);
    free(wasm);
    return rc;
}
