/*
 * trace.c -- the Enter/Exit hooks of generated dispatch code
 * (WVM_HOST_TRACE_ENTER / EXIT).  Each costs the dispatcher's host_call;
 * with wvm_call_args.trace the record goes into the transaction's log
 * lines (the receipt's logs, never state).  Issue "Cross-contract calls, call chains, tracing"
 * turns these into structured records with fuel and times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host.h"

static wvm_status record(host_args *a, const char *line) {
    host_tx *tx = a->tx;
    if (!tx->trace) return WVM_OK;
    if (tx->nlogs >= WVM_MAX_EVENTS) return WVM_OK;     /* as output_log */
    if (tx->nlogs == tx->logs_cap) {
        uint32_t cap = tx->logs_cap ? tx->logs_cap * 2 : 8;
        char **l = realloc(tx->logs, cap * sizeof *l);
        if (!l) return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED, "trace: host out of memory");
        tx->logs = l;
        tx->logs_cap = cap;
    }
    char *s = strdup(line);
    if (!s) return host_fail(a->caller, tx, WVM_KIND_RESOURCE_EXHAUSTED, "trace: host out of memory");
    tx->logs[tx->nlogs++] = s;
    return WVM_OK;
}

wvm_status trace_enter(host_args *a, int32_t *ret) {
    const char *fn;
    uint32_t len;
    wvm_status st;
    if ((st = args_name(a, "function", &fn, &len)) || (st = args_end(a))) return st;
    char addr[43], line[WVM_MAX_NAME_LEN + 128];
    wvm_address_hex(&host_top(a->tx)->contract, addr);
    snprintf(line, sizeof line, "[ENTER] Contract: %s Function: %.*s Depth: %u", addr, (int)len, fn,
             a->tx->depth - 1);
    host_top(a->tx)->buf_len = 0;
    *ret = 0;
    return record(a, line);
}

wvm_status trace_exit(host_args *a, int32_t *ret) {
    const char *fn;
    uint32_t len, status;
    wvm_status st;
    if ((st = args_name(a, "function", &fn, &len)) || (st = args_u32(a, "status", &status)) ||
        (st = args_end(a)))
        return st;
    char addr[43], line[WVM_MAX_NAME_LEN + 128];
    wvm_address_hex(&host_top(a->tx)->contract, addr);
    snprintf(line, sizeof line, "[EXIT]  Contract: %s Function: %.*s Depth: %u Status: %s", addr,
             (int)len, fn, a->tx->depth - 1, status ? "error" : "ok");
    host_top(a->tx)->buf_len = 0;
    *ret = 0;
    return record(a, line);
}
