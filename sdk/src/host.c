/*
 * host.c -- the call_host_set argument encoding of abi.h: each field a
 * little-endian u32 length and its bytes (host_call, inline in sdk.h),
 * and the host buffer's results.
 */
#include "sdk.h"

char *host_result(int32_t len) {
    if (len < 0)
        len = 0;
    char *out = arena_raw((uint32_t)len + 1);
    out[len] = 0;
    if (len > 0)
        env_call_host_get_buffer(out, (uint32_t)len);
    return out;
}

bool host_call_fixed(int32_t fn, const host_arg *args, uint32_t n, void *out, uint32_t size) {
    int32_t r = host_call(fn, args, n);
    if (r != (int32_t)size)
        return false;
    return env_call_host_get_buffer(out, size) == (int32_t)size;
}

int32_t host_fields(const char *buf, uint32_t len, host_arg *out, uint32_t max) {
    uint32_t i = 0, at = 0;
    while (at < len) {
        if (i == max || len - at < 4)
            return -1;
        uint32_t n = host_get_u32le(buf + at);
        at += 4;
        if (n > len - at)
            return -1;
        out[i].ptr = buf + at;
        out[i].len = n;
        at += n;
        i++;
    }
    return (int32_t)i;
}
