/*
 * dispatch.c -- handle_contract_call's body: find the function, record
 * trace enter, parse the parameters, run, record trace exit, end the
 * call's arena.
 */
#include "sdk.h"

/* The ABI version this SDK speaks, as the custom section deploy reads
 * (abi.h).  Inline assembly because clang 14 has no attribute that
 * makes a custom section; it is in this file because every contract
 * links wvm_dispatch. */
#define DISPATCH_STR(x) #x
#define DISPATCH_XSTR(x) DISPATCH_STR(x)
__asm__(".section .custom_section." WVM_ABI_VERSION_SECTION ",\"\",@\n"
        ".ascii \"" DISPATCH_XSTR(WVM_ABI_VERSION) "\"\n"
        ".text\n");

static wvm_ctx dispatch_ctx;

/* name (NUL-terminated) is s[0..n): a table entry whose first byte
 * differs costs one compare (this runs on every call); one that starts
 * alike is measured and compared a word at a time. */
static bool dispatch_name_is(const char *name, const char *s, uint32_t n) {
    if (n == 0)
        return name[0] == 0;
    return name[0] == s[0] && mem_strlen(name) == n && mem_eq(name, s, n);
}

static void dispatch_not_found(wvm_ctx *ctx, const wvm_export *table, uint32_t n,
                               const char *name) {
    char list[1024];
    uint32_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        const char *s = table[i].name;
        if (i && at + 2 < sizeof list)
            list[at++] = ',', list[at++] = ' ';
        while (*s && at + 1 < sizeof list)
            list[at++] = *s++;
    }
    list[at] = 0;
    result_failf(ctx, WVM_CONTRACT_FUNCTION_NOT_FOUND,
                 "function \"%.*s\" not found; the contract exports: %s", WVM_MAX_NAME_LEN,
                 name, n ? list : "(nothing)");
}

/* Trace enter and exit (abi.h): the name, and for exit the status as a
 * u32 (little-endian, as wasm).  Two functions, so host_call's field
 * count is a constant and its loops unroll. */
static void dispatch_trace_enter(const char *name, uint32_t nl) {
    host_arg a = {name, nl};
    host_call(WVM_HOST_TRACE_ENTER, &a, 1);
}

static void dispatch_trace_exit(const char *name, uint32_t nl, bool failed) {
    uint32_t st = failed ? 1 : 0;
    host_arg a[2] = {{name, nl}, {&st, 4}};
    host_call(WVM_HOST_TRACE_EXIT, a, 2);
}

/* Parses the parameters into a->obj; an empty text is {}. */
static void dispatch_params(wvm_ctx *ctx, wvm_args *a, const char *text, uint32_t len) {
    static const wvm_json empty = {.type = WVM_JSON_OBJECT};
    a->ctx = ctx;
    a->obj = &empty;
    if (len == 0)
        return;
    const char *err;
    const wvm_json *v = wvm_json_parse(ctx, text, len, &err);
    if (!v) {
        wvm_error_params(ctx, "parameters are not valid JSON: %s", err);
        return;
    }
    if (v->type != WVM_JSON_OBJECT) {
        wvm_error_params(ctx, "parameters must be a JSON object, got %s", json_describe(v));
        return;
    }
    a->obj = v;
    a->used = arena_alloc(v->n + 1);
}

int32_t wvm_dispatch(const wvm_export *table, uint32_t n, uint32_t name_ptr, uint32_t name_len,
                     uint32_t params_ptr, uint32_t params_len) {
    wvm_ctx *ctx = &dispatch_ctx;
    memset(ctx, 0, sizeof *ctx);
    const char *name = (const char *)(uintptr_t)name_ptr;

    const wvm_export *fn = NULL;
    for (uint32_t i = 0; i < n && !fn; i++)
        if (dispatch_name_is(table[i].name, name, name_len))
            fn = &table[i];
    if (!fn) {
        dispatch_not_found(ctx, table, n, arena_strndup(name, name_len));
    } else {
        dispatch_trace_enter(name, name_len);
        wvm_args args;
        memset(&args, 0, sizeof args);
        dispatch_params(ctx, &args, (const char *)(uintptr_t)params_ptr, params_len);
        /* a handler that sets no result returns null: the host's default
         * (abi.md), so no host call sets it */
        if (!ctx->failed)
            fn->fn(ctx, &args);
        dispatch_trace_exit(name, name_len, ctx->failed);
    }
    int32_t rc = ctx->failed ? 1 : 0;
    arena_reset();
    return rc;
}
