/*
 * test_call.c -- the call path through the C API (wvm_call, wvm_query,
 * Initialize at deploy) on the hand-written probe contract
 * (tests/chain/call_probe.wat): results, events, fuel, a test for each
 * error kind, hostile contracts (each ending in its documented kind with
 * the state root unchanged), cross-contract calls, determinism.
 */
#include "chaintest.h"

#define SENDER ct_addr(1)

/* Deploys the named test contract in its own block; zero address on
 * failure. */
static wvm_address deploy_named(wvm_chain *c, const char *name, const char *init) {
    wvm_address addr;
    memset(&addr, 0, sizeof addr);
    size_t len;
    unsigned char *code = ct_wasm(name, &len);
    if (!code) return addr;
    wvm_block *b;
    if (wvm_block_begin(c, wvm_chain_height(c) + 1, 1000 + wvm_chain_height(c), &b) == WVM_OK) {
        wvm_deploy_args a;
        memset(&a, 0, sizeof a);
        a.code = code;
        a.code_len = len;
        a.deployer = SENDER;
        a.init_params = init;
        wvm_receipt *r = NULL;
        wvm_deploy(b, &a, &addr, &r);
        wvm_receipt_free(r);
        if (wvm_block_commit(b, NULL)) memset(&addr, 0, sizeof addr);
    }
    free(code);
    return addr;
}

typedef struct callopt {
    const char *params;
    uint64_t fuel;
    uint32_t timeout_ms;
    wvm_address sender;
    bool has_sender;
} callopt;

/* Calls fn of addr in a block of its own (committed); the receipt. */
static wvm_receipt *call_opt(wvm_chain *c, wvm_address addr, const char *fn, const callopt *o) {
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = addr;
    a.function = fn;
    a.params = o ? o->params : NULL;
    a.fuel = o ? o->fuel : 0;
    a.timeout_ms = o ? o->timeout_ms : 0;
    a.sender = o && o->has_sender ? o->sender : SENDER;
    return ct_call(c, 1000 + wvm_chain_height(c), &a);
}

static wvm_receipt *call(wvm_chain *c, wvm_address addr, const char *fn) {
    return call_opt(c, addr, fn, NULL);
}

/* The call must fail with kind and a message containing text, keep no
 * events, and leave the state root as it was. */
static void fails(wvm_chain *c, wvm_address addr, const char *fn, const callopt *o,
                  wvm_error_kind kind, const char *text, int line) {
    wvm_hash before, after;
    wvm_chain_root(c, &before);
    wvm_receipt *r = call_opt(c, addr, fn, o);
    if (!r) {
        test_fail(__FILE__, line, "call %s did not run", fn);
        return;
    }
    if (r->kind != kind || !strstr(r->message, text))
        test_fail(__FILE__, line, "call %s: got %s \"%s\", wanted %s containing \"%s\"", fn,
                  wvm_error_kind_str(r->kind), r->message, wvm_error_kind_str(kind), text);
    if (r->nevents) test_fail(__FILE__, line, "call %s: a failed call kept events", fn);
    if (strcmp(r->result, "null")) test_fail(__FILE__, line, "call %s: result %s", fn, r->result);
    wvm_chain_root(c, &after);
    if (memcmp(&before, &after, 32)) test_fail(__FILE__, line, "call %s: the root changed", fn);
    wvm_receipt_free(r);
}
#define FAILS(c, addr, fn, o, kind, text) fails(c, addr, fn, o, kind, text, __LINE__)

static bool field_is(wvm_chain *c, wvm_address contract, const char *name, const char *want) {
    wvm_object_id id;
    wvm_default_object_id(&contract, &id);
    uint8_t *v = NULL;
    size_t n = 0;
    wvm_status st = wvm_chain_field(c, &id, name, &v, &n);
    bool ok = want ? st == WVM_OK && n == strlen(want) && !memcmp(v, want, n) : st == WVM_ERR_NOT_FOUND;
    free(v);
    return ok;
}

TEST(call_ok_result_events_fuel) {
    wvm_chain *c = ct_chain("call_ok", 0);
    REQUIRE(c);
    wvm_address p = deploy_named(c, "call_probe", NULL);
    wvm_receipt *r = call(c, p, "ok");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    CHECK_EQ_STR(r->message, "");
    CHECK_EQ_STR(r->result, "{\"ok\":true}");
    CHECK(r->fuel_used > 100);
    REQUIRE(r->nevents == 1);
    CHECK_EQ_STR(r->events[0].name, "hello");
    CHECK_EQ_STR(r->events[0].attributes, "{\"a\":1}");
    CHECK(!memcmp(&r->events[0].contract, &p, sizeof p));
    /* the receipt is stored */
    wvm_receipt *s = NULL;
    CHECK_EQ_INT(wvm_chain_receipt(c, r->height, r->index, &s), WVM_OK);
    if (s) CHECK_EQ_STR(s->result, "{\"ok\":true}");
    wvm_receipt_free(s);
    wvm_receipt_free(r);
    wvm_chain_close(c);
}

TEST(call_write_then_read_and_counter) {
    wvm_chain *c = ct_chain("call_rw", 0);
    REQUIRE(c);
    wvm_address p = deploy_named(c, "call_probe", NULL);
    wvm_receipt *r = call(c, p, "read");
    REQUIRE(r);
    CHECK_EQ_STR(r->result, "null");
    wvm_receipt_free(r);
    r = call(c, p, "write");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    wvm_receipt_free(r);
    CHECK(field_is(c, p, "k", "v"));
    r = call(c, p, "read");
    REQUIRE(r);
    CHECK_EQ_STR(r->result, "\"v\"");
    wvm_receipt_free(r);
    for (int i = 1; i <= 3; i++) {
        r = call(c, p, "counter");
        REQUIRE(r);
        char want[8];
        snprintf(want, sizeof want, "%d", i);
        CHECK_EQ_STR(r->result, want);
        wvm_receipt_free(r);
    }
    wvm_chain_close(c);
}

/* Every kind of wvm_error_kind a call can end in. */
TEST(call_error_kinds) {
    wvm_chain *c = ct_chain("call_kinds", 0);
    REQUIRE(c);
    wvm_address p = deploy_named(c, "call_probe", NULL);
    wvm_address nobody = ct_addr(99);
    FAILS(c, nobody, "ok", NULL, WVM_KIND_NOT_FOUND, "no contract at 0xa0");
    FAILS(c, p, "Unknown", NULL, WVM_KIND_FUNCTION_NOT_FOUND, "function not found; functions: o w r");
    FAILS(c, p, "error", NULL, WVM_KIND_CONTRACT_ERROR, "boom");
    FAILS(c, p, "zero", NULL, WVM_KIND_CONTRACT_ERROR, "returned 1 without setting an error");
    FAILS(c, p, "params", NULL, WVM_KIND_INVALID_PARAMETERS, "x: expected an unsigned integer");
    callopt arr = { .params = "[1]" };
    FAILS(c, p, "ok", &arr, WVM_KIND_INVALID_PARAMETERS, "params must be a JSON object");
    callopt bad = { .params = "{\"a\":" };
    FAILS(c, p, "ok", &bad, WVM_KIND_INVALID_PARAMETERS, "params are not valid JSON");
    FAILS(c, p, "", NULL, WVM_KIND_INVALID_ARGUMENT, "no function");
    FAILS(c, p, "trap", NULL, WVM_KIND_EXECUTION_FAILED, "unreachable");
    FAILS(c, p, "unknown", NULL, WVM_KIND_EXECUTION_FAILED, "unknown host function id 99");
    callopt small = { .fuel = 100000 };
    FAILS(c, p, "loop", &small, WVM_KIND_RESOURCE_EXHAUSTED, "out of fuel");
    FAILS(c, p, "stack", NULL, WVM_KIND_RESOURCE_EXHAUSTED, "stack exhausted");
    callopt slow = { .fuel = UINT64_MAX / 2, .timeout_ms = 50 };
    FAILS(c, p, "loop", &slow, WVM_KIND_TIMEOUT, "timed out");
    /* the default object given to the sender: another sender's call can
     * no longer write it through the contract; the new owner's can */
    wvm_receipt *r = call(c, p, "give");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    wvm_receipt_free(r);
    callopt other = { .has_sender = true, .sender = ct_addr(2) };
    FAILS(c, p, "write", &other, WVM_KIND_PERMISSION_DENIED, "is owned by 0xa0");
    r = call(c, p, "write");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    wvm_receipt_free(r);
    wvm_chain_close(c);
}

/* A module deploy accepted that the node's engine refuses at load
 * (floats, under a stricter float policy), and one whose instantiation
 * fails (a data segment past its memory). */
TEST(call_compilation_and_instance_failures) {
    wvm_chain *c = ct_chain("call_compile", 0);
    REQUIRE(c);
    wvm_address fl = deploy_named(c, "call_float", NULL);
    wvm_address bi = deploy_named(c, "call_badinst", NULL);
    FAILS(c, bi, "ok", NULL, WVM_KIND_INSTANCE_CREATION_FAILED, "out of bounds");
    wvm_receipt *r = call(c, fl, "ok");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    wvm_receipt_free(r);
    wvm_chain_close(c);
    wvm_config rt;
    wvm_config_default(&rt);
    rt.float_policy = WVM_FLOAT_REJECT;
    wvm_chain_config cfg;
    wvm_chain_config_default(&cfg);
    cfg.dir = "build/chaintest/call_compile";
    cfg.no_sync = true;
    cfg.runtime = &rt;
    char *err = NULL;
    REQUIRE(wvm_chain_open(&cfg, &c, &err) == WVM_OK);
    FAILS(c, fl, "ok", NULL, WVM_KIND_COMPILATION_FAILED, "does not load");
    wvm_chain_close(c);
}

/* Hostile contracts and calls: each ends in its documented kind, the
 * root unchanged, the process alive. */
TEST(call_hostile) {
    wvm_chain *c = ct_chain("call_hostile", 0);
    REQUIRE(c);
    wvm_address p = deploy_named(c, "call_probe", NULL);
    wvm_address oob = deploy_named(c, "call_alloc_oob", NULL);
    wvm_address zero = deploy_named(c, "call_alloc_zero", NULL);
    wvm_address trap = deploy_named(c, "call_alloc_trap", NULL);
    FAILS(c, oob, "x", NULL, WVM_KIND_EXECUTION_FAILED, "returned 0xfffff000, which is not inside its memory");
    FAILS(c, zero, "x", NULL, WVM_KIND_RESOURCE_EXHAUSTED, "returned 0: the contract is out of memory");
    FAILS(c, trap, "x", NULL, WVM_KIND_EXECUTION_FAILED, "trap in allocate");
    FAILS(c, p, "bad pointer", NULL, WVM_KIND_EXECUTION_FAILED,
          "call_host_set: args_ptr/args_len [0xfffffff0, +32) wraps past 2^32");
    FAILS(c, p, "huge buffer", NULL, WVM_KIND_EXECUTION_FAILED,
          "call_host_get_buffer: ptr/len [0x10, +4294967280) wraps past 2^32");
    FAILS(c, p, "Huge args", NULL, WVM_KIND_RESOURCE_EXHAUSTED, "args_len 4294967295 is over the limit");
    FAILS(c, p, "Get field", NULL, WVM_KIND_EXECUTION_FAILED, "object_get_field: out_ptr/out_cap");
    FAILS(c, p, "Result", NULL, WVM_KIND_RESOURCE_EXHAUSTED, "WVM_MAX_RESULT_LEN (65536)");
    FAILS(c, p, "Event", NULL, WVM_KIND_RESOURCE_EXHAUSTED, "WVM_MAX_EVENT_LEN (16384)");
    FAILS(c, p, "Flood", NULL, WVM_KIND_RESOURCE_EXHAUSTED, "WVM_MAX_EVENTS (1024)");
    callopt small = { .fuel = 200000 };
    FAILS(c, p, "flood", &small, WVM_KIND_RESOURCE_EXHAUSTED, "out of fuel");
    FAILS(c, p, "trap", NULL, WVM_KIND_EXECUTION_FAILED, "unreachable");
    CHECK(field_is(c, p, "k", NULL));   /* the write before the trap is gone */
    FAILS(c, p, "P", NULL, WVM_KIND_EXECUTION_FAILED, "not one JSON value");
    /* argument buffers that break the encoding */
    FAILS(c, p, "a", NULL, WVM_KIND_EXECUTION_FAILED,
          "call_host_set(set_result): argument 'json' says 11 bytes but 6 remain");
    FAILS(c, p, "L", NULL, WVM_KIND_EXECUTION_FAILED, "call_host_set(sender): 15 bytes of arguments left over");
    FAILS(c, p, "S", NULL, WVM_KIND_EXECUTION_FAILED,
          "call_host_set(balance): argument 'address' has 11 bytes, expected 20");
    FAILS(c, p, "M", NULL, WVM_KIND_EXECUTION_FAILED, "call_host_set(balance): argument 'address' is missing");
    FAILS(c, p, "N", NULL, WVM_KIND_EXECUTION_FAILED,
          "call_host_set(emit_event): argument 'name' contains a NUL byte");
    FAILS(c, p, "A", NULL, WVM_KIND_EXECUTION_FAILED, "call_host_set(field_get): argument 'name' is empty");
    FAILS(c, p, "C", NULL, WVM_KIND_EXECUTION_FAILED, "code 7 is not an enum wvm_contract_err");
    /* a fuel cap is accepted (docs/calls.md): the call runs, and the
     * probe passes the callee's failure (CALL_FAILED, -4) on as its return */
    FAILS(c, p, "K", NULL, WVM_KIND_CONTRACT_ERROR, "handle_contract_call returned -4");
    /* overlapping buffers are fine: the value lands where the name was */
    wvm_receipt *r = call(c, p, "Overlap");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    wvm_receipt_free(r);
    /* and the contract still works */
    r = call(c, p, "ok");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    wvm_receipt_free(r);
    wvm_chain_close(c);
}

TEST(call_cross_contract) {
    wvm_chain *c = ct_chain("call_cross", 0);
    REQUIRE(c);
    wvm_address p = deploy_named(c, "call_probe", NULL);
    /* x: the callee's result comes back; its event is kept */
    wvm_receipt *r = call(c, p, "x");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    CHECK_EQ_STR(r->result, "{\"ok\":true}");
    CHECK_EQ_INT(r->nevents, 1);
    uint64_t fuel_x = r->fuel_used;
    wvm_receipt_free(r);
    r = call(c, p, "ok");
    REQUIRE(r);
    CHECK(fuel_x > r->fuel_used);       /* the callee's fuel is charged to the one budget */
    wvm_receipt_free(r);
    /* y: the failing callee's write and event are rolled back, the
     * caller's write survives */
    r = call(c, p, "y");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    CHECK_EQ_INT(r->nevents, 0);
    wvm_receipt_free(r);
    CHECK(field_is(c, p, "k", NULL));
    CHECK(field_is(c, p, "y", "v"));
    /* d: recursion to the depth limit, which is an error, not a crash */
    FAILS(c, p, "d", NULL, WVM_KIND_CONTRACT_ERROR, "call depth limit WVM_MAX_CALL_DEPTH (64) reached");
    /* out of fuel inside a callee ends the whole transaction */
    callopt small = { .fuel = 3000 };
    FAILS(c, p, "d", &small, WVM_KIND_RESOURCE_EXHAUSTED, "out of fuel");
    wvm_chain_close(c);
}

TEST(call_query_never_writes) {
    wvm_chain *c = ct_chain("call_query", 0);
    REQUIRE(c);
    wvm_address p = deploy_named(c, "call_probe", NULL);
    wvm_hash before, after;
    wvm_chain_root(c, &before);
    uint64_t h = wvm_chain_height(c);
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = p;
    a.function = "write";
    a.sender = SENDER;
    wvm_receipt *q = NULL;
    REQUIRE(wvm_query(c, &a, &q) == WVM_OK);
    CHECK_EQ_INT(q->kind, WVM_KIND_NONE);
    CHECK_EQ_INT(q->nevents, 1);            /* what it would emit */
    REQUIRE(q->changes);                    /* and what it would write */
    CHECK(strstr(q->changes, "{\"op\":\"field_set\",\"object\":\"0x") == q->changes + 1);
    CHECK(strstr(q->changes, "\"name\":\"k\",\"value_len\":1,\"value_hex\":\"76\"}]") != NULL);
    CHECK(q->fuel_used > 0);
    wvm_chain_root(c, &after);
    CHECK(!memcmp(&before, &after, 32));
    CHECK_EQ_INT(wvm_chain_height(c), h);
    CHECK(field_is(c, p, "k", NULL));
    /* the same call for real costs the same fuel */
    wvm_receipt *r = call(c, p, "write");
    REQUIRE(r);
    CHECK_EQ_INT(r->fuel_used, q->fuel_used);
    CHECK(field_is(c, p, "k", "v"));
    wvm_receipt_free(r);
    wvm_receipt_free(q);
    a.function = "error";
    REQUIRE(wvm_query(c, &a, &q) == WVM_OK);
    CHECK_EQ_INT(q->kind, WVM_KIND_CONTRACT_ERROR);
    CHECK_EQ_STR(q->message, "boom");
    CHECK_EQ_STR(q->changes, "[]");
    /* a callee that fails takes its changes with it; the caller's stay */
    a.function = "y";
    wvm_receipt_free(q);
    REQUIRE(wvm_query(c, &a, &q) == WVM_OK);
    CHECK_EQ_INT(q->kind, WVM_KIND_NONE);
    CHECK(q->changes && strstr(q->changes, "\"name\":\"y\"") && !strstr(q->changes, "\"name\":\"k\""));
    wvm_receipt_free(q);
    wvm_chain_close(c);
}

/* The same call twice on the same state: same result, fuel, events, root. */
TEST(call_determinism) {
    wvm_hash roots[2];
    uint64_t fuel[2];
    char results[2][64];
    for (int i = 0; i < 2; i++) {
        wvm_chain *c = ct_chain(i ? "call_det1" : "call_det0", 0);
        REQUIRE(c);
        wvm_address p = deploy_named(c, "call_probe", NULL);
        fuel[i] = 0;
        const char *fns[] = { "write", "counter", "counter", "x", "y", "give" };
        for (size_t k = 0; k < sizeof fns / sizeof *fns; k++) {
            wvm_receipt *r = call(c, p, fns[k]);
            REQUIRE(r);
            fuel[i] += r->fuel_used * (k + 1);
            snprintf(results[i], sizeof results[i], "%s/%u", r->result, r->nevents);
            wvm_receipt_free(r);
        }
        wvm_chain_root(c, &roots[i]);
        wvm_chain_close(c);
    }
    CHECK(!memcmp(&roots[0], &roots[1], 32));
    CHECK_EQ_INT(fuel[0], fuel[1]);
    CHECK_EQ_STR(results[0], results[1]);
}

/* Initialize at deploy: run when init params are given; its failure
 * undoes the whole deploy. */
TEST(call_deploy_initialize) {
    wvm_chain *c = ct_chain("call_init", 0);
    REQUIRE(c);
    wvm_hash before, after;
    wvm_chain_root(c, &before);
    /* probe's "Initialize" starts with I: function not found */
    wvm_address p = deploy_named(c, "call_probe", "{}");
    wvm_address zero;
    memset(&zero, 0, sizeof zero);
    CHECK(!memcmp(&p, &zero, sizeof zero));
    wvm_chain_root(c, &after);
    CHECK(!memcmp(&before, &after, 32));
    wvm_contract_info info;
    uint32_t n = 1;
    wvm_address list[1];
    CHECK_EQ_INT(wvm_chain_contracts(c, NULL, 1, list, &n), WVM_OK);
    CHECK_EQ_INT(n, 0);
    (void)info;
    /* init_ok's Initialize writes a field: kept */
    wvm_address q = deploy_named(c, "call_init_ok", "{\"x\":1}");
    CHECK(memcmp(&q, &zero, sizeof zero) != 0);
    CHECK(field_is(c, q, "init", "{\"x\":1}"));
    wvm_chain_close(c);
}

#include "host/host.h"

/* The JSON check behind set_result, events and params. */
TEST(call_json_valid) {
    const char *good[] = { "null", "1", "18446744073709551615", "\"a\"", "{}", " [1, {\"a\":null}] ",
                           "true", "-0.5" };
    const char *bad[] = { "", "nul", "12x", "{} x", "{\"a\":}", "'a'", "[1,]", "{} {}" };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!host_json_valid(good[i], strlen(good[i]), false, NULL, NULL))
            test_fail(__FILE__, __LINE__, "refused %s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *why = NULL;
        size_t at;
        if (host_json_valid(bad[i], strlen(bad[i]), false, &why, &at))
            test_fail(__FILE__, __LINE__, "accepted %s", bad[i]);
        CHECK(why != NULL);
    }
    CHECK(host_json_valid("{\"a\":1}", 7, true, NULL, NULL));
    CHECK(!host_json_valid("[1]", 3, true, NULL, NULL));
    /* nesting: 64 levels at most */
    char deep[200];
    for (int n = 63; n <= 66; n++) {
        memset(deep, '[', (size_t)n);
        memset(deep + n, ']', (size_t)n);
        CHECK_EQ_INT(host_json_valid(deep, 2 * (size_t)n, false, NULL, NULL), n <= 64);
    }
}

#include "state/state.h"

/* Code that deploy would refuse (an import outside the ABI), put in the
 * store behind deploy's back: the call path refuses to link it rather
 * than trusting the store. */
TEST(call_foreign_import_in_store) {
    const char *dir = ct_dir("call_foreign");
    REQUIRE(dir);
    st_env *env = NULL;
    char *err = NULL;
    st_options o = { .no_sync = true };
    REQUIRE(st_open(dir, &o, &env, &err) == WVM_OK);
    size_t len;
    unsigned char *code = ct_wasm("unknown_host", &len);
    REQUIRE(code);
    st_txn *b = NULL;
    REQUIRE(st_block_begin(env, 1, 10, &b) == WVM_OK);
    wvm_hash h;
    memset(&h, 0x42, sizeof h);
    wvm_address k = ct_addr(0x42);
    wvm_contract_info info;
    memset(&info, 0, sizeof info);
    info.code_hash = h;
    info.code_size = (uint32_t)len;
    info.abi_version = 1;
    CHECK_EQ_INT(st_code_put(b, &h, code, len), WVM_OK);
    CHECK_EQ_INT(st_contract_put(b, &k, &info, "{}", 2), WVM_OK);
    CHECK_EQ_INT(st_txn_commit(b), WVM_OK);
    st_close(env);
    free(code);
    wvm_chain_config cfg;
    wvm_chain_config_default(&cfg);
    cfg.dir = dir;
    cfg.no_sync = true;
    wvm_chain *c = NULL;
    REQUIRE(wvm_chain_open(&cfg, &c, &err) == WVM_OK);
    FAILS(c, k, "x", NULL, WVM_KIND_INSTANCE_CREATION_FAILED,
          "imports env.read_wall_clock, which is not in the host ABI");
    wvm_chain_close(c);
}
