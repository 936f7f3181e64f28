/*
 * chain.h -- private header of src/chain/: the layouts behind the
 * handles of include/wvm_chain.h and the transaction plumbing that
 * deploy.c, call.c (the call path) and chain.c share.
 *
 * A transaction of a block, as every writer runs it:
 *
 *     st_txn *tx;
 *     if ((st = chain_tx_begin(b, &tx))) return st;      (block failed)
 *     ... work on tx (st_* calls, nested st_txn_begin per callee) ...
 *     return chain_tx_end(b, tx, kind, message, result, fuel, receipt);
 *
 * chain_tx_end commits tx when kind is WVM_KIND_NONE and aborts it
 * otherwise, then stores the receipt under (height, index).
 */
#ifndef WVM_CHAIN_PRIVATE_H
#define WVM_CHAIN_PRIVATE_H

#include <pthread.h>
#include "wvm.h"
#include "wvm_chain.h"
#include "state/state.h"
#include "engine/engine.h"

#define CHAIN_MSG 1024

struct wvm_chain {
    st_env *env;
    wvm_engine *engine;          /* runs contracts under cfg.runtime */
    wvm_config runtime;          /* the contract configuration */
    uint32_t max_code_bytes;     /* decompressed wasm */
    pthread_key_t msg_key;       /* this thread's last message (char *) */
    cache *modules;              /* translated modules (src/engine/cache.c) */
    front *front;                /* each thread's recent modules (src/engine/front.c) */
    uint64_t cost_hash;          /* of the engine's cost table: cache keys */
    metrics metrics;             /* src/engine/metrics.c */
    uint32_t pool_max;           /* idle instances per module; 0: no pool */
    char *translation_dir;       /* the on-disk module cache; NULL: none */
};

struct wvm_block {
    wvm_chain *chain;
    st_txn *txn;                 /* the block's write transaction */
    uint64_t height, time;
    bool failed;                 /* a receipt could not be stored: no commit */
    char msg[CHAIN_MSG];
};

/* Sets the calling thread's message on c (printf-style); returns st. */
wvm_status chain_fail(wvm_chain *c, wvm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets b's message (and c's); returns st. */
wvm_status block_fail(wvm_block *b, wvm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Begins a top-level transaction of b.  WVM_ERR_STATE when b failed. */
wvm_status chain_tx_begin(wvm_block *b, st_txn **tx);
/* Ends tx (commit when kind == WVM_KIND_NONE, else abort; a failed commit
 * becomes WVM_KIND_STATE_ERROR), stores its receipt (message: NULL = "",
 * result: NULL = "null"; both copied before tx ends, so they may point
 * into tx's data) and gives it back in *receipt when receipt != NULL.
 * Returns WVM_OK, or WVM_ERR_STATE / WVM_ERR_NOMEM when the receipt
 * could not be stored (b is then failed and cannot commit). */
wvm_status chain_tx_end(wvm_block *b, st_txn *tx, wvm_error_kind kind, const char *message,
                        const char *result, uint64_t fuel, wvm_receipt **receipt);
/* The same, but the receipt given back is made from what the caller kept
 * rather than read back from the store (a cursor walk over the events):
 * events[0, nevents) must be the events tx stored, in order (contract,
 * name, attributes; heights and indexes are filled in here).  They go
 * into the receipt only when tx commits, as the store's do. */
wvm_status chain_tx_end_kept(wvm_block *b, st_txn *tx, wvm_error_kind kind, const char *message,
                             const char *result, uint64_t fuel, const wvm_event *events,
                             uint32_t nevents, wvm_receipt **receipt);
/* The error kind of a store status (PERMISSION -> permission_denied, ...). */
wvm_error_kind chain_kind_of(wvm_status st);

/* Appends a copy of e to r (the layout of wvm_receipt's comment), for
 * receipts that are not read back from the store (queries). */
wvm_status chain_receipt_add_event(wvm_receipt *r, const wvm_event *e);

/* Deploy's hook into the call path (call.c): runs the new contract's
 * Initialize inside tx (the deploy's transaction) as args->deployer with
 * args->init_params (NULL: "{}") and args->fuel.  Returns WVM_KIND_NONE,
 * or the failure's kind with its message in msg; *fuel_used either way. */
wvm_error_kind chain_deploy_initialize(wvm_block *b, st_txn *tx, const wvm_address *contract,
                                       const wvm_deploy_args *args, uint64_t *fuel_used,
                                       char *msg, size_t msg_cap);

/* The engine service of a chain (engine.c): the module cache with the
 * bounds of cfg, and the metrics.  chain_engine_free before the engine. */
wvm_status chain_engine_new(wvm_chain *c, const wvm_chain_config *cfg);
void chain_engine_free(wvm_chain *c);

/* The call path's view of a cached module. */
#define CHAIN_MODULE_HAS_START 1u   /* cache_entry_flags: instantiation runs code */
/* cache_entry_aux of a module: its policies and its instance pool
 * (NULL when pooling is off). */
typedef struct chain_module_aux {
    struct policy_set *policies;
    pool *pool;
} chain_module_aux;
/* Frees a pooled unit of call.c (the pools' free_unit). */
void chain_unit_free(void *unit);

/* The translated module of code_hash (code read from txn on a miss),
 * held: cache_release(c->modules, *out) when done.  WVM_KIND_NONE, or a
 * kind with msg filled. */
/* diskcache.c: the module of code (wasm, len), read back from the
 * on-disk cache when it holds a usable translation (*from_disk), else
 * loaded from wasm and its translation written there; as
 * wvm_module_new without the cache. */
wvm_status chain_module_load(wvm_chain *c, const wvm_hash *code, const uint8_t *wasm, size_t len,
                             wvm_module **out, bool *from_disk);

wvm_error_kind chain_module_get(wvm_chain *c, st_txn *txn, const wvm_hash *hash,
                                cache_entry **out, char *msg, size_t cap);

/* The folded fuel profile of one call (profile.c): begin sets the
 * runtime's hook on tx's store; folded gives the text (malloc'd, NULL
 * when out of memory), while tx's frames are still there. */
typedef struct chain_prof chain_prof;
struct host_tx;
wvm_status chain_prof_begin(struct host_tx *tx, chain_prof **out);
char *chain_prof_folded(chain_prof *p);
void chain_prof_free(chain_prof *p);

/* ------------------------------------------------------------------ */
/* Function policies (policy.c, docs/calls.md): read from the "wvm.abi"
 * section of a contract's code once per code hash (call.c's cache). */

enum { POLICY_VIEW = 1u << 0, POLICY_NONREENTRANT = 1u << 1, POLICY_PAYABLE = 1u << 2 };

typedef struct policy_fn {
    char *name;
    uint32_t flags;            /* POLICY_* */
} policy_fn;

typedef struct policy_set {
    policy_fn *fns;            /* only functions with a policy */
    uint32_t n;
} policy_set;

/* Fills *out from the wasm's "wvm.abi" section (none, or no policies:
 * empty).  WVM_OK, or WVM_ERR_NOMEM. */
wvm_status policy_load(const uint8_t *wasm, size_t len, policy_set *out);
/* POLICY_* flags of function fn (0: none). */
uint32_t policy_of(const policy_set *p, const char *fn, uint32_t fn_len);
void policy_set_free(policy_set *p);

/* ------------------------------------------------------------------ */
/* The wasm walker deploy uses (scan.c): function types of imports and
 * exports, and custom sections, which the runtime's API does not expose.
 * Pointers point into the wasm bytes given to scan_run and live as long
 * as they do. */

#define SCAN_MAX_CUSTOM 4

typedef struct scan_name { const char *ptr; uint32_t len; } scan_name;
typedef struct scan_type {
    uint32_t nparams, nresults;
    const uint8_t *params, *results;   /* value type bytes */
} scan_type;
typedef struct scan_import {
    scan_name module, name;
    uint8_t kind;                      /* 0 func, 1 table, 2 memory, 3 global */
    uint32_t type;                     /* funcs: type index */
} scan_import;
typedef struct scan_export {
    scan_name name;
    uint8_t kind;
    uint32_t index;
} scan_export;
typedef struct scan_custom {
    bool present;
    scan_name body;
} scan_custom;

typedef struct scan_module {
    const char *want[SCAN_MAX_CUSTOM];  /* custom sections to find (NULL-ended) */
    scan_custom custom[SCAN_MAX_CUSTOM];
    scan_type *types;
    uint32_t ntypes;
    scan_import *imports;
    uint32_t nimports, nfunc_imports;
    uint32_t *funcs;                    /* type index per defined function */
    uint32_t nfuncs;
    scan_export *exports;
    uint32_t nexports;
} scan_module;

/* Fills m (zeroed by the caller, `want` set).  false with msg on a
 * module it cannot read or a custom section of interest given twice. */
bool scan_run(scan_module *m, const uint8_t *wasm, size_t len, char *msg, size_t cap);
/* The type of function index func (imports first); NULL if none. */
const scan_type *scan_func_type(const scan_module *m, uint32_t func);
/* "(i32, i32) -> i32" */
void scan_type_str(const scan_type *t, char *out, size_t cap);
void scan_free(scan_module *m);

#endif
