/*
 * wvm_chain.h -- the contract system's public API: state, blocks,
 * deploy, calls, queries.  What an embedding node uses; include/wvm.h is
 * the runtime underneath.
 *
 * DRAFT INTERFACE written by the integrator so the state layer
 * (src/state/, src/chain/chain.c, deploy) and the call path (src/host/,
 * src/chain/call.c) can be built at the same time.  Implementers may
 * refine it; keep the shapes.
 *
 * Conventions are wvm.h's: opaque handles, wvm_status results (WVM_OK =
 * 0), the detail of the last failure in the handle's message, no aborts,
 * every destroyer takes NULL.
 *
 * Objects and their life cycles
 *   wvm_chain   an open state directory with the engine that runs its
 *               contracts.  wvm_chain_open / wvm_chain_close.  May be used
 *               from many threads: one block at a time is open for
 *               writing (LMDB's single writer), queries run in parallel.
 *   wvm_block   a block being executed: wvm_block_begin, then any number
 *               of transactions (deploy, call, mint, transfer), then
 *               wvm_block_commit (one LMDB commit and sync) or
 *               wvm_block_abort.  One thread at a time.
 *   wvm_receipt the outcome of one transaction; owned by the caller,
 *               wvm_receipt_free.
 *
 * Each transaction is atomic: on success its changes merge into the
 * block; on any failure they are discarded and only its receipt remains.
 */
#ifndef WVM_CHAIN_H
#define WVM_CHAIN_H

#include "wvm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wvm_address { uint8_t b[20]; } wvm_address;
typedef struct wvm_object_id { uint8_t b[32]; } wvm_object_id;
typedef struct wvm_hash { uint8_t b[32]; } wvm_hash;

/* "0x" + lowercase hex; out needs 43 (address) / 67 (id, hash) bytes. */
void wvm_address_hex(const wvm_address *a, char out[43]);
void wvm_hash_hex(const wvm_hash *h, char out[67]);
/* Parses "0x" + 40 (64) hex digits, either case.  WVM_ERR_ARG otherwise. */
wvm_status wvm_address_parse(const char *s, wvm_address *out);
wvm_status wvm_hash_parse(const char *s, wvm_hash *out);   /* also object IDs */

/* Why a transaction failed (receipts, query results). */
typedef enum wvm_error_kind {
    WVM_KIND_NONE = 0,
    WVM_KIND_COMPILATION_FAILED,      /* the contract's code does not load */
    WVM_KIND_INSTANCE_CREATION_FAILED,
    WVM_KIND_FUNCTION_NOT_FOUND,
    WVM_KIND_EXECUTION_FAILED,        /* a trap: message has the backtrace */
    WVM_KIND_INVALID_PARAMETERS,
    WVM_KIND_RESOURCE_EXHAUSTED,      /* fuel, memory, stack, a limit */
    WVM_KIND_TIMEOUT,
    WVM_KIND_CONTRACT_ERROR,          /* the contract's own error */
    WVM_KIND_PERMISSION_DENIED,
    WVM_KIND_NOT_FOUND,               /* contract or object */
    WVM_KIND_INVALID_ARGUMENT,        /* the request itself (bad address, ...) */
    WVM_KIND_STATE_ERROR,             /* the store failed (I/O, full) */
    WVM_KIND_INSUFFICIENT_FUNDS,      /* a native transfer over the balance */
    WVM_KIND_BALANCE_OVERFLOW,        /* a balance would pass 2^64 - 1 */
    WVM_KIND_ALREADY_EXISTS,          /* deploy to an address in use */
} wvm_error_kind;

/* "permission_denied", ...; "ok" for NONE.  Never NULL. */
const char *wvm_error_kind_str(wvm_error_kind k);

/* ------------------------------------------------------------------ */
/* Opening                                                             */

typedef struct wvm_chain_config {
    const char *dir;           /* state directory; NULL: ".wvm" */
    bool no_sync;              /* UNSAFE: commits are not synced (tests,
                                  bulk loads); a crash may lose blocks */
    uint64_t map_size;         /* LMDB map size; 0: default */
    bool read_only;
    uint32_t max_code_bytes;   /* decompressed wasm; 0: 1 MiB */
    const wvm_config *runtime; /* NULL: the contract defaults */
    /* The translated-module cache (least recently used out first).  The
     * byte bound counts each module's code size.  0: the default (1024
     * modules, 256 MiB); UINT64_MAX / UINT32_MAX: no bound. */
    uint64_t cache_max_bytes;
    uint32_t cache_max_entries;
    /* The instance pool: idle instances kept per cached module, reset to
     * their state after instantiation and _initialize and reused by the
     * top frame of later calls (docs/engine.md); results and fuel are the
     * same either way.  0: the default (4); no_pool: none, every call
     * instantiates. */
    uint32_t pool_max_idle;
    bool no_pool;
    /* The on-disk cache of translated modules (docs/engine.md): a
     * directory (made if missing) where a module's translation is
     * written when it is first loaded, and read back in place of
     * validating and translating it on a later miss -- after a restart.
     * A file that is stale (another build of wvm, another cost table),
     * cut short or damaged is detected and not used.  Its files are as
     * trusted as the state directory.  NULL: none. */
    const char *translation_dir;
} wvm_chain_config;

typedef struct wvm_chain wvm_chain;

void wvm_chain_config_default(wvm_chain_config *cfg);
/* WVM_OK, WVM_ERR_STATE (cannot open: damaged, foreign, newer schema,
 * read-only directory -- the message says which), WVM_ERR_NOMEM.  On
 * failure *out is NULL and *errmsg (if errmsg != NULL) is a malloc'd
 * message the caller frees. */
wvm_status wvm_chain_open(const wvm_chain_config *cfg, wvm_chain **out, char **errmsg);
void wvm_chain_close(wvm_chain *c);
/* Detail of the last failure of a call on c made by this thread. */
const char *wvm_chain_errmsg(const wvm_chain *c);

/* The engine's metrics in the Prometheus text exposition format: module
 * cache hits, misses, hit rate, evictions, entries and bytes;
 * translations and instantiations with their time; calls and queries
 * with their latency; fuel used; failures by error kind.  Counted since
 * the chain was opened.  WVM_OK with a malloc'd *text the caller frees,
 * or WVM_ERR_NOMEM.  Any thread. */
wvm_status wvm_chain_metrics(wvm_chain *c, char **text);
/* Pins (never evicted from the module cache) or unpins the translated
 * module of a code hash; pinning a module not loaded yet applies when it
 * is.  WVM_OK or WVM_ERR_NOMEM.  Any thread. */
wvm_status wvm_chain_pin(wvm_chain *c, const wvm_hash *code_hash, bool pinned);

uint64_t wvm_chain_height(wvm_chain *c);                 /* last committed */
void wvm_chain_root(wvm_chain *c, wvm_hash *root);       /* of that block */

/* ------------------------------------------------------------------ */
/* Blocks                                                              */

typedef struct wvm_block wvm_block;

/* height must be the last committed height + 1. */
wvm_status wvm_block_begin(wvm_chain *c, uint64_t height, uint64_t time, wvm_block **out);
/* Commits; *root (may be NULL) receives the block's state root.  b is
 * freed either way; on failure (WVM_ERR_STATE: the store failed, or a
 * receipt of the block could not be stored) nothing of the block is
 * committed and the message is in wvm_chain_errmsg. */
wvm_status wvm_block_commit(wvm_block *b, wvm_hash *root);
void wvm_block_abort(wvm_block *b);   /* NULL ok */
/* Detail of the last failure on b; valid until the next call on b. */
const char *wvm_block_errmsg(const wvm_block *b);
uint64_t wvm_block_height(const wvm_block *b);
uint64_t wvm_block_time(const wvm_block *b);
/* Transactions so far in b: the index the next one will take. */
uint32_t wvm_block_tx_count(const wvm_block *b);
/* The root of the state as b has it now (transactions so far). */
void wvm_block_root(const wvm_block *b, wvm_hash *root);

/* ------------------------------------------------------------------ */
/* Receipts and events                                                 */

typedef struct wvm_event {
    wvm_address contract;
    const char *name;
    const char *attributes;    /* a JSON object */
    uint64_t height;
    uint32_t tx_index, index;  /* within the block, within the tx */
} wvm_event;

/* A receipt and everything in it is malloc'd: message, result, the
 * events array, and per event one block holding the name followed by
 * the attributes (free(events[i].name) frees both). */
typedef struct wvm_receipt {
    uint64_t height;
    uint32_t index;            /* transaction index in the block */
    wvm_error_kind kind;       /* WVM_KIND_NONE on success */
    char *message;             /* "" on success */
    char *result;              /* JSON; "null" when none or failed */
    uint64_t fuel_used;
    uint32_t nevents;
    wvm_event *events;         /* strings owned by the receipt */
    /* wvm_query only: the state changes the call would make, a JSON
     * array (docs/abi.md); NULL otherwise.  Owned by the receipt. */
    char *changes;
    /* The call's log lines (WVM_HOST_LOG) and, with wvm_call_args.trace,
     * its trace lines: a JSON array of strings, in the receipt wvm_call
     * and wvm_query give back only (not consensus data, never stored);
     * NULL otherwise.  Owned by the receipt. */
    char *logs;
    /* wvm_call / wvm_query with args->trace: the transaction's trace
     * records in order (docs/calls.md); 0 and NULL otherwise.  Never
     * stored: a receipt read back with wvm_chain_receipt has none. */
    uint32_t ntrace;
    struct wvm_trace_record *trace;
    /* wvm_call / wvm_query with args->profile: the fuel of the call
     * attributed to every wasm function and host call, as folded stacks
     * (one "frame;frame;... fuel" line per stack, in byte order; a frame
     * is "0xCONTRACT.Function" where a contract's code begins, a wasm
     * function's name, or "host:NAME").  The numbers add up to
     * fuel_used less what was charged outside guest code.  The same
     * bytes on every run.  NULL otherwise; owned by the receipt. */
    char *folded;
} wvm_receipt;

/* ------------------------------------------------------------------ */
/* Tracing (docs/calls.md)                                             */

typedef enum wvm_trace_kind {
    WVM_TRACE_ENTER,           /* an exported function began (the hook) */
    WVM_TRACE_EXIT,            /* ... ended, with its status */
    WVM_TRACE_CALL,            /* a contract called another (WVM_HOST_CALL) */
} wvm_trace_kind;

/* Longest params text a record keeps (longer is cut, "..." appended). */
#define WVM_TRACE_PARAMS_MAX 64

typedef struct wvm_trace_record {
    wvm_trace_kind kind;
    uint32_t depth;            /* frame of `contract`: 0 = the called one */
    wvm_address contract;      /* ENTER/EXIT: the contract; CALL: the caller */
    char *function;            /* its function (owned by the receipt) */
    wvm_address target;        /* CALL: the callee */
    char *target_function;     /* CALL: the callee's function; else NULL */
    char *params;              /* ENTER, CALL: the params, cut; else NULL */
    uint64_t fuel;             /* fuel the transaction had used here */
    wvm_error_kind status;     /* EXIT: how the function ended */
    /* nanoseconds since the transaction began.  Wall time: for people
     * and profiles only, never part of results or state. */
    uint64_t wall_ns;
} wvm_trace_record;

enum {
    WVM_TRACE_NO_WALL = 1u << 0,   /* leave wall times out of the text */
};

/* The trace of r as text, one record a line, indented by depth:
 *   [ENTER] Contract: 0x.. Function: F Fuel: N
 *   [CALL]  From: 0x.. Func: F To: 0x.. Func: G
 *   [EXIT]  Contract: 0x.. Function: F Fuel: N Status: ok Duration: 41us
 * (Duration left out with WVM_TRACE_NO_WALL).  malloc'd; NULL when out
 * of memory.  "" when r has no records. */
char *wvm_trace_text(const wvm_receipt *r, unsigned flags);
/* The trace of r as a JSON call tree: an array of nodes {"contract",
 * "function","params","fuel_used","duration_us","status","children"}
 * ("duration_us" left out with WVM_TRACE_NO_WALL).  malloc'd or NULL. */
char *wvm_trace_json(const wvm_receipt *r, unsigned flags);

void wvm_receipt_free(wvm_receipt *r);    /* NULL ok */

/* ------------------------------------------------------------------ */
/* Transactions                                                        */

typedef struct wvm_deploy_args {
    const uint8_t *code;       /* wasm, or gzip-compressed wasm */
    size_t code_len;
    const uint8_t *salt;       /* NULL: none */
    size_t salt_len;
    wvm_address deployer;
    /* Deploy calls the contract's Initialize, inside the deploy's
     * transaction and as the deployer, when init_params is not NULL or
     * the contract's wvm.abi section lists a function "Initialize" (then
     * with "{}" when init_params is NULL).  A failing Initialize fails
     * the deploy (its kind and message in the receipt) and undoes all of
     * it.  docs/abi.md. */
    const char *init_params;   /* JSON object for Initialize, or NULL */
    uint64_t fuel;             /* for Initialize; 0: WVM_DEFAULT_CALL_FUEL */
} wvm_deploy_args;

/* Deploys as one transaction of b.  Returns WVM_OK when the transaction
 * ran (its receipt says whether the deploy succeeded; *addr is set on
 * success), or an error when it could not be run at all. */
wvm_status wvm_deploy(wvm_block *b, const wvm_deploy_args *args, wvm_address *addr,
                      wvm_receipt **receipt);

typedef struct wvm_call_args {
    wvm_address contract;
    const char *function;
    const char *params;        /* JSON object; NULL: "{}" */
    wvm_address sender;
    /* native balance the sender attaches (docs/calls.md): moved from
     * sender to contract inside the call's transaction before the
     * contract runs, so a failing call undoes it.  Over 0 only for a
     * function declared payable in the contract's ABI section (a contract
     * without one has none): else permission_denied; more than the
     * sender's balance: insufficient_funds.  The contract reads it with
     * wvm_value.  Ignored by wvm_deploy's Initialize. */
    uint64_t value;
    uint64_t fuel;             /* 0: default (docs/abi.md) */
    uint32_t timeout_ms;       /* 0: the engine's (per guest call) */
    bool trace;                /* collect trace records (wvm_receipt) */
    /* the deterministic fuel profile: receipt->folded (docs/calls.md).
     * Slow; for profiling runs. */
    bool profile;
    /* wvm_query only (a call takes its block's): the height and time the
     * contract sees; 0: the next height, the last block's time */
    uint64_t height, time;
} wvm_call_args;

/* Fuel of a call (and of Initialize at deploy) when args->fuel is 0. */
#define WVM_DEFAULT_CALL_FUEL 10000000u

/* Calls a contract as one transaction of b (committed with the block
 * when it succeeds).  Returns WVM_OK when the transaction ran, whatever
 * its outcome: the receipt (stored under the block's height and the
 * transaction's index, and given back in *receipt when receipt != NULL,
 * the caller frees it) says whether it succeeded and why not
 * (docs/abi.md lists the error kinds).  A bad request (no function,
 * params that are not a JSON object, ...) is a failed transaction too.
 * Returns WVM_ERR_ARG (args or b NULL), WVM_ERR_STATE or WVM_ERR_NOMEM
 * when the transaction could not be run or its receipt stored; the
 * message is in wvm_block_errmsg(b).  One thread at a time per block. */
wvm_status wvm_call(wvm_block *b, const wvm_call_args *args, wvm_receipt **receipt);
/* The same on the last committed state, never written: the dry run.  It
 * runs on a read snapshot of the last committed block, its writes kept
 * in memory (it reads them back; they vanish when it ends), so it reports
 * the fuel, result, error and events the call would have (receipt->height
 * is the height it ran at: the snapshot's + 1; receipt->index 0).  Any
 * number of threads may query at once, beside a block being run (also by
 * the calling thread): a query neither waits for the block nor sees it
 * until it commits, and never sees half of one.
 * *receipt is malloc'd (wvm_receipt_free).  Returns WVM_OK when the
 * query ran; WVM_ERR_ARG, WVM_ERR_STATE, WVM_ERR_NOMEM otherwise (message
 * in wvm_chain_errmsg). */
wvm_status wvm_query(wvm_chain *c, const wvm_call_args *args, wvm_receipt **receipt);

/* Native balances, each its own transaction of b, with a receipt.
 * Returns WVM_OK when the transaction succeeded; WVM_ERR_OVERFLOW (a
 * balance would pass 2^64 - 1) or WVM_ERR_FUNDS (insufficient funds)
 * when it failed -- its receipt is stored, nothing else changed, and the
 * block goes on; WVM_ERR_STATE when the store failed.  The detail is in
 * wvm_block_errmsg(b). */
wvm_status wvm_mint(wvm_block *b, const wvm_address *to, uint64_t amount);
wvm_status wvm_transfer(wvm_block *b, const wvm_address *from, const wvm_address *to,
                        uint64_t amount);

/* ------------------------------------------------------------------ */
/* Reading state (last committed block)                                */

typedef struct wvm_contract_info {
    wvm_hash code_hash;
    uint32_t code_size;
    uint32_t abi_version;
    wvm_address deployer;
    uint64_t height, time;     /* of the deploy */
} wvm_contract_info;

typedef struct wvm_object_info {
    wvm_address owner, creator;
} wvm_object_info;

/* Each opens a read snapshot of the last committed block.  WVM_ERR_NOT_FOUND
 * when there is no such thing (message in wvm_chain_errmsg).
 * The contract's metadata JSON (docs/state.md); malloc'd, caller frees;
 * metadata_json and info may be NULL. */
wvm_status wvm_chain_contract(wvm_chain *c, const wvm_address *addr, wvm_contract_info *info,
                              char **metadata_json);
wvm_status wvm_chain_balance(wvm_chain *c, const wvm_address *addr, uint64_t *out);
wvm_status wvm_chain_object(wvm_chain *c, const wvm_object_id *id, wvm_object_info *info);
wvm_status wvm_chain_receipt(wvm_chain *c, uint64_t height, uint32_t index, wvm_receipt **out);
/* Contracts in address order after *after (NULL: from the first), up to
 * limit; *n receives how many were written to out. */
wvm_status wvm_chain_contracts(wvm_chain *c, const wvm_address *after, uint32_t limit,
                               wvm_address *out, uint32_t *n);
/* Events with height in [from, to], of one contract when contract is not
 * NULL, in (height, transaction, index) order; fn gets each (its strings
 * valid during the call only) until it returns false. */
wvm_status wvm_chain_events(wvm_chain *c, uint64_t from, uint64_t to, const wvm_address *contract,
                            bool (*fn)(void *user, const wvm_event *e), void *user);
/* A field of an object; *value malloc'd (caller frees). */
wvm_status wvm_chain_field(wvm_chain *c, const wvm_object_id *id, const char *name,
                           uint8_t **value, size_t *value_len);
/* Field names of an object in byte order, as for wvm_chain_events. */
wvm_status wvm_chain_fields(wvm_chain *c, const wvm_object_id *id,
                            bool (*fn)(void *user, const char *name, size_t len), void *user);
/* The state root recomputed from every entry of the last committed
 * state (slow: O(state)); equals wvm_chain_root unless the store is
 * damaged. */
wvm_status wvm_chain_verify_root(wvm_chain *c, wvm_hash *root);
/* The default object of a contract (docs/state.md gives the derivation). */
void wvm_default_object_id(const wvm_address *contract, wvm_object_id *out);

#ifdef __cplusplus
}
#endif
#endif
