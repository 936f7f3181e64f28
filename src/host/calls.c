/*
 * calls.c -- cross-contract calls (WVM_HOST_CALL): the callee runs as a
 * new frame of the same transaction (its own instance in the same store,
 * so fuel and the deadline are the one budget of the transaction), with
 * the calling contract as its sender, in a state transaction nested in
 * the caller's.  A failing callee's writes and events are undone and the
 * caller gets its error kind and message; out of fuel, timeout and the
 * store failing end the whole transaction.  Cost: `call`, plus whatever
 * the callee spends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host.h"

static wvm_status failed(host_args *a, wvm_error_kind kind, const char *msg, int32_t *ret) {
    size_t n = strlen(msg);
    if (n > HOST_MAX_ERROR_LEN) n = HOST_MAX_ERROR_LEN;
    uint8_t *b = malloc(4 + 4 + 4 + n);
    if (!b) return host_fail(a->caller, a->tx, WVM_KIND_RESOURCE_EXHAUSTED, "call: host out of memory");
    uint32_t k = (uint32_t)kind;
    b[0] = 4, b[1] = b[2] = b[3] = 0;
    b[4] = (uint8_t)k, b[5] = (uint8_t)(k >> 8), b[6] = (uint8_t)(k >> 16), b[7] = (uint8_t)(k >> 24);
    b[8] = (uint8_t)n, b[9] = (uint8_t)(n >> 8), b[10] = (uint8_t)(n >> 16), b[11] = 0;
    memcpy(b + 12, msg, n);
    wvm_status st = host_buf_set(host_top(a->tx), b, (uint32_t)(12 + n));
    free(b);
    if (st) return host_fail(a->caller, a->tx, WVM_KIND_RESOURCE_EXHAUSTED, "call: host out of memory");
    *ret = WVM_ABI_CALL_FAILED;
    return WVM_OK;
}

wvm_status calls_call(host_args *a, int32_t *ret) {
    wvm_status st = host_charge(a->caller, wvm_caller_costs(a->caller)->call, 0);
    if (st) return st;
    wvm_address target;
    const char *fn;
    const uint8_t *params;
    uint32_t fn_len, params_len;
    uint64_t cap;
    if ((st = args_address(a, "target", &target)) || (st = args_name(a, "function", &fn, &fn_len)) ||
        (st = args_bytes(a, "params", &params, &params_len)) || (st = args_u64(a, "fuel_cap", &cap)) ||
        (st = args_end(a)))
        return st;
    host_tx *tx = a->tx;
    if ((st = HOST_CHECK_LEN(a->caller, tx, "call_host_set(call)", "params", true, params_len,
                             WVM_MAX_PARAMS_LEN)))
        return st;
    if (tx->depth >= WVM_MAX_CALL_DEPTH)
        return failed(a, WVM_KIND_RESOURCE_EXHAUSTED,
                      "call depth limit WVM_MAX_CALL_DEPTH (64) reached", ret);
    /* tx->args is reused by the callee's host calls: copy what we keep */
    char fbuf[WVM_MAX_NAME_LEN];
    memcpy(fbuf, fn, fn_len);
    char *p = malloc((size_t)params_len + 1);
    if (!p) return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED, "call: host out of memory");
    memcpy(p, params, params_len);
    p[params_len] = 0;
    host_frame *caller = host_top(tx);
    wvm_address self = caller->contract;
    host_outcome out;
    uint32_t callee = tx->depth;
    trace_call(tx, trace_fuel(tx, a->caller), &target, fbuf, fn_len, p, params_len);
    /* a per-call cap: the callee sees at most `cap` of the fuel left; the
     * rest comes back after it, and its running out of fuel is its own
     * failure, which the caller may handle */
    uint64_t hidden = cap ? wvm_caller_fuel_cap(a->caller, cap) : 0;
    tx->fuel_hidden += hidden;
    wvm_caller *outer = tx->caller;
    tx->caller = a->caller;
    tx->run(tx, caller->txn, &target, &self, fbuf, fn_len, p, params_len, &out);
    tx->caller = outer;
    tx->fuel_hidden -= hidden;
    wvm_caller_fuel_uncap(a->caller, hidden);
    if (hidden && out.fatal == WVM_TRAP_OUT_OF_FUEL) {
        out.fatal = WVM_OK;
        free(out.message);
        out.message = NULL;
        char m[160];
        snprintf(m, sizeof m, "out of fuel: the callee used up its fuel cap of %llu",
                 (unsigned long long)cap);
        out.message = strdup(m);
        if (!out.message) {
            free(out.result);
            free(p);
            return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED, "call: host out of memory");
        }
    }
    free(p);
    trace_close(tx, callee, out.kind, trace_fuel(tx, a->caller));
    caller = host_top(tx);
    if (out.fatal) {
        wvm_error_kind kind = out.kind;
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", out.message ? out.message : "");
        free(out.message);
        free(out.result);
        if (wvm_status_is_trap(out.fatal) && out.fatal != WVM_TRAP_HOST) return out.fatal;
        return host_fail(a->caller, tx, kind, "call: %s", msg);
    }
    if (out.kind != WVM_KIND_NONE) {
        st = failed(a, out.kind, out.message ? out.message : "", ret);
        free(out.message);
        free(out.result);
        return st;
    }
    const char *r = out.result ? out.result : "null";
    st = host_buf_set(caller, r, (uint32_t)strlen(r));
    free(out.result);
    free(out.message);
    if (st) return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED, "call: host out of memory");
    *ret = (int32_t)caller->buf_len;
    return WVM_OK;
}
