/*
 * test_state_txn.c -- a block's transactions write into an overlay on
 * top of the block's LMDB transaction, applied at commit (txn.c).  Here:
 * reads and listings inside a transaction see its own writes and its
 * nested transactions'; a key written and deleted in one transaction
 * never reaches LMDB; events and writes of an aborted transaction (or
 * nested one) vanish while its index is still used up; out of memory at
 * each allocation of a transaction leaves a state that commits cleanly
 * and whose root is the recomputed one.
 */
#include "chaintest.h"
#include "statetest.h"

static int events_of(st_txn *t, uint64_t height, const wvm_address *contract) {
    int n = 0;
    if (st_event_list(t, height, height, contract, count_event, &n)) return -1;
    return n;
}

/* The root of env's last block against the one recomputed from every
 * entry. */
static bool root_checks(st_env *env) {
    st_txn *r;
    wvm_hash full, last;
    if (st_read_begin(env, &r)) return false;
    bool ok = st_root_recompute(r, &full) == WVM_OK;
    st_txn_abort(r);
    st_last_root(env, &last);
    return ok && !memcmp(&full, &last, 32);
}

TEST(state_block_txn_sees_own_writes) {
    st_env *env = fresh("txn_own");
    REQUIRE(env);
    wvm_address o = ct_addr(1);
    wvm_object_id id;
    st_txn *b, *t, *n;
    REQUIRE(block_with_object(env, &o, &b, &t, &id));
    CHECK_EQ_INT(set(t, &id, &o, "c", "3"), WVM_OK);
    CHECK_EQ_INT(set(t, &id, &o, "a", "1"), WVM_OK);
    CHECK_EQ_INT(set(t, &id, &o, "gone", "x"), WVM_OK);
    lister l;
    CHECK_EQ_STR(fields(&l, t, &id), "a=1,c=3,gone=x,");
    /* written and deleted in one transaction: a tombstone over nothing */
    CHECK_EQ_INT(st_field_delete(t, &id, &o, NULL, "gone", 4), WVM_OK);
    CHECK_EQ_INT(st_field_delete(t, &id, &o, NULL, "gone", 4), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_mint(t, &o, 7), WVM_OK);
    CHECK_EQ_INT(st_event_put(t, &o, "E", "{}", 2), WVM_OK);
    /* a nested transaction sees its parent's writes; its abort leaves them */
    REQUIRE(st_txn_begin(t, &n) == WVM_OK);
    CHECK_EQ_STR(fields(&l, n, &id), "a=1,c=3,");
    CHECK_EQ_INT(set(n, &id, &o, "a", "nested"), WVM_OK);
    CHECK_EQ_INT(st_field_delete(n, &id, &o, NULL, "c", 1), WVM_OK);
    CHECK_EQ_INT(st_event_put(n, &o, "N", "{}", 2), WVM_OK);
    CHECK_EQ_INT(events_of(n, 1, &o), 2);
    CHECK_EQ_STR(fields(&l, n, &id), "a=nested,");
    st_txn_abort(n);
    CHECK_EQ_STR(fields(&l, t, &id), "a=1,c=3,");
    CHECK_EQ_INT(events_of(t, 1, &o), 1);
    /* and its commit hands them to the parent */
    REQUIRE(st_txn_begin(t, &n) == WVM_OK);
    CHECK_EQ_INT(set(n, &id, &o, "b", "2"), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(n), WVM_OK);
    CHECK_EQ_STR(fields(&l, t, &id), "a=1,b=2,c=3,");
    CHECK_EQ_INT(st_balance(t, &o), 7);
    CHECK_EQ_INT(st_txn_commit(t), WVM_OK);
    /* in the block now: the next transaction and the block see them */
    CHECK_EQ_STR(fields(&l, b, &id), "a=1,b=2,c=3,");
    CHECK_EQ_INT(events_of(b, 1, NULL), 1);
    CHECK_EQ_INT(st_txn_index(b), 1);
    REQUIRE(st_txn_commit(b) == WVM_OK);
    CHECK(root_checks(env));
    st_txn *r;
    REQUIRE(st_read_begin(env, &r) == WVM_OK);
    CHECK_EQ_STR(fields(&l, r, &id), "a=1,b=2,c=3,");
    const uint8_t *v;
    size_t vn;
    CHECK_EQ_INT(st_field_get(r, &id, "gone", 4, &v, &vn), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_balance(r, &o), 7);
    st_txn_abort(r);
    st_close(env);
}

TEST(state_block_txn_abort_drops_all) {
    st_env *env = fresh("txn_abort");
    REQUIRE(env);
    wvm_address o = ct_addr(1);
    wvm_object_id id;
    st_txn *b, *t;
    REQUIRE(block_with_object(env, &o, &b, &t, &id));
    CHECK_EQ_INT(set(t, &id, &o, "a", "1"), WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK);
    wvm_hash before;
    st_txn_root(b, &before);
    /* writes, a delete, events and a nested commit, all aborted */
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    CHECK_EQ_INT(st_txn_index(t), 1);
    CHECK_EQ_INT(set(t, &id, &o, "a", "2"), WVM_OK);
    CHECK_EQ_INT(set(t, &id, &o, "z", "26"), WVM_OK);
    CHECK_EQ_INT(st_mint(t, &o, 5), WVM_OK);
    CHECK_EQ_INT(st_event_put(t, &o, "E", "{}", 2), WVM_OK);
    st_txn *n;
    REQUIRE(st_txn_begin(t, &n) == WVM_OK);
    CHECK_EQ_INT(st_field_delete(n, &id, &o, NULL, "a", 1), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(n), WVM_OK);
    st_txn_abort(t);
    lister l;
    CHECK_EQ_STR(fields(&l, b, &id), "a=1,");
    CHECK_EQ_INT(st_balance(b, &o), 0);
    CHECK_EQ_INT(events_of(b, 1, NULL), 0);
    wvm_hash after;
    st_txn_root(b, &after);
    CHECK(!memcmp(&before, &after, 32));
    /* the aborted transaction used its index up */
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    CHECK_EQ_INT(st_txn_index(t), 2);
    CHECK_EQ_INT(st_event_put(t, &o, "F", "{}", 2), WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK);
    REQUIRE(st_txn_commit(b) == WVM_OK);
    CHECK(root_checks(env));
    st_txn *r;
    REQUIRE(st_read_begin(env, &r) == WVM_OK);
    CHECK_EQ_STR(fields(&l, r, &id), "a=1,");
    CHECK_EQ_INT(events_of(r, 1, &o), 1);
    st_txn_abort(r);
    st_close(env);
}

static bool ok_or_nomem(wvm_status st) { return st == WVM_OK || st == WVM_ERR_NOMEM; }

/* Out of memory at each allocation of a block's transaction in turn:
 * every step succeeds or fails with WVM_ERR_NOMEM, a write that failed
 * leaves nothing behind, and what the transaction did commit lands whole,
 * with the root the recomputed one. */
TEST(state_block_txn_out_of_memory) {
    st_env *env = fresh("txn_oom");
    REQUIRE(env);
    wvm_address o = ct_addr(1);
    wvm_object_id id;
    st_txn *b, *t;
    REQUIRE(block_with_object(env, &o, &b, &t, &id));
    CHECK_EQ_INT(set(t, &id, &o, "a", "1"), WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK);
    REQUIRE(st_txn_commit(b) == WVM_OK);
    bool clean = false;
    int failures = 0;
    uint64_t height = 1;
    lister l;
    for (long k = 0; k < 300 && !clean; k++) {
        height++;
        REQUIRE(st_block_begin(env, height, height * 10, &b) == WVM_OK);
        ct_fail_after(k);
        st_txn *c = NULL, *n = NULL;
        wvm_status s0 = st_txn_begin(b, &c), s1 = WVM_ERR_NOMEM, s2 = WVM_ERR_NOMEM,
                   s3 = WVM_ERR_NOMEM, s4 = WVM_ERR_NOMEM, s5 = WVM_ERR_NOMEM;
        char val[16];
        snprintf(val, sizeof val, "v%ld", k);
        if (!s0) {
            s1 = set(c, &id, &o, "a", val);
            s2 = st_event_put(c, &o, "E", "{}", 2);
            if (!st_txn_begin(c, &n)) {
                s3 = set(n, &id, &o, "b", val);
                s4 = st_field_delete(n, &id, &o, NULL, "a", 1);
                if (s3 || s4) {
                    st_txn_abort(n);
                    s3 = s4 = WVM_ERR_NOMEM;
                } else {
                    CHECK_EQ_INT(st_txn_commit(n), WVM_OK);
                }
            }
            s5 = st_mint(c, &o, 1);
        }
        bool happened = ct_fail_happened();
        ct_fail_after(-1);
        wvm_status all[] = { s0, s1, s2, s3, s4, s5 };
        for (int i = 0; i < 6; i++) CHECK(ok_or_nomem(all[i]));
        if (c) CHECK_EQ_INT(st_txn_commit(c), WVM_OK);
        REQUIRE(st_txn_commit(b) == WVM_OK);
        CHECK(root_checks(env));
        st_txn *r;
        REQUIRE(st_read_begin(env, &r) == WVM_OK);
        if (!happened) {
            char want[64];
            snprintf(want, sizeof want, "b=%s,", val);
            CHECK_EQ_STR(fields(&l, r, &id), want);
            CHECK_EQ_INT(events_of(r, height, &o), 1);
            clean = true;
        } else {
            failures++;
            CHECK_EQ_INT(events_of(r, height, &o), s0 || s2 ? 0 : 1);
        }
        st_txn_abort(r);
    }
    CHECK(clean);
    CHECK(failures >= 4);
    st_close(env);
}

/* The block's read cache (rcache.c) against a model: random reads,
 * writes, deletes and aborts of transactions, over few keys (so that
 * they are cached, then changed by commits, block writes and aborts)
 * and, every few transactions, over thousands of keys that fill the
 * cache and make it start again.  Every read must give what the model
 * holds. */
TEST(state_block_read_cache_coherent) {
    st_env *env = fresh("txn_rcache");
    REQUIRE(env);
    wvm_address o = ct_addr(1);
    wvm_object_id id;
    st_txn *b, *t;
    REQUIRE(block_with_object(env, &o, &b, &t, &id));
    REQUIRE(st_txn_commit(t) == WVM_OK);
    enum { NK = 8 };
    int model[NK];                    /* -1: no field */
    for (int i = 0; i < NK; i++) model[i] = -1;
    uint64_t x = 88172645463325252ull;
    int bad = 0, height = 1;
    for (int step = 0; step < 3000; step++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (step % 500 == 499) {
            REQUIRE(st_txn_commit(b) == WVM_OK);
            REQUIRE(st_block_begin(env, (uint64_t)++height, 10, &b) == WVM_OK);
        }
        REQUIRE(st_txn_begin(b, &t) == WVM_OK);
        int shadow[NK];
        memcpy(shadow, model, sizeof model);
        for (int k = 0; k < 6; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            int key = (int)(x % NK), op = (int)((x >> 8) % 3);
            char name[8], val[16];
            snprintf(name, sizeof name, "k%d", key);
            const uint8_t *v;
            size_t n;
            wvm_status st = st_field_get(t, &id, name, strlen(name), &v, &n);
            if (shadow[key] < 0 ? st != WVM_ERR_NOT_FOUND
                                : st || (int)n != snprintf(val, sizeof val, "%d", shadow[key]) ||
                                      memcmp(v, val, n))
                bad++;
            if (op == 0) {
                shadow[key] = (int)((x >> 20) % 100000);
                snprintf(val, sizeof val, "%d", shadow[key]);
                CHECK_EQ_INT(set(t, &id, &o, name, val), WVM_OK);
            } else if (op == 1 && shadow[key] >= 0) {
                CHECK_EQ_INT(st_field_delete(t, &id, &o, NULL, name, strlen(name)), WVM_OK);
                shadow[key] = -1;
            }
        }
        if (step % 50 == 7) {
            /* thousands of distinct keys read: more than the cache holds */
            for (int i = 0; i < 5000; i++) {
                char name[16];
                snprintf(name, sizeof name, "miss%d", i);
                const uint8_t *v;
                size_t n;
                if (st_field_get(t, &id, name, strlen(name), &v, &n) != WVM_ERR_NOT_FOUND) bad++;
            }
        }
        if (x % 4 == 0) {
            st_txn_abort(t);
        } else {
            REQUIRE(st_txn_commit(t) == WVM_OK);
            memcpy(model, shadow, sizeof model);
        }
    }
    REQUIRE(st_txn_commit(b) == WVM_OK);
    CHECK_EQ_INT(bad, 0);
    CHECK(root_checks(env));
    st_txn *r;
    REQUIRE(st_read_begin(env, &r) == WVM_OK);
    for (int key = 0; key < NK; key++) {
        char name[8], val[16];
        snprintf(name, sizeof name, "k%d", key);
        const uint8_t *v;
        size_t n;
        wvm_status st = st_field_get(r, &id, name, strlen(name), &v, &n);
        if (model[key] < 0) CHECK_EQ_INT(st, WVM_ERR_NOT_FOUND);
        else CHECK(!st && (int)n == snprintf(val, sizeof val, "%d", model[key]) && !memcmp(v, val, n));
    }
    st_txn_abort(r);
    st_close(env);
}
