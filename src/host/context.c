/*
 * context.c -- who and when: sender, self, origin, block height and time,
 * the called function, the value attached to the call, and the call chain (caller, caller's function,
 * depth, frames).  Their cost is the dispatcher's host_call (and
 * host_byte when the result is copied out); they read no state.
 */
#include <string.h>
#include "host.h"

static wvm_status put(host_args *a, const void *p, uint32_t n, int32_t *ret) {
    if (host_buf_set(host_top(a->tx), p, n))
        return host_fail(a->caller, a->tx, WVM_KIND_RESOURCE_EXHAUSTED, "%s: host out of memory", a->fn);
    *ret = (int32_t)n;
    return WVM_OK;
}

static wvm_status put_u64(host_args *a, uint64_t v, int32_t *ret) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
    return put(a, b, 8, ret);
}

wvm_status context_sender(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    return st ? st : put(a, host_top(a->tx)->sender.b, WVM_ADDRESS_LEN, ret);
}

wvm_status context_self(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    return st ? st : put(a, host_top(a->tx)->contract.b, WVM_ADDRESS_LEN, ret);
}

wvm_status context_origin(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    return st ? st : put(a, a->tx->origin.b, WVM_ADDRESS_LEN, ret);
}

wvm_status context_block_height(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    return st ? st : put_u64(a, a->tx->height, ret);
}

wvm_status context_block_time(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    return st ? st : put_u64(a, a->tx->time, ret);
}

wvm_status context_function(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    host_frame *f = host_top(a->tx);
    return st ? st : put(a, f->function, f->function_len, ret);
}

wvm_status context_caller(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    if (st) return st;
    if (a->tx->depth < 2)
        return host_ret(a->tx, WVM_ABI_NOT_FOUND, ret);
    return put(a, a->tx->frames[a->tx->depth - 2].contract.b, WVM_ADDRESS_LEN, ret);
}

wvm_status context_caller_function(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    if (st) return st;
    if (a->tx->depth < 2)
        return host_ret(a->tx, WVM_ABI_NOT_FOUND, ret);
    host_frame *f = &a->tx->frames[a->tx->depth - 2];
    return put(a, f->function, f->function_len, ret);
}

wvm_status context_call_depth(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    if (st) return st;
    uint32_t d = a->tx->depth - 1;
    uint8_t b[4] = { (uint8_t)d, (uint8_t)(d >> 8), (uint8_t)(d >> 16), (uint8_t)(d >> 24) };
    return put(a, b, 4, ret);
}

/* The value attached to the executing call: the transaction's for the
 * top frame; cross-contract calls carry none in ABI version 1. */
wvm_status context_value(host_args *a, int32_t *ret) {
    wvm_status st = args_end(a);
    return st ? st : put_u64(a, a->tx->depth == 1 ? a->tx->value : 0, ret);
}

/* Fields (address, function) of frame i, 0 = the transaction's first
 * contract, up to the caller of the executing one. */
wvm_status context_call_frame(host_args *a, int32_t *ret) {
    uint32_t i;
    wvm_status st = args_u32(a, "i", &i);
    if (st || (st = args_end(a))) return st;
    if (i + 1 >= a->tx->depth || i >= WVM_MAX_CALL_DEPTH)
        return host_ret(a->tx, WVM_ABI_NOT_FOUND, ret);
    host_frame *f = &a->tx->frames[i];
    uint8_t b[4 + WVM_ADDRESS_LEN + 4 + WVM_MAX_NAME_LEN];
    uint32_t n = 0, fl = f->function_len;
    b[n++] = WVM_ADDRESS_LEN, b[n++] = 0, b[n++] = 0, b[n++] = 0;
    memcpy(b + n, f->contract.b, WVM_ADDRESS_LEN);
    n += WVM_ADDRESS_LEN;
    b[n++] = (uint8_t)fl, b[n++] = (uint8_t)(fl >> 8), b[n++] = 0, b[n++] = 0;
    memcpy(b + n, f->function, fl);
    n += fl;
    return put(a, b, n, ret);
}

static wvm_status direct(wvm_caller *c, uint64_t v, wvm_val *res) {
    wvm_status st = host_charge(c, wvm_caller_costs(c)->host_call, 0);
    if (st) return st;
    res[0] = wvm_i64((int64_t)v);
    return WVM_OK;
}

wvm_status context_get_block_height(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    (void)args;
    return direct(c, host_user(user)->height, res);
}

wvm_status context_get_block_time(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    (void)args;
    return direct(c, host_user(user)->time, res);
}
