/*
 * dispatch.c -- the two dispatcher imports of abi.h:
 *   call_host_set(fn, args_ptr, args_len) -> i32
 *   call_host_get_buffer(ptr, len) -> i32
 *
 * call_host_set charges host_call plus host_byte per argument byte,
 * checks the argument range, copies the arguments into the host (so no
 * host function reads guest memory twice, and overlapping buffers cannot
 * matter), then runs the host function of that ID.  Each host function
 * charges its own cost (storage_read, ...) first.
 */
#include <stdlib.h>
#include <string.h>
#include "host.h"

typedef struct handler_def {
    const char *name;
    host_handler fn;
    bool writes;               /* refused in a `view` frame (policy.c) */
} handler_def;

/* Indexed by enum wvm_host_fn; gaps are unknown IDs. */
static const handler_def handlers[] = {
    [WVM_HOST_SENDER] = { "sender", context_sender },
    [WVM_HOST_SELF] = { "self", context_self },
    [WVM_HOST_ORIGIN] = { "origin", context_origin },
    [WVM_HOST_BLOCK_HEIGHT] = { "block_height", context_block_height },
    [WVM_HOST_BLOCK_TIME] = { "block_time", context_block_time },
    [WVM_HOST_FUNCTION] = { "function", context_function },
    [WVM_HOST_VALUE] = { "value", context_value },
    [WVM_HOST_OBJECT_CREATE] = { "object_create", objects_create, true },
    [WVM_HOST_FIELD_GET] = { "field_get", objects_field_get },
    [WVM_HOST_FIELD_SET] = { "field_set", objects_field_set, true },
    [WVM_HOST_FIELD_DELETE] = { "field_delete", objects_field_delete, true },
    [WVM_HOST_FIELD_LIST] = { "field_list", objects_field_list },
    [WVM_HOST_OBJECT_OWNER] = { "object_owner", objects_owner },
    [WVM_HOST_OBJECT_SET_OWNER] = { "object_set_owner", objects_set_owner, true },
    [WVM_HOST_OBJECT_DELETE] = { "object_delete", objects_delete, true },
    [WVM_HOST_OBJECT_EXISTS] = { "object_exists", objects_exists },
    [WVM_HOST_BALANCE] = { "balance", balances_balance },
    [WVM_HOST_TRANSFER] = { "transfer", balances_transfer, true },
    [WVM_HOST_EMIT_EVENT] = { "emit_event", output_emit_event, true },
    [WVM_HOST_LOG] = { "log", output_log },
    [WVM_HOST_SET_RESULT] = { "set_result", output_set_result },
    [WVM_HOST_SET_ERROR] = { "set_error", output_set_error },
    [WVM_HOST_CALL] = { "call", calls_call },
    [WVM_HOST_CALLER] = { "caller", context_caller },
    [WVM_HOST_CALLER_FUNCTION] = { "caller_function", context_caller_function },
    [WVM_HOST_CALL_DEPTH] = { "call_depth", context_call_depth },
    [WVM_HOST_CALL_FRAME] = { "call_frame", context_call_frame },
    [WVM_HOST_TRACE_ENTER] = { "trace_enter", trace_enter },
    [WVM_HOST_TRACE_EXIT] = { "trace_exit", trace_exit },
};
enum { NHANDLERS = sizeof handlers / sizeof handlers[0] };

wvm_status dispatch_call_host_set(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    host_tx *tx = host_user(user);
    uint32_t id = (uint32_t)args[0].of.i32, ptr = (uint32_t)args[1].of.i32,
             len = (uint32_t)args[2].of.i32;
    tx->cur_host = NULL;       /* profiles: the dispatcher's own charge */
    wvm_status st = host_charge(c, wvm_caller_costs(c)->host_call, 0);
    if (st) return st;
    if (id >= NHANDLERS || !handlers[id].fn)
        return host_fail(c, tx, WVM_KIND_EXECUTION_FAILED,
                         "call_host_set: unknown host function id %u", id);
    const handler_def *h = &handlers[id];
    tx->cur_host = h->name;
    if (h->writes && (st = policy_check_write(c, tx, h->name))) return st;
    if (len > HOST_MAX_ARGS)
        return host_fail(c, tx, WVM_KIND_RESOURCE_EXHAUSTED,
                         "call_host_set(%s): args_len %u is over the limit of %u bytes of arguments",
                         h->name, len, (unsigned)HOST_MAX_ARGS);
    if ((st = host_check_range(c, tx, "call_host_set", "args_ptr/args_len", ptr, len))) return st;
    if ((st = host_charge(c, 0, len))) return st;
    if (len > tx->args_cap) {
        uint8_t *p = realloc(tx->args, len);
        if (!p) return host_fail(c, tx, WVM_KIND_RESOURCE_EXHAUSTED, "call_host_set: host out of memory");
        tx->args = p;
        tx->args_cap = len;
    }
    if (len) wvm_caller_read(c, ptr, tx->args, len);
    /* no arguments yet: args is NULL, and NULL + 0 is undefined in C */
    const uint8_t *args_end = len ? tx->args + len : tx->args;
    host_args a = { tx, c, h->name, tx->args, args_end };
    int32_t ret = 0;
    if ((st = h->fn(&a, &ret))) return st;
    res[0] = wvm_i32(ret);
    return WVM_OK;
}

wvm_status dispatch_get_buffer(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    host_tx *tx = host_user(user);
    uint32_t ptr = (uint32_t)args[0].of.i32, len = (uint32_t)args[1].of.i32;
    host_frame *f = host_top(tx);
    uint32_t n = len < f->buf_len ? len : f->buf_len;
    wvm_status st = host_charge(c, wvm_caller_costs(c)->host_call, n);
    if (st) return st;
    /* the whole [ptr, ptr + len) must be the contract's, not only the
     * part written: a wrong length is a bug to report, not to mask */
    if ((st = host_check_range(c, tx, "call_host_get_buffer", "ptr/len", ptr, len))) return st;
    wvm_caller_write(c, ptr, f->buf, n);
    res[0] = wvm_i32((int32_t)n);
    return WVM_OK;
}
