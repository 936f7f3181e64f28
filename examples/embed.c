/*
 * embed.c -- wvm embedded in a C program, written from include/wvm.h
 * alone: loads a module, gives it a host function, calls its exports and
 * handles each kind of failure.
 *
 *   make && build/embed examples/embed.wasm
 * or by hand:
 *   cc examples/embed.c -Iinclude build/libwvm.a -lm -lpthread -o embed
 *
 * The guest is examples/embed.wat.  Exit status 0 when every step went
 * as expected, 1 otherwise.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"

/* env.print(ptr, len): prints len bytes of guest memory at ptr.  The
 * guest controls both numbers, so the copy is bounds-checked and a bad
 * range stops the guest with a trap instead of reading host memory. */
static wvm_status host_print(wvm_caller *c, void *user, const wvm_val *args,
                             wvm_val *results) {
    (void)results;
    const char *prefix = user;
    uint32_t ptr = (uint32_t)args[0].of.i32, len = (uint32_t)args[1].of.i32;
    char buf[256];
    if (len >= sizeof buf)
        return wvm_caller_trap(c, "print: %" PRIu32 " bytes is more than %zu", len,
                               sizeof buf - 1);
    if (wvm_caller_read(c, ptr, buf, len) != WVM_OK)
        return wvm_caller_trap(c, "print: bytes %" PRIu32 "..%" PRIu64 " are outside memory",
                               ptr, (uint64_t)ptr + len);
    buf[len] = 0;
    printf("%s%s\n", prefix, buf);
    return WVM_OK;
}

/* Prints a failed call: the code, which a program branches on, and the
 * first line of the store's message (the rest is a backtrace). */
static void print_failure(const char *what, wvm_store *s, wvm_status st) {
    const char *msg = wvm_store_errmsg(s);
    int line = (int)strcspn(msg, "\n");
    printf("%s: %s (%s): %.*s\n", what, wvm_status_is_trap(st) ? "trap" : "error",
           wvm_status_str(st), line, msg);
}

/* Reads a whole file into a malloc'd buffer; NULL after printing why. */
static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return NULL; }
    uint8_t *buf = NULL;
    size_t n = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc(size ? (size_t)size : 1)))
            n = fread(buf, 1, (size_t)size, f);
        if (buf && n != (size_t)size) { free(buf); buf = NULL; }
    }
    if (!buf) fprintf(stderr, "%s: cannot read\n", path);
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "examples/embed.wasm";
    int ok = 0;
    wvm_engine *engine = NULL;
    wvm_module *module = NULL;
    wvm_store *store = NULL;
    size_t len;
    uint8_t *wasm = read_file(path, &len);
    if (!wasm) return 1;

    /* The defaults are a contract's limits: small memory, 5 s per call. */
    wvm_status st = wvm_engine_new(NULL, &engine);
    if (st != WVM_OK) { printf("engine: %s\n", wvm_status_str(st)); goto out; }

    /* A module that fails to load says where. */
    static const uint8_t not_wasm[] = { 0, 'a', 's', 'x', 1, 0, 0, 0 };
    wvm_module *bad = NULL;
    st = wvm_module_new(engine, not_wasm, sizeof not_wasm, &bad);
    printf("loading 8 bad bytes: %s: %s\n", wvm_status_str(st), bad ? wvm_module_errmsg(bad) : "");
    wvm_module_free(bad);

    st = wvm_module_new(engine, wasm, len, &module);
    if (st != WVM_OK) {
        printf("%s: %s: %s\n", path, wvm_status_str(st), module ? wvm_module_errmsg(module) : "");
        goto out;
    }
    st = wvm_store_new(engine, &store);
    if (st != WVM_OK) { printf("store: %s\n", wvm_status_str(st)); goto out; }

    /* The host function, linked by name as env.print. */
    static const wvm_valtype print_params[] = { WVM_I32, WVM_I32 };
    const wvm_functype print_type = { 2, 0, print_params, NULL };
    wvm_func *print;
    st = wvm_func_new_host(store, &print_type, host_print, "guest says: ", &print);
    if (st == WVM_OK)
        st = wvm_store_define(store, "env", "print", (wvm_extern){ WVM_EXTERN_FUNC, print });
    if (st != WVM_OK) { print_failure("host function", store, st); goto out; }
    wvm_instance *inst;
    st = wvm_instance_link(store, module, &inst);
    if (st != WVM_OK) { print_failure("instantiate", store, st); goto out; }

    wvm_func *greet, *sum_to, *div, *bad_print;
    if (wvm_instance_func(inst, "greet", &greet) != WVM_OK ||
        wvm_instance_func(inst, "sum_to", &sum_to) != WVM_OK ||
        wvm_instance_func(inst, "div", &div) != WVM_OK ||
        wvm_instance_func(inst, "bad_print", &bad_print) != WVM_OK) {
        printf("%s: an export is missing\n", path);
        goto out;
    }

    /* A call that calls back into the host. */
    st = wvm_func_call(store, greet, NULL, 0, NULL, 0);
    if (st != WVM_OK) { print_failure("greet", store, st); goto out; }

    /* Arguments in, a result out, and the fuel it cost. */
    wvm_val arg = wvm_i32(1000), sum;
    st = wvm_func_call(store, sum_to, &arg, 1, &sum, 1);
    if (st != WVM_OK) { print_failure("sum_to", store, st); goto out; }
    printf("sum_to(1000) = %" PRId64 " (%" PRIu64 " fuel)\n", sum.of.i64,
           wvm_store_fuel_used(store));

    /* Failures a program must expect; the store stays usable after each. */
    wvm_val args[2] = { wvm_i32(7), wvm_i32(0) }, quot;
    wvm_status div_st = wvm_func_call(store, div, args, 2, &quot, 1);
    print_failure("div(7, 0)", store, div_st);

    wvm_status print_st = wvm_func_call(store, bad_print, NULL, 0, NULL, 0);
    print_failure("bad_print", store, print_st);

    wvm_store_set_fuel(store, 1000);
    wvm_status fuel_st = wvm_func_call(store, sum_to, &arg, 1, &sum, 1);
    print_failure("sum_to(1000) with 1000 fuel", store, fuel_st);
    wvm_store_set_fuel(store, UINT64_MAX);

    wvm_status type_st = wvm_func_call(store, sum_to, args, 2, &sum, 1);
    print_failure("sum_to with 2 arguments", store, type_st);

    args[1] = wvm_i32(2);
    st = wvm_func_call(store, div, args, 2, &quot, 1);
    if (st != WVM_OK) { print_failure("div(7, 2)", store, st); goto out; }
    printf("div(7, 2) = %" PRId32 "\n", quot.of.i32);

    ok = div_st == WVM_TRAP_DIV_ZERO && print_st == WVM_TRAP_HOST &&
         fuel_st == WVM_TRAP_OUT_OF_FUEL && type_st == WVM_ERR_TYPE;
out:
    wvm_store_free(store);
    wvm_module_free(module);
    wvm_engine_free(engine);
    free(wasm);
    return ok ? 0 : 1;
}
