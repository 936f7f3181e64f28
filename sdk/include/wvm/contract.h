/*
 * wvm/contract.h -- the C contract SDK.  What a contract author reads
 * first; sdk/README.md says how to build by hand, docs/contracts.md is
 * the contract language, docs/abi.md the host side of the same ABI.
 *
 * A CONTRACT is plain C compiled for wasm32 and linked with libwvmsdk.a.
 * Its exported functions are the non-static functions whose first
 * parameter is `wvm_ctx *`:
 *
 *     #include <wvm/contract.h>
 *
 *     uint64_t BalanceOf(wvm_ctx *ctx, wvm_address owner) { ... }
 *
 *     void Transfer(wvm_ctx *ctx, wvm_address to, uint64_t amount) {
 *         uint64_t have = ...;
 *         if (amount > have)
 *             return wvm_error(ctx, "insufficient balance: have %llu",
 *                              (unsigned long long)have);
 *         ...
 *     }
 *
 * `wvm build token.c` (the toolchain) finds them and generates the
 * dispatch that decodes the JSON parameters, calls the function and
 * encodes its result.  Without the toolchain, write the dispatch by hand
 * with WVM_EXPORTS (at the end of this file; examples/<name>/dispatch.c
 * are complete ones).
 *
 * PARAMETER AND RESULT TYPES and their JSON form:
 *     int32_t, uint32_t, int64_t, uint64_t   a JSON integer, exact over the
 *                                            whole 64-bit range (never a
 *                                            double); a decimal string such
 *                                            as "18446744073709551615" is
 *                                            accepted too.  No fraction, no
 *                                            exponent, range-checked.
 *     bool                                   true / false
 *     const char *                           a JSON string (UTF-8, escapes
 *                                            decoded, NUL-terminated; a
 *                                            string holding \u0000 is refused)
 *     wvm_bytes                              "0x" + an even number of hex digits
 *     wvm_address                            "0x" + 40 hex digits
 *     wvm_object_id                          "0x" + 64 hex digits
 *     void (result only)                     null
 * Results are written the same way (hex in lower case).  The parameters
 * of a call are one JSON object keyed by parameter name; a missing, extra,
 * mistyped or out-of-range parameter fails the call with
 * invalid_parameters before the function runs, with a message such as
 *     parameter "amount": expected a 64-bit unsigned integer
 *     (0 to 18446744073709551615), got -1 (out of range)
 *
 * ERRORS.  A function fails by calling wvm_error (or an SDK call that
 * fails the call for it) and returning; what it returns after that is
 * ignored, and the host discards the call's state changes and events.
 * The first failure is the one reported.  Failures a contract cannot
 * handle -- a write the write rule refuses (permission_denied), running
 * out of fuel, going over a limit of abi.h, a trap -- end the call at
 * once inside the host; the function never sees them.
 *
 * MEMORY.  Everything the SDK hands out (strings, bytes, parsed JSON,
 * writer buffers, wvm_allocate) lives in a per-call arena: valid until
 * the exported function returns, then freed all at once.  Nothing needs
 * freeing; do not keep pointers in static variables across calls.  An
 * allocation the memory cannot hold traps (resource_exhausted).
 *
 * STATE lives in objects (docs/state.md): each has a 32-byte ID, an
 * owner address and named fields of up to WVM_MAX_FIELD_VALUE bytes.
 * Every contract has a default object, ID all zero (wvm_default_object),
 * created with it and owned by it.  The write rule: a field write, owner
 * change or delete is allowed only when the object's owner is the
 * executing contract or the transaction's sender.
 *
 * WHAT A CONTRACT MAY USE: this header, <stdint.h>, <stdbool.h>,
 * <stddef.h>, <string.h> (memcpy, memset, memcmp, strlen, ... -- the
 * freestanding functions); no other part of the C library (no stdio, no
 * malloc: use wvm_allocate; no time or randomness: a contract must give
 * the same result on every node).  A contract imports only module "env"
 * (abi.h); the build fails a module that imports anything else.
 *
 * THREADS AND REENTRANCY: a contract instance runs one call at a time; a
 * nested call into the same contract runs in a new instance.
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

/* The call's context: the first parameter of every exported function,
 * passed on to every SDK call.  Opaque; valid for the call. */
typedef struct wvm_ctx wvm_ctx;
typedef struct wvm_address { uint8_t b[WVM_ADDRESS_LEN]; } wvm_address;
typedef struct wvm_object_id { uint8_t b[WVM_OBJECT_ID_LEN]; } wvm_object_id;
/* Bytes: ptr[0..len), arena memory when the SDK made it. */
typedef struct wvm_bytes { const uint8_t *ptr; uint32_t len; } wvm_bytes;

/* The all-zero object ID: the executing contract's default object. */
static inline wvm_object_id wvm_default_object(void) {
    wvm_object_id id = {{0}};
    return id;
}
bool wvm_address_eq(wvm_address a, wvm_address b);
bool wvm_address_is_zero(wvm_address a);
/* "0x" + lower-case hex, NUL-terminated, in the arena (for messages and
 * field names). */
const char *wvm_address_hex(wvm_ctx *ctx, wvm_address a);
const char *wvm_object_id_hex(wvm_ctx *ctx, wvm_object_id id);

/* ------------------------------------------------------------------ */
/* Context                                                             */

wvm_address wvm_sender(wvm_ctx *ctx);      /* immediate caller: the transaction's
                                              sender, or the calling contract */
wvm_address wvm_self(wvm_ctx *ctx);        /* this contract's address */
wvm_address wvm_origin(wvm_ctx *ctx);      /* the transaction's sender */
uint64_t wvm_block_height(wvm_ctx *ctx);
uint64_t wvm_block_time(wvm_ctx *ctx);     /* seconds since the epoch, the
                                              block's (deterministic) */
/* The native balance attached to this call (wvm call --value), already
 * in this contract's balance when it runs; only a WVM_PAYABLE function
 * can be given any.  0 in a cross-contract call (ABI version 1). */
uint64_t wvm_value(wvm_ctx *ctx);

/* Call information (docs/calls.md).  The chain of contract frames runs
 * from frame 0, the transaction's first contract, to frame
 * wvm_call_depth(ctx) - 1, the caller; this call is not in it.
 *   wvm_caller: the calling contract; false at the top (called by a
 *     transaction, not a contract).
 *   wvm_caller_function: the caller's function name (arena), NULL at the top.
 *   wvm_call_frame: frame i's contract and function (either out pointer
 *     may be NULL); false when there is no frame i.
 *   wvm_is_reentrant: this contract is already in the chain (A -> B -> A). */
bool wvm_caller(wvm_ctx *ctx, wvm_address *out);
const char *wvm_caller_function(wvm_ctx *ctx);
uint32_t wvm_call_depth(wvm_ctx *ctx);
bool wvm_call_frame(wvm_ctx *ctx, uint32_t i, wvm_address *contract,
                    const char **function);
bool wvm_is_reentrant(wvm_ctx *ctx);

/* ------------------------------------------------------------------ */
/* Errors and results                                                  */

/* Fails the call with the contract's own message (kind contract_error).
 * printf-style, bounded (messages are cut at 4095 bytes): %d %i %u %x %X
 * %c %s %% with the l, ll and z length modifiers, the flags '-' and '0',
 * a width ("%5d", "%*d") and for %s a precision ("%.10s", "%.*s").  No
 * floating point.  A later wvm_error in the same call is ignored. */
void wvm_error(wvm_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same with kind invalid_parameters (for checks of parameters the
 * types cannot express, e.g. "amount must not be 0"). */
void wvm_error_params(wvm_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The call has failed (by wvm_error or an SDK call). */
bool wvm_failed(const wvm_ctx *ctx);

/* Sets the call's result to a JSON value (text copied; at most
 * WVM_MAX_RESULT_LEN bytes, the host traps on more).  The dispatch does
 * this from the function's return value; ignored after a failure.  A
 * call that sets none returns null. */
void wvm_result_json(wvm_ctx *ctx, const char *json, uint32_t len);

/* Writes a line to the call's log (the trace, not consensus data);
 * printf-style as wvm_error, cut at WVM_MAX_LOG_LEN bytes. */
void wvm_log(wvm_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ */
/* Objects                                                             */

/* Creates an object owned by `owner` (the zero address: this contract)
 * and returns its ID in *out.  To fill an object for someone else,
 * create it owned by this contract, write its fields, then hand it over
 * with wvm_object_set_owner (the write rule refuses writes to an object
 * owned by a third party).  false only if the host returned no ID. */
bool wvm_object_create(wvm_ctx *ctx, wvm_address owner, wvm_object_id *out);
bool wvm_object_exists(wvm_ctx *ctx, wvm_object_id id);
/* The owner; false when there is no such object. */
bool wvm_object_owner(wvm_ctx *ctx, wvm_object_id id, wvm_address *out);
/* Owner changes, deletes and field writes obey the write rule: a refused
 * one ends the call with permission_denied (it does not return). */
void wvm_object_set_owner(wvm_ctx *ctx, wvm_object_id id, wvm_address owner);
/* Deletes the object and its fields; false when there is no such object. */
bool wvm_object_delete(wvm_ctx *ctx, wvm_object_id id);

/* Fields.  Names are 1 to WVM_MAX_NAME_LEN bytes; values up to
 * WVM_MAX_FIELD_VALUE bytes (the host traps beyond either).
 *   get: false when the object or the field does not exist; out->ptr is
 *        arena memory with a NUL after the value.
 *   set: creates or replaces the field.
 *   delete: false when there was no such field. */
bool wvm_field_get(wvm_ctx *ctx, wvm_object_id id, const char *name, wvm_bytes *out);
void wvm_field_set(wvm_ctx *ctx, wvm_object_id id, const char *name,
                   const void *value, uint32_t len);
bool wvm_field_delete(wvm_ctx *ctx, wvm_object_id id, const char *name);
/* Typed fields: u64 as 8 bytes little-endian, strings as their bytes (no
 * NUL), addresses as 20 bytes.  get_* returns false when the field is
 * missing or of the wrong size (or holds a NUL, for strings). */
bool wvm_field_get_u64(wvm_ctx *ctx, wvm_object_id id, const char *name, uint64_t *out);
void wvm_field_set_u64(wvm_ctx *ctx, wvm_object_id id, const char *name, uint64_t v);
bool wvm_field_get_str(wvm_ctx *ctx, wvm_object_id id, const char *name, const char **out);
void wvm_field_set_str(wvm_ctx *ctx, wvm_object_id id, const char *name, const char *v);
bool wvm_field_get_address(wvm_ctx *ctx, wvm_object_id id, const char *name, wvm_address *out);
void wvm_field_set_address(wvm_ctx *ctx, wvm_object_id id, const char *name, wvm_address v);
/* Up to `limit` field names after `after` (NULL: from the first), in
 * byte order; *names is an arena array of arena strings.  Returns the
 * number listed; page on with the last name as `after`. */
uint32_t wvm_field_list(wvm_ctx *ctx, wvm_object_id id, const char *after,
                        uint32_t limit, const char ***names);

/* ------------------------------------------------------------------ */
/* Balances (the native token)                                         */

uint64_t wvm_balance(wvm_ctx *ctx, wvm_address who);
/* Sends amount from this contract's own balance.  false (and nothing
 * changed) on insufficient funds or when `to` would pass 2^64 - 1; the
 * call goes on, so the contract decides whether that is an error. */
bool wvm_transfer(wvm_ctx *ctx, wvm_address to, uint64_t amount);

/* ------------------------------------------------------------------ */
/* JSON: a small bounded reader and writer, 64-bit integers exact      */

#define WVM_JSON_MAX_DEPTH 64          /* nesting of arrays and objects */
#define WVM_JW_MAX_LEN (1u << 20)      /* text one writer may hold */

/* A parsed value (arena memory).  The reader is strict RFC 8259: no
 * comments, trailing commas, leading zeros, single quotes, lone
 * surrogates, invalid UTF-8 or duplicate keys in an object.  Integers
 * (no fraction, no exponent) up to 2^64 - 1 in magnitude are
 * WVM_JSON_INT and exact; other numbers are WVM_JSON_FLOAT and keep
 * their text (the writer writes it back as it came; there is no
 * conversion to double). */
typedef struct wvm_json wvm_json;
typedef enum wvm_json_type {
    WVM_JSON_NULL, WVM_JSON_BOOL, WVM_JSON_INT, WVM_JSON_FLOAT,
    WVM_JSON_STRING, WVM_JSON_ARRAY, WVM_JSON_OBJECT,
} wvm_json_type;

/* Parses text[0..len) (nesting at most WVM_JSON_MAX_DEPTH, the whole
 * text one value, whitespace around it allowed).  NULL on malformed
 * input, with "offset N: reason" in *err (arena; err may be NULL). */
wvm_json *wvm_json_parse(wvm_ctx *ctx, const char *text, uint32_t len, const char **err);
wvm_json_type wvm_json_typeof(const wvm_json *v);
/* Member `key` of an object; NULL when absent or obj is not an object. */
const wvm_json *wvm_json_get(const wvm_json *obj, const char *key);
/* Elements of an array or members of an object, in their order. */
uint32_t wvm_json_len(const wvm_json *v);
const wvm_json *wvm_json_at(const wvm_json *v, uint32_t i);          /* NULL past the end */
const char *wvm_json_key_at(const wvm_json *obj, uint32_t i);        /* NULL past the end */
/* Conversions: false (and *out unchanged) when v is NULL, of another
 * type, or out of range.  The integer ones accept an integer or a
 * decimal string in the JSON integer grammar ("123", "-5"). */
bool wvm_json_u64(const wvm_json *v, uint64_t *out);
bool wvm_json_i64(const wvm_json *v, int64_t *out);
bool wvm_json_bool(const wvm_json *v, bool *out);
/* A string's decoded bytes (NUL-terminated; *len counts any \u0000
 * inside; len may be NULL); NULL if v is not a string. */
const char *wvm_json_str(const wvm_json *v, uint32_t *len);

/* Writer into a growable arena buffer: begin/end, key, then a value, in
 * JSON's order; the writer adds the commas and escapes keys and strings.
 * Misuse -- a value where a key is due, a key outside an object, ends
 * that do not match, a second top-level value, nesting deeper than
 * WVM_JSON_MAX_DEPTH, more than WVM_JW_MAX_LEN bytes -- sets `failed`,
 * and whoever consumes the writer (wvm_emit, wvm_return_json) fails the
 * call instead of sending broken JSON.  The fields are for reading
 * (buf, len); set them only through these functions.
 *
 *     wvm_jw w;
 *     wvm_jw_init(&w, ctx);
 *     wvm_jw_object_begin(&w);
 *     wvm_jw_key(&w, "amount"); wvm_jw_u64(&w, amount);
 *     wvm_jw_object_end(&w);
 *     wvm_emit(ctx, "Transfer", &w);        (or wvm_return_json(ctx, &w))
 */
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
void wvm_jw_u64(wvm_jw *w, uint64_t v);                /* exact, as a JSON number */
void wvm_jw_i64(wvm_jw *w, int64_t v);
void wvm_jw_bool(wvm_jw *w, bool v);
void wvm_jw_null(wvm_jw *w);
void wvm_jw_str(wvm_jw *w, const char *s);             /* UTF-8 expected */
void wvm_jw_strn(wvm_jw *w, const char *s, uint32_t len);
void wvm_jw_address(wvm_jw *w, wvm_address a);        /* "0x..." */
void wvm_jw_object_id(wvm_jw *w, wvm_object_id id);
void wvm_jw_bytes(wvm_jw *w, wvm_bytes b);
/* A JSON value already written as text: checked with the reader, and
 * `failed` set when it is not one value. */
void wvm_jw_raw(wvm_jw *w, const char *json, uint32_t len);
/* A parsed value, written back (integers exact, other numbers as their
 * text, strings re-escaped). */
void wvm_jw_value(wvm_jw *w, const wvm_json *v);

/* Sets the call's result to the writer's value; fails the call
 * (contract_error) when the writer failed or is not finished. */
void wvm_return_json(wvm_ctx *ctx, const wvm_jw *w);

/* ------------------------------------------------------------------ */
/* Events                                                              */

/* Emits event `name` (1 to WVM_MAX_NAME_LEN bytes) with attributes, a
 * JSON object written with attrs, or NULL for {}.  Fails the call
 * (contract_error) when attrs failed, is not finished or is not an
 * object.  At most WVM_MAX_EVENT_LEN bytes of attributes and
 * WVM_MAX_EVENTS events per transaction (the host traps beyond).  Events
 * of a failed call are discarded. */
void wvm_emit(wvm_ctx *ctx, const char *name, const wvm_jw *attrs);

/* ------------------------------------------------------------------ */
/* Cross-contract calls (docs/calls.md)                                */

typedef struct wvm_call_result {
    bool ok;
    uint32_t error_kind;      /* when !ok: the callee's error kind, numbered
                                 as wvm_error_kind of the node's
                                 include/wvm_chain.h (8 = contract_error,
                                 5 = invalid_parameters, 3 = function_not_found) */
    const char *message;      /* when !ok: the callee's error message ("" if ok) */
    const char *result;       /* when ok: the callee's result JSON text ("" if not) */
    uint32_t result_len;
    const wvm_json *value;    /* the result parsed, NULL if none */
} wvm_call_result;
/* Calls `function` of contract `target` with params_json (a JSON object
 * as text; NULL: {}).  The callee runs with this contract as its sender,
 * in a nested state transaction: its changes are undone if it fails.
 * Returns out->ok: false when the callee failed, and the caller may go on
 * or fail in turn.  The transaction's fuel is one budget: a callee
 * running out of fuel, or the depth limit WVM_MAX_CALL_DEPTH, ends the
 * whole transaction.  All of *out is arena memory. */
bool wvm_call(wvm_ctx *ctx, wvm_address target, const char *function,
              const char *params_json, wvm_call_result *out);
/* wvm_call with a fuel cap: the callee may spend at most fuel_cap (0:
 * no cap).  A callee that runs out of its cap fails (error kind 6,
 * resource_exhausted) and this contract may go on with the fuel the
 * transaction has left; without a cap, running out ends the transaction. */
bool wvm_call_capped(wvm_ctx *ctx, wvm_address target, const char *function,
                     const char *params_json, uint64_t fuel_cap, wvm_call_result *out);

/* Typed results, for the client stubs `wvm build --client` generates
 * (docs/calls.md): the result of a successful call r decoded as the type
 * the callee's ABI declares.  When it is not of that type, r becomes a
 * failure (error_kind 4, execution_failed; message names `what`, e.g.
 * "token.BalanceOf", and what came back) and false is returned. */
bool wvm_client_u64(wvm_call_result *r, const char *what, uint64_t *out);
bool wvm_client_u32(wvm_call_result *r, const char *what, uint32_t *out);
bool wvm_client_i64(wvm_call_result *r, const char *what, int64_t *out);
bool wvm_client_i32(wvm_call_result *r, const char *what, int32_t *out);
bool wvm_client_bool(wvm_call_result *r, const char *what, bool *out);
bool wvm_client_str(wvm_call_result *r, const char *what, const char **out);
bool wvm_client_bytes(wvm_call_result *r, const char *what, wvm_bytes *out);
bool wvm_client_address(wvm_call_result *r, const char *what, wvm_address *out);
bool wvm_client_object_id(wvm_call_result *r, const char *what, wvm_object_id *out);

/* ------------------------------------------------------------------ */
/* Parameters (used by the generated dispatch, and by hand-written ones)
 *
 * Each reads parameter `name` of the call's JSON object.  On a missing
 * parameter, or a value of the wrong type or out of range, it fails the
 * call with invalid_parameters naming the parameter and what was
 * expected, and returns a zero value ("" for strings); after the call
 * has failed, reads return zero values without a new message.  Strings
 * and bytes are arena memory. */

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
 * the object has a key that was not read, naming it and listing the
 * parameters the function takes. */
void wvm_args_done(wvm_args *a);
/* The whole parameters object, for a function that reads it itself. */
const wvm_json *wvm_args_json(wvm_args *a);

/* Results of the dispatch, from a function's return value (JSON forms
 * as in the table at the top).  Ignored after a failure. */
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
 * A contract's dispatch is a table of its exported functions, each with
 * a handler that reads the parameters, calls the function and returns
 * its result.  The toolchain generates it; by hand:
 *
 *     static void do_transfer(wvm_ctx *ctx, wvm_args *a) {
 *         wvm_address to = wvm_arg_address(a, "to");
 *         uint64_t amount = wvm_arg_u64(a, "amount");
 *         wvm_args_done(a);
 *         if (!wvm_failed(ctx)) Transfer(ctx, to, amount);
 *     }
 *     static void do_balance_of(wvm_ctx *ctx, wvm_args *a) {
 *         wvm_address owner = wvm_arg_address(a, "owner");
 *         wvm_args_done(a);
 *         if (wvm_failed(ctx)) return;
 *         uint64_t r = BalanceOf(ctx, owner);
 *         if (!wvm_failed(ctx)) wvm_return_u64(ctx, r);
 *     }
 *     WVM_EXPORTS({"Transfer", do_transfer}, {"BalanceOf", do_balance_of})
 *
 * WVM_EXPORTS (once per contract) defines the wasm exports `allocate`
 * and `handle_contract_call`.  For each call wvm_dispatch
 *   1. finds the function by its exact name: function_not_found naming
 *      it and listing the exported ones when there is none;
 *   2. records trace enter (WVM_HOST_TRACE_ENTER);
 *   3. parses the parameters: invalid_parameters when they are not valid
 *      JSON (with the offset) or not an object; an empty text is {};
 *   4. runs the handler (one that sets no result returns null, the
 *      host's default);
 *   5. records trace exit with the status, frees the call's arena and
 *      returns 0, or 1 when the call failed.
 * An "Initialize" entry, if any, is what deploy runs (once).  The SDK
 * also marks the module with its ABI version (custom section
 * WVM_ABI_VERSION_SECTION). */

/* ------------------------------------------------------------------ */
/* Function policies (docs/calls.md), written before an exported
 * function (its definition or prototype):
 *     WVM_VIEW uint64_t BalanceOf(wvm_ctx *ctx, wvm_address owner) { ... }
 * wvm build's scan finds them (they are clang annotate attributes),
 * writes them into the ABI section, and the host enforces them against
 * the call chain:
 *   WVM_VIEW          may not write: object and field writes, owner
 *                     changes, transfers and events end the call with
 *                     permission_denied -- in this function and in every
 *                     contract it calls.
 *   WVM_NONREENTRANT  a call to it is refused (permission_denied, to the
 *                     caller, which may handle it) when its contract is
 *                     already in the call chain.
 *   WVM_PAYABLE       may be given value: a top-level call with a value
 *                     over 0 to a function without it is refused
 *                     (permission_denied) before it runs; see wvm_value.
 *                     Cross-contract calls carry no value (ABI version 1). */
#define WVM_VIEW __attribute__((annotate("wvm.view")))
#define WVM_NONREENTRANT __attribute__((annotate("wvm.nonreentrant")))
#define WVM_PAYABLE __attribute__((annotate("wvm.payable")))

typedef void (*wvm_handler)(wvm_ctx *ctx, wvm_args *args);
typedef struct wvm_export {
    const char *name;
    wvm_handler fn;
} wvm_export;

int32_t wvm_dispatch(const wvm_export *table, uint32_t n,
                     uint32_t name_ptr, uint32_t name_len,
                     uint32_t params_ptr, uint32_t params_len);
/* size bytes of the call's arena, zeroed, 8-byte aligned: for the
 * contract's own use, and the `allocate` export (the host writes a
 * call's name and parameters there).  NULL (0) when memory cannot grow
 * that far -- not a trap, so the host can report it. */
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
