/*
 * statetest.h -- what the state store's tests (test_state_*.c) share: a
 * fresh store, and its objects' fields as text.  Included after
 * chaintest.h.
 */
#ifndef WVM_STATETEST_H
#define WVM_STATETEST_H

#include "state/state.h"

/* A fresh store in build/chaintest/NAME (no_sync: tests); NULL on failure. */
static inline st_env *fresh(const char *name) {
    const char *dir = ct_dir(name);
    st_env *env = NULL;
    char *err = NULL;
    st_options o = { .no_sync = true };
    if (!dir || st_open(dir, &o, &env, &err)) {
        printf("open: %s\n", err ? err : "?");
        free(err);
        return NULL;
    }
    return env;
}

/* Block 1 begun in env (*b), a transaction in it (*t), and in that an
 * object *id owned by o; false if any step fails. */
static inline bool block_with_object(st_env *env, const wvm_address *o, st_txn **b, st_txn **t,
                                     wvm_object_id *id) {
    if (st_block_begin(env, 1, 10, b)) return false;
    if (st_txn_begin(*b, t)) return false;
    st_object_next_id(*t, id);
    return st_object_create(*t, id, o, o) == WVM_OK;
}

/* "name=value," for every field of id, in listing order. */
typedef struct lister { st_txn *t; const wvm_object_id *id; char buf[4096]; bool bad; } lister;

static inline bool list_one(void *user, const char *name, size_t len) {
    lister *l = user;
    const uint8_t *v;
    size_t n;
    if (st_field_get(l->t, l->id, name, len, &v, &n)) {
        l->bad = true;   /* listed but not readable */
        return false;
    }
    size_t at = strlen(l->buf);
    snprintf(l->buf + at, sizeof l->buf - at, "%.*s=%.*s,", (int)len, name, (int)n, (const char *)v);
    return true;
}

static inline const char *fields(lister *l, st_txn *t, const wvm_object_id *id) {
    l->t = t;
    l->id = id;
    l->buf[0] = 0;
    l->bad = false;
    wvm_status st = st_field_list(t, id, NULL, 0, UINT32_MAX, list_one, l);
    if (st || l->bad) snprintf(l->buf, sizeof l->buf, "(status %d%s)", st, l->bad ? ", unreadable" : "");
    return l->buf;
}

static inline wvm_status set(st_txn *t, const wvm_object_id *id, const wvm_address *o, const char *name,
                             const char *v) {
    return st_field_set(t, id, o, NULL, name, strlen(name), (const uint8_t *)v, strlen(v));
}

static inline bool count_event(void *u, const wvm_event *e) {
    (void)e;
    (*(int *)u)++;
    return true;
}

#endif
