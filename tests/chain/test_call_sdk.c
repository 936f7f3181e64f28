/*
 * test_call_sdk.c -- every host function through the real host: the
 * SDK's test contract (tests/contracts/sdktest.c, built into
 * BUILD/tests/contracts/) run by wvm_call.  Objects (create, fields,
 * list, delete, owner, exists), balances and transfer (insufficient
 * funds, overflow), context, call information across a cross-contract
 * call, callee errors, events and their limit, results over the limit.
 */
#include "chaintest.h"

#define ME ct_addr(0x5e17)
#define BOB ct_addr(0xb0b)

typedef struct sdkenv {
    wvm_chain *c;
    wvm_address k;
    char khex[43];
} sdkenv;

static bool sdk_open(sdkenv *e, const char *name) {
    memset(e, 0, sizeof *e);
    if (!(e->c = ct_chain(name, 0))) return false;
    char path[512];
    snprintf(path, sizeof path, "%s/tests/contracts/sdktest.wasm", CT_BUILD);
    size_t len;
    unsigned char *code = test_read_file(path, &len);
    if (!code) {
        printf("no %s (make contracts)\n", path);
        return false;
    }
    wvm_block *b;
    bool ok = false;
    if (!wvm_block_begin(e->c, 1, 10, &b)) {
        wvm_deploy_args a;
        memset(&a, 0, sizeof a);
        a.code = code;
        a.code_len = len;
        a.deployer = ME;
        wvm_receipt *r = NULL;
        ok = !wvm_deploy(b, &a, &e->k, &r) && r && r->kind == WVM_KIND_NONE;
        wvm_receipt_free(r);
        ok = !wvm_block_commit(b, NULL) && ok;
    }
    free(code);
    wvm_address_hex(&e->k, e->khex);
    return ok;
}

static wvm_receipt *sdk_call(sdkenv *e, const char *fn, const char *params) {
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = e->k;
    a.function = fn;
    a.params = params;
    a.sender = ME;
    return ct_call(e->c, ct_next_time(e->c), &a);
}

static void mint(wvm_chain *c, wvm_address to, uint64_t amount) {
    wvm_block *b;
    uint64_t h = wvm_chain_height(c) + 1;
    if (wvm_block_begin(c, h, 10 * h, &b)) return;
    wvm_mint(b, &to, amount);
    wvm_block_commit(b, NULL);
}

/* Calls fn and checks the kind and the result (or a part of the message;
 * want NULL: any). */
static void sdk_expect(sdkenv *e, const char *fn, const char *params, wvm_error_kind kind,
                       const char *want, int line) {
    wvm_receipt *r = sdk_call(e, fn, params);
    if (!r) {
        test_fail(__FILE__, line, "%s did not run", fn);
        return;
    }
    const char *got = kind == WVM_KIND_NONE ? r->result : r->message;
    if (r->kind != kind ||
        (want && (kind == WVM_KIND_NONE ? strcmp(got, want) != 0 : !strstr(got, want))))
        test_fail(__FILE__, line, "%s: got %s \"%s\" result %s, wanted %s \"%s\"", fn,
                  wvm_error_kind_str(r->kind), r->message, r->result, wvm_error_kind_str(kind),
                  want ? want : "(any)");
    wvm_receipt_free(r);
}
#define SDK_EXPECT(e, fn, p, kind, want) sdk_expect(e, fn, p, kind, want, __LINE__)

TEST(call_sdk_objects) {
    sdkenv e;
    REQUIRE(sdk_open(&e, "sdk_objects"));
    char want[512];
    snprintf(want, sizeof want,
             "{\"n\":18446744073709551615,\"who\":true,\"b\":\"bee\",\"wrong_size\":false,"
             "\"names\":[\"b\",\"n\",\"who\",\"z\"],\"after_b\":[\"n\",\"who\"],\"deleted\":true,"
             "\"owner\":\"%s\",\"exists\":true,\"gone\":true}", e.khex);
    SDK_EXPECT(&e, "Objects", NULL, WVM_KIND_NONE, want);
    SDK_EXPECT(&e, "Store", "{\"name\":\"greeting\",\"value\":\"hi \\\"you\\\"\"}", WVM_KIND_NONE, "null");
    SDK_EXPECT(&e, "Load", "{\"name\":\"greeting\"}", WVM_KIND_NONE, "\"hi \\\"you\\\"\"");
    SDK_EXPECT(&e, "Load", "{\"name\":\"nothing\"}", WVM_KIND_CONTRACT_ERROR, "no field nothing");
    wvm_chain_close(e.c);
}

static bool count_events(void *u, const wvm_event *ev) {
    (void)ev;
    (*(int *)u)++;
    return true;
}

static wvm_receipt *sdk_query(sdkenv *e, const char *fn, const char *params) {
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = e->k;
    a.function = fn;
    a.params = params;
    a.sender = ME;
    wvm_receipt *r = NULL;
    return wvm_query(e->c, &a, &r) ? NULL : r;
}

/* wvm_query runs on a read snapshot with its writes in memory: a query
 * that writes reads its own writes (fields, listings, deletes, balances)
 * exactly as the same call in a block does, and leaves nothing behind. */
TEST(call_sdk_query_reads_own_writes) {
    sdkenv e;
    REQUIRE(sdk_open(&e, "sdk_query_own"));
    mint(e.c, e.k, 100);
    wvm_hash before, after;
    wvm_chain_root(e.c, &before);
    uint64_t h = wvm_chain_height(e.c);
    char want[512];
    snprintf(want, sizeof want,
             "{\"n\":18446744073709551615,\"who\":true,\"b\":\"bee\",\"wrong_size\":false,"
             "\"names\":[\"b\",\"n\",\"who\",\"z\"],\"after_b\":[\"n\",\"who\"],\"deleted\":true,"
             "\"owner\":\"%s\",\"exists\":true,\"gone\":true}", e.khex);
    wvm_receipt *q = sdk_query(&e, "Objects", NULL);
    REQUIRE(q);
    CHECK_EQ_INT(q->kind, WVM_KIND_NONE);
    CHECK_EQ_STR(q->result, want);
    CHECK_EQ_INT(q->height, h + 1);
    wvm_receipt_free(q);
    char p[128], bob[43];
    wvm_address ab = BOB;
    wvm_address_hex(&ab, bob);
    snprintf(p, sizeof p, "{\"to\":\"%s\",\"amount\":30}", bob);
    for (int i = 0; i < 2; i++) {   /* the second sees the first's nothing */
        REQUIRE((q = sdk_query(&e, "Pay", p)));
        CHECK_EQ_STR(q->result, "{\"ok\":true,\"self\":70,\"to\":30}");
        wvm_receipt_free(q);
    }
    REQUIRE((q = sdk_query(&e, "Store", "{\"name\":\"g\",\"value\":\"v\"}")));
    CHECK_EQ_INT(q->kind, WVM_KIND_NONE);
    wvm_receipt_free(q);
    REQUIRE((q = sdk_query(&e, "Load", "{\"name\":\"g\"}")));
    CHECK_EQ_INT(q->kind, WVM_KIND_CONTRACT_ERROR);
    wvm_receipt_free(q);
    REQUIRE((q = sdk_query(&e, "Emit", "{\"n\":3}")));
    CHECK_EQ_INT(q->nevents, 4);   /* 3 Ping, Done */
    wvm_receipt_free(q);
    uint64_t bal = 0;
    CHECK(wvm_chain_balance(e.c, &e.k, &bal) == WVM_OK && bal == 100);
    CHECK(wvm_chain_balance(e.c, &ab, &bal) == WVM_OK && bal == 0);
    int nev = 0;
    CHECK_EQ_INT(wvm_chain_events(e.c, h + 1, h + 1, NULL, count_events, &nev), WVM_OK);
    CHECK_EQ_INT(nev, 0);
    wvm_chain_root(e.c, &after);
    CHECK(!memcmp(&before, &after, 32));
    CHECK_EQ_INT(wvm_chain_height(e.c), h);
    /* the same calls for real agree with the queries */
    SDK_EXPECT(&e, "Objects", NULL, WVM_KIND_NONE, want);
    SDK_EXPECT(&e, "Pay", p, WVM_KIND_NONE, "{\"ok\":true,\"self\":70,\"to\":30}");
    wvm_chain_close(e.c);
}

TEST(call_sdk_balances) {
    sdkenv e;
    REQUIRE(sdk_open(&e, "sdk_balances"));
    mint(e.c, e.k, 100);
    char p[128], bob[43];
    wvm_address ab = BOB;
    wvm_address_hex(&ab, bob);
    snprintf(p, sizeof p, "{\"to\":\"%s\",\"amount\":30}", bob);
    SDK_EXPECT(&e, "Pay", p, WVM_KIND_NONE, "{\"ok\":true,\"self\":70,\"to\":30}");
    snprintf(p, sizeof p, "{\"to\":\"%s\",\"amount\":71}", bob);
    SDK_EXPECT(&e, "Pay", p, WVM_KIND_NONE, "{\"ok\":false,\"self\":70,\"to\":30}");
    mint(e.c, BOB, UINT64_MAX - 30);
    snprintf(p, sizeof p, "{\"to\":\"%s\",\"amount\":1}", bob);
    SDK_EXPECT(&e, "Pay", p, WVM_KIND_NONE, "{\"ok\":false,\"self\":70,\"to\":18446744073709551615}");
    uint64_t v = 0;
    CHECK_EQ_INT(wvm_chain_balance(e.c, &e.k, &v), WVM_OK);
    CHECK_EQ_INT(v, 70);
    wvm_chain_close(e.c);
}

TEST(call_sdk_context_and_call_info) {
    sdkenv e;
    REQUIRE(sdk_open(&e, "sdk_context"));
    char want[1024], me[43], p[512];
    wvm_address am = ME;
    wvm_address_hex(&am, me);
    /* block 2, time 20 (sdk_call's heights and times) */
    snprintf(want, sizeof want,
             "{\"sender\":\"%s\",\"self\":\"%s\",\"origin\":\"%s\",\"height\":2,\"time\":20}", me,
             e.khex, me);
    SDK_EXPECT(&e, "Context", NULL, WVM_KIND_NONE, want);
    SDK_EXPECT(&e, "CallInfo", NULL, WVM_KIND_NONE,
               "{\"caller\":null,\"caller_function\":null,\"depth\":0,\"frames\":[null],\"reentrant\":false}");
    /* through a cross-contract call to itself: the caller is the contract */
    snprintf(p, sizeof p, "{\"target\":\"%s\",\"function\":\"CallInfo\",\"params\":\"{}\"}", e.khex);
    snprintf(want, sizeof want,
             "{\"ok\":true,\"result\":{\"caller\":\"%s\",\"caller_function\":\"Call\",\"depth\":1,"
             "\"frames\":[[\"%s\",\"Call\"],null],\"reentrant\":true},\"params_u64\":0}", e.khex, e.khex);
    SDK_EXPECT(&e, "Call", p, WVM_KIND_NONE, want);
    snprintf(p, sizeof p, "{\"target\":\"%s\",\"function\":\"Context\",\"params\":\"{}\"}", e.khex);
    snprintf(want, sizeof want,
             "{\"ok\":true,\"result\":{\"sender\":\"%s\",\"self\":\"%s\",\"origin\":\"%s\",\"height\":5,"
             "\"time\":50},\"params_u64\":0}", e.khex, e.khex, me);
    SDK_EXPECT(&e, "Call", p, WVM_KIND_NONE, want);
    /* a failing callee: its kind (8 contract_error) and message */
    snprintf(p, sizeof p, "{\"target\":\"%s\",\"function\":\"FailThenResult\",\"params\":\"{}\"}", e.khex);
    SDK_EXPECT(&e, "Call", p, WVM_KIND_NONE, "{\"ok\":false,\"kind\":8,\"message\":\"first\"}");
    snprintf(p, sizeof p, "{\"target\":\"0x00000000000000000000000000000000000000ff\","
                          "\"function\":\"X\",\"params\":\"{}\"}");
    SDK_EXPECT(&e, "Call", p, WVM_KIND_NONE,
               "{\"ok\":false,\"kind\":10,\"message\":\"no contract at 0x00000000000000000000000000000000000000ff\"}");
    wvm_chain_close(e.c);
}

TEST(call_sdk_events_results_limits) {
    sdkenv e;
    REQUIRE(sdk_open(&e, "sdk_events"));
    wvm_receipt *r = sdk_call(&e, "Emit", "{\"n\":3}");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_NONE);
    REQUIRE(r->nevents == 4);
    CHECK_EQ_STR(r->events[2].attributes, "{\"i\":2}");
    CHECK_EQ_STR(r->events[3].name, "Done");
    CHECK_EQ_STR(r->events[3].attributes, "{}");
    CHECK_EQ_INT(r->events[3].index, 3);
    wvm_receipt_free(r);
    SDK_EXPECT(&e, "Emit", "{\"n\":1024}", WVM_KIND_RESOURCE_EXHAUSTED, "WVM_MAX_EVENTS (1024)");
    SDK_EXPECT(&e, "Emit", "{\"n\":1023}", WVM_KIND_NONE, "null");
    SDK_EXPECT(&e, "Big", "{\"n\":60000}", WVM_KIND_NONE, NULL);
    SDK_EXPECT(&e, "Big", "{\"n\":66000}", WVM_KIND_RESOURCE_EXHAUSTED, "WVM_MAX_RESULT_LEN (65536)");
    SDK_EXPECT(&e, "Deep", "{\"n\":60}", WVM_KIND_NONE, NULL);
    /* deeper than the SDK's writer goes: its own error */
    SDK_EXPECT(&e, "Deep", "{\"n\":100}", WVM_KIND_CONTRACT_ERROR, "no finished value");
    SDK_EXPECT(&e, "U64", "{\"v\":18446744073709551615}", WVM_KIND_NONE, "18446744073709551615");
    SDK_EXPECT(&e, "U64", "{\"v\":-1}", WVM_KIND_INVALID_PARAMETERS, "\"v\"");
    SDK_EXPECT(&e, "Nope", NULL, WVM_KIND_FUNCTION_NOT_FOUND, "\"Nope\"");
    wvm_chain_close(e.c);
}

/* Log lines come back in the receipt (never stored); trace records with
 * args.trace. */
TEST(call_sdk_logs_and_trace) {
    sdkenv e;
    REQUIRE(sdk_open(&e, "sdk_logs"));
    wvm_receipt *r = sdk_call(&e, "LongError", "{\"n\":5}");
    REQUIRE(r);
    CHECK_EQ_INT(r->kind, WVM_KIND_CONTRACT_ERROR);
    CHECK_EQ_STR(r->logs, "[\"eeeee\"]");
    wvm_receipt *s = NULL;
    CHECK_EQ_INT(wvm_chain_receipt(e.c, r->height, r->index, &s), WVM_OK);
    if (s) CHECK(s->logs == NULL);
    wvm_receipt_free(s);
    wvm_receipt_free(r);
    wvm_block *b;
    REQUIRE(wvm_block_begin(e.c, wvm_chain_height(e.c) + 1, 1000, &b) == WVM_OK);
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = e.k;
    a.function = "None";
    a.trace = true;
    REQUIRE(wvm_call(b, &a, &r) == WVM_OK);
    REQUIRE(wvm_block_commit(b, NULL) == WVM_OK);
    /* the trace is records of their own (docs/calls.md), not log lines */
    CHECK_EQ_STR(r->logs, "[]");
    REQUIRE(r->ntrace == 2);
    CHECK(r->trace[0].kind == WVM_TRACE_ENTER && !strcmp(r->trace[0].function, "None"));
    CHECK(r->trace[1].kind == WVM_TRACE_EXIT && r->trace[1].status == WVM_KIND_NONE);
    CHECK(!memcmp(&r->trace[0].contract, &e.k, sizeof e.k) && r->trace[0].depth == 0);
    wvm_receipt_free(r);
    a.trace = false;
    REQUIRE(wvm_query(e.c, &a, &r) == WVM_OK);
    CHECK_EQ_STR(r->logs, "[]");
    wvm_receipt_free(r);
    wvm_chain_close(e.c);
}
