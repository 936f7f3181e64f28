/*
 * field.c -- fields of objects, raw and typed.  get and set use the
 * direct imports (the hot path); delete and list go through
 * call_host_set.
 */
#include "sdk.h"

/* Most values fit: one host call.  A longer one costs a second. */
#define FIELD_FIRST_TRY 64

/* The bodies take the object ID by pointer: wasm passes a struct
 * argument as a pointer to a copy the caller makes, and the typed
 * functions below call a body without making a second one. */
static bool field_get(const uint8_t *id, const char *name, wvm_bytes *out) {
    uint32_t nl = mem_strlen(name);
    uint8_t *buf = arena_raw(FIELD_FIRST_TRY + 1);
    int32_t r = env_object_get_field(id, name, nl, buf, FIELD_FIRST_TRY);
    if (r < 0)
        return false;
    if (r > FIELD_FIRST_TRY) {
        buf = arena_raw((uint32_t)r + 1);
        r = env_object_get_field(id, name, nl, buf, (uint32_t)r);
        if (r < 0)
            return false;
    }
    buf[r] = 0;   /* so string values can be used as they are */
    out->ptr = buf;
    out->len = (uint32_t)r;
    return true;
}

static void field_set(const uint8_t *id, const char *name, const void *value, uint32_t len) {
    env_object_set_field(id, name, mem_strlen(name), value, len);
}

bool wvm_field_get(wvm_ctx *ctx, wvm_object_id id, const char *name, wvm_bytes *out) {
    (void)ctx;
    return field_get(id.b, name, out);
}

void wvm_field_set(wvm_ctx *ctx, wvm_object_id id, const char *name, const void *value,
                   uint32_t len) {
    (void)ctx;
    field_set(id.b, name, value, len);
}

bool wvm_field_delete(wvm_ctx *ctx, wvm_object_id id, const char *name) {
    (void)ctx;
    host_arg a[2] = {{id.b, sizeof id.b}, host_str(name)};
    return host_call(WVM_HOST_FIELD_DELETE, a, 2) >= 0;
}

/* u64 fields are little-endian, as wasm is: a value is its own bytes. */
bool wvm_field_get_u64(wvm_ctx *ctx, wvm_object_id id, const char *name, uint64_t *out) {
    (void)ctx;
    /* straight into v, no arena buffer: a value of any other length is
     * the wrong size whatever its bytes */
    uint64_t v;
    if (env_object_get_field(id.b, name, mem_strlen(name), &v, 8) != 8)
        return false;
    *out = v;
    return true;
}

void wvm_field_set_u64(wvm_ctx *ctx, wvm_object_id id, const char *name, uint64_t v) {
    (void)ctx;
    field_set(id.b, name, &v, 8);
}

bool wvm_field_get_str(wvm_ctx *ctx, wvm_object_id id, const char *name, const char **out) {
    wvm_bytes b;
    if (!wvm_field_get(ctx, id, name, &b) || memchr(b.ptr, 0, b.len))
        return false;
    *out = (const char *)b.ptr;
    return true;
}

void wvm_field_set_str(wvm_ctx *ctx, wvm_object_id id, const char *name, const char *v) {
    wvm_field_set(ctx, id, name, v, mem_strlen(v));
}

bool wvm_field_get_address(wvm_ctx *ctx, wvm_object_id id, const char *name, wvm_address *out) {
    wvm_bytes b;
    if (!wvm_field_get(ctx, id, name, &b) || b.len != WVM_ADDRESS_LEN)
        return false;
    memcpy(out->b, b.ptr, WVM_ADDRESS_LEN);
    return true;
}

void wvm_field_set_address(wvm_ctx *ctx, wvm_object_id id, const char *name, wvm_address v) {
    wvm_field_set(ctx, id, name, v.b, WVM_ADDRESS_LEN);
}

uint32_t wvm_field_list(wvm_ctx *ctx, wvm_object_id id, const char *after, uint32_t limit,
                        const char ***names) {
    (void)ctx;
    *names = NULL;
    uint8_t lim[4];
    host_u32le(lim, limit);
    host_arg a[3] = {{id.b, sizeof id.b}, host_str(after), {lim, 4}};
    int32_t r = host_call(WVM_HOST_FIELD_LIST, a, 3);
    if (r <= 0)
        return 0;
    char *buf = host_result(r);
    /* count first, so the array is allocated once; a malformed tail
     * (which the host never sends) is ignored */
    uint32_t n = 0, at = 0;
    while (n < limit && (uint32_t)r - at >= 4) {
        uint32_t len = host_get_u32le(buf + at);
        if (len > (uint32_t)r - at - 4)
            break;
        at += 4 + len;
        n++;
    }
    const char **out = arena_alloc(n * sizeof *out + 1);
    at = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len = host_get_u32le(buf + at);
        out[i] = arena_strndup(buf + at + 4, len);
        at += 4 + len;
    }
    *names = out;
    return n;
}
