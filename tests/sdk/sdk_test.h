/*
 * sdk_test.h -- a small in-memory host of the contract ABI (module "env"
 * of sdk/include/wvm/abi.h) on our own runtime, for testing the SDK and
 * the example contracts without the chain.  It is not the node's host
 * (src/host/): no LMDB, no fuel prices, no nested transactions; it keeps
 * objects, fields, balances, events, logs and trace records in memory
 * and checks every guest pointer it is given.
 */
#ifndef WVM_SDK_TEST_H
#define WVM_SDK_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include "wvm.h"
#include "../unit/test.h"

int test_str_eq(const char *a, const char *b);

typedef struct th_buf {
    char *p;
    uint32_t len, cap;
} th_buf;

typedef struct th_field {
    uint8_t id[32];
    char *name;
    uint32_t name_len;
    uint8_t *val;
    uint32_t val_len;
} th_field;

typedef struct th_object {
    uint8_t id[32];
    uint8_t owner[20];
} th_object;

typedef struct th_account {
    uint8_t addr[20];
    uint64_t balance;
} th_account;

typedef struct th {
    wvm_engine *engine;
    wvm_module *module;
    wvm_store *store;
    wvm_instance *inst;
    wvm_func *allocate, *handle;

    /* the call's context; tests set these */
    uint8_t self[20], sender[20], origin[20];
    uint64_t height, time;
    bool has_caller;               /* call information (WVM_HOST_CALLER...) */
    uint8_t caller[20];
    const char *caller_function;
    uint32_t depth;
    uint8_t frames[8][20];
    const char *frame_functions[8];

    /* state */
    th_field *fields;
    uint32_t nfields;
    th_object *objects;
    uint32_t nobjects, next_object;
    th_account *accounts;
    uint32_t naccounts;

    /* what the last call produced */
    th_buf result, error, events, logs, trace;
    bool has_result, has_error;
    uint32_t error_kind, nevents;
    char trap[1024];               /* a trap's message, "" if none */
    wvm_status status;             /* of the last wasm call (WVM_OK, a trap) */

    struct host_priced {           /* the imports, each charged first */
        wvm_host_fn fn;
        struct th *h;
    } priced[8];
    uint32_t npriced;

    uint8_t *hbuf;                 /* the host buffer of call_host_set */
    uint32_t hlen;
} th;

/* Loads build/<path> (WVM_BUILD overrides "build") and instantiates it
 * with the env imports.  NULL (after a test failure) when it cannot. */
th *th_open(const char *path);
/* The same, but a module that does not load or link is not a test
 * failure: NULL with the reason in msg. */
th *th_load(const char *path, char *msg, uint32_t cap);
void th_close(th *h);
/* Runs function fn with params (NULL: empty).  Returns what
 * handle_contract_call returned (0 ok, 1 failed) or -1 on a trap, with
 * h->trap set. */
int th_call(th *h, const char *fn, const char *params);
/* The result text, or the error message, of the last call ("" if none). */
const char *th_result(th *h);
const char *th_error(th *h);
void th_addr(uint8_t out[20], uint8_t fill);
void th_set_balance(th *h, const uint8_t addr[20], uint64_t v);
uint64_t th_balance(th *h, const uint8_t addr[20]);
/* Sets a field directly, as if a contract had (for states a test cannot
 * reach through calls). */
void th_field_set(th *h, const uint8_t id[32], const char *name, const void *val, uint32_t len);
/* Sets both the sender and the transaction's origin. */
void th_as(th *h, uint8_t fill);
/* Pages of the instance's memory (for the arena reset check). */
uint64_t th_memory_pages(th *h);

/* Runs fn(params) and checks it succeeded with result `want`. */
#define CALL_OK(h, fn, params, want) do {                              \
        int rc_ = th_call(h, fn, params);                              \
        CHECK_EQ_STR((h)->trap, "");                                   \
        CHECK_EQ_STR(th_error(h), "");                                 \
        CHECK_EQ_INT(rc_, 0);                                          \
        CHECK_EQ_STR(th_result(h), want);                              \
    } while (0)

/* Runs fn(params) and checks it failed with kind and message. */
#define CALL_ERR(h, fn, params, kind, msg) do {                        \
        int rc_ = th_call(h, fn, params);                              \
        CHECK_EQ_STR((h)->trap, "");                                   \
        CHECK_EQ_INT(rc_, 1);                                          \
        CHECK((h)->has_error);                                         \
        CHECK_EQ_INT((h)->error_kind, kind);                           \
        CHECK_EQ_STR(th_error(h), msg);                                \
        CHECK(!(h)->has_result);                                       \
    } while (0)

#endif
