/*
 * probe.c -- the test contract of tests/chain/test_calls.c, built with
 * `wvm build` (so its policies reach the ABI).  One code, deployed under
 * several salts: contracts A, B, C that call each other.
 */
#include <wvm/contract.h>

/* What this frame sees: {"sender","caller","caller_function","depth",
 * "origin","reentrant","frames":[{"contract","function"}, ...]} */
void Info(wvm_ctx *ctx) {
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "sender");
    wvm_jw_address(&w, wvm_sender(ctx));
    wvm_address a;
    wvm_jw_key(&w, "caller");
    if (wvm_caller(ctx, &a)) wvm_jw_address(&w, a);
    else wvm_jw_null(&w);
    const char *cf = wvm_caller_function(ctx);
    wvm_jw_key(&w, "caller_function");
    if (cf) wvm_jw_str(&w, cf);
    else wvm_jw_null(&w);
    uint32_t depth = wvm_call_depth(ctx);
    wvm_jw_key(&w, "depth");
    wvm_jw_u64(&w, depth);
    wvm_jw_key(&w, "origin");
    wvm_jw_address(&w, wvm_origin(ctx));
    wvm_jw_key(&w, "reentrant");
    wvm_jw_bool(&w, wvm_is_reentrant(ctx));
    wvm_jw_key(&w, "frames");
    wvm_jw_array_begin(&w);
    for (uint32_t i = 0; i < depth; i++) {
        const char *fn;
        if (!wvm_call_frame(ctx, i, &a, &fn)) break;
        wvm_jw_object_begin(&w);
        wvm_jw_key(&w, "contract");
        wvm_jw_address(&w, a);
        wvm_jw_key(&w, "function");
        wvm_jw_str(&w, fn);
        wvm_jw_object_end(&w);
    }
    wvm_jw_array_end(&w);
    wvm_jw_object_end(&w);
    wvm_result_json(ctx, w.buf, (uint32_t)strlen(w.buf));
}

/* Calls target.function(params) and passes its result on; a failure of
 * the callee fails this call too. */
void Relay(wvm_ctx *ctx, wvm_address target, const char *function, const char *params) {
    wvm_call_result r;
    if (!wvm_call(ctx, target, function, params, &r)) {
        wvm_error(ctx, "relay: %u %s", r.error_kind, r.message);
        return;
    }
    wvm_result_json(ctx, r.result, r.result_len);
}

/* Writes field "mark" = v, then calls target.function(params).  When
 * the callee fails: handle ? returns "handled <kind>" : fails. */
const char *WriteAndCall(wvm_ctx *ctx, uint64_t v, wvm_address target, const char *function,
                         const char *params, bool handle) {
    wvm_field_set_u64(ctx, wvm_default_object(), "mark", v);
    wvm_call_result r;
    if (wvm_call(ctx, target, function, params, &r)) return "ok";
    if (!handle) {
        wvm_error(ctx, "callee failed: %s", r.message);
        return "";
    }
    return r.error_kind == 9 ? "handled permission_denied"
         : r.error_kind == 8 ? "handled contract_error"
         : r.error_kind == 6 ? "handled resource_exhausted"
         : "handled other";
}

/* Writes field "mark" = v and fails. */
void WriteThenFail(wvm_ctx *ctx, uint64_t v) {
    wvm_field_set_u64(ctx, wvm_default_object(), "mark", v);
    wvm_error(ctx, "failing after a write");
}

/* Field "mark", 0 when unset. */
WVM_VIEW uint64_t Mark(wvm_ctx *ctx) {
    uint64_t v = 0;
    wvm_field_get_u64(ctx, wvm_default_object(), "mark", &v);
    return v;
}

/* A view that writes: refused. */
WVM_VIEW void ViewWrite(wvm_ctx *ctx) {
    wvm_field_set_u64(ctx, wvm_default_object(), "mark", 1);
}

/* A view that calls a writer: the callee is refused. */
WVM_VIEW void ViewRelay(wvm_ctx *ctx, wvm_address target, const char *function, const char *params) {
    Relay(ctx, target, function, params);
}

/* Nonreentrant: calls target.function(params), which may call back. */
WVM_NONREENTRANT void Guarded(wvm_ctx *ctx, wvm_address target, const char *function,
                              const char *params) {
    Relay(ctx, target, function, params);
}

/* Payable (docs/calls.md): returns the value attached to the call
 * (wvm_value); with fail, fails after it was moved, which undoes it. */
WVM_PAYABLE uint64_t Deposit(wvm_ctx *ctx, bool fail) {
    uint64_t v = wvm_value(ctx);
    if (fail) wvm_error(ctx, "deposit of %llu refused", (unsigned long long)v);
    return v;
}

/* Calls itself until the depth limit; the failure travels back up. */
uint32_t Recurse(wvm_ctx *ctx) {
    wvm_call_result r;
    uint32_t d = wvm_call_depth(ctx);
    if (!wvm_call(ctx, wvm_self(ctx), "Recurse", "{}", &r)) {
        wvm_error(ctx, "depth %u: %s", d, r.message);
        return 0;
    }
    return d;
}

/* Runs until the fuel is gone. */
uint64_t Burn(wvm_ctx *ctx, uint64_t n) {
    (void)ctx;
    volatile uint64_t x = 0;
    for (uint64_t i = 0; i < n || n == 0; i++) x += i;
    return x;
}

/* Calls target.function(params) with a fuel cap; a failure is handled:
 * returns "ok" or "handled <message>". */
const char *Capped(wvm_ctx *ctx, wvm_address target, const char *function, const char *params,
                   uint64_t cap) {
    wvm_call_result r;
    wvm_field_set_u64(ctx, wvm_default_object(), "mark", 11);
    if (wvm_call_capped(ctx, target, function, params, cap, &r)) return "ok";
    return r.error_kind == 6 ? r.message : "handled other";
}

/* Calls target.function() and decodes its result as a uint64, as a
 * client stub does: the value in decimal, or the decoder's message. */
const char *ExpectU64(wvm_ctx *ctx, wvm_address target, const char *function) {
    wvm_call_result r;
    uint64_t v;
    if (!wvm_call(ctx, target, function, "{}", &r) || !wvm_client_u64(&r, "probe.X", &v))
        return r.message;
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_u64(&w, v);
    return w.buf;
}
