/*
 * client.c -- what the client stubs of `wvm build --client` use
 * (docs/calls.md): decoding a callee's result into the C type its ABI
 * declares.  Values travel as the JSON forms of contract.h (64-bit
 * integers exact, as numbers or decimal strings); the type travels in
 * the ABI both sides were generated from.  A result that is not of the
 * declared type turns the call into a failure (error kind
 * execution_failed, naming the function and what came back), so a
 * mismatched ABI never passes a wrong value on.
 */
#include <stdarg.h>
#include "sdk.h"

#define KIND_EXECUTION_FAILED 4   /* wvm_error_kind of include/wvm_chain.h */

static char *msgf(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    uint32_t len;
    char *m = fmt_arena(512, &len, f, ap);
    va_end(ap);
    return m ? m : "a result of the wrong type";
}

static bool bad(wvm_call_result *r, const char *what, const char *expected) {
    r->message = msgf("%s returned %s, its ABI says %s",
                      what, r->value ? json_describe(r->value) : "no value", expected);
    r->ok = false;
    r->error_kind = KIND_EXECUTION_FAILED;
    return false;
}

/* The integer result within [lo, hi] (as sign and magnitude). */
static bool integer(wvm_call_result *r, const char *what, const char *type, bool is_signed,
                    uint64_t max_pos, uint64_t max_neg, bool *neg, uint64_t *mag) {
    if (!r->value || json_integer(r->value, neg, mag) != JSON_INT_OK || (*neg && !is_signed) ||
        (*neg ? *mag > max_neg : *mag > max_pos))
        return bad(r, what, type);
    return true;
}

bool wvm_client_u64(wvm_call_result *r, const char *what, uint64_t *out) {
    bool neg;
    uint64_t m;
    if (!integer(r, what, "uint64", false, UINT64_MAX, 0, &neg, &m)) return false;
    *out = m;
    return true;
}

bool wvm_client_u32(wvm_call_result *r, const char *what, uint32_t *out) {
    bool neg;
    uint64_t m;
    if (!integer(r, what, "uint32", false, UINT32_MAX, 0, &neg, &m)) return false;
    *out = (uint32_t)m;
    return true;
}

bool wvm_client_i64(wvm_call_result *r, const char *what, int64_t *out) {
    bool neg;
    uint64_t m;
    if (!integer(r, what, "int64", true, (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1, &neg, &m))
        return false;
    *out = neg ? (int64_t)(0 - m) : (int64_t)m;
    return true;
}

bool wvm_client_i32(wvm_call_result *r, const char *what, int32_t *out) {
    bool neg;
    uint64_t m;
    if (!integer(r, what, "int32", true, (uint64_t)INT32_MAX, (uint64_t)INT32_MAX + 1, &neg, &m))
        return false;
    *out = neg ? (int32_t)(0 - (uint32_t)m) : (int32_t)m;
    return true;
}

bool wvm_client_bool(wvm_call_result *r, const char *what, bool *out) {
    if (!r->value || !wvm_json_bool(r->value, out)) return bad(r, what, "bool");
    return true;
}

bool wvm_client_str(wvm_call_result *r, const char *what, const char **out) {
    const char *s = r->value ? wvm_json_str(r->value, NULL) : NULL;
    if (!s) return bad(r, what, "string");
    *out = s;
    return true;
}

static bool hex_value(wvm_call_result *r, const char *what, const char *type, uint8_t *out,
                      uint32_t n) {
    uint32_t len;
    const char *s = r->value ? wvm_json_str(r->value, &len) : NULL;
    if (!s || !hex_decode(s, len, out, n)) return bad(r, what, type);
    return true;
}

bool wvm_client_address(wvm_call_result *r, const char *what, wvm_address *out) {
    return hex_value(r, what, "address", out->b, sizeof out->b);
}

bool wvm_client_object_id(wvm_call_result *r, const char *what, wvm_object_id *out) {
    return hex_value(r, what, "object_id", out->b, sizeof out->b);
}

bool wvm_client_bytes(wvm_call_result *r, const char *what, wvm_bytes *out) {
    uint32_t len;
    const char *s = r->value ? wvm_json_str(r->value, &len) : NULL;
    if (!s || len < 2 || (len & 1) || len / 2 - 1 > WVM_MAX_RESULT_LEN) return bad(r, what, "bytes");
    uint32_t n = len / 2 - 1;
    uint8_t *b = arena_alloc(n ? n : 1);
    if (!b || !hex_decode(s, len, b, n)) return bad(r, what, "bytes");
    out->ptr = b;
    out->len = n;
    return true;
}
