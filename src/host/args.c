/*
 * args.c -- reading call_host_set's argument buffer: fields of a u32
 * little-endian length and that many bytes (abi.h).  The buffer is the
 * host's copy, so nothing here touches guest memory; every field is
 * checked against the end before it is read, and every failure names
 * the host function and the argument.
 */
#include <string.h>
#include "host.h"

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

wvm_status args_bytes(host_args *a, const char *what, const uint8_t **out, uint32_t *len) {
    size_t left = (size_t)(a->end - a->p);
    if (left < 4)
        return host_fail(a->caller, a->tx, WVM_KIND_EXECUTION_FAILED,
                         "call_host_set(%s): argument '%s' is missing", a->fn, what);
    uint32_t n = le32(a->p);
    if (n > left - 4)
        return host_fail(a->caller, a->tx, WVM_KIND_EXECUTION_FAILED,
                         "call_host_set(%s): argument '%s' says %u bytes but %zu remain", a->fn,
                         what, n, left - 4);
    *out = a->p + 4;
    *len = n;
    a->p += 4 + (size_t)n;
    return WVM_OK;
}

static wvm_status fixed(host_args *a, const char *what, void *out, uint32_t size) {
    const uint8_t *p;
    uint32_t n;
    wvm_status st = args_bytes(a, what, &p, &n);
    if (st) return st;
    if (n != size)
        return host_fail(a->caller, a->tx, WVM_KIND_EXECUTION_FAILED,
                         "call_host_set(%s): argument '%s' has %u bytes, expected %u", a->fn, what,
                         n, size);
    memcpy(out, p, size);
    return WVM_OK;
}

static wvm_status name(host_args *a, const char *what, const char **out, uint32_t *len, bool text) {
    const uint8_t *p;
    wvm_status st = args_bytes(a, what, &p, len);
    if (st) return st;
    if (*len == 0)
        return host_fail(a->caller, a->tx, WVM_KIND_EXECUTION_FAILED,
                         "call_host_set(%s): argument '%s' is empty", a->fn, what);
    if (*len > WVM_MAX_NAME_LEN)
        return host_fail(a->caller, a->tx, WVM_KIND_RESOURCE_EXHAUSTED,
                         "call_host_set(%s): argument '%s' is %u bytes, over the limit "
                         "WVM_MAX_NAME_LEN (%d)", a->fn, what, *len, WVM_MAX_NAME_LEN);
    if (text && memchr(p, 0, *len))
        return host_fail(a->caller, a->tx, WVM_KIND_EXECUTION_FAILED,
                         "call_host_set(%s): argument '%s' contains a NUL byte", a->fn, what);
    *out = (const char *)p;
    return WVM_OK;
}

wvm_status args_name(host_args *a, const char *what, const char **out, uint32_t *len) {
    return name(a, what, out, len, true);
}

wvm_status args_field_name(host_args *a, const char *what, const char **out, uint32_t *len) {
    return name(a, what, out, len, false);
}

wvm_status args_address(host_args *a, const char *what, wvm_address *out) {
    return fixed(a, what, out->b, WVM_ADDRESS_LEN);
}

wvm_status args_object(host_args *a, const char *what, wvm_object_id *out) {
    wvm_status st = fixed(a, what, out->b, WVM_OBJECT_ID_LEN);
    if (st) return st;
    static const uint8_t zero[WVM_OBJECT_ID_LEN];
    if (memcmp(out->b, zero, sizeof zero) == 0)
        *out = *host_default_object(a->tx, host_top(a->tx));
    return WVM_OK;
}

wvm_status args_u64(host_args *a, const char *what, uint64_t *out) {
    uint8_t b[8];
    wvm_status st = fixed(a, what, b, 8);
    if (st) return st;
    *out = 0;
    for (int i = 7; i >= 0; i--) *out = *out << 8 | b[i];
    return WVM_OK;
}

wvm_status args_u32(host_args *a, const char *what, uint32_t *out) {
    uint8_t b[4];
    wvm_status st = fixed(a, what, b, 4);
    if (st) return st;
    *out = le32(b);
    return WVM_OK;
}

wvm_status args_end(host_args *a) {
    if (a->p == a->end) return WVM_OK;
    return host_fail(a->caller, a->tx, WVM_KIND_EXECUTION_FAILED,
                     "call_host_set(%s): %zu bytes of arguments left over", a->fn,
                     (size_t)(a->end - a->p));
}
