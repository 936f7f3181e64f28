/*
 * trace.c -- the trace records of a transaction (docs/calls.md): ENTER
 * and EXIT from the Enter/Exit hooks of generated dispatch code
 * (WVM_HOST_TRACE_ENTER / EXIT), CALL from every cross-contract call
 * (calls.c), and the EXIT the host writes itself for a frame whose
 * function never reached its exit hook (a trap, the depth limit).
 *
 * The hooks cost the dispatcher's host_call whether tracing is on or
 * not, so fuel is the same either way.  With tracing off (tx->trace
 * false) a hook returns after its argument checks: no allocation, no
 * clock.  Wall times are read only when tracing is on and never reach
 * results or state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "host.h"

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static char *dup_n(const char *s, uint32_t n) {
    char *d = malloc((size_t)n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* params cut to WVM_TRACE_PARAMS_MAX bytes, "..." appended when cut */
static char *cut(const char *p, uint32_t n) {
    if (n <= WVM_TRACE_PARAMS_MAX) return dup_n(p, n);
    char *d = malloc(WVM_TRACE_PARAMS_MAX + 4);
    if (d) {
        memcpy(d, p, WVM_TRACE_PARAMS_MAX);
        memcpy(d + WVM_TRACE_PARAMS_MAX, "...", 4);
    }
    return d;
}

/* A new record at the end, zeroed but for kind, depth, fuel and wall
 * time; NULL (and tr.nomem) when out of memory. */
static wvm_trace_record *add(host_tx *tx, wvm_trace_kind kind, uint32_t depth, uint64_t fuel) {
    host_trace *t = &tx->tr;
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 16;
        wvm_trace_record *r = cap > t->cap ? realloc(t->recs, cap * sizeof *r) : NULL;
        if (!r) {
            t->nomem = true;
            return NULL;
        }
        t->recs = r;
        t->cap = cap;
    }
    if (!t->start_ns) t->start_ns = now_ns();
    wvm_trace_record *r = &t->recs[t->n++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->depth = depth;
    r->fuel = fuel;
    r->wall_ns = now_ns() - t->start_ns;
    return r;
}

uint64_t trace_fuel(host_tx *tx, wvm_caller *c) {
    return tx->fuel_base + wvm_caller_fuel_used(c) - tx->fuel_hidden;
}

wvm_status trace_enter(host_args *a, int32_t *ret) {
    const char *fn;
    uint32_t len;
    wvm_status st;
    if ((st = args_name(a, "function", &fn, &len)) || (st = args_end(a))) return st;
    host_ret(a->tx, 0, ret);
    host_tx *tx = a->tx;
    if (!tx->trace) return WVM_OK;
    host_frame *f = host_top(tx);
    wvm_trace_record *r = add(tx, WVM_TRACE_ENTER, tx->depth - 1, trace_fuel(tx, a->caller));
    if (!r) return WVM_OK;
    r->contract = f->contract;
    r->function = dup_n(fn, len);
    r->params = cut(f->params ? f->params : "", f->params_len);
    if (!r->function || !r->params) tx->tr.nomem = true;
    f->open_enter = (int32_t)(tx->tr.n - 1);
    return WVM_OK;
}

static void exit_record(host_tx *tx, uint32_t d, const char *fn, uint32_t len, wvm_error_kind kind,
                        uint64_t fuel) {
    wvm_trace_record *r = add(tx, WVM_TRACE_EXIT, d, fuel);
    if (!r) return;
    r->contract = tx->frames[d].contract;
    r->function = dup_n(fn, len);
    r->status = kind;
    if (!r->function) tx->tr.nomem = true;
    tx->frames[d].open_enter = -1;
}

wvm_status trace_exit(host_args *a, int32_t *ret) {
    const char *fn;
    uint32_t len, status;
    wvm_status st;
    if ((st = args_name(a, "function", &fn, &len)) || (st = args_u32(a, "status", &status)) ||
        (st = args_end(a)))
        return st;
    host_ret(a->tx, 0, ret);
    host_tx *tx = a->tx;
    if (!tx->trace) return WVM_OK;
    /* the hook knows only ok or not; the kind of a failure is the one the
     * contract set (wvm_error) */
    host_frame *f = host_top(tx);
    wvm_error_kind kind = WVM_KIND_NONE;
    if (status) kind = !f->has_error ? WVM_KIND_CONTRACT_ERROR
                     : f->error_code == WVM_CONTRACT_INVALID_PARAMETERS ? WVM_KIND_INVALID_PARAMETERS
                     : f->error_code == WVM_CONTRACT_FUNCTION_NOT_FOUND ? WVM_KIND_FUNCTION_NOT_FOUND
                     : WVM_KIND_CONTRACT_ERROR;
    exit_record(tx, tx->depth - 1, fn, len, kind, trace_fuel(tx, a->caller));
    return WVM_OK;
}

void trace_call(host_tx *tx, uint64_t fuel, const wvm_address *target, const char *function,
                uint32_t function_len, const char *params, uint32_t params_len) {
    if (!tx->trace) return;
    host_frame *f = host_top(tx);
    wvm_trace_record *r = add(tx, WVM_TRACE_CALL, tx->depth - 1, fuel);
    if (!r) return;
    r->contract = f->contract;
    r->function = dup_n(f->function, f->function_len);
    r->target = *target;
    r->target_function = dup_n(function, function_len);
    r->params = cut(params, params_len);
    if (!r->function || !r->target_function || !r->params) tx->tr.nomem = true;
}

void trace_close(host_tx *tx, uint32_t d, wvm_error_kind kind, uint64_t fuel) {
    /* a frame past frames_used was never pushed: it has no ENTER */
    if (!tx->trace || d >= tx->frames_used || tx->frames[d].open_enter < 0) return;
    const wvm_trace_record *e = &tx->tr.recs[tx->frames[d].open_enter];
    /* the ENTER's function: e may move when add grows the array */
    char fn[WVM_MAX_NAME_LEN + 1];
    snprintf(fn, sizeof fn, "%s", e->function ? e->function : "");
    exit_record(tx, d, fn, (uint32_t)strlen(fn), kind, fuel);
}

void trace_free(host_trace *t) {
    for (uint32_t i = 0; i < t->n; i++) {
        free(t->recs[i].function);
        free(t->recs[i].target_function);
        free(t->recs[i].params);
    }
    free(t->recs);
    memset(t, 0, sizeof *t);
}

wvm_status trace_take(host_tx *tx, wvm_receipt *r) {
    host_trace *t = &tx->tr;
    if (t->nomem) return WVM_ERR_NOMEM;
    r->trace = t->recs;
    r->ntrace = t->n;
    t->recs = NULL;
    t->n = t->cap = 0;
    return WVM_OK;
}
