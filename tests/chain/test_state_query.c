/*
 * test_state_query.c -- queries in the store (st_query_begin): a read
 * snapshot with the query's writes in an overlay.  Reads and listings see
 * the query's own writes, deletes included; nested transactions undo; a
 * block commits beside an open query without being seen by it; nothing
 * a query wrote is visible afterwards.  The overlay's merge is checked
 * against LMDB's own nested transactions doing the same random writes.
 */
#include <lmdb.h>
#include "chaintest.h"
#include "statetest.h"

/* Block 1: an object with fields a, c, e and a balance of 100. */
static void setup(st_env *env, const wvm_address *o, wvm_object_id *id) {
    st_txn *b, *t;
    if (st_block_begin(env, 1, 10, &b)) return;
    if (st_txn_begin(b, &t)) return;
    st_object_next_id(t, id);
    CHECK_EQ_INT(st_object_create(t, id, o, o), WVM_OK);
    CHECK_EQ_INT(set(t, id, o, "a", "1"), WVM_OK);
    CHECK_EQ_INT(set(t, id, o, "c", "3"), WVM_OK);
    CHECK_EQ_INT(set(t, id, o, "e", "5"), WVM_OK);
    CHECK_EQ_INT(st_mint(t, o, 100), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(t), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(b), WVM_OK);
}

TEST(state_query_reads_own_writes_then_vanishes) {
    st_env *env = fresh("query_own");
    REQUIRE(env);
    wvm_address o = ct_addr(1), bob = ct_addr(2);
    wvm_object_id id;
    setup(env, &o, &id);
    REQUIRE(st_last_height(env) == 1);
    st_txn *q;
    REQUIRE(st_query_begin(env, &q) == WVM_OK);
    CHECK_EQ_INT(st_txn_height(q), 2);
    CHECK_EQ_INT(st_txn_time(q), 10);
    CHECK_EQ_INT(st_txn_index(q), 0);
    lister l;
    CHECK_EQ_STR(fields(&l, q, &id), "a=1,c=3,e=5,");
    /* writes between, over and on top of the snapshot's entries */
    CHECK_EQ_INT(set(q, &id, &o, "b", "2"), WVM_OK);
    CHECK_EQ_INT(set(q, &id, &o, "c", "33"), WVM_OK);
    CHECK_EQ_INT(st_field_delete(q, &id, &o, NULL, "e", 1), WVM_OK);
    CHECK_EQ_INT(st_field_delete(q, &id, &o, NULL, "e", 1), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(set(q, &id, &o, "d", "4"), WVM_OK);
    CHECK_EQ_INT(st_field_delete(q, &id, &o, NULL, "d", 1), WVM_OK);
    CHECK_EQ_INT(set(q, &id, &o, "f", "6"), WVM_OK);
    CHECK_EQ_STR(fields(&l, q, &id), "a=1,b=2,c=33,f=6,");
    const uint8_t *v;
    size_t n;
    CHECK_EQ_INT(st_field_get(q, &id, "e", 1, &v, &n), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_transfer(q, &o, &bob, 40), WVM_OK);
    CHECK_EQ_INT(st_balance(q, &o), 60);
    CHECK_EQ_INT(st_balance(q, &bob), 40);
    CHECK_EQ_INT(st_transfer(q, &o, &bob, 60), WVM_OK);   /* a zero balance is no entry */
    CHECK_EQ_INT(st_balance(q, &o), 0);
    CHECK_EQ_INT(st_transfer(q, &o, &bob, 1), WVM_ERR_FUNDS);
    CHECK_EQ_INT(st_event_put(q, &o, "ev", "{}", 2), WVM_OK);
    int nev = 0;
    CHECK_EQ_INT(st_event_list(q, 2, 2, NULL, count_event, &nev), WVM_OK);
    CHECK_EQ_INT(nev, 1);
    nev = 0;
    CHECK_EQ_INT(st_event_list(q, 2, 2, &o, count_event, &nev), WVM_OK);
    CHECK_EQ_INT(nev, 1);
    /* a new object, then the whole object deleted: its fields in LMDB
     * and in the overlay all go */
    wvm_object_id id2;
    st_object_next_id(q, &id2);
    CHECK_EQ_INT(st_object_create(q, &id2, &o, &o), WVM_OK);
    CHECK_EQ_INT(set(q, &id2, &o, "x", "7"), WVM_OK);
    CHECK_EQ_STR(fields(&l, q, &id2), "x=7,");
    CHECK_EQ_INT(st_object_delete(q, &id, &o, NULL), WVM_OK);
    CHECK_EQ_INT(st_field_list(q, &id, NULL, 0, 10, list_one, &l), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_field_get(q, &id, "a", 1, &v, &n), WVM_ERR_NOT_FOUND);
    CHECK_EQ_STR(fields(&l, q, &id2), "x=7,");
    /* a read snapshot is not a query: it refuses writes */
    st_txn *r;
    REQUIRE(st_read_begin(env, &r) == WVM_OK);
    CHECK_EQ_INT(set(r, &id, &o, "a", "9"), WVM_ERR_ARG);
    st_txn_abort(r);
    /* the writer is not held up by the open query (this thread would
     * wait forever if it were), and the query does not see its block */
    st_txn *b, *t;
    REQUIRE(st_block_begin(env, 2, 20, &b) == WVM_OK);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    CHECK_EQ_INT(set(t, &id, &o, "a", "100"), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(t), WVM_OK);
    /* and a query begun by the thread that holds the block open sees the
     * last committed block, not the open one */
    st_txn *q2;
    REQUIRE(st_query_begin(env, &q2) == WVM_OK);
    CHECK_EQ_INT(st_txn_height(q2), 2);
    CHECK_EQ_STR(fields(&l, q2, &id), "a=1,c=3,e=5,");
    st_txn_abort(q2);
    wvm_hash root2;
    st_txn_root(b, &root2);
    CHECK_EQ_INT(st_txn_commit(b), WVM_OK);
    CHECK_EQ_INT(st_txn_height(q), 2);
    CHECK_EQ_INT(st_field_list(q, &id, NULL, 0, 10, list_one, &l), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_balance(q, &bob), 100);
    /* a query is never committed */
    CHECK_EQ_INT(st_txn_commit(q), WVM_ERR_ARG);
    /* nothing it wrote is visible */
    REQUIRE(st_read_begin(env, &r) == WVM_OK);
    CHECK_EQ_STR(fields(&l, r, &id), "a=100,c=3,e=5,");
    wvm_object_info info;
    CHECK_EQ_INT(st_object_get(r, &id2, &info), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_balance(r, &o), 100);
    CHECK_EQ_INT(st_balance(r, &bob), 0);
    nev = 0;
    CHECK_EQ_INT(st_event_list(r, 0, 10, NULL, count_event, &nev), WVM_OK);
    CHECK_EQ_INT(nev, 0);
    wvm_hash full;
    CHECK_EQ_INT(st_root_recompute(r, &full), WVM_OK);
    CHECK(!memcmp(&full, &root2, 32));
    st_txn_abort(r);
    /* the next query is at the new height and time */
    REQUIRE(st_query_begin(env, &q) == WVM_OK);
    CHECK_EQ_INT(st_txn_height(q), 3);
    CHECK_EQ_INT(st_txn_time(q), 20);
    st_txn_abort(q);
    st_close(env);
}

/* Nested transactions of a query: an abort puts back exactly what was
 * there at its begin, whether the key was in LMDB, in the overlay or in
 * neither, and however many times it was written since. */
TEST(state_query_nested_undo) {
    st_env *env = fresh("query_nested");
    REQUIRE(env);
    wvm_address o = ct_addr(1);
    wvm_object_id id;
    setup(env, &o, &id);
    st_txn *q, *c1, *c2, *c3;
    REQUIRE(st_query_begin(env, &q) == WVM_OK);
    lister l;
    CHECK_EQ_INT(set(q, &id, &o, "k", "q"), WVM_OK);
    REQUIRE(st_txn_begin(q, &c1) == WVM_OK);
    CHECK_EQ_INT(set(c1, &id, &o, "k", "c1"), WVM_OK);
    CHECK_EQ_INT(set(c1, &id, &o, "k", "c1b"), WVM_OK);     /* its own: in place */
    CHECK_EQ_INT(set(c1, &id, &o, "n", "new"), WVM_OK);     /* in neither before */
    CHECK_EQ_INT(st_field_delete(c1, &id, &o, NULL, "a", 1), WVM_OK);   /* from LMDB */
    REQUIRE(st_txn_begin(c1, &c2) == WVM_OK);
    CHECK_EQ_INT(set(c2, &id, &o, "k", "c2"), WVM_OK);
    CHECK_EQ_INT(set(c2, &id, &o, "a", "c2"), WVM_OK);
    REQUIRE(st_txn_begin(c2, &c3) == WVM_OK);
    CHECK_EQ_INT(set(c3, &id, &o, "k", "c3"), WVM_OK);
    CHECK_EQ_INT(set(c3, &id, &o, "z", "c3"), WVM_OK);
    st_txn_abort(c3);
    CHECK_EQ_STR(fields(&l, c2, &id), "a=c2,c=3,e=5,k=c2,n=new,");
    CHECK_EQ_INT(st_txn_commit(c2), WVM_OK);
    /* c2's writes are c1's now: rewritten in place, undone with c1 */
    CHECK_EQ_INT(set(c1, &id, &o, "k", "c1c"), WVM_OK);
    CHECK_EQ_STR(fields(&l, c1, &id), "a=c2,c=3,e=5,k=c1c,n=new,");
    st_txn_abort(c1);
    CHECK_EQ_STR(fields(&l, q, &id), "a=1,c=3,e=5,k=q,");
    /* a nested commit all the way up stays */
    REQUIRE(st_txn_begin(q, &c1) == WVM_OK);
    CHECK_EQ_INT(st_field_delete(c1, &id, &o, NULL, "k", 1), WVM_OK);
    CHECK_EQ_INT(set(c1, &id, &o, "m", "c1"), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(c1), WVM_OK);
    CHECK_EQ_STR(fields(&l, q, &id), "a=1,c=3,e=5,m=c1,");
    /* the query's own level writes over its committed child's entries;
     * a later child that aborts gives them back */
    CHECK_EQ_INT(set(q, &id, &o, "m", "q"), WVM_OK);
    REQUIRE(st_txn_begin(q, &c1) == WVM_OK);
    CHECK_EQ_INT(set(c1, &id, &o, "m", "c1"), WVM_OK);
    CHECK_EQ_INT(set(c1, &id, &o, "k", "c1"), WVM_OK);
    st_txn_abort(c1);
    CHECK_EQ_STR(fields(&l, q, &id), "a=1,c=3,e=5,m=q,");
    /* aborting the query with a child open ends both */
    REQUIRE(st_txn_begin(q, &c1) == WVM_OK);
    CHECK_EQ_INT(set(c1, &id, &o, "w", "1"), WVM_OK);
    st_txn_abort(q);
    st_txn *r;
    REQUIRE(st_read_begin(env, &r) == WVM_OK);
    CHECK_EQ_STR(fields(&l, r, &id), "a=1,c=3,e=5,");
    st_txn_abort(r);
    st_close(env);
}

/* ------------------------------------------------------------------ */
/* The same random writes on a block's transaction (LMDB's nested
 * transactions) and on a query (the overlay): after every step both
 * list the same fields with the same values and the same balances; at
 * the end the root recomputed over the query's merged view equals the
 * block's. */

static uint32_t rnd(uint64_t *s) {
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

enum { QR_STEPS = 3000, QR_NAMES = 24, QR_DEPTH = 5 };

TEST(state_query_overlay_matches_lmdb) {
    st_env *env = fresh("query_random");
    REQUIRE(env);
    wvm_address o = ct_addr(1), other = ct_addr(2);
    wvm_object_id id;
    setup(env, &o, &id);
    st_txn *b, *w[QR_DEPTH + 1], *q[QR_DEPTH + 1];
    REQUIRE(st_block_begin(env, 2, 20, &b) == WVM_OK);
    REQUIRE(st_txn_begin(b, &w[0]) == WVM_OK);
    REQUIRE(st_query_begin(env, &q[0]) == WVM_OK);
    int depth = 0, mismatches = 0;
    uint64_t seed = 16;
    lister lw, lq;
    for (int step = 0; step < QR_STEPS && mismatches < 5; step++) {
        uint32_t op = rnd(&seed) % 100;
        char name[8], val[16];
        snprintf(name, sizeof name, "f%02u", rnd(&seed) % QR_NAMES);
        snprintf(val, sizeof val, "v%u", rnd(&seed) % 1000);
        wvm_status sw = WVM_OK, sq = WVM_OK;
        if (op < 45) {
            sw = set(w[depth], &id, &o, name, val);
            sq = set(q[depth], &id, &o, name, val);
        } else if (op < 70) {
            sw = st_field_delete(w[depth], &id, &o, NULL, name, strlen(name));
            sq = st_field_delete(q[depth], &id, &o, NULL, name, strlen(name));
        } else if (op < 76) {
            uint64_t amount = rnd(&seed) % 30;
            sw = st_transfer(w[depth], &o, &other, amount);
            sq = st_transfer(q[depth], &o, &other, amount);
        } else if (op < 79) {
            uint64_t amount = rnd(&seed) % 30;
            sw = st_transfer(w[depth], &other, &o, amount);
            sq = st_transfer(q[depth], &other, &o, amount);
        } else if (op < 80) {
            sw = st_object_delete(w[depth], &id, &o, NULL);
            sq = st_object_delete(q[depth], &id, &o, NULL);
        } else if (op < 83) {
            sw = st_object_create(w[depth], &id, &o, &o);
            sq = st_object_create(q[depth], &id, &o, &o);
        } else if (op < 90 && depth < QR_DEPTH) {
            sw = st_txn_begin(w[depth], &w[depth + 1]);
            sq = st_txn_begin(q[depth], &q[depth + 1]);
            if (!sw && !sq) depth++;
        } else if (op < 95 && depth > 0) {
            sw = st_txn_commit(w[depth]);
            sq = st_txn_commit(q[depth]);
            depth--;
        } else if (depth > 0) {
            st_txn_abort(w[depth]);
            st_txn_abort(q[depth]);
            depth--;
        }
        if (sw != sq) {
            printf("  step %d (op %u, %s): block %d, query %d\n", step, op, name, sw, sq);
            mismatches++;
        }
        const char *fw = fields(&lw, w[depth], &id), *fq = fields(&lq, q[depth], &id);
        if (strcmp(fw, fq) || st_balance(w[depth], &o) != st_balance(q[depth], &o) ||
            st_balance(w[depth], &other) != st_balance(q[depth], &other)) {
            printf("  step %d (op %u, %s):\n    block %s\n    query %s\n", step, op, name, fw, fq);
            mismatches++;
        }
    }
    CHECK_EQ_INT(mismatches, 0);
    while (depth > 0) {
        CHECK_EQ_INT(st_txn_commit(w[depth]), WVM_OK);
        CHECK_EQ_INT(st_txn_commit(q[depth]), WVM_OK);
        depth--;
    }
    wvm_hash inc, fw, fq;
    st_txn_root(w[0], &inc);
    CHECK_EQ_INT(st_root_recompute(w[0], &fw), WVM_OK);
    CHECK_EQ_INT(st_root_recompute(q[0], &fq), WVM_OK);
    CHECK(!memcmp(&inc, &fw, 32));
    CHECK(!memcmp(&fw, &fq, 32));
    st_txn_abort(q[0]);
    st_txn_abort(w[0]);
    st_txn_abort(b);
    st_close(env);
}

/* A store whose last block's record is missing is damaged: a query
 * cannot say which time it runs at, and refuses to begin. */
TEST(state_query_damaged_block_record) {
    st_env *env = fresh("query_damaged");
    REQUIRE(env);
    wvm_address o = ct_addr(1);
    wvm_object_id id;
    setup(env, &o, &id);
    st_close(env);
    /* delete block 1's record (docs/state.md: key 0x60 height u64 BE) */
    MDB_env *m;
    MDB_txn *t;
    MDB_dbi dbi;
    REQUIRE(mdb_env_create(&m) == 0);
    REQUIRE(mdb_env_open(m, "build/chaintest/query_damaged", 0, 0644) == 0);
    REQUIRE(mdb_txn_begin(m, NULL, 0, &t) == 0);
    REQUIRE(mdb_dbi_open(t, NULL, 0, &dbi) == 0);
    uint8_t kb[9] = { 0x60, 0, 0, 0, 0, 0, 0, 0, 1 };
    MDB_val k = { sizeof kb, kb };
    CHECK_EQ_INT(mdb_del(t, dbi, &k, NULL), 0);
    REQUIRE(mdb_txn_commit(t) == 0);
    mdb_env_close(m);
    st_options opt = { .no_sync = true };
    char *err = NULL;
    REQUIRE(st_open("build/chaintest/query_damaged", &opt, &env, &err) == WVM_OK);
    st_txn *q = NULL;
    CHECK_EQ_INT(st_query_begin(env, &q), WVM_ERR_STATE);
    CHECK(q == NULL);
    st_close(env);
}

/* LMDB's reader table is finite (256 slots): the query past it is
 * refused with WVM_ERR_STATE, cleanly, and one ending frees a slot. */
TEST(state_query_readers_full) {
    st_env *env = fresh("query_readers");
    REQUIRE(env);
    wvm_address o = ct_addr(1);
    wvm_object_id id;
    setup(env, &o, &id);
    enum { N = 300 };
    st_txn *q[N];
    int open = 0;
    wvm_status st = WVM_OK;
    while (open < N && (st = st_query_begin(env, &q[open])) == WVM_OK) open++;
    CHECK_EQ_INT(st, WVM_ERR_STATE);
    CHECK(open >= 200 && open <= 256);
    CHECK(q[open] == NULL);
    st_txn *r;
    CHECK_EQ_INT(st_read_begin(env, &r), WVM_ERR_STATE);
    /* the open ones still work, each with its own overlay */
    lister l;
    CHECK_EQ_INT(set(q[0], &id, &o, "a", "q0"), WVM_OK);
    CHECK_EQ_STR(fields(&l, q[open - 1], &id), "a=1,c=3,e=5,");
    CHECK_EQ_STR(fields(&l, q[0], &id), "a=q0,c=3,e=5,");
    st_txn_abort(q[--open]);
    REQUIRE(st_query_begin(env, &q[open]) == WVM_OK);
    open++;
    while (open > 0) st_txn_abort(q[--open]);
    /* kept read transactions come back renewed at the latest block */
    st_txn *b, *t;
    REQUIRE(st_block_begin(env, 2, 20, &b) == WVM_OK);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    CHECK_EQ_INT(set(t, &id, &o, "c", "30"), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(t), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(b), WVM_OK);
    for (int i = 0; i < 20; i++) {
        REQUIRE(st_query_begin(env, &q[i]) == WVM_OK);
        CHECK_EQ_INT(st_txn_height(q[i]), 3);
        CHECK_EQ_STR(fields(&l, q[i], &id), "a=1,c=30,e=5,");
    }
    for (int i = 0; i < 20; i++) st_txn_abort(q[i]);
    st_close(env);
}

static bool ok_or_nomem(wvm_status st) { return st == WVM_OK || st == WVM_ERR_NOMEM; }

/* Out of memory at each allocation of a query's life in turn: every
 * step succeeds or fails with WVM_ERR_NOMEM, a write that failed leaves
 * the query as it was (its nested transaction's undo included), and the
 * query still ends cleanly (`make asan` checks for leaks). */
TEST(state_query_out_of_memory) {
    st_env *env = fresh("query_oom");
    REQUIRE(env);
    wvm_address o = ct_addr(1);
    wvm_object_id id;
    setup(env, &o, &id);
    lister l;
    bool clean = false;
    int failures = 0;
    for (long n = 0; n < 200 && !clean; n++) {
        st_txn *q = NULL, *c = NULL;
        ct_fail_after(n);
        wvm_status st = st_query_begin(env, &q);
        if (st) {
            ct_fail_after(-1);
            CHECK_EQ_INT(st, WVM_ERR_NOMEM);
            CHECK(q == NULL);
            failures++;
            continue;
        }
        wvm_status s1 = set(q, &id, &o, "b", "2");
        wvm_status s2 = st_txn_begin(q, &c), s3 = WVM_ERR_NOMEM, s4 = WVM_ERR_NOMEM;
        if (!s2) {
            /* a child that aborts leaves q as it found it, whichever of
             * its writes failed */
            char before[256];
            snprintf(before, sizeof before, "%s", fields(&l, q, &id));
            CHECK(ok_or_nomem(set(c, &id, &o, "a", "y")));
            CHECK(ok_or_nomem(st_field_delete(c, &id, &o, NULL, "c", 1)));
            CHECK(ok_or_nomem(set(c, &id, &o, "z", "9")));
            st_txn_abort(c);
            CHECK_EQ_STR(fields(&l, q, &id), before);
            REQUIRE(st_txn_begin(q, &c) == WVM_OK || ct_fail_happened());
            if (c) {
                s3 = set(c, &id, &o, "a", "x");
                s4 = st_field_delete(c, &id, &o, NULL, "c", 1);
                CHECK_EQ_INT(st_txn_commit(c), WVM_OK);
            }
        }
        wvm_status s6 = set(q, &id, &o, "f", "6");
        bool happened = ct_fail_happened();
        ct_fail_after(-1);
        wvm_status all[] = { s1, s2, s3, s4, s6 };
        for (int i = 0; i < 5; i++) CHECK(ok_or_nomem(all[i]));
        char want[128];
        snprintf(want, sizeof want, "a=%s,%s%se=5,%s", !s3 && c ? "x" : "1", s1 ? "" : "b=2,",
                 !s4 && c ? "" : "c=3,", s6 ? "" : "f=6,");
        CHECK_EQ_STR(fields(&l, q, &id), want);
        st_txn_abort(q);
        if (happened) failures++;
        else clean = true;
    }
    CHECK(clean);
    CHECK(failures >= 6);   /* txn, overlay, entries, arrays, undo records */
    st_txn *r;
    REQUIRE(st_read_begin(env, &r) == WVM_OK);
    CHECK_EQ_STR(fields(&l, r, &id), "a=1,c=3,e=5,");
    st_txn_abort(r);
    st_close(env);
}
