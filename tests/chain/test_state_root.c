/*
 * test_state_root.c -- the incremental root against the from-scratch
 * one after every block of a random (seeded, so repeatable) workload of
 * 10,000 operations: objects, fields, owners, deletes, balances, nested
 * transactions committed and aborted, failed transactions.  Also: the
 * root depends on the state, not on the order that made it.
 */
#include "chaintest.h"
#include "state/state.h"

static uint64_t rng_state;
static uint64_t rnd(void) {     /* xorshift64*: the test's own PRNG */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

enum { NOBJ = 64, NADDR = 16 };

TEST(state_root_random_workload) {
    const char *dir = ct_dir("root_random");
    st_env *env;
    st_options o = { .no_sync = true };
    REQUIRE(dir && st_open(dir, &o, &env, NULL) == WVM_OK);
    rng_state = 0x9e3779b97f4a7c15ull;
    wvm_object_id ids[NOBJ];
    int nids = 0;
    wvm_address addrs[NADDR];
    for (int i = 0; i < NADDR; i++) addrs[i] = ct_addr((uint32_t)i + 1);
    int ops = 0, blocks = 0, mismatches = 0, fails = 0;
    uint64_t height = 0;
    while (ops < 10000) {
        st_txn *b;
        height++;
        REQUIRE(st_block_begin(env, height, height * 10, &b) == WVM_OK);
        int ntx = 1 + (int)(rnd() % 8);
        for (int x = 0; x < ntx && ops < 10000; x++) {
            st_txn *t;
            REQUIRE(st_txn_begin(b, &t) == WVM_OK);
            st_txn *cur = t, *stack[8];
            int depth = 0;
            int nops = 1 + (int)(rnd() % 16);
            for (int k = 0; k < nops && ops < 10000; k++, ops++) {
                unsigned r = (unsigned)(rnd() % 100);
                const wvm_address *who = &addrs[rnd() % NADDR];
                char name[8];
                snprintf(name, sizeof name, "f%u", (unsigned)(rnd() % 12));
                uint8_t val[40];
                size_t vlen = (size_t)(rnd() % sizeof val);
                for (size_t i = 0; i < vlen; i++) val[i] = (uint8_t)rnd();
                wvm_object_id *id = nids ? &ids[rnd() % nids] : NULL;
                wvm_status st = WVM_OK;
                if (r < 10 || !id) {
                    wvm_object_id nid;
                    st_object_next_id(cur, &nid);
                    st = st_object_create(cur, &nid, who, who);
                    if (!st) {
                        if (nids < NOBJ) ids[nids++] = nid;
                        else ids[rnd() % NOBJ] = nid;
                    }
                } else if (r < 45) {
                    st = st_field_set(cur, id, who, NULL, name, strlen(name), val, vlen);
                } else if (r < 55) {
                    st = st_field_delete(cur, id, who, NULL, name, strlen(name));
                } else if (r < 60) {
                    st = st_object_set_owner(cur, id, who, NULL, &addrs[rnd() % NADDR]);
                } else if (r < 63) {
                    st = st_object_delete(cur, id, who, NULL);
                } else if (r < 75) {
                    st = st_mint(cur, who, rnd() % 1000);
                } else if (r < 85) {
                    st = st_transfer(cur, who, &addrs[rnd() % NADDR], rnd() % 500);
                } else if (r < 92 && depth < 8) {
                    /* a nested transaction (a cross-contract call) */
                    stack[depth++] = cur;
                    REQUIRE(st_txn_begin(cur, &cur) == WVM_OK);
                } else if (depth > 0) {
                    st_txn *p = stack[--depth];
                    if (rnd() % 3 == 0) st_txn_abort(cur);
                    else REQUIRE(st_txn_commit(cur) == WVM_OK);
                    cur = p;
                }
                REQUIRE(st == WVM_OK || st == WVM_ERR_PERMISSION || st == WVM_ERR_NOT_FOUND ||
                        st == WVM_ERR_FUNDS || st == WVM_ERR_OVERFLOW || st == WVM_ERR_EXISTS);
                if (st) fails++;
            }
            while (depth > 0) {
                st_txn *p = stack[--depth];
                REQUIRE(st_txn_commit(cur) == WVM_OK);
                cur = p;
            }
            /* about one transaction in five fails as a whole */
            if (rnd() % 5 == 0) st_txn_abort(t);
            else REQUIRE(st_txn_commit(t) == WVM_OK);
        }
        wvm_hash inc, full, stored;
        st_txn_root(b, &inc);
        REQUIRE(st_txn_commit(b) == WVM_OK);
        blocks++;
        st_txn *rd;
        REQUIRE(st_read_begin(env, &rd) == WVM_OK);
        REQUIRE(st_root_recompute(rd, &full) == WVM_OK);
        st_block_info bi;
        REQUIRE(st_block_get(rd, height, &bi) == WVM_OK);
        stored = bi.root;
        st_txn_abort(rd);
        if (memcmp(&inc, &full, 32) || memcmp(&inc, &stored, 32)) mismatches++;
    }
    CHECK_EQ_INT(mismatches, 0);
    CHECK(blocks > 100);
    CHECK(fails > 100);   /* the refusals were exercised too */
    st_close(env);
}

/* Two histories reaching the same state give the same root. */
TEST(state_root_order_independent) {
    st_env *e1, *e2;
    st_options o = { .no_sync = true };
    REQUIRE(st_open(ct_dir("root_order1"), &o, &e1, NULL) == WVM_OK);
    REQUIRE(st_open(ct_dir("root_order2"), &o, &e2, NULL) == WVM_OK);
    wvm_address a = ct_addr(1), z = ct_addr(2);
    st_txn *b, *t;
    /* one: mint a 5, mint z 10 in one block */
    REQUIRE(st_block_begin(e1, 1, 10, &b) == WVM_OK && st_txn_begin(b, &t) == WVM_OK);
    REQUIRE(st_mint(t, &a, 5) == WVM_OK && st_mint(t, &z, 10) == WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK && st_txn_commit(b) == WVM_OK);
    /* two: z 10 then a 5, then z gives 3 away and gets them back, over two blocks */
    REQUIRE(st_block_begin(e2, 1, 99, &b) == WVM_OK && st_txn_begin(b, &t) == WVM_OK);
    REQUIRE(st_mint(t, &z, 10) == WVM_OK && st_mint(t, &a, 5) == WVM_OK);
    REQUIRE(st_transfer(t, &z, &a, 3) == WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK && st_txn_commit(b) == WVM_OK);
    REQUIRE(st_block_begin(e2, 2, 100, &b) == WVM_OK && st_txn_begin(b, &t) == WVM_OK);
    REQUIRE(st_transfer(t, &a, &z, 3) == WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    REQUIRE(st_transfer(t, &z, &a, 1) == WVM_OK);
    REQUIRE(st_transfer(t, &z, &a, 1) == WVM_OK);
    REQUIRE(st_transfer(t, &a, &z, 2) == WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK && st_txn_commit(b) == WVM_OK);
    wvm_hash r1, r2, empty;
    st_last_root(e1, &r1);
    st_last_root(e2, &r2);
    CHECK(!memcmp(&r1, &r2, 32));
    /* and differs from the empty state's */
    st_env *e3;
    REQUIRE(st_open(ct_dir("root_order3"), &o, &e3, NULL) == WVM_OK);
    st_last_root(e3, &empty);
    CHECK(memcmp(&r1, &empty, 32) != 0);
    st_close(e1);
    st_close(e2);
    st_close(e3);
}
