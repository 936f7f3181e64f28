/*
 * host.h -- private header of src/host/: the contract ABI of
 * sdk/include/wvm/abi.h on the host side (docs/abi.md is the prose).
 *
 * One host_tx per transaction (a call, a query, the Initialize of a
 * deploy).  It owns the wvm_store every instance of the transaction
 * lives in, the host functions linked into them, and the stack of
 * contract frames: frame 0 is the contract the transaction called, frame
 * i + 1 the contract frame i called (WVM_HOST_CALL).  Host functions find
 * the executing contract on top of that stack, so one set of host
 * functions serves every instance of the store.  Issue 15's call chain,
 * policies and trace records are read from the same stack.
 *
 * Running a frame (find the contract, instantiate, allocate, call) is the
 * call path's job (src/chain/call.c); host_tx reaches it through `run`,
 * so src/host knows nothing of chains or module caches.
 *
 * Errors: a host function that must stop the contract records the error
 * kind in its frame (host_fail) and traps; the call path reads the kind
 * from the frame, never from the message.  Kinds of traps without a
 * recorded kind come from their wvm_status.
 *
 * One thread at a time per host_tx (the store's rule).
 */
#ifndef WVM_HOST_H
#define WVM_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wvm.h"
#include "wvm_chain.h"
#include "wvm/abi.h"
#include "state/state.h"

/* The imports of abi.h, in this order in host_tx.imports. */
enum host_import {
    HOST_IMPORT_CALL_HOST_SET,
    HOST_IMPORT_GET_BUFFER,
    HOST_IMPORT_BLOCK_HEIGHT,
    HOST_IMPORT_BLOCK_TIME,
    HOST_IMPORT_BALANCE,
    HOST_IMPORT_FIELD_GET,
    HOST_IMPORT_FIELD_SET,
    HOST_NIMPORTS
};

/* Largest argument buffer of call_host_set: a call's params and names
 * with their length prefixes, or a field value with its id and name. */
#define HOST_MAX_ARGS (WVM_MAX_PARAMS_LEN + 2 * WVM_MAX_NAME_LEN + 1024)
/* Most names one WVM_HOST_FIELD_LIST returns (a larger limit is cut). */
#define HOST_MAX_LIST 256
/* Longest message of WVM_HOST_SET_ERROR. */
#define HOST_MAX_ERROR_LEN WVM_MAX_LOG_LEN

typedef struct host_event {
    wvm_address contract;
    char *name;                /* malloc'd, with attrs */
    char *attrs;
} host_event;

typedef struct host_frame {
    wvm_address contract;      /* the executing contract */
    wvm_address sender;        /* its immediate caller */
    char function[WVM_MAX_NAME_LEN + 1];
    uint32_t function_len;
    st_txn *txn;               /* this frame's state transaction */
    /* the host buffer of call_host_set / call_host_get_buffer */
    uint8_t *buf;
    uint32_t buf_len, buf_cap;
    /* what the contract reported */
    char *result;              /* malloc'd JSON, NULL: none */
    uint32_t result_len;
    bool has_error;
    uint32_t error_code;       /* enum wvm_contract_err */
    char *error;               /* malloc'd message */
    /* the kind a host function recorded before trapping (host_fail) */
    wvm_error_kind reason;
    uint32_t events_at;        /* tx->nevents when the frame began */
    size_t changes_at;         /* tx->changes_len when the frame began */
    /* issue 15: policies and tracing (policy.c, trace.c) */
    bool read_only;            /* a `view` function runs here or below */
    const char *params;        /* the call's params, during the frame */
    uint32_t params_len;
    int32_t open_enter;        /* index of its ENTER record without an
                                  EXIT yet, -1: none */
    const wvm_instance *inst;  /* its instance, once made (profiles) */
    /* the contract's default object (the all-zero id's meaning), derived
     * on first use: a SHA-256 a contract would otherwise pay per access */
    bool has_default;
    wvm_object_id default_id;
} host_frame;

/* What a frame ended with. */
typedef struct host_outcome {
    wvm_error_kind kind;       /* WVM_KIND_NONE: success */
    char *message;             /* malloc'd; NULL on success */
    char *result;              /* malloc'd JSON; NULL: none */
    /* a status that ends the whole transaction, not only this frame:
     * out of fuel, timeout, cancel, the store failing.  WVM_OK if none. */
    wvm_status fatal;
} host_outcome;

typedef struct host_tx host_tx;

/* Runs `function` of contract `target` as a new frame of tx, with its
 * state transaction a child of parent; fills *out (the call path,
 * src/chain/call.c). */
typedef void (*host_run_fn)(host_tx *tx, st_txn *parent, const wvm_address *target,
                            const wvm_address *sender, const char *function, uint32_t function_len,
                            const char *params, uint32_t params_len, host_outcome *out);

/* The trace of a transaction (trace.c), when tx->trace. */
typedef struct host_trace {
    wvm_trace_record *recs;    /* strings malloc'd */
    uint32_t n, cap;
    bool nomem;                /* a record was lost: reported at the end */
    uint64_t start_ns;         /* wall clock at the transaction's start */
} host_trace;

/* A store and the host functions made in it.  The functions' user
 * pointer is the host_store, and they act on whichever host_tx uses it
 * now (tx): so one store can serve one transaction after another (the
 * instance pool, call.c), each transaction re-pointing tx. */
typedef struct host_store host_store;

/* The user pointer of import i of a store: it reaches the import's own
 * function through host.c's gate (import_gate). */
typedef struct host_import_ref {
    host_store *hs;
    uint32_t i;
} host_import_ref;

struct host_store {
    wvm_store *store;
    wvm_func *imports[HOST_NIMPORTS];
    host_import_ref refs[HOST_NIMPORTS];
    host_tx *tx;               /* the transaction using it; NULL: none */
    /* the default object of the contract last asked for: a pooled store
     * serves one contract call after another, so this saves the
     * SHA-256 of host_default_object in most transactions */
    bool has_default;
    wvm_address default_of;
    wvm_object_id default_id;
};

/* Makes hs's store in engine e and its host functions.  WVM_OK or
 * WVM_ERR_NOMEM (hs then holds nothing). */
wvm_status host_store_init(host_store *hs, wvm_engine *e);
/* Frees the store with its instances; NULL store ok. */
void host_store_free(host_store *hs);
/* The transaction of a host function's user pointer. */
static inline host_tx *host_user(void *user) { return ((host_store *)user)->tx; }

struct host_tx {
    wvm_store *store;          /* hs->store */
    host_store *hs;            /* &own, or a borrowed one (host_tx_use) */
    host_store own;
    bool trace;                /* collect trace records (args->trace) */
    host_trace tr;
    /* fuel the transaction used before the store's current outermost
     * call: the call path keeps it, trace records add the caller's */
    uint64_t fuel_base;
    uint64_t fuel_hidden;      /* hidden by per-call caps now (calls.c) */
    /* the call_host_set function running (its name), for profiles */
    const char *cur_host;
    wvm_func *imports[HOST_NIMPORTS];
    wvm_address origin;        /* the transaction's sender */
    uint64_t value;            /* attached to the top frame's call only */
    uint64_t height, time;     /* what the contract sees */
    host_run_fn run;
    void *run_user;            /* for `run` */
    wvm_caller *caller;        /* the host call `run` runs a callee in (calls.c) */
    uint32_t depth;            /* frames in use */
    /* a frame's start function or _initialize runs: the host refuses
     * every import (host.c, import_gate) */
    bool initializing;
    /* frames[0, frames_used) have been set up (host_frame_push), the
     * rest are untouched memory: a transaction clears and frees only the
     * frames it reached, not all WVM_MAX_CALL_DEPTH (26 KiB) */
    uint32_t frames_used;
    host_event *events;        /* of the frames that did not fail */
    uint32_t nevents, events_cap;
    char **logs;               /* WVM_HOST_LOG lines, for the receipt's trace */
    uint32_t nlogs, logs_cap;
    uint8_t *args;             /* scratch copy of call_host_set's arguments */
    uint32_t args_cap;
    /* the state changes, as the elements of a JSON array (changes.c) */
    bool record_changes;       /* queries only */
    bool changes_nomem;
    char *changes;
    size_t changes_len, changes_cap;
    /* last, so that host_tx_clear leaves it out: only frames_used of
     * them are initialized */
    host_frame frames[WVM_MAX_CALL_DEPTH];
};

/* Makes tx empty, as host_tx_free leaves it (safe to free again): the
 * header only, the frames left as they are (frames_used = 0).  Every
 * host_tx starts with it or host_tx_init / host_tx_use. */
void host_tx_clear(host_tx *tx);

/* Makes tx's store in engine e and its host functions.  WVM_OK or
 * WVM_ERR_NOMEM.  The caller sets origin, height, time, run. */
wvm_status host_tx_init(host_tx *tx, wvm_engine *e);
/* Like host_tx_init, but tx uses hs (which must outlive it) instead of
 * a store of its own; hs->tx is tx until host_tx_free. */
void host_tx_use(host_tx *tx, host_store *hs);
/* Frees everything of tx (the store with its instances, unless
 * borrowed: a borrowed store is left to its owner); NULL ok. */
void host_tx_free(host_tx *tx);

/* The import of m at index i: one of tx's host functions, or NULL when m
 * imports something abi.h does not name.  *what gets "env.NAME". */
wvm_func *host_import(host_tx *tx, const wvm_module *m, uint32_t i);
/* Whether (module, name) is an import of abi.h. */
bool host_import_known(const char *module, uint32_t module_len, const char *name, uint32_t name_len);

/* Pushes a new frame (its txn set by the caller) and pops it, dropping
 * its events when it failed.  push: NULL at WVM_MAX_CALL_DEPTH. */
host_frame *host_frame_push(host_tx *tx, const wvm_address *contract, const wvm_address *sender,
                            const char *function, uint32_t function_len);
void host_frame_pop(host_tx *tx, bool failed);
static inline host_frame *host_top(host_tx *tx) { return &tx->frames[tx->depth - 1]; }
/* The default object of frame f's contract (derived once per frame,
 * or found in tx's store). */
const wvm_object_id *host_default_object(host_tx *tx, host_frame *f);

/* Records kind in the executing frame and traps with the message
 * (printf-style); returns WVM_TRAP_HOST. */
wvm_status host_fail(wvm_caller *c, host_tx *tx, wvm_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sets the frame's host buffer to bytes (copied).  WVM_ERR_NOMEM. */
wvm_status host_buf_set(host_frame *f, const void *bytes, uint32_t len);
/* Ends a host function that leaves the buffer empty: *ret = code (0 or a
 * negative wvm_abi_err); returns WVM_OK. */
wvm_status host_ret(host_tx *tx, int32_t code, int32_t *ret);

/* WVM_OK when len <= max; else traps with resource_exhausted and
 * "FN: WHAT of LEN bytes is (are, when plural) over the limit MAX_NAME
 * (MAX)".  HOST_CHECK_LEN names the limit macro itself. */
wvm_status host_check_len(wvm_caller *c, host_tx *tx, const char *fn, const char *what,
                          bool plural, uint32_t len, int max, const char *max_name);
#define HOST_CHECK_LEN(c, tx, fn, what, plural, len, LIMIT) \
    host_check_len(c, tx, fn, what, plural, len, LIMIT, #LIMIT)

/* ---- arguments of call_host_set (args.c) ----
 * A cursor over the argument buffer: fields of a u32 little-endian
 * length and that many bytes.  Each reader checks the field is there and
 * of the right size, and traps (through host_fail) with a message naming
 * the host function and the argument when not. */
typedef struct host_args {
    host_tx *tx;
    wvm_caller *caller;
    const char *fn;            /* the host function's name, for messages */
    const uint8_t *p, *end;
} host_args;

wvm_status args_bytes(host_args *a, const char *what, const uint8_t **out, uint32_t *len);
/* A name: 1 to WVM_MAX_NAME_LEN bytes, no NUL inside (function and event
 * names, which are text).  args_field_name: the same, but any bytes (the
 * store keeps field names as bytes). */
wvm_status args_name(host_args *a, const char *what, const char **out, uint32_t *len);
wvm_status args_field_name(host_args *a, const char *what, const char **out, uint32_t *len);
wvm_status args_address(host_args *a, const char *what, wvm_address *out);
/* An object id; all zero becomes the executing contract's default object. */
wvm_status args_object(host_args *a, const char *what, wvm_object_id *out);
wvm_status args_u64(host_args *a, const char *what, uint64_t *out);
wvm_status args_u32(host_args *a, const char *what, uint32_t *out);
/* Traps when fields are left over. */
wvm_status args_end(host_args *a);

/* Charges fuel: host_byte per byte plus `extra` (a cost-table entry). */
wvm_status host_charge(wvm_caller *c, uint64_t extra, uint64_t bytes);
/* Checks [ptr, ptr + len) lies in the caller's memory; traps naming the
 * host function and the argument otherwise. */
wvm_status host_check_range(wvm_caller *c, host_tx *tx, const char *fn, const char *what,
                            uint32_t ptr, uint32_t len);

/* Whether [s, s + len) is one JSON value (an object when want_object),
 * whitespace around it allowed; else *why (static text) and *at, the
 * offset, when why is not NULL. */
bool host_json_valid(const char *s, size_t len, bool want_object, const char **why, size_t *at);
/* True only when [s, s + len) is surely valid JSON (an object when
 * want_object) by a quick check of a plain subset (jsonquick.c); false
 * means "ask json-c", not "invalid". */
bool jsonquick_valid(const char *s, size_t len, bool want_object);

/* ---- host functions of call_host_set, one area per file ----
 * Each takes the parsed-argument cursor, leaves its result in the
 * frame's buffer and returns the call_host_set value (>= 0 length, or a
 * negative wvm_abi_err) in *ret; a status other than WVM_OK traps. */
typedef wvm_status (*host_handler)(host_args *a, int32_t *ret);

/* context.c */
wvm_status context_sender(host_args *a, int32_t *ret);
wvm_status context_self(host_args *a, int32_t *ret);
wvm_status context_origin(host_args *a, int32_t *ret);
wvm_status context_block_height(host_args *a, int32_t *ret);
wvm_status context_block_time(host_args *a, int32_t *ret);
wvm_status context_function(host_args *a, int32_t *ret);
wvm_status context_caller(host_args *a, int32_t *ret);
wvm_status context_caller_function(host_args *a, int32_t *ret);
wvm_status context_call_depth(host_args *a, int32_t *ret);
wvm_status context_call_frame(host_args *a, int32_t *ret);
wvm_status context_value(host_args *a, int32_t *ret);
/* direct imports */
wvm_status context_get_block_height(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res);
wvm_status context_get_block_time(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res);

/* objects.c */
wvm_status objects_create(host_args *a, int32_t *ret);
wvm_status objects_field_get(host_args *a, int32_t *ret);
wvm_status objects_field_set(host_args *a, int32_t *ret);
wvm_status objects_field_delete(host_args *a, int32_t *ret);
wvm_status objects_field_list(host_args *a, int32_t *ret);
wvm_status objects_owner(host_args *a, int32_t *ret);
wvm_status objects_set_owner(host_args *a, int32_t *ret);
wvm_status objects_delete(host_args *a, int32_t *ret);
wvm_status objects_exists(host_args *a, int32_t *ret);
wvm_status objects_get_field(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res);
wvm_status objects_set_field(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res);

/* balances.c */
wvm_status balances_balance(host_args *a, int32_t *ret);
wvm_status balances_transfer(host_args *a, int32_t *ret);
wvm_status balances_get_balance(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res);

/* output.c: events, log, result, error */
wvm_status output_emit_event(host_args *a, int32_t *ret);
wvm_status output_log(host_args *a, int32_t *ret);
wvm_status output_set_result(host_args *a, int32_t *ret);
wvm_status output_set_error(host_args *a, int32_t *ret);

/* calls.c */
wvm_status calls_call(host_args *a, int32_t *ret);

/* trace.c */
wvm_status trace_enter(host_args *a, int32_t *ret);
wvm_status trace_exit(host_args *a, int32_t *ret);
/* The fuel the transaction has used, inside a host function. */
uint64_t trace_fuel(host_tx *tx, wvm_caller *c);
/* A CALL record from the executing frame to (target, function). */
void trace_call(host_tx *tx, uint64_t fuel, const wvm_address *target, const char *function,
                uint32_t function_len, const char *params, uint32_t params_len);
/* Ends the ENTER left open at depth d (a trap, or a hook never run) with
 * an EXIT of status kind at fuel. */
void trace_close(host_tx *tx, uint32_t d, wvm_error_kind kind, uint64_t fuel);
/* Moves the records into the receipt (r->trace, r->ntrace); WVM_ERR_NOMEM
 * when records were lost. */
wvm_status trace_take(host_tx *tx, wvm_receipt *r);
void trace_free(host_trace *t);

/* policy.c: view functions may not write (dispatch.c and the direct
 * field set call it before any write): traps with permission_denied. */
wvm_status policy_check_write(wvm_caller *c, host_tx *tx, const char *fn);

/* changes.c: what a query reports it would change (no-ops unless
 * tx->record_changes).  changes_json: "[...]" malloc'd, NULL when out of
 * memory. */
void changes_field_set(host_tx *tx, const wvm_object_id *id, const char *name, size_t nlen,
                       const uint8_t *val, size_t vlen);
void changes_field_delete(host_tx *tx, const wvm_object_id *id, const char *name, size_t nlen);
void changes_object(host_tx *tx, const char *op, const wvm_object_id *id, const wvm_address *owner);
void changes_transfer(host_tx *tx, const wvm_address *from, const wvm_address *to, uint64_t amount);
char *changes_json(const host_tx *tx);
/* The log and trace lines as a JSON array of strings (host.c); malloc'd,
 * NULL when out of memory. */
char *host_logs_json(const host_tx *tx);

/* dispatch.c: the two dispatcher imports */
wvm_status dispatch_call_host_set(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res);
wvm_status dispatch_get_buffer(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res);

/* Whether the store failing (not the contract) caused st: ends the
 * transaction with state_error. */
wvm_status host_state_fail(wvm_caller *c, host_tx *tx, const char *fn, wvm_status st,
                           const char *detail);

#endif
