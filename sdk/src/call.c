/*
 * call.c -- cross-contract calls (docs/calls.md): the callee runs in its
 * own instance with this contract as its sender; its failure comes back
 * as a value, and the caller decides whether to go on.
 */
#include "sdk.h"

/* Room for a failed callee's (kind, message); a longer message is cut. */
#define CALL_FAIL_BUF (8 + 2 * WVM_MAX_LOG_LEN)

bool wvm_call(wvm_ctx *ctx, wvm_address target, const char *function, const char *params_json,
              wvm_call_result *out) {
    memset(out, 0, sizeof *out);
    /* the per-call fuel cap: 0 (none) is the only value ABI version 1
     * accepts */
    static const uint8_t cap[8] = {0};
    host_arg a[4] = {{target.b, sizeof target.b}, host_str(function),
                     host_str(params_json ? params_json : "{}"), {cap, 8}};
    int32_t r = host_call(WVM_HOST_CALL, a, 4);
    if (r >= 0) {
        out->ok = true;
        out->result = host_result(r);
        out->result_len = (uint32_t)r;
        const char *err;
        out->value = r ? wvm_json_parse(ctx, out->result, (uint32_t)r, &err) : NULL;
        out->message = "";
        return true;
    }
    out->result = "";
    out->message = "the call failed";
    out->error_kind = 0;
    if (r != WVM_ABI_CALL_FAILED)
        return false;
    char *buf = arena_raw(CALL_FAIL_BUF + 1);
    int32_t got = env_call_host_get_buffer(buf, CALL_FAIL_BUF);
    if (got < 8 || host_get_u32le(buf) != 4)
        return false;
    out->error_kind = host_get_u32le(buf + 4);
    if (got >= 12) {
        uint32_t ml = host_get_u32le(buf + 8);
        if (ml > (uint32_t)got - 12)
            ml = (uint32_t)got - 12;   /* cut by CALL_FAIL_BUF */
        out->message = arena_strndup(buf + 12, ml);
    }
    return false;
}
