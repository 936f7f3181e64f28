/*
 * wvm/abi.h -- the contract ABI: the one definition shared by the host
 * (src/host/) and the contract SDK (sdk/), so the two cannot drift.
 * docs/abi.md is the prose version of this file.
 *
 * Plain C, no includes but <stdint.h>: compiled both for wasm32 (the SDK)
 * and for the host.
 *
 * A contract is a wasm module that
 *   - exports "memory" (its linear memory),
 *   - exports "allocate" (i32 size) -> i32 ptr: the host writes the
 *     function name and the JSON parameters of a call there,
 *   - exports "handle_contract_call" (i32 name_ptr, i32 name_len,
 *     i32 params_ptr, i32 params_len) -> i32: 0 success, anything else
 *     failure,
 *   - may export "_initialize" (reactor start, run once per instance),
 *   - imports only functions of module "env" named below,
 *   - declares its ABI version in a custom section "wvm.abi_version" whose
 *     payload is the version in decimal ASCII ("1"); a module without the
 *     section speaks version 1.  Deploy refuses a version the host does
 *     not speak.
 */
#ifndef WVM_ABI_H
#define WVM_ABI_H

#include <stdint.h>

#define WVM_ABI_VERSION 1
#define WVM_ABI_VERSION_SECTION "wvm.abi_version"
/* Custom section with the contract's ABI description (JSON, written by
 * wvm build); deploy copies it into the contract's metadata. */
#define WVM_ABI_SECTION "wvm.abi"

/* ------------------------------------------------------------------ */
/* Imports, module "env"
 *
 *   call_host_set(i32 fn, i32 args_ptr, i32 args_len) -> i32
 *       Runs host function `fn` (enum wvm_host_fn) on the argument buffer
 *       [args_ptr, args_ptr + args_len).  Its result is left in the
 *       instance's host buffer (replacing the previous one).  Returns the
 *       result's length (>= 0), or a negative enum wvm_abi_err the
 *       contract may handle.  Failures a contract may not handle (bad
 *       pointers, out of fuel, limits, the write rule, a `view` function
 *       writing) trap and end the call.
 *   call_host_get_buffer(i32 ptr, i32 len) -> i32
 *       Copies min(len, result length) bytes of the host buffer to ptr;
 *       returns the number copied.
 *   get_block_height() -> i64
 *   get_block_time() -> i64              seconds since the Unix epoch
 *   get_balance(i32 addr_ptr) -> i64     the native balance of the
 *       20-byte address at addr_ptr (a uint64 in i64's bits)
 *   object_get_field(i32 id_ptr, i32 name_ptr, i32 name_len,
 *                    i32 out_ptr, i32 out_cap) -> i32
 *       Direct form of WVM_HOST_FIELD_GET (hot path): copies
 *       min(out_cap, value length) bytes to out_ptr and returns the
 *       value's whole length, or WVM_ABI_NOT_FOUND.
 *   object_set_field(i32 id_ptr, i32 name_ptr, i32 name_len,
 *                    i32 val_ptr, i32 val_len) -> i32
 *       Direct form of WVM_HOST_FIELD_SET: 0 or a negative wvm_abi_err.
 *
 * Argument buffers of call_host_set are a sequence of fields, each a
 * little-endian u32 length followed by that many bytes, in the order
 * listed for each function below.  Fixed-size fields must have their
 * size: address 20, object id 32, u64 8 (little-endian), u32 4.  Results
 * are raw bytes unless a function says "fields" (same encoding).
 */

#define WVM_IMPORT_CALL_HOST_SET "call_host_set"
#define WVM_IMPORT_GET_BUFFER "call_host_get_buffer"
#define WVM_IMPORT_BLOCK_HEIGHT "get_block_height"
#define WVM_IMPORT_BLOCK_TIME "get_block_time"
#define WVM_IMPORT_BALANCE "get_balance"
#define WVM_IMPORT_FIELD_GET "object_get_field"
#define WVM_IMPORT_FIELD_SET "object_set_field"

#define WVM_ADDRESS_LEN 20
#define WVM_OBJECT_ID_LEN 32

/* Limits the host enforces (a contract over one traps with a message
 * naming the limit).  docs/abi.md lists them with the fuel of each call. */
#define WVM_MAX_NAME_LEN 256          /* function, field and event names */
#define WVM_MAX_FIELD_VALUE 65536     /* bytes of one field value */
#define WVM_MAX_PARAMS_LEN 65536      /* JSON parameters of a call */
#define WVM_MAX_RESULT_LEN 65536      /* JSON result of a call */
#define WVM_MAX_EVENT_LEN 16384       /* JSON attributes of one event */
#define WVM_MAX_EVENTS 1024           /* events per transaction */
#define WVM_MAX_LOG_LEN 4096          /* one log message */
#define WVM_MAX_CALL_DEPTH 64         /* contract frames of a transaction */

/* Host function IDs of call_host_set.  Numbers are part of the ABI:
 * never renumber, only append. */
enum wvm_host_fn {
    /* context */
    WVM_HOST_SENDER = 1,         /* () -> address: immediate caller       */
    WVM_HOST_SELF = 2,           /* () -> address: the executing contract */
    WVM_HOST_ORIGIN = 3,         /* () -> address: the transaction sender */
    WVM_HOST_BLOCK_HEIGHT = 4,   /* () -> u64                             */
    WVM_HOST_BLOCK_TIME = 5,     /* () -> u64                             */
    WVM_HOST_FUNCTION = 6,       /* () -> name of the function called     */
    WVM_HOST_VALUE = 7,          /* () -> u64: native balance attached to
                                    this call (0 in a cross-contract call) */

    /* objects (id all zero = the contract's default object) */
    WVM_HOST_OBJECT_CREATE = 10, /* (owner address) -> object id; owner
                                    all zero = the executing contract    */
    WVM_HOST_FIELD_GET = 11,     /* (id, name) -> value | NOT_FOUND       */
    WVM_HOST_FIELD_SET = 12,     /* (id, name, value) -> empty            */
    WVM_HOST_FIELD_DELETE = 13,  /* (id, name) -> empty | NOT_FOUND       */
    WVM_HOST_FIELD_LIST = 14,    /* (id, after name, u32 limit) -> fields:
                                    names in byte order, after `after`   */
    WVM_HOST_OBJECT_OWNER = 15,  /* (id) -> address | NOT_FOUND           */
    WVM_HOST_OBJECT_SET_OWNER = 16, /* (id, address) -> empty            */
    WVM_HOST_OBJECT_DELETE = 17, /* (id) -> empty | NOT_FOUND             */
    WVM_HOST_OBJECT_EXISTS = 18, /* (id) -> empty | NOT_FOUND             */

    /* balances */
    WVM_HOST_BALANCE = 20,       /* (address) -> u64                      */
    WVM_HOST_TRANSFER = 21,      /* (to address, u64 amount) -> empty |
                                    INSUFFICIENT_FUNDS | OVERFLOW; from
                                    the executing contract's balance      */

    /* output */
    WVM_HOST_EMIT_EVENT = 30,    /* (name, attributes: a JSON object)     */
    WVM_HOST_LOG = 31,           /* (message)                             */
    WVM_HOST_SET_RESULT = 32,    /* (JSON value) -> empty                 */
    WVM_HOST_SET_ERROR = 33,     /* (u32 enum wvm_contract_err, message)  */

    /* cross-contract calls */
    WVM_HOST_CALL = 40,          /* (target address, function, params
                                    JSON, u64 fuel cap, 0 = none; a
                                    callee out of its cap fails with
                                    resource_exhausted) ->
                                    the callee's result JSON, or
                                    CALL_FAILED with fields (u32
                                    error kind, message) in the buffer   */
    WVM_HOST_CALLER = 41,        /* () -> address | NOT_FOUND at the top  */
    WVM_HOST_CALLER_FUNCTION = 42, /* () -> name | NOT_FOUND at the top   */
    WVM_HOST_CALL_DEPTH = 43,    /* () -> u32: frames above this one      */
    WVM_HOST_CALL_FRAME = 44,    /* (u32 i) -> fields (address, function):
                                    frame i, 0 = the transaction's first
                                    contract | NOT_FOUND                  */

    /* tracing (the generated Enter/Exit hooks) */
    WVM_HOST_TRACE_ENTER = 50,   /* (function name) -> empty              */
    WVM_HOST_TRACE_EXIT = 51,    /* (function name, u32 status 0 = ok)    */
};

/* Negative results of call_host_set and the direct imports that a
 * contract may handle. */
enum wvm_abi_err {
    WVM_ABI_OK = 0,
    WVM_ABI_NOT_FOUND = -1,          /* no such object, field or frame */
    WVM_ABI_INSUFFICIENT_FUNDS = -2,
    WVM_ABI_OVERFLOW = -3,           /* a balance would pass 2^64 - 1 */
    WVM_ABI_CALL_FAILED = -4,        /* the callee failed; see WVM_HOST_CALL */
};

/* The error a contract reports with WVM_HOST_SET_ERROR; the host turns
 * it into the receipt's error kind. */
enum wvm_contract_err {
    WVM_CONTRACT_ERROR = 0,          /* the contract's own failure */
    WVM_CONTRACT_INVALID_PARAMETERS = 1,
    WVM_CONTRACT_FUNCTION_NOT_FOUND = 2,
};

#endif
