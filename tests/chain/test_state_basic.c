/*
 * test_state_basic.c -- the store through src/state/state.h: objects,
 * fields, owners, the write rule, balances, nesting, events, receipts.
 */
#include "chaintest.h"
#include "state/state.h"

static st_env *open_fresh(const char *name) {
    const char *dir = ct_dir(name);
    if (!dir) return NULL;
    st_env *env = NULL;
    char *err = NULL;
    st_options o = { .no_sync = true };
    if (st_open(dir, &o, &env, &err)) {
        printf("open %s: %s\n", dir, err ? err : "?");
        free(err);
        return NULL;
    }
    return env;
}

TEST(state_objects_fields) {
    st_env *env = open_fresh("objects");
    REQUIRE(env);
    st_txn *b, *t;
    REQUIRE(st_block_begin(env, 1, 10, &b) == WVM_OK);
    REQUIRE(st_txn_begin(b, &t) == WVM_OK);
    wvm_address alice = ct_addr(1), con = ct_addr(2);
    wvm_object_id id, id2;
    st_object_next_id(t, &id);
    st_object_next_id(t, &id2);
    CHECK(memcmp(&id, &id2, 32) != 0);
    CHECK_EQ_INT(st_object_create(t, &id, &alice, &con), WVM_OK);
    CHECK_EQ_INT(st_object_create(t, &id, &alice, &con), WVM_ERR_EXISTS);
    CHECK_EQ_INT(st_field_set(t, &id, &con, &alice, "b", 1, (const uint8_t *)"2", 1), WVM_OK);
    CHECK_EQ_INT(st_field_set(t, &id, &con, &alice, "a", 1, (const uint8_t *)"11", 2), WVM_OK);
    const uint8_t *v;
    size_t n;
    CHECK_EQ_INT(st_field_get(t, &id, "a", 1, &v, &n), WVM_OK);
    CHECK(n == 2 && !memcmp(v, "11", 2));
    CHECK_EQ_INT(st_field_get(t, &id, "zz", 2, &v, &n), WVM_ERR_NOT_FOUND);
    CHECK_EQ_INT(st_field_get(t, &id2, "a", 1, &v, &n), WVM_ERR_NOT_FOUND);
    CHECK(strstr(st_txn_errmsg(t), "no object"));
    CHECK_EQ_INT(st_txn_commit(t), WVM_OK);
    wvm_hash inc, full;
    st_txn_root(b, &inc);
    CHECK_EQ_INT(st_root_recompute(b, &full), WVM_OK);
    CHECK(!memcmp(&inc, &full, 32));
    CHECK_EQ_INT(st_txn_commit(b), WVM_OK);
    CHECK_EQ_INT(st_last_height(env), 1);
    wvm_hash last;
    st_last_root(env, &last);
    CHECK(!memcmp(&last, &inc, 32));
    st_close(env);
}
