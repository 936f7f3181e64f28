/*
 * wvm.h -- the whole public API of the wvm WebAssembly runtime.
 *
 * Objects and their life cycles
 *
 *   wvm_engine    configuration shared by everything made from it: limits,
 *                 fuel cost table, float policy.  Immutable after
 *                 wvm_engine_new; may be used from many threads at once.
 *   wvm_module    a decoded, validated and translated module.  Immutable;
 *                 may be instantiated from many threads at once.  Made by
 *                 wvm_module_new, freed by wvm_module_free (after every
 *                 store that instantiated it is freed).
 *   wvm_store     owns instances and every runtime object (functions,
 *                 memories, tables, globals) they create or import.  One
 *                 thread at a time.  Everything it owns dies with
 *                 wvm_store_free.  A store keeps the message of its last
 *                 failure (wvm_store_errmsg).
 *   wvm_instance  an instantiated module, owned by its store.
 *   wvm_extern    a function, table, memory or global, owned by a store;
 *                 what exports are and what imports are linked to.
 *
 * Lifetimes
 *
 *   The engine outlives every module and store made from it; a module
 *   outlives every store it was instantiated in (free the stores first,
 *   then the modules, then the engine).  Everything a store owns --
 *   instances, functions, memories, tables, globals, WASI contexts, the
 *   public types of functions -- lives exactly as long as the store.
 *   Strings and types a module hands out live as long as the module.
 *
 * Threads
 *
 *   An engine and its modules may be used from many threads at once; the
 *   allocator of an engine shared across threads must then be
 *   thread-safe (the C library's is).  A store, and everything it owns,
 *   belongs to one thread at a time; wvm_store_cancel is the only call
 *   that may come from another thread.  An object of one store is never
 *   accepted by a call on another: every function that takes a store and
 *   an object (a function, an extern, a funcref value) checks the owner
 *   and fails with WVM_ERR_ARG.
 *
 * Errors
 *
 *   Every call that can fail returns a wvm_status; WVM_OK (0) is success.
 *   wvm_status_str gives static text for a code; the store (or the
 *   module, for loading) gives the detail of the last failure.  Programs
 *   branch on codes, never on text.  Each declaration below lists every
 *   status it can return.
 *
 *   Out parameters: on success they hold the result; on failure a
 *   pointer result is NULL and a wvm_extern is { 0, NULL }.  The one
 *   exception is wvm_module_new, which hands back a failed module that
 *   carries its message (see there).
 *
 *   No function aborts, exits or asserts on any input.  Every destroyer
 *   accepts NULL.
 *
 * Names
 *
 *   Wasm names are byte strings with a length; they may hold NUL bytes.
 *   Every function that takes a name comes in two forms: NAME_n takes a
 *   pointer and a length (uint32_t), NAME takes a NUL-terminated C
 *   string and is the same as NAME_n with its strlen.  Names handed out
 *   (imports, exports) come with their length and a NUL appended.
 */
#ifndef WVM_H
#define WVM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with -fvisibility=hidden: everything declared
 * between this push and its pop is what libwvm exports, nothing else. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* ------------------------------------------------------------------ */
/* Status codes                                                        */

typedef enum wvm_status {
    WVM_OK = 0,

    /* module: rejected at load or link time */
    WVM_ERR_MALFORMED = 10,   /* not a well-formed binary module */
    WVM_ERR_INVALID,          /* fails validation */
    WVM_ERR_LINK,             /* an import is missing or has the wrong type */
    WVM_ERR_LIMIT,            /* over a load-time limit (size, counts, ...) */

    /* traps: guest code faulted; the store stays usable */
    WVM_TRAP_UNREACHABLE = 30,
    WVM_TRAP_MEMORY_OOB,      /* out of bounds memory access */
    WVM_TRAP_TABLE_OOB,       /* out of bounds table access / undefined element */
    WVM_TRAP_INDIRECT_NULL,   /* uninitialized element in call_indirect */
    WVM_TRAP_INDIRECT_TYPE,   /* indirect call type mismatch */
    WVM_TRAP_DIV_ZERO,        /* integer divide by zero */
    WVM_TRAP_INT_OVERFLOW,    /* integer overflow (div, trunc) */
    WVM_TRAP_INVALID_CONV,    /* invalid conversion to integer (NaN) */
    WVM_TRAP_STACK_EXHAUSTED, /* call depth or value stack limit */
    WVM_TRAP_OUT_OF_FUEL,
    WVM_TRAP_TIMEOUT,
    WVM_TRAP_CANCELLED,
    WVM_TRAP_HOST,            /* a host function reported an error */
    WVM_TRAP_EXIT,            /* WASI proc_exit; see wvm_store_exit_code */

    /* resources */
    WVM_ERR_NOMEM = 60,       /* host allocation failed */
    WVM_ERR_RESOURCE,         /* instantiation over a runtime limit */

    /* misuse of the API */
    WVM_ERR_NOT_FOUND = 80,   /* no such export */
    WVM_ERR_TYPE,             /* argument/result count or type mismatch */
    WVM_ERR_BOUNDS,           /* host access outside linear memory */
    WVM_ERR_ARG,              /* bad argument */

    /* contract state (include/wvm_chain.h) */
    WVM_ERR_STATE = 100,      /* the store failed, or cannot be opened */
    WVM_ERR_EXISTS,           /* already exists (a contract address) */
    WVM_ERR_PERMISSION,       /* refused by the write rule or a policy */
    WVM_ERR_FUNDS,            /* insufficient balance */
    WVM_ERR_OVERFLOW,         /* a balance would pass 2^64 - 1 */
} wvm_status;

/* Static text for a status code.  Never NULL. */
const char *wvm_status_str(wvm_status s);

/* True for the codes that are guest traps. */
static inline bool wvm_status_is_trap(wvm_status s) {
    return s >= WVM_TRAP_UNREACHABLE && s < WVM_ERR_NOMEM;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

typedef enum wvm_valtype {
    WVM_I32 = 0x7f,
    WVM_I64 = 0x7e,
    WVM_F32 = 0x7d,
    WVM_F64 = 0x7c,
    WVM_FUNCREF = 0x70,
    WVM_EXTERNREF = 0x6f,
} wvm_valtype;

typedef struct wvm_func wvm_func;

/* A typed value.  Floats are carried as their bit patterns so NaN
 * payloads survive; use the f32/f64 views for arithmetic.  A funcref is
 * a wvm_func owned by a store (NULL is the null reference); an externref
 * is an opaque host pointer (NULL is the null reference). */
typedef struct wvm_val {
    wvm_valtype type;
    union {
        int32_t i32;
        int64_t i64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        float f32;
        double f64;
        wvm_func *func;
        void *ext;
    } of;
} wvm_val;

static inline wvm_val wvm_i32(int32_t v) { wvm_val r; r.type = WVM_I32; r.of.i64 = 0; r.of.i32 = v; return r; }
static inline wvm_val wvm_i64(int64_t v) { wvm_val r; r.type = WVM_I64; r.of.i64 = v; return r; }
static inline wvm_val wvm_f32(float v) { wvm_val r; r.type = WVM_F32; r.of.i64 = 0; r.of.f32 = v; return r; }
static inline wvm_val wvm_f64(double v) { wvm_val r; r.type = WVM_F64; r.of.f64 = v; return r; }

/* A function signature.  Owned by whoever returned it; see each getter. */
typedef struct wvm_functype {
    uint32_t nparams, nresults;
    const wvm_valtype *params, *results;
} wvm_functype;

/* ------------------------------------------------------------------ */
/* Engine                                                              */

typedef enum wvm_float_policy {
    WVM_FLOAT_ALLOW = 0,     /* spec behaviour */
    WVM_FLOAT_CANONICAL_NAN, /* every NaN result of arithmetic becomes the
                                canonical NaN (the default: contracts) */
    WVM_FLOAT_REJECT,        /* modules using floats are refused at load */
} wvm_float_policy;

/* Limits.  A zero field takes the documented default (docs/limits.md).
 * The defaults are those of contracts: small, so a hostile module cannot
 * hurt the node.  WVM_LIMITS_PROGRAM gives the wasm32 maxima instead,
 * for running ordinary programs (wvm run, the spec suite). */
typedef struct wvm_limits {
    /* load time */
    uint32_t max_module_bytes;     /* default 64 MiB */
    uint32_t max_functions;        /* default 100000 */
    uint32_t max_locals;           /* per function, default 50000 */
    uint32_t max_body_bytes;       /* per function body, default 8 MiB */
    uint32_t max_block_depth;      /* nesting of blocks, default 1024 */
    uint32_t max_segments;         /* data + element segments, default 100000 */
    uint32_t max_globals;          /* default 100000 */
    /* run time */
    uint32_t max_memory_pages;     /* default 256 (16 MiB) */
    uint32_t max_table_elems;      /* default 1024 */
    uint32_t max_call_depth;       /* default 1024 frames */
    uint32_t max_stack_slots;      /* value stack, 8-byte slots, default 8192 (64 KiB) */
    uint32_t timeout_ms;           /* per call, default 5000; WVM_NO_TIMEOUT: none */
} wvm_limits;

/* A timeout in milliseconds means the same everywhere (here and in
 * wvm_store_set_timeout): 0 is the default, never "no timeout";
 * WVM_NO_TIMEOUT is no timeout. */
#define WVM_NO_TIMEOUT UINT32_MAX

/* Run-time limits for programs rather than contracts: 65536 pages (4 GiB),
 * 10M table elements, 10000 frames, 1M stack slots (8 MiB), no timeout. */
#define WVM_LIMITS_PROGRAM(l) ((l)->max_memory_pages = 65536, (l)->max_table_elems = 10000000, \
                               (l)->max_call_depth = 10000, (l)->max_stack_slots = 1u << 20, \
                               (l)->timeout_ms = WVM_NO_TIMEOUT)

/* Fuel cost table (docs/fuel.md).  Versioned data: wvm_cost_table_hash
 * identifies it, and every module records the hash it was translated
 * with, since block costs are fixed at translation.
 *
 * Who charges what:
 *   op, op_fc          the runtime, per instruction executed (summed per
 *                      basic block at translation, charged on entry).
 *   memory_grow_page   the runtime, per page requested by memory.grow,
 *                      before it grows (also when the grow then fails).
 *   bulk_64_bytes      the runtime, per started 64 bytes that
 *                      memory.fill, memory.copy and memory.init touch
 *                      (table.fill, .copy, .init: per started 8
 *                      elements), charged before the bounds check, so
 *                      fuel bounds their time as it does a loop's.
 *   host_call,         the built-in WASI functions (wvm_wasi_new): each
 *   host_byte          call pays host_call, and host_byte per byte
 *                      copied in or out of guest memory.  The runtime
 *                      itself charges nothing for calling an embedder's
 *                      host function: that function charges what it
 *                      costs with wvm_caller_charge (wvm_caller_costs
 *                      gives this table).
 *   call, transfer,    reserved for the contract layer's host functions;
 *   storage_read,      nothing in this library charges them.  They are
 *   storage_write, log part of the table (and its hash) so that one table
 *                      prices a whole contract call.
 * wvm_store_fuel_used counts all of it; wvm_store_instructions only op
 * and op_fc.  Version 2 added bulk_64_bytes (version 1 charged bulk
 * operations one op each, whatever their size). */
typedef struct wvm_cost_table {
    uint32_t version;        /* WVM_COST_TABLE_VERSION for the defaults */
    uint32_t op[256];        /* per one-byte opcode (default 1) */
    uint32_t op_fc[32];      /* per 0xfc-prefixed opcode (default 1) */
    uint32_t memory_grow_page; /* per page requested by memory.grow (50) */
    uint32_t bulk_64_bytes;  /* per started 64 bytes of a bulk memory or
                                table operation (1) */
    uint32_t host_call;      /* per WASI call (50) */
    uint32_t host_byte;      /* per byte a WASI call copies (1) */
    uint32_t call;           /* contract layer: cross-contract call (500) */
    uint32_t transfer;       /* contract layer (200) */
    uint32_t storage_read;   /* contract layer (100) */
    uint32_t storage_write;  /* contract layer (200) */
    uint32_t log;            /* contract layer (50) */
} wvm_cost_table;

#define WVM_COST_TABLE_VERSION 2

/* Fills *t with the default costs. */
void wvm_cost_table_default(wvm_cost_table *t);
/* A 64-bit FNV-1a hash of every field of *t, version included. */
uint64_t wvm_cost_table_hash(const wvm_cost_table *t);

/* The allocator every allocation of an engine and of the modules,
 * stores and WASI contexts made from it goes through.  realloc behaves
 * like C's realloc, except that size 0 means free (return NULL); it may
 * return NULL to refuse, and wvm then fails with WVM_ERR_NOMEM and gives
 * back what the failed call had taken.  It is called from every thread
 * that uses the engine or its modules and stores: if those are several,
 * it must be thread-safe.  NULL realloc: the C library's.  user is
 * passed back to realloc and never freed by wvm. */
typedef struct wvm_allocator {
    void *(*realloc)(void *user, void *ptr, size_t size);
    void *user;
} wvm_allocator;

typedef struct wvm_config {
    wvm_allocator allocator;
    wvm_limits limits;
    wvm_float_policy float_policy;
    /* Fuel metering: when false no fuel is counted (limits, the timeout
     * and cancel still hold). */
    bool metering;
    /* NULL: the default table.  Copied by wvm_engine_new. */
    const wvm_cost_table *costs;
    /* Debugging the translator: when not NULL, wvm_module_new passes the
     * translated code of each module it loads to dump, a line at a time
     * (len bytes, newline included, not NUL-terminated), with dump_user.
     * The library itself never writes to stdout or stderr.  The text is
     * for people; its format may change. */
    void (*dump)(void *user, const char *text, size_t len);
    void *dump_user;
    /* false (the default): wvm_module_new validates every function but
     * translates each one at its first call, so loading costs little
     * and a call pays only for the functions it reaches (translating a
     * function takes about as long as validating it).  true: all are
     * translated at wvm_module_new, as for a benchmark that must not
     * time translation.  Fuel is the same either way. */
    bool eager_translation;
} wvm_config;

typedef struct wvm_engine wvm_engine;

/* Fills *cfg with the defaults. */
void wvm_config_default(wvm_config *cfg);

/* Makes an engine.  cfg may be NULL for the defaults; it is copied (the
 * cost table too), so it need not outlive the call.
 * Returns WVM_OK or WVM_ERR_NOMEM (*out NULL). */
wvm_status wvm_engine_new(const wvm_config *cfg, wvm_engine **out);
/* Frees e.  Every module and store made from it must be freed first. */
void wvm_engine_free(wvm_engine *e);

/* The engine's cost table, for host functions that charge fuel.  Lives
 * as long as e. */
const wvm_cost_table *wvm_engine_costs(const wvm_engine *e);

/* ------------------------------------------------------------------ */
/* Modules                                                             */

typedef struct wvm_module wvm_module;

/* Decodes, validates and translates a binary module.  The bytes are
 * copied; the caller keeps ownership of wasm.
 *
 * On success *out is a module and WVM_OK is returned.  On failure the
 * status is WVM_ERR_MALFORMED, WVM_ERR_INVALID, WVM_ERR_LIMIT or
 * WVM_ERR_NOMEM, and *out is still set (except for NOMEM, where it may
 * be NULL) to a failed module whose wvm_module_errmsg names the section
 * and byte offset; free it with wvm_module_free. */
wvm_status wvm_module_new(wvm_engine *e, const uint8_t *wasm, size_t len,
                          wvm_module **out);
/* Frees m.  Every store that instantiated it must be freed first. */
void wvm_module_free(wvm_module *m);

/* Hash of the cost table m was translated with (see wvm_cost_table_hash);
 * part of any cache key for translated modules. */
uint64_t wvm_module_cost_hash(const wvm_module *m);

/* A module's translated code written out and read back (the on-disk
 * module cache of docs/engine.md): a restarted process then need not
 * validate and translate it again.
 *
 * wvm_module_write_translation translates every function of m not yet
 * translated and passes the whole blob to write(user, bytes, len), once.
 * WVM_OK; WVM_ERR_ARG (m failed to load, or write is NULL);
 * WVM_ERR_NOMEM; WVM_ERR_LIMIT when the module holds a constant that
 * cannot be told apart from a code address of this process (then it
 * cannot be written out; it loads from its wasm as ever).
 *
 * wvm_module_new_translated is wvm_module_new, using blob in place of
 * validating and translating the function bodies when blob proves to be
 * a whole translation (checksum) of these wasm bytes by this build of
 * wvm with e's cost table, metering, float policy and load limits; any
 * other blob (NULL too) is not used, and the module is loaded from wasm
 * as by wvm_module_new.  *use (when use is not NULL) says which, and
 * why not.  The blob is only read. */
typedef void (*wvm_write_fn)(void *user, const void *bytes, size_t len);
wvm_status wvm_module_write_translation(const wvm_module *m, wvm_write_fn write, void *user);

typedef enum wvm_translation_use {
    WVM_TRANSLATION_USED = 0,
    WVM_TRANSLATION_TRUNCATED,       /* shorter than its header says */
    WVM_TRANSLATION_NOT_OURS,        /* not a translation blob at all */
    WVM_TRANSLATION_CORRUPT,         /* checksum mismatch, or contents that do not fit */
    WVM_TRANSLATION_OTHER_BUILD,     /* written by another build of wvm */
    WVM_TRANSLATION_OTHER_SETTINGS,  /* other costs, metering, float policy or load limits */
    WVM_TRANSLATION_OTHER_MODULE,    /* a translation of other wasm bytes */
} wvm_translation_use;

wvm_status wvm_module_new_translated(wvm_engine *e, const uint8_t *wasm, size_t len, const void *blob,
                                     size_t blob_len, wvm_module **out, wvm_translation_use *use);

/* Message of a failed module, "" for a good one.  Lives as long as m. */
const char *wvm_module_errmsg(const wvm_module *m);

typedef enum wvm_externkind {
    WVM_EXTERN_FUNC = 0,
    WVM_EXTERN_TABLE = 1,
    WVM_EXTERN_MEMORY = 2,
    WVM_EXTERN_GLOBAL = 3,
} wvm_externkind;

/* Imports and exports of a module, for linking and listing.  Strings
 * live as long as m.  An index past the count (or a failed module, which
 * has none) gives empty names and WVM_EXTERN_FUNC.  name_len is the
 * length (wasm names may hold NULs; a NUL is appended for convenience). */
uint32_t wvm_module_import_count(const wvm_module *m);
void wvm_module_import(const wvm_module *m, uint32_t i,
                       const char **module, uint32_t *module_len,
                       const char **name, uint32_t *name_len,
                       wvm_externkind *kind);
uint32_t wvm_module_export_count(const wvm_module *m);
void wvm_module_export(const wvm_module *m, uint32_t i,
                       const char **name, uint32_t *name_len,
                       wvm_externkind *kind);

/* The type of an import or export: what a linker must supply or gets.
 * Limits are in pages for memories, elements for tables; max is
 * UINT32_MAX when there is none.  A function's param and result arrays
 * live as long as the module. */
typedef struct wvm_externtype {
    wvm_externkind kind;
    union {
        wvm_functype func;
        struct { wvm_valtype elem; uint32_t min, max; } table;
        struct { uint32_t min, max; } memory;
        struct { wvm_valtype type; bool mutable_; } global;
    } of;
} wvm_externtype;

/* Type of import i / export i of m.  Returns WVM_OK, WVM_ERR_NOT_FOUND
 * (i past the count) or WVM_ERR_ARG (m failed to load); on failure *out
 * is zeroed. */
wvm_status wvm_module_import_type(const wvm_module *m, uint32_t i, wvm_externtype *out);
wvm_status wvm_module_export_type(const wvm_module *m, uint32_t i, wvm_externtype *out);

/* ------------------------------------------------------------------ */
/* Stores, externs and host functions                                  */

typedef struct wvm_store wvm_store;
typedef struct wvm_instance wvm_instance;
typedef struct wvm_caller wvm_caller;

/* A function, table, memory or global, owned by a store.  Copy it
 * freely; it is valid as long as its store. */
typedef struct wvm_extern {
    wvm_externkind kind;
    void *ptr; /* wvm_func*, or an opaque table/memory/global object */
} wvm_extern;

/* The extern of a function, and back: the function of an extern, or
 * NULL when it is not one. */
static inline wvm_extern wvm_extern_func(wvm_func *f) {
    wvm_extern x;
    x.kind = WVM_EXTERN_FUNC;
    x.ptr = f;
    return x;
}
static inline wvm_func *wvm_extern_as_func(wvm_extern x) {
    return x.kind == WVM_EXTERN_FUNC ? (wvm_func *)x.ptr : (wvm_func *)0;
}

/* Makes a store with the engine's limits: its value stack and frame
 * array are allocated here, its fuel is unlimited and its timeout is the
 * engine's limits.timeout_ms.  Returns WVM_OK or WVM_ERR_NOMEM (*out
 * NULL). */
wvm_status wvm_store_new(wvm_engine *e, wvm_store **out);
/* Frees s and everything it owns.  Not during a call on s. */
void wvm_store_free(wvm_store *s);

/* Detail of the last failure on s (trap message with backtrace, link
 * error, ...).  Valid until the next call on s.  Calls that fail before
 * they have a store to write to (wvm_wasi_new, wvm_wasi_import_n) leave
 * it alone. */
const char *wvm_store_errmsg(const wvm_store *s);

/* Exit code passed to WASI proc_exit, after a call returned WVM_TRAP_EXIT. */
int32_t wvm_store_exit_code(const wvm_store *s);

/* A host function.  args has type->nparams values, results room for
 * type->nresults values; the host fills each result, type included.
 * Return WVM_OK, or a trap status (usually WVM_TRAP_HOST, after
 * wvm_caller_trap to set the message) to stop the guest; WVM_ERR_NOMEM
 * passes through as is, and any other status becomes WVM_TRAP_HOST.
 * Returning WVM_OK with a result left unset, of the wrong type, or a
 * funcref of another store traps WVM_TRAP_HOST with a message naming
 * the function (its import name) and the result, e.g. "host function
 * env.f returned without setting result 0". */
typedef wvm_status (*wvm_host_fn)(wvm_caller *caller, void *user,
                                  const wvm_val *args, wvm_val *results);

/* Makes a host function in s.  The type's arrays are copied.  user is
 * passed back to fn and never freed by wvm.  The function lives as long
 * as s.  Returns WVM_OK, WVM_ERR_ARG (fn or type NULL) or WVM_ERR_NOMEM;
 * *out NULL on failure. */
wvm_status wvm_func_new_host(wvm_store *s, const wvm_functype *type,
                             wvm_host_fn fn, void *user, wvm_func **out);

/* Make a global, table or memory owned by s (for providing imports).
 * Each returns WVM_OK or WVM_ERR_NOMEM, and:
 *   wvm_global_new  WVM_ERR_TYPE (init.type is no value type),
 *                   WVM_ERR_ARG (a funcref of another store);
 *   wvm_table_new   WVM_ERR_TYPE (elem is not a reference type),
 *                   WVM_ERR_ARG (min > max), WVM_ERR_RESOURCE (min over
 *                   limits.max_table_elems);
 *   wvm_memory_new  WVM_ERR_ARG (min > max), WVM_ERR_RESOURCE (min over
 *                   limits.max_memory_pages or 65536, all a wasm32
 *                   memory can address).
 * A maximum above the engine's limit is capped to it.  *out is
 * { 0, NULL } on failure. */
wvm_status wvm_global_new(wvm_store *s, wvm_val init, bool mutable_,
                          wvm_extern *out);
wvm_status wvm_table_new(wvm_store *s, wvm_valtype elem, uint32_t min,
                         uint32_t max /* UINT32_MAX: none */, wvm_extern *out);
wvm_status wvm_memory_new(wvm_store *s, uint32_t min_pages,
                          uint32_t max_pages /* UINT32_MAX: none */,
                          wvm_extern *out);

/* Globals, made by wvm_global_new or exported.  wvm_global_get returns
 * WVM_OK or WVM_ERR_ARG (g is not a global of s).  wvm_global_set
 * returns WVM_OK, WVM_ERR_ARG (not a global of s, the global is
 * immutable, or v a funcref of another store) or WVM_ERR_TYPE (v's type
 * is not the global's). */
wvm_status wvm_global_get(wvm_store *s, wvm_extern g, wvm_val *out);
wvm_status wvm_global_set(wvm_store *s, wvm_extern g, wvm_val v);

/* Memories, made by wvm_memory_new or exported (any memory, not only an
 * instance's memory 0).  Each returns WVM_ERR_ARG when mem is not a
 * memory of s, and:
 *   wvm_memory_size   WVM_OK; *pages is the size in 64 KiB pages.
 *   wvm_memory_grow   WVM_OK with the old size in *old_pages,
 *                     WVM_ERR_RESOURCE (over the memory's maximum, capped
 *                     by limits.max_memory_pages) or WVM_ERR_NOMEM.  No
 *                     fuel is charged.  Pointers from wvm_caller_memory
 *                     are invalid after a grow.
 *   wvm_memory_read,  WVM_OK, or WVM_ERR_BOUNDS when [ptr, ptr+len) is
 *   wvm_memory_write  not inside the memory (nothing is copied).
 * Inside a host function these may be used on the caller's memory. */
wvm_status wvm_memory_size(wvm_store *s, wvm_extern mem, uint32_t *pages);
wvm_status wvm_memory_grow(wvm_store *s, wvm_extern mem, uint32_t delta, uint32_t *old_pages);
wvm_status wvm_memory_read(wvm_store *s, wvm_extern mem, uint32_t ptr, void *dst, uint32_t len);
wvm_status wvm_memory_write(wvm_store *s, wvm_extern mem, uint32_t ptr, const void *src, uint32_t len);

/* The type of a function.  Lives as long as the function's store.  Made
 * on first use, through the allocator: NULL when that is refused. */
const wvm_functype *wvm_func_type(const wvm_func *f);

/* Inside a host function: the caller's linear memory (bounds-checked
 * copies), fuel charging, trap messages. */

/* Copies len bytes at guest address ptr into dst.  WVM_ERR_BOUNDS if
 * [ptr, ptr+len) is not inside memory (or there is no memory). */
wvm_status wvm_caller_read(wvm_caller *c, uint32_t ptr, void *dst, uint32_t len);
/* Copies len bytes from src to guest address ptr.  WVM_ERR_BOUNDS as above. */
wvm_status wvm_caller_write(wvm_caller *c, uint32_t ptr, const void *src, uint32_t len);
/* A pointer to [ptr, ptr+len) of guest memory, or NULL when out of
 * bounds.  Valid only until the host function returns or calls back
 * into the guest; never keep it.  The range counts as written for
 * wvm_instance_reset (the host may write through the pointer): to only
 * read, wvm_caller_read is cheaper for a pooled instance. */
uint8_t *wvm_caller_memory(wvm_caller *c, uint32_t ptr, uint32_t len);
/* Charges fuel: WVM_OK, or WVM_TRAP_OUT_OF_FUEL when the call's budget
 * cannot pay it (nothing is charged then); the host function should
 * then return that status.  A single charge of 2^62 or more is out of
 * fuel whatever the budget.  A charge that takes the next chunk of the
 * budget also checks the deadline and the cancel flag, as the guest's
 * instructions do: WVM_TRAP_TIMEOUT or WVM_TRAP_CANCELLED then.  Without
 * metering: always WVM_OK. */
wvm_status wvm_caller_charge(wvm_caller *c, uint64_t fuel);
/* Sets the trap message (printf-style); returns WVM_TRAP_HOST. */
wvm_status wvm_caller_trap(wvm_caller *c, const char *fmt, ...);
/* Ends the call with WVM_TRAP_EXIT and the given exit code. */
wvm_status wvm_caller_exit(wvm_caller *c, int32_t code);
/* The store the call runs in. */
wvm_store *wvm_caller_store(wvm_caller *c);
/* The engine's cost table (same as wvm_engine_costs). */
const wvm_cost_table *wvm_caller_costs(wvm_caller *c);
/* The deterministic fuel profile (docs/calls.md).  With a hook set on
 * a store, every fuel charge of its calls is reported to fn: the wasm
 * frames it was made in (outermost first; across instances when a host
 * function called into another instance), the fuel, and host_import:
 * the function index (an import of the top frame's instance) of the
 * host function that charged it, or UINT32_MAX for wasm code.  Exact
 * and the same on every run; slow (every basic block takes the slow
 * path), so for profiling runs only -- with no hook the interpreter
 * pays nothing.  fn NULL turns it off.  WVM_OK or WVM_ERR_NOMEM. */
typedef struct wvm_prof_frame {
    const wvm_instance *instance;
    uint32_t func;             /* function index in its module */
} wvm_prof_frame;
typedef void (*wvm_profile_fn)(void *user, const wvm_prof_frame *stack, uint32_t n,
                               uint64_t fuel, uint32_t host_import);
wvm_status wvm_store_set_profile(wvm_store *s, wvm_profile_fn fn, void *user);
/* Name of function index func of inst: "module.name" for an import,
 * else its name-section name, else its export name, else "func[N]". */
void wvm_instance_func_name(const wvm_instance *inst, uint32_t func, char *buf, size_t cap);

/* What a nested call made now by this host function would have: the
 * fuel left (UINT64_MAX without metering), and room for frames and for
 * value-stack slots.  A call that ran to its end with a given room
 * needs no more than that room to run the same way again. */
typedef struct wvm_room {
    uint64_t fuel;
    uint32_t frames;
    uint64_t slots;
} wvm_room;
void wvm_caller_room(wvm_caller *c, wvm_room *out);

/* Fuel the store's outermost call has used so far, this host call's
 * charges included (0 without metering).  For tracing: the call path
 * reads it at call boundaries. */
uint64_t wvm_caller_fuel_used(wvm_caller *c);
/* A per-call fuel cap for what the host function runs next (a nested
 * call into the store): hides all but `cap` of the remaining fuel and
 * returns how much it hid, for wvm_caller_fuel_uncap to give back when
 * the nested call is over, whatever its outcome.  Returns 0 (nothing
 * hidden) when no more than cap remains or without metering. */
uint64_t wvm_caller_fuel_cap(wvm_caller *c, uint64_t cap);
void wvm_caller_fuel_uncap(wvm_caller *c, uint64_t hidden);

/* ------------------------------------------------------------------ */
/* Instances                                                           */

/* Instantiates m in s.  imports has one extern per import of m, in the
 * module's import order (nimports must equal wvm_module_import_count;
 * wvm_module_import_type gives what each must be).  Runs the start
 * function.  Returns WVM_OK, WVM_ERR_ARG (m failed to load, m from
 * another engine, imports NULL, an import owned by another store),
 * WVM_ERR_LINK (wrong count, missing or mismatched import),
 * WVM_ERR_RESOURCE (a memory or table over the limits), a trap status
 * (data/element segment out of bounds, trap in start), or WVM_ERR_NOMEM.
 * On failure *out is NULL and the detail is in wvm_store_errmsg(s).  The
 * instance lives as long as s; note the spec rule that segments written
 * before a failing one stay written. */
wvm_status wvm_instance_new(wvm_store *s, const wvm_module *m,
                            const wvm_extern *imports, uint32_t nimports,
                            wvm_instance **out);

/* Linking by name.  wvm_store_define_n names an extern for later
 * instantiations in s (module and name are copied; a later definition of
 * the same pair replaces the earlier).  Returns WVM_OK, WVM_ERR_ARG (a
 * NULL name, or x not an extern of s) or WVM_ERR_NOMEM.
 * wvm_instance_link instantiates m with each import resolved by its
 * module and name among the definitions; an import with no definition
 * fails with WVM_ERR_LINK naming it.  Otherwise as wvm_instance_new. */
wvm_status wvm_store_define_n(wvm_store *s, const char *module, uint32_t module_len,
                              const char *name, uint32_t name_len, wvm_extern x);
wvm_status wvm_store_define(wvm_store *s, const char *module, const char *name, wvm_extern x);
wvm_status wvm_instance_link(wvm_store *s, const wvm_module *m, wvm_instance **out);

/* Looks up an export by name: WVM_OK, WVM_ERR_NOT_FOUND if there is
 * none, WVM_ERR_ARG for a NULL name.  The message is in the instance's
 * store. */
wvm_status wvm_instance_export_n(wvm_instance *inst, const char *name,
                                 uint32_t name_len, wvm_extern *out);
wvm_status wvm_instance_export(wvm_instance *inst, const char *name, wvm_extern *out);

/* Looks up an exported function: as wvm_instance_export, and
 * WVM_ERR_NOT_FOUND when the export is not a function. */
wvm_status wvm_instance_func_n(wvm_instance *inst, const char *name, uint32_t name_len,
                               wvm_func **out);
wvm_status wvm_instance_func(wvm_instance *inst, const char *name, wvm_func **out);

/* Calls f, a function of s.  args must match its parameters; results
 * needs room for its results.  Returns WVM_OK, a trap status (the
 * message, with a backtrace of wasm frames, is in wvm_store_errmsg),
 * WVM_ERR_TYPE (argument count or types, result room), WVM_ERR_ARG (f
 * NULL or of another store, args or results NULL when needed, a funcref
 * argument of another store), or WVM_ERR_NOMEM (a host function's
 * arguments).  From inside a host function (re-entry) the call runs on
 * top of the caller's frames and value stack and counts against the
 * same limits (max_call_depth, max_stack_slots, 64 nested re-entries):
 * WVM_TRAP_STACK_EXHAUSTED past them. */
wvm_status wvm_func_call(wvm_store *s, wvm_func *f, const wvm_val *args,
                         uint32_t nargs, wvm_val *results, uint32_t nresults);

/* The instance's memory 0 (exported or not), for the embedder: WVM_OK,
 * or WVM_ERR_BOUNDS when [ptr, ptr+len) is outside it or there is none.
 * For other memories see wvm_memory_read. */
wvm_status wvm_instance_memory_read(wvm_instance *inst, uint32_t ptr, void *dst, uint32_t len);
wvm_status wvm_instance_memory_write(wvm_instance *inst, uint32_t ptr, const void *src, uint32_t len);
/* Size in bytes of memory 0; 0 if there is none. */
uint64_t wvm_instance_memory_size(const wvm_instance *inst);

/* Reusing an instance (an instance pool): take a snapshot once, after
 * instantiation, then reset before each call instead of instantiating
 * the module again.
 *
 * wvm_instance_snapshot takes inst's current state -- memory contents
 * and size, globals, tables (elements and size), dropped data and
 * element segments -- as the state wvm_instance_reset returns it to,
 * and from now on tracks which memory pages are written.  A second
 * snapshot replaces the first.  WVM_OK; WVM_ERR_ARG when inst is NULL
 * or imports a memory, a table or a mutable global (objects another
 * instance or the embedder owns and shares: resetting them would change
 * someone else's state, so such an instance cannot be snapshot; the
 * message says which); WVM_ERR_NOMEM (the previous snapshot, if any,
 * is kept).
 *
 * wvm_instance_reset puts inst back into its snapshot's state, at a
 * cost in proportion to what changed since (the memory pages written,
 * the globals and tables); a memory.grow since the snapshot is undone,
 * and growing again yields zeroed pages as usual.  WVM_OK; WVM_ERR_ARG
 * when inst is NULL or has no snapshot.
 *
 * Not part of an instance's state, and so neither saved nor reset: the
 * store's fuel, timeout and exit code (per call anyway), WASI state,
 * objects made with wvm_*_new and defined in the store, and what a host
 * function keeps.  Reset must not be called while a call into inst is
 * running (from one of its host functions): that call would go on in
 * the snapshot's state.  Thread rule: as for any use of inst's store. */
wvm_status wvm_instance_snapshot(wvm_instance *inst);
wvm_status wvm_instance_reset(wvm_instance *inst);

/* ------------------------------------------------------------------ */
/* Fuel and interruption (per store)                                   */

/* Sets the fuel each following call may use (UINT64_MAX: unlimited, the
 * default). */
void wvm_store_set_fuel(wvm_store *s, uint64_t fuel);
/* Fuel used by the last call (also after a trap). */
uint64_t wvm_store_fuel_used(const wvm_store *s);
/* What the last call left of its fuel: the limit minus the fuel used
 * (UINT64_MAX minus the fuel used when unlimited). */
uint64_t wvm_store_fuel_remaining(const wvm_store *s);
/* The part of it spent on wasm instructions: fuel used minus what host
 * functions and memory.grow pages charged.  Under a cost table where
 * every opcode costs 1 (the default) this is the number of instructions
 * executed, counting whole basic blocks (docs/fuel.md). */
uint64_t wvm_store_instructions(const wvm_store *s);
/* Wall-clock timeout of each following call in milliseconds.  As in
 * wvm_limits: 0 is the default (the engine's limits.timeout_ms, which a
 * new store starts with), WVM_NO_TIMEOUT is none.
 *
 * The call stops with WVM_TRAP_TIMEOUT at the first check after the
 * deadline; checks come at least every 10000 units of fuel (docs/fuel.md,
 * "Timeout and cancel"), never inside a host function.  So that a short
 * call reads no clock, the timeout's clock starts at the first of these
 * checks or when the call first reaches a host function, whichever comes
 * first -- not when the call starts.  The start lags by at most those
 * first 10000 fuel units of guest code: 1.5-3.5 us on the benchmark programs
 * with metering on and the default cost table; without metering, up to
 * 10000 loop iterations or calls.  A call that ends before then reads
 * no clock. */
void wvm_store_set_timeout(wvm_store *s, uint32_t ms);
/* Asks a running call on s to stop with WVM_TRAP_CANCELLED, at its next
 * check (as above).  A call that starts clears a cancel made before it:
 * this stops the call that is running, not a later one.  The only
 * function that may be called from another thread than the store's. */
void wvm_store_cancel(wvm_store *s);

/* ------------------------------------------------------------------ */
/* WASI preview1 (module "wasi_snapshot_preview1")                     */

/* Deterministic: clocks and random come from these values, never the
 * host.  stdout/stderr go to the callbacks (NULL: discard). */
typedef struct wvm_wasi_config {
    int argc;
    const char *const *argv;
    int envc;
    const char *const *envp;        /* "KEY=VALUE" */
    uint64_t clock_ns;              /* what clock_time_get returns */
    uint64_t random_seed;           /* seed of random_get's bytes */
    void (*write)(void *user, int fd, const uint8_t *buf, size_t len);
    void *write_user;
} wvm_wasi_config;

typedef struct wvm_wasi wvm_wasi;

/* Makes a WASI context whose host functions live in s.  cfg is copied
 * (strings included), through the engine's allocator.  Freed with the
 * store.  Returns WVM_OK, WVM_ERR_ARG (s, cfg or out NULL, a NULL string,
 * a negative count, lists WASI cannot describe in 32 bits) or
 * WVM_ERR_NOMEM; *out NULL on failure, and what was allocated is the
 * store's to free. */
wvm_status wvm_wasi_new(wvm_store *s, const wvm_wasi_config *cfg, wvm_wasi **out);
/* Resolves an import of module "wasi_snapshot_preview1" by name: WVM_OK,
 * WVM_ERR_NOT_FOUND if WASI has no such function, WVM_ERR_ARG (NULL
 * arguments) or WVM_ERR_NOMEM.  The function is made on the first
 * request and the same one returned after. */
wvm_status wvm_wasi_import_n(wvm_wasi *w, const char *name, uint32_t name_len,
                             wvm_extern *out);
wvm_status wvm_wasi_import(wvm_wasi *w, const char *name, wvm_extern *out);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif
