/*
 * internal.h -- what the files of src/state/ share and nothing else sees:
 * the handles' layouts, the key builders (keys.c, the only code that
 * puts key bytes together), the lattice accumulator (lattice.c) and the
 * raw get/put/delete that keep it current (txn.c).
 *
 * A second header beside state.h because state.h is what src/chain and
 * src/host include, and the LMDB types must stay behind this line.
 */
#ifndef WVM_STATE_INTERNAL_H
#define WVM_STATE_INTERNAL_H

#include <lmdb.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include "state.h"
#include "util/perthread.h"

/* ------------------------------------------------------------------ */
/* Keys (keys.c).  One byte of prefix, then fixed-width fields, numbers
 * big-endian, so LMDB's byte order is the order a reader wants (events
 * by height, fields by name).  docs/state.md has the table. */

enum {
    KEY_META = 0x01,           /* 0x01 name                    -> varies (not state) */
    KEY_CODE = 0x10,           /* 0x10 code_hash[32]           -> wasm */
    KEY_CONTRACT = 0x11,       /* 0x11 addr[20]                -> info + metadata JSON */
    KEY_OBJECT = 0x20,         /* 0x20 id[32]                  -> owner[20] creator[20] */
    KEY_FIELD = 0x21,          /* 0x21 id[32] name             -> value */
    KEY_BALANCE = 0x30,        /* 0x30 addr[20]                -> u64 BE (absent = 0) */
    KEY_EVENT = 0x40,          /* 0x40 height tx index         -> event (not state) */
    KEY_EVENT_BY_CONTRACT = 0x41, /* 0x41 addr height tx index -> empty (not state) */
    KEY_RECEIPT = 0x50,        /* 0x50 height tx               -> receipt (not state) */
    KEY_BLOCK = 0x60,          /* 0x60 height                  -> block record (not state) */
};

/* Longest key: a field (1 + 32 + WVM_MAX_NAME_LEN). */
#define KEY_MAX (1 + 32 + 256)

typedef struct st_key {
    uint8_t b[KEY_MAX];
    size_t len;
} st_key;

void keys_meta(st_key *k, const char *name);
void keys_code(st_key *k, const wvm_hash *h);
void keys_contract(st_key *k, const wvm_address *a);
void keys_object(st_key *k, const wvm_object_id *id);
/* name_len <= ST_MAX_NAME (checked by the caller). */
void keys_field(st_key *k, const wvm_object_id *id, const char *name, size_t name_len);
void keys_balance(st_key *k, const wvm_address *a);
void keys_event(st_key *k, uint64_t height, uint32_t tx, uint32_t index);
void keys_event_by_contract(st_key *k, const wvm_address *a, uint64_t height, uint32_t tx,
                            uint32_t index);
void keys_receipt(st_key *k, uint64_t height, uint32_t tx);
void keys_block(st_key *k, uint64_t height);
/* Whether an entry with this key is part of the state the root covers. */
bool keys_is_state(const uint8_t *key, size_t len);

/* A fast hash of key bytes for the in-memory tables (not consensus). */
uint64_t keys_hash(const uint8_t *k, size_t n);
void keys_put_u64(uint8_t *p, uint64_t v);
void keys_put_u32(uint8_t *p, uint32_t v);
uint64_t keys_get_u64(const uint8_t *p);
uint32_t keys_get_u32(const uint8_t *p);

/* ------------------------------------------------------------------ */
/* Lattice hash (lattice.c, docs/state.md "The root") */

#define LATTICE_LANES 1024

typedef struct st_lattice { uint16_t lane[LATTICE_LANES]; } st_lattice;

/* The libcrypto objects one thread hashes with, fetched once: the
 * writer's live in its st_env (one writer at a time, LMDB's write lock),
 * a recompute makes its own. */
typedef struct lattice_hasher {
    EVP_MD *sha;
    EVP_CIPHER *chacha;
    EVP_MD_CTX *md;
    EVP_MD_CTX *md0;           /* SHA-256 just initialised: copied into md */
    EVP_CIPHER_CTX *cc;        /* ChaCha20 set; each expansion sets the key */
} lattice_hasher;

bool lattice_hasher_init(lattice_hasher *h);   /* false: out of memory */
void lattice_hasher_free(lattice_hasher *h);
/* acc += H(key, value) (sign +1) or acc -= H(key, value) (sign -1).
 * false only when libcrypto fails (out of memory); acc may then be
 * half-updated, so callers mix into a copy. */
bool lattice_mix(lattice_hasher *h, st_lattice *acc, const uint8_t *key, size_t klen,
                 const uint8_t *val, size_t vlen, int sign);
/* The two halves of lattice_mix: seed = SHA-256(u32 BE klen || key ||
 * a || b) (the value given in two parts, as st_put2 has it), and
 * acc +=/-= the vector of a seed.  false only when libcrypto fails. */
bool lattice_seed(lattice_hasher *h, const uint8_t *key, size_t klen, const void *a, size_t alen,
                  const void *b, size_t blen, uint8_t seed[32]);
bool lattice_add_seed(lattice_hasher *h, st_lattice *acc, const uint8_t seed[32], int sign);
bool lattice_root(const st_lattice *acc, wvm_hash *root);
/* Serialized form (little-endian lanes), for the meta entry. */
void lattice_store(const st_lattice *acc, uint8_t out[2 * LATTICE_LANES]);
void lattice_load(st_lattice *acc, const uint8_t in[2 * LATTICE_LANES]);

/* ------------------------------------------------------------------ */
/* Reads of a block's LMDB transaction, cached (rcache.c).  Kept current
 * by every write of that LMDB transaction (txn.c). */

typedef struct rc_entry rc_entry;

typedef struct st_rcache {
    rc_entry *e;               /* RC_ENTRIES; NULL until the first put */
    uint32_t n;
    uint32_t *slots;           /* open addressing: entry index + 1, 0 empty */
    uint8_t *mem;              /* keys and values, never moved */
    uint32_t used;
    bool full;                 /* a put found no room: empty at the next sweep */
} st_rcache;

void rcache_init(st_rcache *c);
void rcache_free(st_rcache *c);
/* 1: a value (*val, *len valid until the next rcache_sweep); 0: the
 * key is absent; -1: not cached (ask LMDB). */
int rcache_get(const st_rcache *c, const uint8_t *k, size_t klen, const uint8_t **val,
               size_t *len);
/* Caches what LMDB returned for k (not present: absent), when there is
 * room; never moves a value given out before. */
void rcache_put(st_rcache *c, const uint8_t *k, size_t klen, bool present, const void *val,
                size_t vlen);
/* k now has this value (not present: none) in LMDB: a cached entry
 * follows. */
void rcache_update(st_rcache *c, const uint8_t *k, size_t klen, bool present, const void *val,
                   size_t vlen);
/* At a write of the block, when no value given out is in use: empties
 * a cache that ran out of room. */
void rcache_sweep(st_rcache *c);

/* ------------------------------------------------------------------ */
/* Changed keys of a block (dirty.c): the root's accumulator is updated
 * once per key at a fold, from each key's value then (orig, as a lattice
 * seed) and now (cur: the value itself when it is small, hashed into its
 * seed at the fold, else its seed); writes in transactions log the cur
 * they replace so an abort can put it back. */

/* Values up to this many bytes are kept as they are until the fold: a
 * key written by every transaction of a block (a token's sender balance)
 * is then hashed once per block, not once per write. */
#define DIRTY_RAW_MAX 64

typedef struct dirty_val {
    bool present;              /* false: no entry */
    bool raw;                  /* b holds the value (len bytes), else its seed */
    uint8_t len;
    uint8_t b[DIRTY_RAW_MAX];
} dirty_val;

typedef struct dirty_entry {
    uint32_t key_off;          /* in st_dirty.keys */
    uint16_t klen;
    bool orig_present;         /* false: no entry (then seed zero) */
    uint8_t orig[32];          /* seed (lattice_seed) */
    dirty_val cur;
} dirty_entry;

typedef struct dirty_undo {
    uint32_t entry;
    dirty_val val;
} dirty_undo;

typedef struct st_dirty {
    dirty_entry *e;
    uint32_t n, cap;
    uint32_t *slots;           /* open addressing: entry index + 1, 0 empty */
    uint32_t nslots;           /* a power of two, at least 2n */
    uint8_t *keys;             /* the entries' key bytes */
    size_t keys_len, keys_cap;
    dirty_undo *undo;          /* writes of the open transactions */
    uint32_t nundo, capundo;
    /* The object record (0x20 id -> owner creator) the block's writer
     * read last (objects.c): the write rule reads it for every write, and
     * a contract writes one object's fields over and over.  Dropped by
     * any write of an object record and by any abort, so it always
     * holds what LMDB would return to the open transactions. */
    bool obj_ok;
    wvm_object_id obj_id;
    uint8_t obj_rec[40];
    /* The block's LMDB reads, cached: shared by its transactions like
     * the rest of this struct, and like it gone with the block. */
    st_rcache reads;
} st_dirty;

void dirty_init(st_dirty *d);
void dirty_free(st_dirty *d);
/* The entry of key k, or -1. */
int64_t dirty_find(const st_dirty *d, const uint8_t *k, size_t klen);
/* A new entry for k, whose value at the last fold is seed (present) or
 * none; orig = cur.  -1: out of memory, d unchanged. */
int64_t dirty_add(st_dirty *d, const uint8_t *k, size_t klen, bool present,
                  const uint8_t seed[32]);
/* Room for one logged dirty_set; false: out of memory. */
bool dirty_reserve_undo(st_dirty *d);
/* Entry idx's value is now v; logged: its previous one is saved for
 * dirty_rollback (room reserved beforehand). */
void dirty_set(st_dirty *d, uint32_t idx, bool logged, const dirty_val *v);
/* Undoes the logged writes since mark (a transaction's abort); or
 * drops their log (its commit into the block, which never rolls back). */
void dirty_rollback(st_dirty *d, uint32_t mark);
void dirty_keep(st_dirty *d, uint32_t mark);
/* acc += every entry's change from orig to its cur as of undo mark
 * (writes logged after mark left out).  false: libcrypto failed, acc
 * half-updated. */
bool dirty_fold(st_dirty *d, lattice_hasher *h, uint32_t mark, st_lattice *acc);
/* Forgets every entry (after a fold into the block's accumulator). */
void dirty_clear(st_dirty *d);

/* ------------------------------------------------------------------ */
/* Overlay (overlay.c): a query's or a block transaction's writes in
 * memory, in key order, each a value or a tombstone; with an undo log for
 * its nested transactions. */

typedef struct ov_entry ov_entry;

typedef struct overlay {
    ov_entry **e;              /* sorted by key (byte order, then length) */
    size_t n, cap;
    ov_entry **undo;           /* entries to put back when a nested txn aborts */
    size_t nundo, capundo;
} overlay;

/* One entry as a reader sees it; pointers valid until the next write. */
typedef struct ov_view {
    const uint8_t *key, *val;
    size_t klen, vlen;
    bool del;                  /* tombstone: the key is deleted */
} ov_view;

void overlay_init(overlay *o);
void overlay_free(overlay *o);        /* the entries; o itself is the caller's */
/* Forgets every entry and undo record, keeping the arrays for reuse. */
void overlay_clear(overlay *o);
/* 1: a value (*val, *len valid until the next write); 0: a tombstone;
 * -1: the overlay does not have the key (ask LMDB). */
int overlay_get(const overlay *o, const uint8_t *k, size_t klen, const uint8_t **val, size_t *len);
/* Index of the first entry with key >= k (o->n if none). */
size_t overlay_seek(const overlay *o, const uint8_t *k, size_t klen);
/* Entry i into *out; false when i is past the end. */
bool overlay_at(const overlay *o, size_t i, ov_view *out);
/* Sets k to a ++ b, or to a tombstone (del).  logged: a nested
 * transaction with undo mark `mark` writes, so what the write replaces
 * is saved for overlay_rollback.  false: out of memory, o unchanged. */
bool overlay_put(overlay *o, const uint8_t *k, size_t klen, const void *a, size_t alen,
                 const void *b, size_t blen, bool del, bool logged, size_t mark);
/* The undo mark a nested transaction begins with. */
size_t overlay_mark(const overlay *o);
/* Undoes every logged write since mark. */
void overlay_rollback(overlay *o, size_t mark);

/* ------------------------------------------------------------------ */
/* Handles */

#define ST_SCHEMA_VERSION 1
#define ST_MSG ST_ERRMSG_MAX
#define ST_READERS_KEPT 2     /* per thread: a query, and a read beside it */
#define ST_KEEPING_THREADS 64 /* threads that keep them, at most */
#define ST_MAX_READERS 256    /* LMDB's reader slots */

/* Read transactions kept reset for the next snapshot (mdb_txn_renew is
 * far cheaper than a begin, which takes LMDB's reader-table lock and
 * allocates), each thread keeping its own (util/perthread.h): no lock,
 * no line another core writes.  MDB_NOTLS lets the thread that drops
 * them (an exiting one, or st_close's) abort them.  A kept transaction
 * holds a reader slot, so only the first ST_KEEPING_THREADS threads (at
 * a time) keep any: 128 slots at most, the other 128 for transactions
 * begun and ended as they are needed, whatever the number of threads. */
typedef struct st_kept {
    MDB_txn *kept[ST_READERS_KEPT];
    uint32_t n;
    uint32_t quota;            /* how many this thread may keep */
    bool decided;              /* quota counted in env->keeping */
} st_kept;

struct st_env {
    MDB_env *mdb;
    MDB_dbi dbi;
    bool no_sync, read_only;
    lattice_hasher writer;     /* used only inside the write transaction */
    perthread *readers;        /* st_kept */
    _Atomic uint32_t keeping;  /* threads with a quota of kept readers */
    char dir[4096];
};

/* ST_QUERY: a query's top level: a transaction that is never committed,
 * on a read snapshot with an overlay (st_query_begin).  Its nested
 * transactions are ST_NESTED on the same snapshot and overlay. */
enum st_kind { ST_READ, ST_BLOCK, ST_TX, ST_NESTED, ST_QUERY };

struct st_txn {
    st_env *env;
    st_txn *parent, *child;    /* one open child at a time (LMDB's rule) */
    MDB_txn *mdb;
    enum st_kind kind;
    bool failed;               /* a write failed: only abort is allowed */
    uint64_t height, time;
    uint32_t tx_index;         /* ST_TX, ST_NESTED: the transaction's index */
    uint32_t next_tx;          /* ST_BLOCK: index of the next transaction */
    uint32_t next_event;       /* events so far in the transaction */
    uint32_t *object_counter;  /* points at the top-level transaction's */
    uint32_t own_counter;
    st_dirty *dirty;           /* the block's changed keys, shared by its
                                  transactions; NULL in reads and queries */
    uint32_t dirty_mark;       /* ST_TX, ST_NESTED: dirty->nundo at begin */
    overlay *ov;               /* a query's writes, or a block transaction's
                                  (shared with its nested txns); NULL:
                                  writes go to LMDB */
    overlay *tx_ov;            /* ST_BLOCK: the overlay its transactions
                                  write into, one at a time, kept for reuse */
    size_t undo_mark;          /* ST_NESTED in a query: overlay_mark at begin */
    bool owns_mdb;             /* mdb is this txn's (a query's nested share it) */
    /* ST_BLOCK: its LMDB transaction's write cursors, one per family of
     * keys written in order (fields, events, the events' index,
     * receipts; the rest share the last), kept open across its
     * transactions: LMDB skips the walk from the root when a key falls
     * inside the page its cursor is on, which each family's next key
     * mostly does.  NULL until first used; closed before its end. */
    MDB_cursor *wc[5];
    /* The two big members last: a block's transactions do not clear
     * them (txn_new).  msg starts empty. */
    char msg[ST_MSG];
    /* the root's accumulator: of a read snapshot, or of a block as of
     * its last fold (dirty has the changes since); zero in a query and
     * its nested transactions; unused (not even cleared) in a block's
     * transactions */
    st_lattice acc;
};

/* Sets t's message (printf-style) and returns st. */
wvm_status st_fail(st_txn *t, wvm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An LMDB code as a status, with its text and `what` in t's message. */
wvm_status st_mdb_fail(st_txn *t, int rc, const char *what);

/* Raw access.  get: WVM_ERR_NOT_FOUND when absent; *val points into the
 * map.  put/del on a state key record the change in t->dirty (the root
 * follows at the next fold). */
wvm_status st_get(st_txn *t, const st_key *k, const uint8_t **val, size_t *len);
wvm_status st_put(st_txn *t, const st_key *k, const void *val, size_t len);
wvm_status st_put2(st_txn *t, const st_key *k, const void *a, size_t alen, const void *b,
                   size_t blen);
/* WVM_OK when k has no value; WVM_ERR_EXISTS when it has one (no
 * message: the caller names what exists); else the read failing. */
wvm_status st_absent(st_txn *t, const st_key *k);
/* WVM_ERR_NOT_FOUND when absent. */
wvm_status st_del(st_txn *t, const st_key *k);
/* The root's accumulator as t sees it (*out, when not NULL): the
 * block's, with the changes of t->dirty folded in -- for the block
 * itself with no child open, for good (into t->acc, the set emptied).
 * false: libcrypto failed (out of memory), nothing changed. */
bool st_txn_acc(st_txn *t, st_lattice *out);
/* A write may begin: t is a write transaction with no open child. */
wvm_status st_writable(st_txn *t);

/* A read transaction of env: a kept one renewed, else a new one. */
int st_reader_get(st_env *env, MDB_txn **out);
/* Gives a read transaction back (reset and kept, or aborted). */
void st_reader_put(st_env *env, MDB_txn *txn);

/* ------------------------------------------------------------------ */
/* Walks in key order (cursor.c): LMDB, with t's overlay merged over it
 * when t is a query's; tombstones hidden.  Entries are valid until the
 * next move or write. */

typedef struct st_kv {
    const uint8_t *key;
    size_t klen;
    const uint8_t *val;
    size_t vlen;
} st_kv;

typedef struct st_cursor {
    st_txn *t;
    const char *what;          /* names the walk in an LMDB failure */
    MDB_cursor *mc;
    MDB_val mk, mv;            /* LMDB's current entry when m_ok */
    bool m_ok;
    const overlay *ov;         /* NULL: LMDB alone */
    size_t oi;                 /* the overlay's position */
    int from;                  /* the sources of the current entry */
} st_cursor;

wvm_status cursor_open(st_txn *t, st_cursor *c, const char *what);
/* At the first entry with key >= key (klen 0: the first of all).
 * WVM_ERR_NOT_FOUND: none; else an LMDB failure (in t's message). */
wvm_status cursor_seek(st_cursor *c, const uint8_t *key, size_t klen, st_kv *out);
wvm_status cursor_next(st_cursor *c, st_kv *out);
void cursor_close(st_cursor *c);

#endif
