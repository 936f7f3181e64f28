/*
 * ret.c -- a function's return value as the call's JSON result (the
 * dispatch calls these; a void function's result is null).
 */
#include "sdk.h"

static void ret_text(wvm_ctx *ctx, const char *s, uint32_t n) {
    wvm_result_json(ctx, s, n);
}

/* Integers without the writer: the common case stays small. */
static void ret_int(wvm_ctx *ctx, bool neg, uint64_t v) {
    char tmp[21], *p = tmp + sizeof tmp;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        *--p = '-';
    ret_text(ctx, p, (uint32_t)(tmp + sizeof tmp - p));
}

void wvm_return_i32(wvm_ctx *ctx, int32_t v) { wvm_return_i64(ctx, v); }
void wvm_return_u32(wvm_ctx *ctx, uint32_t v) { ret_int(ctx, false, v); }
void wvm_return_i64(wvm_ctx *ctx, int64_t v) {
    ret_int(ctx, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}
void wvm_return_u64(wvm_ctx *ctx, uint64_t v) { ret_int(ctx, false, v); }

void wvm_return_bool(wvm_ctx *ctx, bool v) {
    ret_text(ctx, v ? "true" : "false", v ? 4 : 5);
}

void wvm_return_str(wvm_ctx *ctx, const char *v) {
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_str(&w, v ? v : "");
    wvm_return_json(ctx, &w);
}

void wvm_return_bytes(wvm_ctx *ctx, wvm_bytes v) {
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_bytes(&w, v);
    wvm_return_json(ctx, &w);
}

void wvm_return_address(wvm_ctx *ctx, wvm_address v) {
    char s[2 + 2 * WVM_ADDRESS_LEN + 3];
    s[0] = '"';
    hex_encode(s + 1, v.b, WVM_ADDRESS_LEN);
    s[sizeof s - 2] = '"';
    ret_text(ctx, s, sizeof s - 1);
}

void wvm_return_object_id(wvm_ctx *ctx, wvm_object_id v) {
    char s[2 + 2 * WVM_OBJECT_ID_LEN + 3];
    s[0] = '"';
    hex_encode(s + 1, v.b, WVM_OBJECT_ID_LEN);
    s[sizeof s - 2] = '"';
    ret_text(ctx, s, sizeof s - 1);
}
