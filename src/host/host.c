/*
 * host.c -- a transaction's host side: its store and host functions, the
 * frame stack, the import table of abi.h, and the helpers every host
 * function starts with (fuel, pointer checks, failing with a kind).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "host.h"

typedef struct import_def {
    const char *name;
    wvm_host_fn fn;
    uint8_t nparams, nresults;
    wvm_valtype params[5], results[1];
} import_def;

/* Indexed by enum host_import. */
static const import_def imports[HOST_NIMPORTS] = {
    { WVM_IMPORT_CALL_HOST_SET, dispatch_call_host_set, 3, 1, { WVM_I32, WVM_I32, WVM_I32 }, { WVM_I32 } },
    { WVM_IMPORT_GET_BUFFER, dispatch_get_buffer, 2, 1, { WVM_I32, WVM_I32 }, { WVM_I32 } },
    { WVM_IMPORT_BLOCK_HEIGHT, context_get_block_height, 0, 1, { 0 }, { WVM_I64 } },
    { WVM_IMPORT_BLOCK_TIME, context_get_block_time, 0, 1, { 0 }, { WVM_I64 } },
    { WVM_IMPORT_BALANCE, balances_get_balance, 1, 1, { WVM_I32 }, { WVM_I64 } },
    { WVM_IMPORT_FIELD_GET, objects_get_field, 5, 1,
      { WVM_I32, WVM_I32, WVM_I32, WVM_I32, WVM_I32 }, { WVM_I32 } },
    { WVM_IMPORT_FIELD_SET, objects_set_field, 5, 1,
      { WVM_I32, WVM_I32, WVM_I32, WVM_I32, WVM_I32 }, { WVM_I32 } },
};

/* Every import runs through here.  A start function or _initialize may
 * not reach the host: a pooled instance keeps the state they left and
 * charges their fuel without running them again (docs/engine.md, "How
 * reuse stays deterministic"), which is exact only if that state
 * depends on the code alone -- not on the block, the sender, the
 * contract's objects or what an earlier frame left in the buffer. */
static wvm_status import_gate(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    host_import_ref *r = user;
    host_tx *tx = r->hs->tx;
    if (tx->initializing) {
        char addr[43];
        wvm_address_hex(&host_top(tx)->contract, addr);
        return host_fail(c, tx, WVM_KIND_INSTANCE_CREATION_FAILED,
                         "contract %s called %s while it initializes: a start function or "
                         "_initialize may not call the host", addr, imports[r->i].name);
    }
    return imports[r->i].fn(c, r->hs, args, res);
}

wvm_status host_store_init(host_store *hs, wvm_engine *e) {
    memset(hs, 0, sizeof *hs);
    wvm_status st = wvm_store_new(e, &hs->store);
    if (st) return st;
    for (uint32_t i = 0; i < HOST_NIMPORTS; i++) {
        wvm_functype t = { imports[i].nparams, imports[i].nresults, imports[i].params,
                           imports[i].results };
        hs->refs[i] = (host_import_ref){ hs, i };
        if ((st = wvm_func_new_host(hs->store, &t, import_gate, &hs->refs[i], &hs->imports[i]))) {
            host_store_free(hs);
            return st;
        }
    }
    return WVM_OK;
}

void host_store_free(host_store *hs) {
    wvm_store_free(hs->store);
    memset(hs, 0, sizeof *hs);
}

void host_tx_clear(host_tx *tx) {
    memset(tx, 0, offsetof(host_tx, frames));
}

/* tx, cleared, takes hs as its store. */
static void attach(host_tx *tx, host_store *hs) {
    tx->hs = hs;
    hs->tx = tx;
    tx->store = hs->store;
    memcpy(tx->imports, hs->imports, sizeof tx->imports);
}

void host_tx_use(host_tx *tx, host_store *hs) {
    host_tx_clear(tx);
    attach(tx, hs);
}

wvm_status host_tx_init(host_tx *tx, wvm_engine *e) {
    host_tx_clear(tx);
    /* made in place: the host functions keep &tx->own as their user */
    wvm_status st = host_store_init(&tx->own, e);
    if (st) return st;
    attach(tx, &tx->own);
    return WVM_OK;
}

static void frame_clear(host_frame *f) {
    free(f->result);
    free(f->error);
    f->result = NULL;
    f->error = NULL;
    f->result_len = 0;
    f->has_error = false;
}

void host_tx_free(host_tx *tx) {
    if (!tx) return;
    if (tx->hs == &tx->own) host_store_free(&tx->own);
    else if (tx->hs) tx->hs->tx = NULL;
    for (uint32_t i = 0; i < tx->frames_used; i++) {
        frame_clear(&tx->frames[i]);
        free(tx->frames[i].buf);
    }
    for (uint32_t i = 0; i < tx->nevents; i++) free(tx->events[i].name);
    free(tx->events);
    for (uint32_t i = 0; i < tx->nlogs; i++) free(tx->logs[i]);
    free(tx->logs);
    free(tx->args);
    free(tx->changes);
    trace_free(&tx->tr);
    host_tx_clear(tx);
}

bool host_import_known(const char *module, uint32_t module_len, const char *name, uint32_t name_len) {
    if (module_len != 3 || memcmp(module, "env", 3) != 0) return false;
    for (int i = 0; i < HOST_NIMPORTS; i++)
        if (strlen(imports[i].name) == name_len && memcmp(imports[i].name, name, name_len) == 0)
            return true;
    return false;
}

wvm_func *host_import(host_tx *tx, const wvm_module *m, uint32_t i) {
    const char *mod, *name;
    uint32_t mod_len, name_len;
    wvm_externkind kind;
    wvm_module_import(m, i, &mod, &mod_len, &name, &name_len, &kind);
    if (kind != WVM_EXTERN_FUNC || mod_len != 3 || memcmp(mod, "env", 3) != 0) return NULL;
    for (int k = 0; k < HOST_NIMPORTS; k++)
        if (strlen(imports[k].name) == name_len && memcmp(imports[k].name, name, name_len) == 0)
            return tx->imports[k];
    return NULL;
}

host_frame *host_frame_push(host_tx *tx, const wvm_address *contract, const wvm_address *sender,
                            const char *function, uint32_t function_len) {
    if (tx->depth >= WVM_MAX_CALL_DEPTH || function_len > WVM_MAX_NAME_LEN) return NULL;
    host_frame *f = &tx->frames[tx->depth++];
    if (tx->depth > tx->frames_used) {
        /* first use of this frame in tx: nothing in it to keep or free */
        memset(f, 0, sizeof *f);
        tx->frames_used = tx->depth;
    }
    frame_clear(f);
    f->contract = *contract;
    f->sender = *sender;
    memcpy(f->function, function, function_len);
    f->function[function_len] = 0;
    f->function_len = function_len;
    f->txn = NULL;
    f->buf_len = 0;
    f->reason = WVM_KIND_NONE;
    f->events_at = tx->nevents;
    f->changes_at = tx->changes_len;
    /* a view function's callees may not write either */
    f->read_only = tx->depth > 1 && tx->frames[tx->depth - 2].read_only;
    f->params = NULL;
    f->params_len = 0;
    f->open_enter = -1;
    f->inst = NULL;
    f->has_default = false;
    return f;
}

const wvm_object_id *host_default_object(host_tx *tx, host_frame *f) {
    if (f->has_default) return &f->default_id;
    host_store *hs = tx->hs;
    if (!hs->has_default || memcmp(&hs->default_of, &f->contract, sizeof f->contract)) {
        wvm_default_object_id(&f->contract, &hs->default_id);
        hs->default_of = f->contract;
        hs->has_default = true;
    }
    f->default_id = hs->default_id;
    f->has_default = true;
    return &f->default_id;
}

void host_frame_pop(host_tx *tx, bool failed) {
    host_frame *f = host_top(tx);
    if (failed) {
        /* its nested state transaction is discarded: so are its events */
        for (uint32_t i = f->events_at; i < tx->nevents; i++) free(tx->events[i].name);
        tx->nevents = f->events_at;
        tx->changes_len = f->changes_at;
    }
    frame_clear(f);
    tx->depth--;
}

wvm_status host_fail(wvm_caller *c, host_tx *tx, wvm_error_kind kind, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (tx->depth) host_top(tx)->reason = kind;
    return wvm_caller_trap(c, "%s", msg);
}

wvm_status host_state_fail(wvm_caller *c, host_tx *tx, const char *fn, wvm_status st,
                           const char *detail) {
    if (st == WVM_ERR_NOMEM)
        return host_fail(c, tx, WVM_KIND_RESOURCE_EXHAUSTED, "%s: host out of memory", fn);
    return host_fail(c, tx, WVM_KIND_STATE_ERROR, "%s: the state store failed: %s (%s)", fn,
                     detail ? detail : "", wvm_status_str(st));
}

wvm_status host_ret(host_tx *tx, int32_t code, int32_t *ret) {
    host_top(tx)->buf_len = 0;
    *ret = code;
    return WVM_OK;
}

wvm_status host_check_len(wvm_caller *c, host_tx *tx, const char *fn, const char *what,
                          bool plural, uint32_t len, int max, const char *max_name) {
    if (len <= (uint32_t)max) return WVM_OK;
    return host_fail(c, tx, WVM_KIND_RESOURCE_EXHAUSTED, "%s: %s of %u bytes %s over the limit %s (%d)",
                     fn, what, len, plural ? "are" : "is", max_name, max);
}

wvm_status host_buf_set(host_frame *f, const void *bytes, uint32_t len) {
    if (len > f->buf_cap) {
        uint32_t cap = f->buf_cap ? f->buf_cap : 256;
        while (cap < len) cap = cap > UINT32_MAX / 2 ? len : cap * 2;
        uint8_t *p = realloc(f->buf, cap);
        if (!p) return WVM_ERR_NOMEM;
        f->buf = p;
        f->buf_cap = cap;
    }
    if (len) memcpy(f->buf, bytes, len);
    f->buf_len = len;
    return WVM_OK;
}

wvm_status host_charge(wvm_caller *c, uint64_t extra, uint64_t bytes) {
    const wvm_cost_table *k = wvm_caller_costs(c);
    return wvm_caller_charge(c, extra + bytes * k->host_byte);
}

wvm_status host_check_range(wvm_caller *c, host_tx *tx, const char *fn, const char *what,
                            uint32_t ptr, uint32_t len) {
    if (wvm_caller_memory(c, ptr, len)) return WVM_OK;
    if ((uint64_t)ptr + len > UINT32_MAX)
        return host_fail(c, tx, WVM_KIND_EXECUTION_FAILED,
                         "%s: %s [0x%x, +%u) wraps past 2^32", fn, what, ptr, len);
    return host_fail(c, tx, WVM_KIND_EXECUTION_FAILED,
                     "%s: %s [0x%x, +%u) is outside the contract's memory", fn, what, ptr, len);
}

/* Whether [s, s + len) is one JSON value (with whitespace around it
 * allowed), of type object when want_object; on failure *why (if not
 * NULL) gets json-c's reason and *at the offset.  Nesting up to 64. */
bool host_json_valid(const char *s, size_t len, bool want_object, const char **why, size_t *at) {
    if (why) *why = "out of memory", *at = 0;
    if (len > INT32_MAX) return false;
    if (jsonquick_valid(s, len, want_object)) return true;
    json_tokener *tok = json_tokener_new_ex(64);
    if (!tok) return false;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *o = json_tokener_parse_ex(tok, s, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    /* a JSON null parses to NULL: success is the tokenizer's word */
    if (!o && e == json_tokener_continue) {
        /* a number at the very end waits for more: the NUL ends it */
        o = json_tokener_parse_ex(tok, "", 1);
        e = json_tokener_get_error(tok);
        end = len;
    }
    while (e == json_tokener_success && end < len && (s[end] == ' ' || s[end] == '\t' || s[end] == '\n' || s[end] == '\r')) end++;
    bool ok = e == json_tokener_success && end == len;
    if (why && !ok) {
        *why = e != json_tokener_success ? json_tokener_error_desc(e) : "text after the value";
        *at = end;
    }
    if (ok && want_object && !json_object_is_type(o, json_type_object)) {
        ok = false;
        if (why) *why = "not an object", *at = 0;
    }
    json_object_put(o);
    json_tokener_free(tok);
    return ok;
}

char *host_logs_json(const host_tx *tx) {
    /* most calls log nothing: json-c's text of an empty array, without
     * making one */
    if (!tx->nlogs) return strdup("[]");
    json_object *a = json_object_new_array();
    if (!a) return NULL;
    for (uint32_t i = 0; i < tx->nlogs; i++) {
        json_object *l = json_object_new_string(tx->logs[i]);
        if (!l || json_object_array_add(a, l)) {
            json_object_put(l);
            json_object_put(a);
            return NULL;
        }
    }
    char *s = strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(a);
    return s;
}
