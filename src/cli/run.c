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

/* Exit status: the program's own exit code passes through when it is in
 * 0..EXIT_PROGRAM_MAX; each of wvm's own outcomes has one fixed code
 * from 200 up, clear of the program's codes, of the shell's 126 (cannot
 * execute) and 127 (not found), and of 128+N (killed by signal N, N <= 64
 * on Linux), so that a script can tell every outcome apart. */
enum {
    EXIT_PROGRAM_MAX = 125,
    EXIT_USAGE = 200,     /* bad option or argument */
    EXIT_READ = 201,      /* FILE cannot be read */
    EXIT_LOAD = 202,      /* module malformed, invalid or over a load limit */
    EXIT_LINK = 203,      /* cannot link, instantiate or call as asked */
    EXIT_TRAP = 204,      /* a trap other than the two below */
    EXIT_FUEL = 205,      /* out of fuel (--fuel) */
    EXIT_TIMEOUT = 206,   /* timeout (--timeout) */
    EXIT_RANGE = 207,     /* the program's exit code is outside 0..125 */
    EXIT_NOMEM = 208,     /* wvm ran out of host memory */
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
    "  --fuel N        stop with exit status 205 after N units of fuel, counted\n"
    "                  over the whole run (start function, _initialize and\n"
    "                  the function called)\n"
    "  --timeout MS    stop with exit status 206 after MS milliseconds of\n"
    "                  running, counted over the whole run\n"
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
    "exit status (each outcome has its own; wvm's are fixed and above 199,\n"
    "clear of the shell's 126, 127 and 128+signal):\n"
    "  0-125  the program's own exit code (proc_exit(N), or return from\n"
    "         main); 0 also when _start or the --invoke function returns\n"
    "  200    usage error (an unknown option, a bad value, no FILE)\n"
    "  201    FILE cannot be read\n"
    "  202    FILE is not a valid module (malformed, invalid, over a limit)\n"
    "  203    the module cannot be linked, instantiated or called: an\n"
    "         unknown import, a memory or table over the limits, no such\n"
    "         export, or an export that takes parameters\n"
    "  204    trap (printed as \"wvm: trap: ...\")\n"
    "  205    out of fuel (--fuel)\n"
    "  206    timeout (--timeout)\n"
    "  207    the program exited with a code outside 0-125 (the code is\n"
    "         printed)\n"
    "  208    wvm ran out of host memory\n";

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
            st = wvm_wasi_import_n(wasi, name, name_len, &imports[i]);
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

/* The exit status for a failed instantiation or call, after printing
 * why.  WVM_TRAP_EXIT is the program's own exit. */
static int failure_status(const run_opts *o, wvm_store *s, wvm_status st) {
    fflush(stdout);
    switch (st) {
    case WVM_TRAP_EXIT: {
        /* proc_exit's code is a u32; outside 0..125 it would be taken for
         * one of wvm's outcomes (or, above 255, cut to its low byte) */
        uint32_t code = (uint32_t)wvm_store_exit_code(s);
        if (code <= EXIT_PROGRAM_MAX) return (int)code;
        fprintf(stderr, "wvm: the program exited with code %" PRIu32 ", outside 0-%d\n",
                code, EXIT_PROGRAM_MAX);
        return EXIT_RANGE;
    }
    case WVM_TRAP_OUT_OF_FUEL:
        fprintf(stderr, "wvm: out of fuel (--fuel %" PRIu64 ")\n", o->fuel);
        return EXIT_FUEL;
    case WVM_TRAP_TIMEOUT:
        fprintf(stderr, "wvm: timeout after %" PRIu32 " ms (--timeout)\n", o->timeout_ms);
        return EXIT_TIMEOUT;
    case WVM_ERR_NOMEM:
        fprintf(stderr, "wvm: %s: out of memory\n", o->file);
        return EXIT_NOMEM;
    default:
        if (wvm_status_is_trap(st)) {
            fprintf(stderr, "wvm: trap: %s\n", wvm_store_errmsg(s));
            return EXIT_TRAP;
        }
        /* WVM_ERR_LINK and WVM_ERR_RESOURCE from instantiation */
        fprintf(stderr, "wvm: %s: %s: %s\n", o->file, wvm_status_str(st),
                wvm_store_errmsg(s));
        return EXIT_LINK;
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

/* What the calls of the run so far used.  A run makes up to three calls
 * into the guest (the start function inside wvm_instance_new,
 * _initialize, the entry); --fuel and --timeout bound them together. */
typedef struct run_stats {
    uint64_t fuel, instructions;
    double t_run;          /* when the first call began; 0: not yet */
} run_stats;

/* Gives the next call what the calls before it left of --fuel and
 * --timeout. */
static void budget_next_call(wvm_store *s, const run_opts *o, run_stats *stats) {
    if (o->fuel != UINT64_MAX)
        wvm_store_set_fuel(s, o->fuel > stats->fuel ? o->fuel - stats->fuel : 0);
    if (stats->t_run == 0) stats->t_run = now_ms();
    if (o->timeout_ms) {
        double left = (double)o->timeout_ms - (now_ms() - stats->t_run);
        /* 0 would mean no timeout: a spent budget still stops the call */
        wvm_store_set_timeout(s, left >= 1 ? (uint32_t)left : 1);
    }
}

/* Adds what the last call used to *stats (0 if no call ran). */
static void count_last_call(wvm_store *s, run_stats *stats) {
    stats->fuel += wvm_store_fuel_used(s);
    stats->instructions += wvm_store_instructions(s);
}

/* Calls f with no arguments within the run's budget, adding its fuel to
 * *stats; prints its results when print is set.  Returns WVM_OK or the
 * failure. */
static wvm_status call0(wvm_store *s, const run_opts *o, wvm_func *f, int print,
                        run_stats *stats) {
    const wvm_functype *t = wvm_func_type(f);
    wvm_val *results = calloc(t->nresults ? t->nresults : 1, sizeof *results);
    if (!results) return WVM_ERR_NOMEM;
    budget_next_call(s, o, stats);
    wvm_status st = wvm_func_call(s, f, NULL, 0, results, t->nresults);
    count_last_call(s, stats);
    if (st == WVM_OK && print)
        for (uint32_t i = 0; i < t->nresults; i++) print_val(results[i]);
    free(results);
    return st;
}

int cmd_run(int argc, char **argv) {
    run_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;

    rc = EXIT_NOMEM; /* until a step below says otherwise */
    wvm_engine *engine = NULL;
    wvm_module *module = NULL;
    wvm_store *store = NULL;
    wvm_extern *imports = NULL;
    char **guest_argv = NULL;
    run_stats stats = { 0, 0, 0 };
    wvm_instance *inst = NULL;
    double t0 = now_ms();

    size_t len;
    uint8_t *wasm = read_file(o.file, &len);
    if (!wasm) { rc = EXIT_READ; goto out; }

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
        rc = st == WVM_ERR_NOMEM ? EXIT_NOMEM : EXIT_LOAD;
        goto out;
    }
    st = wvm_store_new(engine, &store);
    if (st != WVM_OK) {
        fprintf(stderr, "wvm: cannot make store: %s\n", wvm_status_str(st));
        goto out;
    }

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
    if (!link_imports(&o, module, wasi, imports)) { rc = EXIT_LINK; goto out; }

    /* instantiation runs the start function, if any */
    budget_next_call(store, &o, &stats);
    st = wvm_instance_new(store, module, imports, nimports, &inst);
    count_last_call(store, &stats);
    if (st != WVM_OK) {
        rc = failure_status(&o, store, st);
        goto out;
    }
    rc = EXIT_LINK;

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
        st = call0(store, &o, init, 0, &stats);
        if (st != WVM_OK) { rc = failure_status(&o, store, st); goto out; }
    }
    st = call0(store, &o, f, o.invoke != NULL, &stats);
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
