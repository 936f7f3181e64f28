/*
 * test_state_rules.c -- the write rule on every write path, the default
 * object changing hands, balances at their bounds, a failed transaction
 * between two good ones, nesting to depth 64, events of failed
 * transactions.
 */
#include "chaintest.h"
#include "statetest.h"

static bool fn(void *user, const char *name, size_t len);
static bool cnt(void *u, const wvm_event *e);
static bool names_of(void *u, const wvm_event *e);

static bool same_root(st_txn *a, const wvm_hash *h) {
    wvm_hash r;
    st_txn_root(a, &r);
    return !memcmp(&r, h, 32);
}

TEST(state_write_rule_every_path) {
    st_env *env = fresh("write_rule");
    REQUIRE(env);
    st_txn *b, *t;
    REQUIRE(st_block_begin(env, 1, 10, &b) == WVM_OK);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    wvm_address owner = ct_addr(1), con = ct_addr(2), other = ct_addr(3), thief = ct_addr(4);
    wvm_object_id id;
    st_object_next_id(t, &id);
    REQUIRE(st_object_create(t, &id, &owner, &con) == WVM_OK);
    REQUIRE(st_field_set(t, &id, &owner, NULL, "f", 1, (const uint8_t *)"v", 1) == WVM_OK);
    wvm_hash before;
    st_txn_root(t, &before);
    /* neither actor nor sender owns it: every write path refused */
    CHECK_EQ_INT(st_field_set(t, &id, &other, &thief, "f", 1, (const uint8_t *)"x", 1), WVM_ERR_PERMISSION);
    CHECK(strstr(st_txn_errmsg(t), "permission denied"));
    CHECK_EQ_INT(st_field_set(t, &id, &other, &thief, "g", 1, (const uint8_t *)"x", 1), WVM_ERR_PERMISSION);
    CHECK_EQ_INT(st_field_delete(t, &id, &other, &thief, "f", 1), WVM_ERR_PERMISSION);
    CHECK_EQ_INT(st_object_set_owner(t, &id, &other, &thief, &thief), WVM_ERR_PERMISSION);
    CHECK_EQ_INT(st_object_delete(t, &id, &other, &thief), WVM_ERR_PERMISSION);
    CHECK_EQ_INT(st_field_set(t, &id, NULL, NULL, "f", 1, (const uint8_t *)"x", 1), WVM_ERR_PERMISSION);
    CHECK(same_root(t, &before));
    const uint8_t *v;
    size_t n;
    CHECK(st_field_get(t, &id, "f", 1, &v, &n) == WVM_OK && n == 1 && v[0] == 'v');
    wvm_object_info oi;
    CHECK(st_object_get(t, &id, &oi) == WVM_OK && !memcmp(&oi.owner, &owner, 20));
    /* the owner as actor, or as sender, may */
    CHECK_EQ_INT(st_field_set(t, &id, &owner, &thief, "f", 1, (const uint8_t *)"1", 1), WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &other, &owner, "f", 1, (const uint8_t *)"2", 1), WVM_OK);
    CHECK_EQ_INT(st_field_delete(t, &id, &other, &owner, "f", 1), WVM_OK);
    CHECK_EQ_INT(st_field_delete(t, &id, &other, &owner, "f", 1), WVM_ERR_NOT_FOUND);
    /* missing objects: NOT_FOUND, not PERMISSION */
    wvm_object_id ghost;
    st_object_next_id(t, &ghost);
    CHECK_EQ_INT(st_field_set(t, &ghost, &owner, &owner, "f", 1, (const uint8_t *)"1", 1), WVM_ERR_NOT_FOUND);
    /* limits */
    static uint8_t big[ST_MAX_VALUE + 1];
    char longname[ST_MAX_NAME + 2];
    memset(longname, 'n', sizeof longname);
    CHECK_EQ_INT(st_field_set(t, &id, &owner, NULL, longname, ST_MAX_NAME + 1, big, 1), WVM_ERR_ARG);
    CHECK_EQ_INT(st_field_set(t, &id, &owner, NULL, longname, ST_MAX_NAME, big, 1), WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &owner, NULL, "f", 1, big, ST_MAX_VALUE + 1), WVM_ERR_ARG);
    CHECK_EQ_INT(st_field_set(t, &id, &owner, NULL, "f", 1, big, ST_MAX_VALUE), WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &owner, NULL, "", 0, big, 1), WVM_ERR_ARG);
    /* delete: fields go with the object, and the root returns to what it
     * was without them */
    wvm_hash empty;
    st_txn_root(b, &empty);   /* the block before t: nothing yet */
    CHECK_EQ_INT(st_object_delete(t, &id, &owner, NULL), WVM_OK);
    CHECK(same_root(t, &empty));
    CHECK_EQ_INT(st_field_get(t, &id, "f", 1, &v, &n), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_txn_commit(t), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(b), WVM_OK);
    st_close(env);
}

/* The write rule after the owner changes inside the block: in a nested
 * transaction that aborts (the old owner may still write), one that
 * commits (it may not), and in the next transaction.  The block's
 * writer keeps the last object record it read (objects.c); a stale one
 * would let the old owner through or refuse it wrongly. */
TEST(state_write_rule_owner_changes_in_block) {
    st_env *env = fresh("owner_changes");
    REQUIRE(env);
    wvm_address a = ct_addr(1), bb = ct_addr(2);
    const uint8_t *x = (const uint8_t *)"x";
    st_txn *b, *t, *n;
    REQUIRE(st_block_begin(env, 1, 10, &b) == WVM_OK);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    wvm_object_id id;
    st_object_next_id(t, &id);
    REQUIRE(st_object_create(t, &id, &a, &a) == WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &a, NULL, "f", 1, x, 1), WVM_OK);
    /* handed to bb in a nested transaction that aborts: a still owns it */
    REQUIRE(st_txn_begin(t, &n) == WVM_OK);
    CHECK_EQ_INT(st_object_set_owner(n, &id, &a, NULL, &bb), WVM_OK);
    CHECK_EQ_INT(st_field_set(n, &id, &a, NULL, "f", 1, x, 1), WVM_ERR_PERMISSION);
    CHECK_EQ_INT(st_field_set(n, &id, &bb, NULL, "f", 1, x, 1), WVM_OK);
    st_txn_abort(n);
    CHECK_EQ_INT(st_field_set(t, &id, &a, NULL, "f", 1, x, 1), WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &bb, NULL, "f", 1, x, 1), WVM_ERR_PERMISSION);
    /* read by the child, handed over by the parent later */
    REQUIRE(st_txn_begin(t, &n) == WVM_OK);
    CHECK_EQ_INT(st_field_set(n, &id, &a, NULL, "g", 1, x, 1), WVM_OK);
    REQUIRE(st_txn_commit(n) == WVM_OK);
    CHECK_EQ_INT(st_object_set_owner(t, &id, &a, NULL, &bb), WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &a, NULL, "f", 1, x, 1), WVM_ERR_PERMISSION);
    REQUIRE(st_txn_commit(t) == WVM_OK);
    /* the next transaction: bb owns it; one that hands it back and
     * fails leaves it with bb */
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &a, NULL, "f", 1, x, 1), WVM_ERR_PERMISSION);
    CHECK_EQ_INT(st_object_set_owner(t, &id, &bb, NULL, &a), WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &a, NULL, "f", 1, x, 1), WVM_OK);
    st_txn_abort(t);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &a, NULL, "f", 1, x, 1), WVM_ERR_PERMISSION);
    CHECK_EQ_INT(st_field_set(t, &id, &bb, NULL, "f", 1, x, 1), WVM_OK);
    /* deleted, then created again with another owner */
    CHECK_EQ_INT(st_object_delete(t, &id, &bb, NULL), WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &bb, NULL, "f", 1, x, 1), WVM_ERR_NOT_FOUND);
    REQUIRE(st_object_create(t, &id, &a, &a) == WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &bb, NULL, "f", 1, x, 1), WVM_ERR_PERMISSION);
    CHECK_EQ_INT(st_field_set(t, &id, &a, NULL, "f", 1, x, 1), WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK);
    wvm_hash inc, full;
    st_txn_root(b, &inc);
    CHECK_EQ_INT(st_root_recompute(b, &full), WVM_OK);
    CHECK(!memcmp(&inc, &full, 32));
    CHECK_EQ_INT(st_txn_commit(b), WVM_OK);
    st_close(env);
}

TEST(state_field_list_paged) {
    st_env *env = fresh("field_list");
    REQUIRE(env);
    st_txn *b, *t;
    REQUIRE(st_block_begin(env, 1, 10, &b) == WVM_OK);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    wvm_address o = ct_addr(1);
    wvm_object_id id, id2;
    st_object_next_id(t, &id);
    st_object_next_id(t, &id2);
    REQUIRE(st_object_create(t, &id, &o, &o) == WVM_OK);
    REQUIRE(st_object_create(t, &id2, &o, &o) == WVM_OK);
    const char *names[] = { "c", "a", "bb", "b" };
    for (int i = 0; i < 4; i++)
        CHECK_EQ_INT(st_field_set(t, &id, &o, NULL, names[i], strlen(names[i]), (const uint8_t *)"1", 1), WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id2, &o, NULL, "a", 1, (const uint8_t *)"1", 1), WVM_OK);
    struct { char buf[64]; } acc = { "" };
    CHECK_EQ_INT(st_field_list(t, &id, NULL, 0, 100, fn, acc.buf), WVM_OK);
    CHECK_EQ_STR(acc.buf, "a,b,bb,c,");
    acc.buf[0] = 0;
    CHECK_EQ_INT(st_field_list(t, &id, "b", 1, 2, fn, acc.buf), WVM_OK);
    CHECK_EQ_STR(acc.buf, "bb,c,");
    acc.buf[0] = 0;
    CHECK_EQ_INT(st_field_list(t, &id, "a", 1, 1, fn, acc.buf), WVM_OK);
    CHECK_EQ_STR(acc.buf, "b,");
    st_txn_abort(t);
    st_txn_abort(b);
    st_close(env);
}

static bool fn(void *user, const char *name, size_t len) {
    char *buf = user;
    strncat(buf, name, len);
    strcat(buf, ",");
    return true;
}

TEST(state_default_object_changes_hands) {
    wvm_chain *c = ct_chain("default_object", 0);
    REQUIRE(c);
    size_t n;
    unsigned char *w = ct_wasm("good", &n);
    REQUIRE(w);
    wvm_block *b;
    REQUIRE(wvm_block_begin(c, 1, 10, &b) == WVM_OK);
    wvm_deploy_args a = { .code = w, .code_len = n, .deployer = ct_addr(9) };
    wvm_address con;
    wvm_receipt *r;
    REQUIRE(wvm_deploy(b, &a, &con, &r) == WVM_OK && r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    REQUIRE(wvm_block_commit(b, NULL) == WVM_OK);
    free(w);
    wvm_object_id def;
    wvm_default_object_id(&con, &def);
    wvm_chain_close(c);

    /* the same directory through the store */
    st_env *env = NULL;
    st_options o = { .no_sync = true };
    REQUIRE(st_open("build/chaintest/default_object", &o, &env, NULL) == WVM_OK);
    st_txn *blk, *t;
    REQUIRE(st_block_begin(env, 2, 20, &blk) == WVM_OK);
    REQUIRE(st_txn_begin(blk, &t) == WVM_OK);
    wvm_address alice = ct_addr(1), bob = ct_addr(2);
    /* the contract writes its default object, then gives it to alice */
    CHECK_EQ_INT(st_field_set(t, &def, &con, &bob, "k", 1, (const uint8_t *)"1", 1), WVM_OK);
    CHECK_EQ_INT(st_object_set_owner(t, &def, &con, &bob, &alice), WVM_OK);
    /* now the contract may not, in a transaction bob sends */
    CHECK_EQ_INT(st_field_set(t, &def, &con, &bob, "k", 1, (const uint8_t *)"2", 1), WVM_ERR_PERMISSION);
    CHECK_EQ_INT(st_object_set_owner(t, &def, &con, &bob, &con), WVM_ERR_PERMISSION);
    /* ... but in a transaction alice sends, the write goes through */
    CHECK_EQ_INT(st_field_set(t, &def, &con, &alice, "k", 1, (const uint8_t *)"3", 1), WVM_OK);
    wvm_object_info oi;
    CHECK(st_object_get(t, &def, &oi) == WVM_OK && !memcmp(&oi.owner, &alice, 20));
    CHECK(!memcmp(&oi.creator, &con, 20));
    CHECK_EQ_INT(st_txn_commit(t), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(blk), WVM_OK);
    st_close(env);
}

TEST(state_balances_checked) {
    wvm_chain *c = ct_chain("balances", 0);
    REQUIRE(c);
    wvm_address a = ct_addr(1), z = ct_addr(2);
    wvm_block *b;
    REQUIRE(wvm_block_begin(c, 1, 10, &b) == WVM_OK);
    CHECK_EQ_INT(wvm_mint(b, &a, UINT64_MAX - 5), WVM_OK);
    CHECK_EQ_INT(wvm_mint(b, &a, 6), WVM_ERR_OVERFLOW);
    CHECK(strstr(wvm_block_errmsg(b), "balance_overflow"));
    CHECK_EQ_INT(wvm_mint(b, &a, 5), WVM_OK);
    CHECK_EQ_INT(wvm_mint(b, &z, 1), WVM_OK);
    /* to an address at the top: overflow, nothing moves */
    CHECK_EQ_INT(wvm_transfer(b, &z, &a, 1), WVM_ERR_OVERFLOW);
    /* more than the balance: insufficient funds */
    CHECK_EQ_INT(wvm_transfer(b, &z, &a, 2), WVM_ERR_FUNDS);
    CHECK_EQ_STR(wvm_block_errmsg(b), "transaction 5 failed: insufficient_funds: insufficient funds: balance 1, transfer 2");
    CHECK_EQ_INT(wvm_transfer(b, &a, &z, 10), WVM_OK);
    CHECK_EQ_INT(wvm_block_tx_count(b), 7);
    REQUIRE(wvm_block_commit(b, NULL) == WVM_OK);
    uint64_t v;
    CHECK(wvm_chain_balance(c, &a, &v) == WVM_OK && v == UINT64_MAX - 10);
    CHECK(wvm_chain_balance(c, &z, &v) == WVM_OK && v == 11);
    wvm_receipt *r;
    CHECK(wvm_chain_receipt(c, 1, 1, &r) == WVM_OK && r->kind == WVM_KIND_BALANCE_OVERFLOW);
    wvm_receipt_free(r);
    CHECK(wvm_chain_receipt(c, 1, 5, &r) == WVM_OK && r->kind == WVM_KIND_INSUFFICIENT_FUNDS);
    wvm_receipt_free(r);
    CHECK(wvm_chain_receipt(c, 1, 6, &r) == WVM_OK && r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    CHECK_EQ_INT(wvm_chain_receipt(c, 1, 7, &r), WVM_ERR_NOT_FOUND);
    /* emptying a balance removes its entry: the root equals a fresh
     * chain's in which that address never held anything */
    REQUIRE(wvm_block_begin(c, 2, 20, &b) == WVM_OK);
    wvm_address w = ct_addr(3);
    CHECK_EQ_INT(wvm_transfer(b, &z, &w, 11), WVM_OK);
    CHECK_EQ_INT(wvm_transfer(b, &a, &a, 5), WVM_OK);   /* to itself: no change */
    wvm_hash r1, r2;
    REQUIRE(wvm_block_commit(b, &r1) == WVM_OK);
    wvm_chain *d = ct_chain("balances2", 0);
    REQUIRE(d);
    REQUIRE(wvm_block_begin(d, 1, 10, &b) == WVM_OK);
    CHECK_EQ_INT(wvm_mint(b, &w, 11), WVM_OK);
    CHECK_EQ_INT(wvm_mint(b, &a, UINT64_MAX - 10), WVM_OK);
    REQUIRE(wvm_block_commit(b, &r2) == WVM_OK);
    CHECK(!memcmp(&r1, &r2, 32));
    wvm_chain_close(d);
    wvm_chain_close(c);
}

TEST(state_failed_tx_between_good_ones) {
    wvm_chain *c = ct_chain("failed_tx", 0);
    REQUIRE(c);
    wvm_address a = ct_addr(1), z = ct_addr(2);
    wvm_block *b;
    REQUIRE(wvm_block_begin(c, 1, 10, &b) == WVM_OK);
    CHECK_EQ_INT(wvm_mint(b, &a, 10), WVM_OK);
    CHECK_EQ_INT(wvm_transfer(b, &a, &z, 100), WVM_ERR_FUNDS);
    CHECK_EQ_INT(wvm_mint(b, &z, 5), WVM_OK);
    REQUIRE(wvm_block_commit(b, NULL) == WVM_OK);
    uint64_t v;
    CHECK(wvm_chain_balance(c, &a, &v) == WVM_OK && v == 10);
    CHECK(wvm_chain_balance(c, &z, &v) == WVM_OK && v == 5);
    for (uint32_t i = 0; i < 3; i++) {
        wvm_receipt *r;
        REQUIRE(wvm_chain_receipt(c, 1, i, &r) == WVM_OK);
        CHECK_EQ_INT(r->kind, i == 1 ? WVM_KIND_INSUFFICIENT_FUNDS : WVM_KIND_NONE);
        CHECK_EQ_INT(r->index, i);
        wvm_receipt_free(r);
    }
    /* a block that is aborted leaves nothing; its height is free again */
    REQUIRE(wvm_block_begin(c, 2, 20, &b) == WVM_OK);
    CHECK_EQ_INT(wvm_mint(b, &a, 1), WVM_OK);
    wvm_block_abort(b);
    CHECK_EQ_INT(wvm_chain_height(c), 1);
    CHECK(wvm_chain_balance(c, &a, &v) == WVM_OK && v == 10);
    CHECK_EQ_INT(wvm_block_begin(c, 3, 20, &b), WVM_ERR_ARG);
    CHECK(strstr(wvm_chain_errmsg(c), "not the next one"));
    wvm_chain_close(c);
}

/* Depth 64: each level writes its own field and emits an event. */
TEST(state_nested_depth_64) {
    st_env *env = fresh("nested");
    REQUIRE(env);
    st_txn *b, *lv[65];
    REQUIRE(st_block_begin(env, 1, 10, &b) == WVM_OK);
    REQUIRE(st_txn_begin(b, &lv[0]) == WVM_OK);
    wvm_address o = ct_addr(1);
    wvm_object_id id;
    st_object_next_id(lv[0], &id);
    REQUIRE(st_object_create(lv[0], &id, &o, &o) == WVM_OK);
    wvm_hash roots[65];
    for (int d = 1; d <= 64; d++) {
        st_txn_root(lv[d - 1], &roots[d - 1]);
        REQUIRE(st_txn_begin(lv[d - 1], &lv[d]) == WVM_OK);
        char name[8];
        snprintf(name, sizeof name, "d%02d", d);
        REQUIRE(st_field_set(lv[d], &id, &o, NULL, name, 3, (const uint8_t *)"x", 1) == WVM_OK);
        REQUIRE(st_event_put(lv[d], &o, "level", "{}", 2) == WVM_OK);
        /* a parent may not write while its child is open */
        CHECK_EQ_INT(st_field_set(lv[d - 1], &id, &o, NULL, "p", 1, (const uint8_t *)"x", 1), WVM_ERR_ARG);
    }
    const uint8_t *v;
    size_t n;
    CHECK_EQ_INT(st_field_get(lv[64], &id, "d01", 3, &v, &n), WVM_OK);   /* reads see ancestors' writes */
    /* abort the deepest: its write is gone, the root is its parent's */
    st_txn_abort(lv[64]);
    CHECK(same_root(lv[63], &roots[63]));
    CHECK_EQ_INT(st_field_get(lv[63], &id, "d64", 3, &v, &n), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_field_get(lv[63], &id, "d63", 3, &v, &n), WVM_OK);
    /* commit 63..33 into 32, then abort 32: everything from 32 down goes */
    for (int d = 63; d >= 33; d--) CHECK_EQ_INT(st_txn_commit(lv[d]), WVM_OK);
    CHECK_EQ_INT(st_field_get(lv[32], &id, "d63", 3, &v, &n), WVM_OK);
    st_txn_abort(lv[32]);
    CHECK(same_root(lv[31], &roots[31]));
    CHECK_EQ_INT(st_field_get(lv[31], &id, "d40", 3, &v, &n), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_field_get(lv[31], &id, "d32", 3, &v, &n), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_field_get(lv[31], &id, "d31", 3, &v, &n), WVM_OK);
    /* aborting with children open takes them along */
    st_txn *x, *y;
    REQUIRE(st_txn_begin(lv[31], &x) == WVM_OK);
    REQUIRE(st_txn_begin(x, &y) == WVM_OK);
    REQUIRE(st_field_set(y, &id, &o, NULL, "zz", 2, (const uint8_t *)"x", 1) == WVM_OK);
    st_txn_abort(x);
    CHECK_EQ_INT(st_field_get(lv[31], &id, "zz", 2, &v, &n), WVM_ERR_NOT_FOUND);
    for (int d = 31; d >= 0; d--) CHECK_EQ_INT(st_txn_commit(lv[d]), WVM_OK);
    wvm_hash inc, full;
    st_txn_root(b, &inc);
    CHECK_EQ_INT(st_root_recompute(b, &full), WVM_OK);
    CHECK(!memcmp(&inc, &full, 32));
    CHECK_EQ_INT(st_txn_commit(b), WVM_OK);
    /* 31 events survived (levels 1..31), indexed 0..30 */
    st_txn *rd;
    REQUIRE(st_read_begin(env, &rd) == WVM_OK);
    int count = 0;
    CHECK_EQ_INT(st_event_list(rd, 0, 10, NULL, cnt, &count), WVM_OK);
    CHECK_EQ_INT(count, 31);
    st_txn_abort(rd);
    st_close(env);
}

static bool cnt(void *u, const wvm_event *e) {
    int *c = u;
    if (e->index != (uint32_t)*c) return false;   /* dense, in order */
    (*c)++;
    return true;
}

TEST(state_no_events_from_failed_tx) {
    st_env *env = fresh("events_failed");
    REQUIRE(env);
    st_txn *b, *t;
    wvm_address con = ct_addr(5), other = ct_addr(6);
    REQUIRE(st_block_begin(env, 1, 10, &b) == WVM_OK);
    /* tx 0 succeeds with one event; tx 1 emits two and fails; tx 2 one */
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    REQUIRE(st_event_put(t, &con, "a", "{\"n\":0}", 7) == WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    CHECK_EQ_INT(st_txn_index(t), 1);
    REQUIRE(st_event_put(t, &con, "b", "{}", 2) == WVM_OK);
    REQUIRE(st_event_put(t, &other, "c", "{}", 2) == WVM_OK);
    st_txn_abort(t);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    CHECK_EQ_INT(st_txn_index(t), 2);
    REQUIRE(st_event_put(t, &other, "d", "{}", 2) == WVM_OK);
    REQUIRE(st_txn_commit(t) == WVM_OK);
    CHECK_EQ_INT(st_event_put(b, &con, "e", "{}", 2), WVM_ERR_ARG);   /* not in a tx */
    wvm_receipt r0 = { .height = 1, .index = 0, .message = "", .result = "null" };
    wvm_receipt r1 = { .height = 1, .index = 1, .kind = WVM_KIND_CONTRACT_ERROR, .message = "no", .result = "null" };
    CHECK_EQ_INT(st_receipt_put(b, &r0), WVM_OK);
    CHECK_EQ_INT(st_receipt_put(b, &r1), WVM_OK);
    REQUIRE(st_txn_commit(b) == WVM_OK);
    st_txn *rd;
    REQUIRE(st_read_begin(env, &rd) == WVM_OK);
    char names[64] = "";
    CHECK_EQ_INT(st_event_list(rd, 1, 1, NULL, names_of, names), WVM_OK);
    CHECK_EQ_STR(names, "a0.0,d2.0,");
    names[0] = 0;
    CHECK_EQ_INT(st_event_list(rd, 1, 1, &con, names_of, names), WVM_OK);
    CHECK_EQ_STR(names, "a0.0,");
    names[0] = 0;
    CHECK_EQ_INT(st_event_list(rd, 2, 9, NULL, names_of, names), WVM_OK);
    CHECK_EQ_STR(names, "");
    wvm_receipt *r;
    REQUIRE(st_receipt_get(rd, 1, 1, &r) == WVM_OK);
    CHECK_EQ_INT(r->nevents, 0);
    CHECK_EQ_STR(r->message, "no");
    wvm_receipt_free(r);
    REQUIRE(st_receipt_get(rd, 1, 0, &r) == WVM_OK);
    CHECK(r->nevents == 1 && !strcmp(r->events[0].attributes, "{\"n\":0}"));
    wvm_receipt_free(r);
    st_txn_abort(rd);
    st_close(env);
}

static bool names_of(void *u, const wvm_event *e) {
    char *s = u;
    snprintf(s + strlen(s), 64 - strlen(s), "%s%u.%u,", e->name, e->tx_index, e->index);
    return true;
}
