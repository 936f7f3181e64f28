/*
 * wvm/contract.h -- the C contract SDK: what a contract author reads first.
 *
 * DRAFT INTERFACE written by the integrator so the SDK, the host, the
 * toolchain and the examples agree; the SDK's implementer may add to it
 * and refine comments, but should keep these names and shapes.
 *
 * A contract is plain C compiled for wasm32.  Its exported functions are
 * the non-static functions whose first parameter is `wvm_ctx *`:
 *
 *     #include <wvm/contract.h>
 *
 *     uint64_t BalanceOf(wvm_ctx *ctx, wvm_address owner) { ... }
 *     void Transfer(wvm_ctx *ctx, wvm_address to, uint64_t amount) {
 *         if (amount > have)
 *             return wvm_error(ctx, "insufficient balance: have %llu", have);
 *         ...
 *     }
 *
 * Parameter and result types, and their JSON form:
 *     int32_t, uint32_t, int64_t, uint64_t   JSON integer (64-bit exact;
 *                                            a decimal string is accepted too)
 *     bool                                   true / false
 *     const char *                           JSON string (UTF-8, NUL-terminated
 *                                            for the function; no NUL inside)
 *     wvm_bytes                              "0x" + hex digits
 *     wvm_address                            "0x" + 40 hex digits
 *     wvm_object_id                          "0x" + 64 hex digits
 *     void (result only)                     null
 * Parameters arrive as one JSON object keyed by parameter name.
 *
 * Errors: a function fails by calling wvm_error (or one of the SDK calls
 * that fail the call for it) and returning; whatever it returns after an
 * error is ignored, and the host discards the call's state changes.
 *
 * Memory: values the SDK returns (strings, bytes, parsed JSON) live in a
 * per-call arena and stay valid until the exported function returns.
 *
 * `wvm build` (the toolchain) finds the exported functions and generates
 * the dispatch.  Without it, declare them by hand with WVM_EXPORTS below.
 */
#ifndef WVM_CONTRACT_H
#define WVM_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>   /* memcpy, memset, strlen, ...: freestanding, no WASI */

#include "abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Types                                                               */

typedef struct wvm_ctx wvm_ctx;                 /* one per call, opaque */
typedef struct wvm_address { uint8_t b[WVM_ADDRESS_LEN]; } wvm_address;
typedef struct wvm_object_id { uint8_t b[WVM_OBJECT_ID_LEN]; } wvm_object_id;
typedef struct wvm_bytes { const uint8_t *ptr; uint32_t len; } wvm_bytes;

/* The all-zero object ID: the executing contract's default object. */
static inline wvm_object_id wvm_default_object(void) {
    wvm_object_id id = {{0}};
    return id;
}
bool wvm_address_eq(wvm_address a, wvm_address b);
bool wvm_address_is_zero(wvm_address a);
const char *wvm_address_hex(wvm_ctx *ctx, wvm_address a);
const char *wvm_object_id_hex(wvm_ctx *ctx, wvm_object_id id);

/* ------------------------------------------------------------------ */
/* Context                                                             */

wvm_address wvm_sender(wvm_ctx *ctx);      /* immediate caller */
wvm_address wvm_self(wvm_ctx *ctx);        /* this contract's address */
wvm_address wvm_origin(wvm_ctx *ctx);      /* the transaction's sender */
uint64_t wvm_block_height(wvm_ctx *ctx);
uint64_t wvm_block_time(wvm_ctx *ctx);     /* seconds since the epoch */

/* Call information (docs/calls.md).  caller: the calling contract (false
 * at the top of the chain); frames are numbered from 0, the
 * transaction's first contract, to call_depth(ctx) - 1, the caller. */
bool wvm_caller(wvm_ctx *ctx, wvm_address *out);
const char *wvm_caller_function(wvm_ctx *ctx);     /* NULL at the top */
uint32_t wvm_call_depth(wvm_ctx *ctx);
bool wvm_call_frame(wvm_ctx *ctx, uint32_t i, wvm_address *contract,
                    const char **function);
bool wvm_is_reentrant(wvm_ctx *ctx);   /* this contract is already in the chain */

/* ------------------------------------------------------------------ */
/* Errors and results                                                  */

/* Fails the call with the contract's own message (kind contract_error).
 * printf-style (%d %u %lld %llu %s %x and the usual flags). */
void wvm_error(wvm_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Fails the call with kind invalid_parameters. */
void wvm_error_params(wvm_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool wvm_failed(const wvm_ctx *ctx);

/* Sets the call's result to a JSON value (text copied).  The generated
 * dispatch does this from the function's return value. */
void wvm_result_json(wvm_ctx *ctx, const char *json, uint32_t len);

/* Writes a log line into the trace (not consensus data). */
void wvm_log(wvm_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ */
/* Objects                                                             */

/* Creates an object owned by `owner` (zero address: this contract). */
bool wvm_object_create(wvm_ctx *ctx, wvm_address owner, wvm_object_id *out);
bool wvm_object_exists(wvm_ctx *ctx, wvm_object_id id);
bool wvm_object_owner(wvm_ctx *ctx, wvm_object_id id, wvm_address *out);
/* Owner changes and writes obey the write rule (docs/state.md): allowed
 * only when the object's owner is this contract or the transaction's
 * sender; otherwise the call ends with permission_denied. */
void wvm_object_set_owner(wvm_ctx *ctx, wvm_object_id id, wvm_address owner);
bool wvm_object_delete(wvm_ctx *ctx, wvm_object_id id);

/* Fields.  get: false when the object or field does not exist. */
bool wvm_field_get(wvm_ctx *ctx, wvm_object_id id, const char *name, wvm_bytes *out);
void wvm_field_set(wvm_ctx *ctx, wvm_object_id id, const char *name,
                   const void *value, uint32_t len);
bool wvm_field_delete(wvm_ctx *ctx, wvm_object_id id, const char *name);
/* Typed fields (stored as 8-byte little-endian, string bytes, 20 bytes).
 * get_* returns false when missing or of the wrong size. */
bool wvm_field_get_u64(wvm_ctx *ctx, wvm_object_id id, const char *name, uint64_t *out);
void wvm_field_set_u64(wvm_ctx *ctx, wvm_object_id id, const char *name, uint64_t v);
bool wvm_field_get_str(wvm_ctx *ctx, wvm_object_id id, const char *name, const char **out);
void wvm_field_set_str(wvm_ctx *ctx, wvm_object_id id, const char *name, const char *v);
bool wvm_field_get_address(wvm_ctx *ctx, wvm_object_id id, const char *name, wvm_address *out);
void wvm_field_set_address(wvm_ctx *ctx, wvm_object_id id, const char *name, wvm_address v);
/* Up to `limit` field names after `after` (NULL: from the first), in
 * byte order; *names is arena memory.  Returns the number listed. */
uint32_t wvm_field_list(wvm_ctx *ctx, wvm_object_id id, const char *after,
                        uint32_t limit, const char ***names);

/* ------------------------------------------------------------------ */
/* Balances (the native token)                                         */

uint64_t wvm_balance(wvm_ctx *ctx, wvm_address who);
/* From this contract's balance.  false (and no change) on insufficient
 * funds or overflow; the call goes on. */
bool wvm_transfer(wvm_ctx *ctx, wvm_address to, uint64_t amount);

/* ------------------------------------------------------------------ */
/* JSON: a small bounded reader and writer, 64-bit integers exact      */

typedef struct wvm_json wvm_json;   /* a parsed value, arena memory */
typedef enum wvm_json_type {
    WVM_JSON_NULL, WVM_JSON_BOOL, WVM_JSON_INT, WVM_JSON_FLOAT,
    WVM_JSON_STRING, WVM_JSON_ARRAY, WVM_JSON_OBJECT,
} wvm_json_type;

/* Parses text (nesting at most 64, the whole text one value).  NULL on
 * malformed input, with the reason and offset in *err (static or arena). */
wvm_json *wvm_json_parse(wvm_ctx *ctx, const char *text, uint32_t len, const char **err);
wvm_json_type wvm_json_typeof(const wvm_json *v);
const wvm_json *wvm_json_get(const wvm_json *obj, const char *key); /* NULL: absent */
uint32_t wvm_json_len(const wvm_json *v);          /* array or object */
const wvm_json *wvm_json_at(const wvm_json *v, uint32_t i);
const char *wvm_json_key_at(const wvm_json *obj, uint32_t i);
bool wvm_json_u64(const wvm_json *v, uint64_t *out);  /* integer or decimal string, range-checked */
bool wvm_json_i64(const wvm_json *v, int64_t *out);
bool wvm_json_bool(const wvm_json *v, bool *out);
const char *wvm_json_str(const wvm_json *v, uint32_t *len); /* NULL if not a string */

/* Writer into a growable arena buffer.  Keys and strings are escaped. */
typedef struct wvm_jw {
    wvm_ctx *ctx;
    char *buf;              /* the text so far, NUL-terminated (arena) */
    uint32_t len, cap;
    uint32_t depth;         /* open objects and arrays */
    uint64_t objects;       /* bit d: the container at depth d is an object */
    bool need_comma, after_key, failed;
} wvm_jw;
void wvm_jw_init(wvm_jw *w, wvm_ctx *ctx);
void wvm_jw_object_begin(wvm_jw *w);
void wvm_jw_object_end(wvm_jw *w);
void wvm_jw_array_begin(wvm_jw *w);
void wvm_jw_array_end(wvm_jw *w);
void wvm_jw_key(wvm_jw *w, const char *key);
void wvm_jw_u64(wvm_jw *w, uint64_t v);
void wvm_jw_i64(wvm_jw *w, int64_t v);
void wvm_jw_bool(wvm_jw *w, bool v);
void wvm_jw_null(wvm_jw *w);
void wvm_jw_str(wvm_jw *w, const char *s);
void wvm_jw_strn(wvm_jw *w, const char *s, uint32_t len);
void wvm_jw_address(wvm_jw *w, wvm_address a);        /* "0x..." */
void wvm_jw_object_id(wvm_jw *w, wvm_object_id id);
void wvm_jw_bytes(wvm_jw *w, wvm_bytes b);
void wvm_jw_raw(wvm_jw *w, const char *json, uint32_t len); /* a JSON value already written */
void wvm_jw_value(wvm_jw *w, const wvm_json *v);
void wvm_return_json(wvm_ctx *ctx, const wvm_jw *w);

#define WVM_JSON_MAX_DEPTH 64
#define WVM_JW_MAX_LEN (1u << 20)

/* ------------------------------------------------------------------ */
/* Events                                                              */

/* Emits event `name` with attributes, a JSON object written with w (or
 * NULL for {}). */
void wvm_emit(wvm_ctx *ctx, const char *name, const wvm_jw *attrs);

/* ------------------------------------------------------------------ */
/* Cross-contract calls (docs/calls.md)                                */

typedef struct wvm_call_result {
    bool ok;
    uint32_t error_kind;      /* the callee's error kind when !ok */
    const char *message;      /* the callee's error message when !ok */
    const char *result;       /* the callee's result JSON when ok */
    uint32_t result_len;
    const wvm_json *value;    /* result parsed, NULL if none */
} wvm_call_result;
/* Calls `function` of contract `target` with params_json (NULL: {}).
 * The callee runs with this contract as its sender in a nested state
 * transaction; its changes are undone if it fails.  false when it
 * failed (see out->error_kind, out->message); the caller may go on. */
bool wvm_call(wvm_ctx *ctx, wvm_address target, const char *function,
              const char *params_json, wvm_call_result *out);
bool wvm_call_capped(wvm_ctx *ctx, wvm_address target, const char *function,
                     const char *params_json, uint64_t fuel_cap, wvm_call_result *out);

/* ------------------------------------------------------------------ */
/* Parameters (used by the generated dispatch, and by hand-written ones)
 *
 * Each reads parameter `name` of the call's JSON object; on a missing
 * parameter or a value of the wrong type or range it fails the call with
 * invalid_parameters naming the parameter and what was expected, and
 * returns a zero value. */

typedef struct wvm_args wvm_args;
int32_t wvm_arg_i32(wvm_args *a, const char *name);
uint32_t wvm_arg_u32(wvm_args *a, const char *name);
int64_t wvm_arg_i64(wvm_args *a, const char *name);
uint64_t wvm_arg_u64(wvm_args *a, const char *name);
bool wvm_arg_bool(wvm_args *a, const char *name);
const char *wvm_arg_str(wvm_args *a, const char *name);
wvm_bytes wvm_arg_bytes(wvm_args *a, const char *name);
wvm_address wvm_arg_address(wvm_args *a, const char *name);
wvm_object_id wvm_arg_object_id(wvm_args *a, const char *name);
/* After reading every parameter: fails the call (invalid_parameters) if
 * the object has a key that was not read (an extra parameter). */
void wvm_args_done(wvm_args *a);
const wvm_json *wvm_args_json(wvm_args *a);

/* Results of the dispatch, from a function's return value. */
void wvm_return_i32(wvm_ctx *ctx, int32_t v);
void wvm_return_u32(wvm_ctx *ctx, uint32_t v);
void wvm_return_i64(wvm_ctx *ctx, int64_t v);
void wvm_return_u64(wvm_ctx *ctx, uint64_t v);
void wvm_return_bool(wvm_ctx *ctx, bool v);
void wvm_return_str(wvm_ctx *ctx, const char *v);
void wvm_return_bytes(wvm_ctx *ctx, wvm_bytes v);
void wvm_return_address(wvm_ctx *ctx, wvm_address v);
void wvm_return_object_id(wvm_ctx *ctx, wvm_object_id v);

/* ------------------------------------------------------------------ */
/* Dispatch
 *
 * A contract's dispatch is a table of its exported functions.  The
 * toolchain generates it; by hand:
 *
 *     static void do_transfer(wvm_ctx *ctx, wvm_args *a) {
 *         wvm_address to = wvm_arg_address(a, "to");
 *         uint64_t amount = wvm_arg_u64(a, "amount");
 *         wvm_args_done(a);
 *         if (!wvm_failed(ctx)) Transfer(ctx, to, amount);
 *     }
 *     WVM_EXPORTS({"Transfer", do_transfer}, {"BalanceOf", do_balance_of})
 *
 * WVM_EXPORTS defines `allocate` and `handle_contract_call`.  The
 * dispatch parses the parameters (invalid_parameters when they are not a
 * JSON object), finds the function (function_not_found naming it and
 * listing the exported ones), records trace enter/exit, runs it and
 * returns 0 unless the call failed.  An "Initialize" entry, if any, is
 * what deploy runs. */

typedef void (*wvm_handler)(wvm_ctx *ctx, wvm_args *args);
typedef struct wvm_export {
    const char *name;
    wvm_handler fn;
} wvm_export;

int32_t wvm_dispatch(const wvm_export *table, uint32_t n,
                     uint32_t name_ptr, uint32_t name_len,
                     uint32_t params_ptr, uint32_t params_len);
void *wvm_allocate(uint32_t size);

#define WVM_EXPORTS(...)                                                     \
    static const wvm_export wvm__exports[] = {__VA_ARGS__};                 \
    __attribute__((export_name("allocate"))) void *allocate(uint32_t size) { \
        return wvm_allocate(size);                                           \
    }                                                                        \
    __attribute__((export_name("handle_contract_call"))) int32_t             \
    handle_contract_call(uint32_t np, uint32_t nl, uint32_t pp, uint32_t pl) { \
        return wvm_dispatch(wvm__exports,                                    \
                            sizeof wvm__exports / sizeof wvm__exports[0],    \
                            np, nl, pp, pl);                                 \
    }

#ifdef __cplusplus
}
#endif
#endif
