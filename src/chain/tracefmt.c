/*
 * tracefmt.c -- a receipt's trace records as text (the log of
 * docs/calls.md) and as a JSON call tree.  Both are functions of the
 * records alone, so the same transaction gives the same bytes on every
 * run but for wall times, which WVM_TRACE_NO_WALL leaves out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "chain.h"

/* A growable string; on allocation failure it stays failed. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool nomem;
} sbuf;

static void sb_printf(sbuf *b, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *f, ...) {
    if (b->nomem) return;
    for (;;) {
        va_list ap;
        va_start(ap, f);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, f, ap);
        va_end(ap);
        if (n < 0) {
            b->nomem = true;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 256) + (size_t)n;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->nomem = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
}

/* The ENTER matching EXIT record i (the nearest open one at its depth),
 * or -1. */
static long enter_of(const wvm_receipt *r, uint32_t i) {
    uint32_t d = r->trace[i].depth;
    for (long k = (long)i - 1; k >= 0; k--) {
        const wvm_trace_record *e = &r->trace[k];
        if (e->depth < d) return -1;
        if (e->depth == d && e->kind == WVM_TRACE_EXIT) return -1;
        if (e->depth == d && e->kind == WVM_TRACE_ENTER) return k;
    }
    return -1;
}

char *wvm_trace_text(const wvm_receipt *r, unsigned flags) {
    sbuf b = {0};
    sb_printf(&b, "%s", "");
    for (uint32_t i = 0; r && i < r->ntrace; i++) {
        const wvm_trace_record *t = &r->trace[i];
        char a[43], to[43];
        wvm_address_hex(&t->contract, a);
        uint32_t indent = 2 * (t->depth + (t->kind == WVM_TRACE_CALL));
        sb_printf(&b, "%*s", (int)indent, "");
        switch (t->kind) {
        case WVM_TRACE_ENTER:
            sb_printf(&b, "[ENTER] Contract: %s Function: %s Fuel: %llu\n", a, t->function,
                      (unsigned long long)t->fuel);
            break;
        case WVM_TRACE_CALL:
            wvm_address_hex(&t->target, to);
            sb_printf(&b, "[CALL]  From: %s Func: %s To: %s Func: %s\n", a, t->function, to,
                      t->target_function);
            break;
        case WVM_TRACE_EXIT: {
            sb_printf(&b, "[EXIT]  Contract: %s Function: %s Fuel: %llu Status: %s", a, t->function,
                      (unsigned long long)t->fuel, wvm_error_kind_str(t->status));
            long e = enter_of(r, i);
            if (!(flags & WVM_TRACE_NO_WALL) && e >= 0)
                sb_printf(&b, " Duration: %lluµs",
                          (unsigned long long)((t->wall_ns - r->trace[e].wall_ns) / 1000));
            sb_printf(&b, "\n");
            break;
        }
        }
    }
    if (b.nomem) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* The node of ENTER record *i and its children; *i moves past its EXIT
 * (or to the end of the records of its depth when it has none). */
static json_object *node(const wvm_receipt *r, uint32_t *i, unsigned flags) {
    const wvm_trace_record *e = &r->trace[*i];
    char a[43];
    wvm_address_hex(&e->contract, a);
    json_object *o = json_object_new_object(), *kids = json_object_new_array();
    if (!o || !kids) {
        json_object_put(o);
        json_object_put(kids);
        return NULL;
    }
    json_object_object_add(o, "contract", json_object_new_string(a));
    json_object_object_add(o, "function", json_object_new_string(e->function ? e->function : ""));
    json_object_object_add(o, "params", json_object_new_string(e->params ? e->params : ""));
    const wvm_trace_record *x = NULL;
    for ((*i)++; *i < r->ntrace;) {
        const wvm_trace_record *t = &r->trace[*i];
        if (t->depth < e->depth) break;
        if (t->depth == e->depth && t->kind == WVM_TRACE_EXIT) {
            x = t;
            (*i)++;
            break;
        }
        if (t->depth == e->depth + 1 && t->kind == WVM_TRACE_ENTER) {
            json_object *k = node(r, i, flags);
            if (!k) {
                json_object_put(o);
                json_object_put(kids);
                return NULL;
            }
            json_object_array_add(kids, k);
            continue;
        }
        (*i)++;     /* CALL records: the child's ENTER follows */
    }
    uint64_t end = x ? x->fuel : e->fuel;
    json_object_object_add(o, "fuel_used", json_object_new_uint64(end - e->fuel));
    if (!(flags & WVM_TRACE_NO_WALL))
        json_object_object_add(o, "duration_us",
                               json_object_new_uint64(x ? (x->wall_ns - e->wall_ns) / 1000 : 0));
    json_object_object_add(o, "status", json_object_new_string(x ? wvm_error_kind_str(x->status)
                                                                  : "unfinished"));
    json_object_object_add(o, "children", kids);
    return o;
}

char *wvm_trace_json(const wvm_receipt *r, unsigned flags) {
    json_object *top = json_object_new_array();
    if (!top) return NULL;
    for (uint32_t i = 0; r && i < r->ntrace;) {
        if (r->trace[i].kind != WVM_TRACE_ENTER) {
            i++;
            continue;
        }
        json_object *n = node(r, &i, flags);
        if (!n) {
            json_object_put(top);
            return NULL;
        }
        json_object_array_add(top, n);
    }
    const char *s = json_object_to_json_string_ext(top, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *out = s ? strdup(s) : NULL;
    json_object_put(top);
    return out;
}
