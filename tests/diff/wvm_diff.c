/*
 * wvm_diff.c -- the wvm side of the differential test against V8
 * (tests/diff/README.md).  Public API (include/wvm.h) only.
 *
 *   wvm_diff FILE.wasm
 *
 * Loads FILE.wasm, provides the "fuzzing-support" log imports that
 * binaryen's -ttf modules use, instantiates, then calls every exported
 * function in export order with zero/null arguments, printing a
 * normalized transcript on stdout that v8_diff.js prints identically
 * for node:
 *
 *   compile ok | invalid          (invalid: the module was rejected; the end)
 *   unsupported-import MOD NAME   (the end; the runner skips the module)
 *   instantiate ok | instantiate trap
 *   call NAME                     one block per exported function:
 *   log i32 -5                      a host log call (in call order)
 *   ret i32:1 f64:0x... nan       the results, or
 *   trap                            a trap (the kind is not compared)
 *   exhausted | timeout             call stack exhausted / out of time or
 *                                   fuel: the last line of the transcript
 *   mem PAGES HASH                  after each call, if memory is exported
 *   global NAME VALUE             exported globals, after the last call
 *   end
 *
 * Floats are printed as bit patterns, every NaN as "nan".  Before each
 * call the export "hangLimitInitializer" (if any) is called silently, as
 * binaryen's own JS wrapper does.
 *
 * With DIFF_DUMP=DIR in the environment, memory is also written to
 * DIR/wvm-K.bin after the K-th call (K from 0), for triage.
 *
 * Each call is first made once more, silently, to check
 * wvm_instance_reset's dirty-page tracking on whatever code the fuzzer
 * writes: a snapshot before it, a reset after it, and memory must then
 * be what it was before (size and every byte); if not, the transcript
 * gets a line "reset-mismatch OFFSET" that node never prints.  The real
 * call follows, from the same state.  DIFF_RESET=0 skips the check.
 *
 * Exit status 0 whatever the module does; 2 for usage or I/O errors.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"

#define FUEL_PER_CALL 1000000000ull /* 10^9 */
#define TIMEOUT_MS 5000

static uint8_t *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void print_val(wvm_val v) {
    switch (v.type) {
    case WVM_I32: printf("i32:%" PRId32, v.of.i32); break;
    case WVM_I64: printf("i64:%" PRId64, v.of.i64); break;
    case WVM_F32:
        if ((v.of.f32_bits & 0x7fffffffu) > 0x7f800000u) printf("f32:nan");
        else printf("f32:0x%08" PRIx32, v.of.f32_bits);
        break;
    case WVM_F64:
        if ((v.of.f64_bits & 0x7fffffffffffffffull) > 0x7ff0000000000000ull) printf("f64:nan");
        else printf("f64:0x%016" PRIx64, v.of.f64_bits);
        break;
    case WVM_FUNCREF: printf("funcref:%s", v.of.func ? "ref" : "null"); break;
    case WVM_EXTERNREF: printf("externref:%s", v.of.ext ? "ref" : "null"); break;
    default: printf("?:%d", (int)v.type); break;
    }
}

/* set while check_reset makes its silent call */
static int quiet;

/* fuzzing-support.log-*: prints the value. */
static wvm_status host_log(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c; (void)user; (void)results;
    if (quiet) return WVM_OK;
    printf("log ");
    print_val(args[0]);
    printf("\n");
    return WVM_OK;
}

/* 32-bit FNV-1a over the little-endian 32-bit words of memory 0; with
 * DIFF_DUMP set, memory is also written to $DIFF_DUMP/wvm-K.bin. */
static void print_mem(wvm_instance *inst, unsigned k) {
    uint64_t size = wvm_instance_memory_size(inst);
    uint32_t h = 2166136261u;
    static uint8_t chunk[65536];
    FILE *dump = NULL;
    const char *dir = getenv("DIFF_DUMP");
    if (dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/wvm-%u.bin", dir, k);
        dump = fopen(path, "wb");
    }
    for (uint64_t off = 0; off < size; off += sizeof chunk) {
        uint32_t n = size - off < sizeof chunk ? (uint32_t)(size - off) : (uint32_t)sizeof chunk;
        if (wvm_instance_memory_read(inst, (uint32_t)off, chunk, n) != WVM_OK) {
            printf("mem read-error\n");
            if (dump) fclose(dump);
            return;
        }
        if (dump) fwrite(chunk, 1, n, dump);
        for (uint32_t i = 0; i + 4 <= n; i += 4) {
            uint32_t w = (uint32_t)chunk[i] | (uint32_t)chunk[i + 1] << 8 |
                         (uint32_t)chunk[i + 2] << 16 | (uint32_t)chunk[i + 3] << 24;
            h = (h ^ w) * 16777619u;
        }
    }
    if (dump) fclose(dump);
    printf("mem %" PRIu64 " %08" PRIx32 "\n", size / 65536, h);
}

/* Memory 0's bytes (malloc'd; NULL on failure), its size in *size. */
static uint8_t *copy_mem(wvm_instance *inst, uint64_t *size) {
    *size = wvm_instance_memory_size(inst);
    uint8_t *p = malloc(*size ? (size_t)*size : 1);
    if (p && *size && wvm_instance_memory_read(inst, 0, p, (uint32_t)*size) != WVM_OK) {
        free(p);
        return NULL;
    }
    return p;
}

/* The silent call of f with a snapshot before and a reset after (see
 * the top of the file); prints "reset-mismatch OFFSET" when memory
 * after the reset is not memory before the call. */
static void check_reset(wvm_store *s, wvm_instance *inst, wvm_func *f, const wvm_val *args, uint32_t nargs,
                        uint32_t nresults) {
    const char *env = getenv("DIFF_RESET");
    if (env && strcmp(env, "0") == 0) return;
    uint64_t size0, size1;
    uint8_t *before = copy_mem(inst, &size0);
    wvm_val *res = calloc(nresults + 1, sizeof *res);
    if (!before || !res || wvm_instance_snapshot(inst) != WVM_OK) {
        printf("reset-check-failed %s\n", wvm_store_errmsg(s));
        free(before);
        free(res);
        return;
    }
    quiet = 1;
    wvm_func_call(s, f, args, nargs, res, nresults);
    quiet = 0;
    free(res);
    uint8_t *after = NULL;
    if (wvm_instance_reset(inst) != WVM_OK || !(after = copy_mem(inst, &size1))) {
        printf("reset-check-failed %s\n", wvm_store_errmsg(s));
    } else if (size1 != size0) {
        printf("reset-mismatch size %" PRIu64 " %" PRIu64 "\n", size0, size1);
    } else {
        for (uint64_t i = 0; i < size0; i++)
            if (before[i] != after[i]) {
                printf("reset-mismatch %" PRIu64 "\n", i);
                break;
            }
    }
    free(before);
    free(after);
}

/* What a call's status means for the transcript: 0 go on, 1 stop. */
static int print_status(wvm_status st) {
    if (st == WVM_TRAP_STACK_EXHAUSTED) { printf("exhausted\n"); return 1; }
    if (st == WVM_TRAP_OUT_OF_FUEL || st == WVM_TRAP_TIMEOUT) { printf("timeout\n"); return 1; }
    if (wvm_status_is_trap(st)) { printf("trap\n"); return 0; }
    printf("error %s\n", wvm_status_str(st));
    return 0;
}

/* Export i of module, looked up in inst when it is of kind `want`:
 * 1 found (*x set), 0 another kind, -1 the lookup failed. */
static int export_of(const wvm_module *module, wvm_instance *inst, uint32_t i, wvm_externkind want,
                     const char **name, uint32_t *name_len, wvm_extern *x) {
    wvm_externkind kind;
    wvm_module_export(module, i, name, name_len, &kind);
    if (kind != want) return 0;
    return wvm_instance_export_n(inst, *name, *name_len, x) == WVM_OK ? 1 : -1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: wvm_diff FILE.wasm\n");
        return 2;
    }
    size_t len;
    uint8_t *wasm = read_all(argv[1], &len);
    if (!wasm) {
        fprintf(stderr, "wvm_diff: cannot read %s\n", argv[1]);
        return 2;
    }
    wvm_config cfg;
    wvm_config_default(&cfg);
    WVM_LIMITS_PROGRAM(&cfg.limits); /* V8's limits are those of programs too */
    cfg.float_policy = WVM_FLOAT_ALLOW;
    cfg.metering = true;
    wvm_engine *engine = NULL;
    wvm_module *module = NULL;
    wvm_store *store = NULL;
    wvm_extern *imports = NULL;
    wvm_instance *inst = NULL;
    if (wvm_engine_new(&cfg, &engine) != WVM_OK) return 2;

    wvm_status st = wvm_module_new(engine, wasm, len, &module);
    if (st != WVM_OK) {
        printf("invalid\n");
        fprintf(stderr, "wvm_diff: %s: %s\n", wvm_status_str(st),
                module ? wvm_module_errmsg(module) : "");
        goto out;
    }
    printf("compile ok\n");
    if (wvm_store_new(engine, &store) != WVM_OK) return 2;

    static const wvm_valtype t_i32[] = {WVM_I32}, t_i64[] = {WVM_I64},
                             t_f32[] = {WVM_F32}, t_f64[] = {WVM_F64};
    static const struct { const char *name; const wvm_valtype *param; } logs[] = {
        {"log-i32", t_i32}, {"log-i64", t_i64}, {"log-f32", t_f32}, {"log-f64", t_f64},
    };
    uint32_t nimports = wvm_module_import_count(module);
    imports = calloc(nimports + 1, sizeof *imports);
    if (!imports) return 2;
    for (uint32_t i = 0; i < nimports; i++) {
        const char *mod, *name;
        uint32_t mod_len, name_len;
        wvm_externkind kind;
        wvm_module_import(module, i, &mod, &mod_len, &name, &name_len, &kind);
        int found = 0;
        if (kind == WVM_EXTERN_FUNC && mod_len == 15 && memcmp(mod, "fuzzing-support", 15) == 0)
            for (size_t k = 0; k < sizeof logs / sizeof logs[0]; k++)
                if (name_len == strlen(logs[k].name) && memcmp(name, logs[k].name, name_len) == 0) {
                    wvm_functype ft = {1, 0, logs[k].param, NULL};
                    wvm_func *f;
                    if (wvm_func_new_host(store, &ft, host_log, NULL, &f) != WVM_OK) return 2;
                    imports[i] = (wvm_extern){WVM_EXTERN_FUNC, f};
                    found = 1;
                }
        if (!found) {
            printf("unsupported-import %.*s %.*s\n", (int)mod_len, mod, (int)name_len, name);
            goto out;
        }
    }

    wvm_store_set_fuel(store, FUEL_PER_CALL);
    wvm_store_set_timeout(store, TIMEOUT_MS);
    st = wvm_instance_new(store, module, imports, nimports, &inst);
    if (st != WVM_OK) {
        if (wvm_status_is_trap(st)) {
            printf("instantiate trap\n");
            print_status(st); /* exhausted/timeout in a start function */
        } else {
            printf("instantiate error %s\n", wvm_status_str(st));
        }
        fprintf(stderr, "wvm_diff: instantiate: %s\n", wvm_store_errmsg(store));
        goto out;
    }
    printf("instantiate ok\n");

    uint32_t nexports = wvm_module_export_count(module);
    int has_mem = 0;
    for (uint32_t i = 0; i < nexports; i++) {
        const char *name;
        uint32_t name_len;
        wvm_externkind kind;
        wvm_module_export(module, i, &name, &name_len, &kind);
        if (kind == WVM_EXTERN_MEMORY) has_mem = 1;
    }
    wvm_func *hang_init = NULL;
    if (wvm_instance_func(inst, "hangLimitInitializer", &hang_init) != WVM_OK ||
        wvm_func_type(hang_init)->nparams || wvm_func_type(hang_init)->nresults)
        hang_init = NULL;

    unsigned ncalls = 0;
    for (uint32_t i = 0; i < nexports; i++) {
        const char *name;
        uint32_t name_len;
        wvm_extern x;
        int found = export_of(module, inst, i, WVM_EXTERN_FUNC, &name, &name_len, &x);
        if (found == 0) continue;
        if (found < 0) {
            printf("call %.*s\nerror lookup\n", (int)name_len, name);
            continue;
        }
        wvm_func *f = x.ptr;
        const wvm_functype *t = wvm_func_type(f);
        printf("call %.*s\n", (int)name_len, name);
        if (hang_init) {
            st = wvm_func_call(store, hang_init, NULL, 0, NULL, 0);
            if (st != WVM_OK) {
                printf("hang-init ");
                if (print_status(st)) goto out;
            }
        }
        wvm_val *args = calloc(t->nparams + 1, sizeof *args);
        wvm_val *res = calloc(t->nresults + 1, sizeof *res);
        if (!args || !res) return 2;
        for (uint32_t k = 0; k < t->nparams; k++) {
            args[k].type = t->params[k];
            args[k].of.i64 = 0; /* zero, or the null reference */
            if (t->params[k] == WVM_FUNCREF) args[k].of.func = NULL;
            if (t->params[k] == WVM_EXTERNREF) args[k].of.ext = NULL;
        }
        check_reset(store, inst, f, args, t->nparams, t->nresults);
        fflush(stdout);
        st = wvm_func_call(store, f, args, t->nparams, res, t->nresults);
        free(args);
        if (st == WVM_OK) {
            printf("ret");
            for (uint32_t k = 0; k < t->nresults; k++) {
                printf(" ");
                print_val(res[k]);
            }
            printf("\n");
            free(res);
        } else {
            free(res);
            if (print_status(st)) goto out;
        }
        if (has_mem) print_mem(inst, ncalls);
        ncalls++;
    }
    for (uint32_t i = 0; i < nexports; i++) {
        const char *name;
        uint32_t name_len;
        wvm_extern x;
        if (export_of(module, inst, i, WVM_EXTERN_GLOBAL, &name, &name_len, &x) != 1) continue;
        printf("global %.*s ", (int)name_len, name);
        wvm_val gv;
        if (wvm_global_get(store, x, &gv) != WVM_OK) return 2; /* an export of this store */
        print_val(gv);
        printf("\n");
    }
    printf("end\n");

out:
    fflush(stdout);
    free(imports);
    wvm_store_free(store);
    wvm_module_free(module);
    wvm_engine_free(engine);
    free(wasm);
    return 0;
}
