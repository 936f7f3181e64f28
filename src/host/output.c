/*
 * output.c -- what a call leaves behind: events (stored with the
 * transaction), log lines (the receipt's trace, not state), the result
 * and the error.  Events and results must be valid JSON (an object for
 * event attributes), checked here so that a receipt is always valid JSON
 * to whoever reads it.
 */
#include <stdlib.h>
#include <string.h>
#include "host.h"

static char *dup_n(const void *p, uint32_t n) {
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

wvm_status output_emit_event(host_args *a, int32_t *ret) {
    const wvm_cost_table *k = wvm_caller_costs(a->caller);
    wvm_status st = host_charge(a->caller, (uint64_t)k->log + k->storage_write, 0);
    if (st) return st;
    const char *name;
    const uint8_t *attrs;
    uint32_t nlen, alen;
    if ((st = args_name(a, "name", &name, &nlen)) || (st = args_bytes(a, "attributes", &attrs, &alen)) ||
        (st = args_end(a)))
        return st;
    host_tx *tx = a->tx;
    if ((st = HOST_CHECK_LEN(a->caller, tx, "call_host_set(emit_event)", "attributes", true, alen,
                             WVM_MAX_EVENT_LEN)))
        return st;
    if (tx->nevents >= WVM_MAX_EVENTS)
        return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED,
                         "call_host_set(emit_event): the transaction has emitted the limit "
                         "WVM_MAX_EVENTS (%d) events", WVM_MAX_EVENTS);
    if (!host_json_valid((const char *)attrs, alen, true, NULL, NULL))
        return host_fail(a->caller, tx, WVM_KIND_EXECUTION_FAILED,
                         "call_host_set(emit_event): attributes of event '%.*s' are not a JSON object",
                         (int)nlen, name);
    if (tx->nevents == tx->events_cap) {
        uint32_t cap = tx->events_cap ? tx->events_cap * 2 : 16;
        host_event *e = realloc(tx->events, cap * sizeof *e);
        if (!e) return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED, "emit_event: host out of memory");
        tx->events = e;
        tx->events_cap = cap;
    }
    /* one block: name, NUL, attributes, NUL */
    char *block = malloc((size_t)nlen + alen + 2);
    if (!block) return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED, "emit_event: host out of memory");
    memcpy(block, name, nlen);
    block[nlen] = 0;
    memcpy(block + nlen + 1, attrs, alen);
    block[nlen + 1 + alen] = 0;
    host_frame *f = host_top(tx);
    if ((st = st_event_put(f->txn, &f->contract, block, block + nlen + 1, alen))) {
        free(block);
        return host_state_fail(a->caller, tx, "call_host_set(emit_event)", st, st_txn_errmsg(f->txn));
    }
    tx->events[tx->nevents++] = (host_event){ f->contract, block, block + nlen + 1 };
    return host_ret(tx, 0, ret);
}

wvm_status output_log(host_args *a, int32_t *ret) {
    wvm_status st = host_charge(a->caller, wvm_caller_costs(a->caller)->log, 0);
    if (st) return st;
    const uint8_t *msg;
    uint32_t len;
    if ((st = args_bytes(a, "message", &msg, &len)) || (st = args_end(a))) return st;
    host_tx *tx = a->tx;
    if ((st = HOST_CHECK_LEN(a->caller, tx, "call_host_set(log)", "message", false, len,
                             WVM_MAX_LOG_LEN)))
        return st;
    /* lines beyond the event limit are dropped: logs are not state, and a
     * flood of them must not grow the host without bound */
    if (tx->nlogs < WVM_MAX_EVENTS) {
        if (tx->nlogs == tx->logs_cap) {
            uint32_t cap = tx->logs_cap ? tx->logs_cap * 2 : 8;
            char **l = realloc(tx->logs, cap * sizeof *l);
            if (!l) return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED, "log: host out of memory");
            tx->logs = l;
            tx->logs_cap = cap;
        }
        char *line = dup_n(msg, len);
        if (!line) return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED, "log: host out of memory");
        tx->logs[tx->nlogs++] = line;
    }
    return host_ret(tx, 0, ret);
}

wvm_status output_set_result(host_args *a, int32_t *ret) {
    /* costs the dispatcher's host_call and bytes only */
    wvm_status st;
    const uint8_t *json;
    uint32_t len;
    if ((st = args_bytes(a, "json", &json, &len)) || (st = args_end(a))) return st;
    if ((st = HOST_CHECK_LEN(a->caller, a->tx, "call_host_set(set_result)", "result", false, len,
                             WVM_MAX_RESULT_LEN)))
        return st;
    if (!host_json_valid((const char *)json, len, false, NULL, NULL))
        return host_fail(a->caller, a->tx, WVM_KIND_EXECUTION_FAILED,
                         "call_host_set(set_result): the result is not one JSON value");
    host_frame *f = host_top(a->tx);
    char *r = dup_n(json, len);
    if (!r) return host_fail(a->caller, a->tx, WVM_KIND_RESOURCE_EXHAUSTED, "set_result: host out of memory");
    free(f->result);
    f->result = r;
    f->result_len = len;
    return host_ret(a->tx, 0, ret);
}

wvm_status output_set_error(host_args *a, int32_t *ret) {
    /* costs the dispatcher's host_call and bytes only */
    wvm_status st;
    uint32_t code;
    const uint8_t *msg;
    uint32_t len;
    if ((st = args_u32(a, "code", &code)) || (st = args_bytes(a, "message", &msg, &len)) ||
        (st = args_end(a)))
        return st;
    if (code > WVM_CONTRACT_FUNCTION_NOT_FOUND)
        return host_fail(a->caller, a->tx, WVM_KIND_EXECUTION_FAILED,
                         "call_host_set(set_error): code %u is not an enum wvm_contract_err", code);
    /* HOST_MAX_ERROR_LEN is WVM_MAX_LOG_LEN, the name contract authors know */
    if ((st = HOST_CHECK_LEN(a->caller, a->tx, "call_host_set(set_error)", "message", false, len,
                             WVM_MAX_LOG_LEN)))
        return st;
    host_frame *f = host_top(a->tx);
    char *m = dup_n(msg, len);
    if (!m) return host_fail(a->caller, a->tx, WVM_KIND_RESOURCE_EXHAUSTED, "set_error: host out of memory");
    free(f->error);
    f->error = m;
    f->has_error = true;
    f->error_code = code;
    return host_ret(a->tx, 0, ret);
}
