/*
 * harness.c -- runs one call of a contract built by `wvm build` on our
 * runtime, with just enough of the host ABI (module "env") to see what
 * the generated dispatch does: results, errors, trace records and logs.
 * Every other host function traps, naming itself.
 *
 *   toolchain-harness FILE.wasm FUNCTION [JSON]
 *
 * prints, one per line: "enter NAME", "exit NAME STATUS", "log MSG", and
 * last "ok RESULT" or "error KIND MESSAGE" (KIND: contract_error,
 * invalid_parameters, function_not_found) or "trap MESSAGE".  Exit
 * status 0 when the call succeeded, 1 when it failed or trapped, 2 when
 * the module could not be run at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"
#include "wvm/abi.h"

typedef struct host {
    uint8_t buffer[WVM_MAX_RESULT_LEN + 64];   /* the host buffer of abi.h */
    uint32_t buffer_len;
    char result[WVM_MAX_RESULT_LEN + 1];
    bool has_result;
    char error[WVM_MAX_RESULT_LEN + 1];
    int error_kind;                            /* -1: none */
    const char *function;
} host;

/* Field i of an argument buffer (u32 length + bytes each). */
static bool field(const uint8_t *a, uint32_t len, uint32_t i, const uint8_t **p, uint32_t *n) {
    uint32_t off = 0;
    for (uint32_t k = 0;; k++) {
        if (len - off < 4) return false;
        uint32_t l = (uint32_t)a[off] | (uint32_t)a[off + 1] << 8 |
                     (uint32_t)a[off + 2] << 16 | (uint32_t)a[off + 3] << 24;
        off += 4;
        if (l > len - off) return false;
        if (k == i) {
            *p = a + off;
            *n = l;
            return true;
        }
        off += l;
    }
}

static wvm_status call_host_set(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    host *h = user;
    int32_t fn = args[0].of.i32;
    uint32_t len = (uint32_t)args[2].of.i32;
    const uint8_t *a = wvm_caller_memory(c, (uint32_t)args[1].of.i32, len);
    if (!a) return wvm_caller_trap(c, "call_host_set: argument buffer out of bounds");
    const uint8_t *p, *q;
    uint32_t n, m;
    h->buffer_len = 0;
    switch (fn) {
    case WVM_HOST_SET_RESULT:
        if (!field(a, len, 0, &p, &n)) return wvm_caller_trap(c, "set_result: bad fields");
        snprintf(h->result, sizeof h->result, "%.*s", (int)n, (const char *)p);
        h->has_result = true;
        break;
    case WVM_HOST_SET_ERROR:
        if (!field(a, len, 0, &p, &n) || n != 4 || !field(a, len, 1, &q, &m))
            return wvm_caller_trap(c, "set_error: bad fields");
        h->error_kind = p[0];
        snprintf(h->error, sizeof h->error, "%.*s", (int)m, (const char *)q);
        break;
    case WVM_HOST_TRACE_ENTER:
        if (!field(a, len, 0, &p, &n)) return wvm_caller_trap(c, "trace_enter: bad fields");
        printf("enter %.*s\n", (int)n, (const char *)p);
        break;
    case WVM_HOST_TRACE_EXIT:
        if (!field(a, len, 0, &p, &n) || !field(a, len, 1, &q, &m) || m != 4)
            return wvm_caller_trap(c, "trace_exit: bad fields");
        printf("exit %.*s %u\n", (int)n, (const char *)p, (unsigned)q[0]);
        break;
    case WVM_HOST_LOG:
        if (!field(a, len, 0, &p, &n)) return wvm_caller_trap(c, "log: bad fields");
        printf("log %.*s\n", (int)n, (const char *)p);
        break;
    case WVM_HOST_FUNCTION:
        n = (uint32_t)strlen(h->function);
        memcpy(h->buffer, h->function, n);
        h->buffer_len = n;
        break;
    default:
        return wvm_caller_trap(c, "host function %d is not provided by the test harness", fn);
    }
    res[0] = wvm_i32((int32_t)h->buffer_len);
    return WVM_OK;
}

static wvm_status get_buffer(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    host *h = user;
    uint32_t len = (uint32_t)args[1].of.i32;
    if (len > h->buffer_len) len = h->buffer_len;
    if (wvm_caller_write(c, (uint32_t)args[0].of.i32, h->buffer, len) != WVM_OK)
        return wvm_caller_trap(c, "call_host_get_buffer: out of bounds");
    res[0] = wvm_i32((int32_t)len);
    return WVM_OK;
}

static wvm_status absent(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    (void)args;
    (void)res;
    return wvm_caller_trap(c, "%s is not provided by the test harness", (const char *)user);
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            uint8_t *g = realloc(buf, cap = cap ? cap * 2 : 65536);
            if (!g) { free(buf); fclose(f); return NULL; }
            buf = g;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got);
    fclose(f);
    *len = n;
    return buf;
}

static const char *const kinds[] = {"contract_error", "invalid_parameters", "function_not_found"};

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: toolchain-harness FILE.wasm FUNCTION [JSON]\n");
        return 2;
    }
    const char *fname = argv[2], *json = argc > 3 ? argv[3] : "";
    size_t len;
    uint8_t *wasm = read_file(argv[1], &len);
    if (!wasm) {
        fprintf(stderr, "harness: cannot read %s\n", argv[1]);
        return 2;
    }
    static host h;
    h.error_kind = -1;
    h.function = fname;
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    wvm_store *s = NULL;
    int rc = 2;
    if (wvm_engine_new(NULL, &e) != WVM_OK) goto done;
    if (wvm_module_new(e, wasm, len, &m) != WVM_OK) {
        fprintf(stderr, "harness: %s\n", m ? wvm_module_errmsg(m) : "cannot load");
        goto done;
    }
    if (wvm_store_new(e, &s) != WVM_OK) goto done;
    static const wvm_valtype i3[] = {WVM_I32, WVM_I32, WVM_I32}, i1[] = {WVM_I32},
                             i5[] = {WVM_I32, WVM_I32, WVM_I32, WVM_I32, WVM_I32},
                             i64[] = {WVM_I64};
    struct { const char *name; wvm_functype t; wvm_host_fn fn; } env[] = {
        {WVM_IMPORT_CALL_HOST_SET, {3, 1, i3, i1}, call_host_set},
        {WVM_IMPORT_GET_BUFFER, {2, 1, i3, i1}, get_buffer},
        {WVM_IMPORT_BLOCK_HEIGHT, {0, 1, NULL, i64}, absent},
        {WVM_IMPORT_BLOCK_TIME, {0, 1, NULL, i64}, absent},
        {WVM_IMPORT_BALANCE, {1, 1, i1, i64}, absent},
        {WVM_IMPORT_FIELD_GET, {5, 1, i5, i1}, absent},
        {WVM_IMPORT_FIELD_SET, {5, 1, i5, i1}, absent},
    };
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++) {
        wvm_func *f;
        void *user = env[i].fn == absent ? (void *)env[i].name : (void *)&h;
        if (wvm_func_new_host(s, &env[i].t, env[i].fn, user, &f) != WVM_OK) goto done;
        wvm_extern x = {WVM_EXTERN_FUNC, f};
        wvm_store_define(s, "env", env[i].name, x);
    }
    wvm_instance *inst;
    if (wvm_instance_link(s, m, &inst) != WVM_OK) {
        fprintf(stderr, "harness: %s\n", wvm_store_errmsg(s));
        goto done;
    }
    wvm_func *init, *alloc, *handle;
    if (wvm_instance_func(inst, "_initialize", &init) == WVM_OK &&
        wvm_func_call(s, init, NULL, 0, NULL, 0) != WVM_OK) {
        printf("trap %s\n", wvm_store_errmsg(s));
        rc = 1;
        goto done;
    }
    if (wvm_instance_func(inst, "allocate", &alloc) != WVM_OK ||
        wvm_instance_func(inst, "handle_contract_call", &handle) != WVM_OK) {
        fprintf(stderr, "harness: allocate or handle_contract_call missing\n");
        goto done;
    }
    uint32_t nl = (uint32_t)strlen(fname), pl = (uint32_t)strlen(json);
    wvm_val arg = wvm_i32((int32_t)(nl + pl)), ptr;
    wvm_status st = wvm_func_call(s, alloc, &arg, 1, &ptr, 1);
    if (st != WVM_OK || wvm_instance_memory_write(inst, (uint32_t)ptr.of.i32, fname, nl) != WVM_OK ||
        wvm_instance_memory_write(inst, (uint32_t)ptr.of.i32 + nl, json, pl) != WVM_OK) {
        printf("trap allocate: %s\n", wvm_store_errmsg(s));
        rc = 1;
        goto done;
    }
    wvm_val args[4] = {ptr, wvm_i32((int32_t)nl), wvm_i32(ptr.of.i32 + (int32_t)nl),
                       wvm_i32((int32_t)pl)}, r;
    st = wvm_func_call(s, handle, args, 4, &r, 1);
    if (st != WVM_OK) {
        printf("trap %s\n", wvm_store_errmsg(s));
        rc = 1;
    } else if (r.of.i32 == 0 && h.error_kind < 0) {
        printf("ok %s\n", h.has_result ? h.result : "null");
        rc = 0;
    } else {
        const char *k = h.error_kind >= 0 && h.error_kind < 3 ? kinds[h.error_kind] : "unknown";
        printf("error %s %s\n", k, h.error);
        rc = 1;
    }
done:
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
    free(wasm);
    return rc;
}
