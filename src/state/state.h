/*
 * state.h -- the contract state store on LMDB (private to src/).
 *
 * Written first by the integrator as a draft; implemented in
 * the .c files of src/state (layouts and key builders in src/state/internal.h, which
 * nothing outside src/state includes).  docs/state.md is the prose.
 *
 * Knows nothing of wasm: stores bytes under keys built by one module
 * (keys.c).  Every LMDB return code becomes a wvm_status here, with the
 * LMDB text in the handle's message.
 *
 * Handles
 *   st_env   an open state directory (one LMDB environment).  Thread-safe.
 *   st_txn   a transaction: a read snapshot (st_read_begin) or a write
 *            transaction: a block (st_block_begin), a transaction in it
 *            (st_txn_begin on the block), a nested one per cross-contract
 *            call (st_txn_begin on a transaction; depth >= 64 works).
 *            A nested transaction's commit merges into its parent; the
 *            block's commit is the one LMDB commit and sync.  One thread
 *            at a time per txn; only one block at a time per env (LMDB's
 *            single writer; a second st_block_begin waits).
 *            Or a query (st_query_begin): a transaction on a read
 *            snapshot whose writes stay in memory and are never
 *            committed; any number run at once, beside the block.
 *            Reads see the transaction's own writes and its ancestors'.
 *
 * Every write keeps the state root current: the txn carries the lattice
 * accumulator (docs/state.md); a nested txn copies its parent's at begin
 * and hands it back on commit, so an abort costs nothing extra.
 */
#ifndef WVM_STATE_H
#define WVM_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wvm.h"        /* wvm_status only */
#include "wvm_chain.h"  /* wvm_address, wvm_object_id, wvm_hash, records */

/* Sizes the store accepts (WVM_ERR_ARG beyond them, nothing written).
 * The host ABI's limits (sdk/include/wvm/abi.h) are the same or lower. */
#define ST_MAX_NAME 256            /* field and event names, bytes, >= 1 */
#define ST_MAX_VALUE 65536         /* one field value, bytes */
#define ST_MAX_EVENT_ATTRS 16384   /* one event's attributes JSON */
#define ST_MAX_METADATA (1u << 20) /* a contract's metadata JSON */
#define ST_DEFAULT_MAP_SIZE (4ull << 30)   /* LMDB map: 4 GiB of address space */

typedef struct st_env st_env;
typedef struct st_txn st_txn;

typedef struct st_options {
    bool no_sync;          /* unsafe: a crash may lose committed blocks */
    uint64_t map_size;     /* 0: default (docs/state.md) */
    bool read_only;        /* open without writing anything */
} st_options;

/* Opens (creating when absent and !read_only) the state directory.
 * Checks the schema version: a newer, foreign or damaged directory is
 * refused with WVM_ERR_STATE (message in *err, a static or malloc'd
 * string the caller frees with free()) and never modified. */
wvm_status st_open(const char *dir, const st_options *o, st_env **out, char **err);
void st_close(st_env *env);

/* Height and root of the last committed block (0 and the empty root
 * before the first).  Read from a fresh read snapshot. */
uint64_t st_last_height(st_env *env);
void st_last_root(st_env *env, wvm_hash *root);

/* Transactions.  Message of the last failure on t: st_txn_errmsg, at
 * most ST_ERRMSG_MAX bytes with its NUL. */
#define ST_ERRMSG_MAX 512
wvm_status st_read_begin(st_env *env, st_txn **out);
/* A query: a top-level transaction as if of the block after the
 * snapshot's last one (st_txn_height: its height + 1; st_txn_time: its
 * time, 0 before the first block; st_txn_index: 0) that never waits for
 * the writer.  Reads, listings included, see the snapshot and the
 * query's own writes; writes (events too) and nested transactions work
 * as in a block's transaction but stay in memory, and all vanish at
 * st_txn_abort, the only way to end it (st_txn_commit aborts it and
 * returns WVM_ERR_ARG).  Keeps no root: st_txn_root gives the root of
 * an all-zero accumulator.  WVM_ERR_NOMEM, WVM_ERR_STATE (LMDB, or the
 * last block's record missing). */
wvm_status st_query_begin(st_env *env, st_txn **out);
/* height must be st_last_height + 1 (WVM_ERR_ARG otherwise); waits for
 * another thread's open block. */
wvm_status st_block_begin(st_env *env, uint64_t height, uint64_t time, st_txn **out);
wvm_status st_txn_begin(st_txn *parent, st_txn **out);
/* Nested: merges into the parent.  Block: writes the block record (its
 * height, time, root, transaction count) and commits, syncing unless
 * no_sync.  On failure the txn is aborted. */
wvm_status st_txn_commit(st_txn *t);
void st_txn_abort(st_txn *t);            /* NULL ok; aborts children too */
const char *st_txn_errmsg(const st_txn *t);
uint64_t st_txn_height(const st_txn *t);
uint64_t st_txn_time(const st_txn *t);
/* Index of the current transaction within its block: a top-level
 * transaction (child of the block) takes the block's counter at begin,
 * and the counter advances when it ends, committed or aborted (its
 * receipt is stored under that index).  On the block: the next index,
 * i.e. the number of transactions so far. */
uint32_t st_txn_index(const st_txn *t);
/* The current root of t (all writes so far included; with a nested
 * transaction open, as at its begin).  Not const: asked of a block with
 * no transaction open, it folds the block's changed keys into its
 * accumulator, which the next call then need not redo.  All zero when
 * libcrypto fails (out of memory). */
void st_txn_root(st_txn *t, wvm_hash *root);

/* Code and contracts.  Code is stored once per hash. */
wvm_status st_code_put(st_txn *t, const wvm_hash *code_hash, const uint8_t *wasm, size_t len);
/* *wasm points into the map; valid until t ends or writes. */
wvm_status st_code_get(st_txn *t, const wvm_hash *code_hash, const uint8_t **wasm, size_t *len);
/* WVM_ERR_EXISTS if addr already has a contract. */
wvm_status st_contract_put(st_txn *t, const wvm_address *addr, const wvm_contract_info *info,
                           const char *metadata_json, size_t metadata_len);
/* WVM_ERR_NOT_FOUND if none.  metadata: valid until t ends or writes. */
wvm_status st_contract_get(st_txn *t, const wvm_address *addr, wvm_contract_info *info,
                           const char **metadata_json, size_t *metadata_len);
/* Contracts in address order after `after` (NULL: from the first). */
wvm_status st_contract_list(st_txn *t, const wvm_address *after, uint32_t limit,
                            wvm_address *out, uint32_t *n);

/* Objects.  `actor` is the executing contract, `sender` the
 * transaction's sender: writes and owner changes are allowed only when
 * the object's owner is one of them, else WVM_ERR_PERMISSION and no
 * change (the write rule).  NOT_FOUND for a missing object or field. */
wvm_status st_object_create(st_txn *t, const wvm_object_id *id, const wvm_address *owner,
                            const wvm_address *creator);
/* The next object ID of this transaction: derived from (height, tx index,
 * counter) only (docs/state.md); the counter belongs to the top-level
 * transaction and advances (never rolled back, so an ID is never given
 * twice in one transaction). */
void st_object_next_id(st_txn *t, wvm_object_id *out);
/* The ID of a contract's default object (docs/state.md). */
void st_default_object_id(const wvm_address *contract, wvm_object_id *out);
wvm_status st_object_get(st_txn *t, const wvm_object_id *id, wvm_object_info *out);
wvm_status st_object_set_owner(st_txn *t, const wvm_object_id *id, const wvm_address *actor,
                               const wvm_address *sender, const wvm_address *new_owner);
wvm_status st_object_delete(st_txn *t, const wvm_object_id *id, const wvm_address *actor,
                            const wvm_address *sender);
/* *value points into the map; valid until t ends or writes. */
wvm_status st_field_get(st_txn *t, const wvm_object_id *id, const char *name, size_t name_len,
                        const uint8_t **value, size_t *value_len);
/* The same, but a missing field or object (WVM_ERR_NOT_FOUND) leaves t's
 * message as it was: for callers that only branch on the status (the
 * host's field reads), which need no text formatted. */
wvm_status st_field_lookup(st_txn *t, const wvm_object_id *id, const char *name, size_t name_len,
                           const uint8_t **value, size_t *value_len);
wvm_status st_field_set(st_txn *t, const wvm_object_id *id, const wvm_address *actor,
                        const wvm_address *sender, const char *name, size_t name_len,
                        const uint8_t *value, size_t value_len);
wvm_status st_field_delete(st_txn *t, const wvm_object_id *id, const wvm_address *actor,
                           const wvm_address *sender, const char *name, size_t name_len);
/* Field names in byte order after `after` (NULL/0: from the first);
 * calls fn for each until it returns false or limit names were given. */
wvm_status st_field_list(st_txn *t, const wvm_object_id *id, const char *after, size_t after_len,
                         uint32_t limit,
                         bool (*fn)(void *user, const char *name, size_t len), void *user);

/* Balances: uint64, checked (WVM_ERR_FUNDS, WVM_ERR_OVERFLOW). */
uint64_t st_balance(st_txn *t, const wvm_address *addr);
wvm_status st_transfer(st_txn *t, const wvm_address *from, const wvm_address *to, uint64_t amount);
wvm_status st_mint(st_txn *t, const wvm_address *to, uint64_t amount);

/* Events of the current transaction; index within it assigned here. */
wvm_status st_event_put(st_txn *t, const wvm_address *contract, const char *name,
                        const char *attrs_json, size_t attrs_len);
/* Events with height in [from, to] (and of one contract when non-NULL),
 * in (height, tx, index) order; fn gets each (pointers valid during the
 * call only) until it returns false. */
wvm_status st_event_list(st_txn *t, uint64_t from, uint64_t to, const wvm_address *contract,
                         bool (*fn)(void *user, const wvm_event *e), void *user);

/* Receipts: stored by (height, index) when a top-level transaction ends.
 * r->events are not stored again: the events are those st_event_put
 * stored under (height, index), i.e. none for a failed transaction. */
wvm_status st_receipt_put(st_txn *block, const wvm_receipt *r);
/* *out is malloc'd with its events; free with wvm_receipt_free.
 * WVM_ERR_NOT_FOUND if none. */
wvm_status st_receipt_get(st_txn *t, uint64_t height, uint32_t index, wvm_receipt **out);

/* Recomputes the root from every state entry (tests, wvm state verify). */
wvm_status st_root_recompute(st_txn *t, wvm_hash *root);

/* A committed block's record.  WVM_ERR_NOT_FOUND if none. */
typedef struct st_block_info {
    uint64_t height, time;
    uint32_t ntx;
    wvm_hash root;
} st_block_info;
wvm_status st_block_get(st_txn *t, uint64_t height, st_block_info *out);

#endif
