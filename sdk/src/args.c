/*
 * args.c -- typed parameters from the call's JSON object.  Every failure
 * is invalid_parameters with a message naming the parameter and what was
 * expected; the first failure wins and later reads return zero values.
 */
#include "sdk.h"

#define T_I32 "a 32-bit signed integer (-2147483648 to 2147483647)"
#define T_U32 "a 32-bit unsigned integer (0 to 4294967295)"
#define T_I64 "a 64-bit signed integer (-9223372036854775808 to 9223372036854775807)"
#define T_U64 "a 64-bit unsigned integer (0 to 18446744073709551615)"
#define T_BOOL "true or false"
#define T_STR "a string"
#define T_BYTES "bytes (\"0x\" + an even number of hex digits)"
#define T_ADDR "an address (\"0x\" + 40 hex digits)"
#define T_ID "an object ID (\"0x\" + 64 hex digits)"

const char *json_describe(const wvm_json *v) {
    switch (v->type) {
    case WVM_JSON_NULL: return "null";
    case WVM_JSON_BOOL: return "a boolean";
    case WVM_JSON_INT: return "an integer";
    case WVM_JSON_FLOAT:
        return v->big ? "an integer beyond 64 bits" : "a number with a fraction or exponent";
    case WVM_JSON_STRING: return "a string";
    case WVM_JSON_ARRAY: return "an array";
    case WVM_JSON_OBJECT: return "an object";
    }
    return "a value";
}

const wvm_json *wvm_args_json(wvm_args *a) {
    return a->obj;
}

/* The failures are out of line: their variadic calls would give every
 * parameter read a stack frame. */
static __attribute__((noinline)) void args_missing(wvm_args *a, const char *name,
                                                   const char *what) {
    wvm_error_params(a->ctx, "missing parameter \"%s\" (expected %s)", name, what);
}

/* The value of parameter name, marked as read; NULL (after failing the
 * call) when it is missing, or when the call has failed already. */
static const wvm_json *args_find(wvm_args *a, const char *name, const char *what) {
    if (a->nasked < ARGS_MAX_NAMES)
        a->asked[a->nasked++] = name;
    if (a->ctx->failed)
        return NULL;
    uint32_t kl = mem_strlen(name);
    for (uint32_t i = 0; i < a->obj->n; i++)
        if (a->obj->u.m[i].key_len == kl && mem_eq(a->obj->u.m[i].key, name, kl)) {
            a->used[i] = true;
            return &a->obj->u.m[i].v;
        }
    args_missing(a, name, what);
    return NULL;
}

static __attribute__((noinline)) void args_wrong(wvm_args *a, const char *name,
                                                 const char *what, const wvm_json *v) {
    if (v->type == WVM_JSON_STRING)
        wvm_error_params(a->ctx, "parameter \"%s\": expected %s, got the string \"%.*s\"%s",
                         name, what, 64, v->u.s, v->n > 64 ? "..." : "");
    else
        wvm_error_params(a->ctx, "parameter \"%s\": expected %s, got %s", name, what,
                         json_describe(v));
}

/* args_int's range failures: a FLOAT or STRING beyond 64 bits (r is
 * JSON_INT_RANGE), or a value past the type's range. */
static __attribute__((noinline)) void args_range(wvm_args *a, const char *name,
                                                 const char *what, const wvm_json *v, int r,
                                                 bool neg, uint64_t mag) {
    if (r == JSON_INT_RANGE)   /* v->u.s: the FLOAT's text or the STRING's digits */
        wvm_error_params(a->ctx, "parameter \"%s\": expected %s, got %.*s (out of range)",
                         name, what, (int)v->n, v->u.s);
    else
        wvm_error_params(a->ctx, "parameter \"%s\": expected %s, got %s%llu (out of range)",
                         name, what, neg ? "-" : "", (unsigned long long)mag);
}

/* An integer parameter within [-(neg_max), pos_max].  Inline in each
 * typed reader, so *neg and *mag are locals there, not stack slots. */
static inline __attribute__((always_inline)) bool args_int(wvm_args *a, const char *name,
                                                           const char *what, uint64_t neg_max,
                                                           uint64_t pos_max, bool *neg,
                                                           uint64_t *mag) {
    const wvm_json *v = args_find(a, name, what);
    if (!v)
        return false;
    *neg = false;   /* set: args_range reads them whatever json_integer says */
    *mag = 0;
    int r = json_integer(v, neg, mag);
    if (r == JSON_INT_NOT) {
        args_wrong(a, name, what, v);
        return false;
    }
    if (r == JSON_INT_RANGE || (*neg ? *mag > neg_max : *mag > pos_max)) {
        args_range(a, name, what, v, r, *neg, *mag);
        return false;
    }
    return true;
}

int32_t wvm_arg_i32(wvm_args *a, const char *name) {
    bool neg;
    uint64_t m;
    if (!args_int(a, name, T_I32, 1ull << 31, INT32_MAX, &neg, &m))
        return 0;
    return neg ? (int32_t)(0 - (uint32_t)m) : (int32_t)m;
}

uint32_t wvm_arg_u32(wvm_args *a, const char *name) {
    bool neg;
    uint64_t m;
    return args_int(a, name, T_U32, 0, UINT32_MAX, &neg, &m) ? (uint32_t)m : 0;
}

int64_t wvm_arg_i64(wvm_args *a, const char *name) {
    bool neg;
    uint64_t m;
    if (!args_int(a, name, T_I64, 1ull << 63, INT64_MAX, &neg, &m))
        return 0;
    return neg ? (int64_t)(0 - m) : (int64_t)m;
}

uint64_t wvm_arg_u64(wvm_args *a, const char *name) {
    bool neg;
    uint64_t m;
    return args_int(a, name, T_U64, 0, UINT64_MAX, &neg, &m) ? m : 0;
}

bool wvm_arg_bool(wvm_args *a, const char *name) {
    const wvm_json *v = args_find(a, name, T_BOOL);
    if (!v)
        return false;
    if (v->type != WVM_JSON_BOOL) {
        args_wrong(a, name, T_BOOL, v);
        return false;
    }
    return v->u.b;
}

const char *wvm_arg_str(wvm_args *a, const char *name) {
    const wvm_json *v = args_find(a, name, T_STR);
    if (!v)
        return "";
    if (v->type != WVM_JSON_STRING) {
        args_wrong(a, name, T_STR, v);
        return "";
    }
    if (memchr(v->u.s, 0, v->n)) {
        wvm_error_params(a->ctx, "parameter \"%s\": expected %s without NUL characters, "
                         "got one with \\u0000", name, T_STR);
        return "";
    }
    return v->u.s;
}

/* A "0x..." string parameter decoded into out[0..n); n = 0: any even
 * length, decoded into the arena (*var). */
static bool args_hex(wvm_args *a, const char *name, const char *what, uint8_t *out,
                     uint32_t n, wvm_bytes *var) {
    const wvm_json *v = args_find(a, name, what);
    if (!v)
        return false;
    if (v->type == WVM_JSON_STRING) {
        if (var && v->n >= 2 && v->n % 2 == 0) {
            uint32_t len = (v->n - 2) / 2;
            uint8_t *buf = arena_alloc(len + 1);
            if (hex_decode(v->u.s, v->n, buf, len)) {
                var->ptr = buf;
                var->len = len;
                return true;
            }
        } else if (!var && hex_decode(v->u.s, v->n, out, n))
            return true;
    }
    args_wrong(a, name, what, v);
    return false;
}

wvm_bytes wvm_arg_bytes(wvm_args *a, const char *name) {
    wvm_bytes b = {(const uint8_t *)"", 0};
    args_hex(a, name, T_BYTES, NULL, 0, &b);
    return b;
}

wvm_address wvm_arg_address(wvm_args *a, const char *name) {
    wvm_address r = {{0}};
    if (!args_hex(a, name, T_ADDR, r.b, sizeof r.b, NULL))
        memset(r.b, 0, sizeof r.b);
    return r;
}

wvm_object_id wvm_arg_object_id(wvm_args *a, const char *name) {
    wvm_object_id r = {{0}};
    if (!args_hex(a, name, T_ID, r.b, sizeof r.b, NULL))
        memset(r.b, 0, sizeof r.b);
    return r;
}

/* wvm_args_done's failure: key i was not read.  Out of line: its list
 * buffer would give every call's wvm_args_done a stack frame. */
static __attribute__((noinline)) void args_unexpected(wvm_args *a, uint32_t i) {
    if (a->nasked == 0) {
        wvm_error_params(a->ctx, "unexpected parameter \"%s\" (the function takes none)",
                         a->obj->u.m[i].key);
        return;
    }
    /* the list of what it takes: names joined with ", " */
    char list[512];
    uint32_t at = 0;
    for (uint32_t k = 0; k < a->nasked; k++) {
        const char *s = a->asked[k];
        if (k && at + 2 < sizeof list)
            list[at++] = ',', list[at++] = ' ';
        while (*s && at + 1 < sizeof list)
            list[at++] = *s++;
    }
    list[at] = 0;
    wvm_error_params(a->ctx, "unexpected parameter \"%s\" (the function takes: %s)",
                     a->obj->u.m[i].key, list);
}

void wvm_args_done(wvm_args *a) {
    if (a->ctx->failed)
        return;
    for (uint32_t i = 0; i < a->obj->n; i++)
        if (!a->used[i]) {
            args_unexpected(a, i);
            return;
        }
}
