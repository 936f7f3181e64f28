/*
 * test_calls.c -- cross-contract calls (issue 15, docs/calls.md) through
 * the C API with tests/calls/probe.c (built by `wvm build`, deployed
 * under three salts as A, B, C): the sender and call chain at every
 * depth, reentrancy and nonreentrant, view, a failing callee rolled back
 * while its caller's writes stay, the depth limit, out of fuel in a
 * callee, the trace: the same bytes on every run, and value attached
 * to a call (payable).
 */
#include "chaintest.h"

#define ORIGIN ct_addr(0x5e)

typedef struct calls_env {
    wvm_chain *c;
    wvm_address a, b, cc;
    char ha[43], hb[43], hc[43];
} calls_env;

static bool calls_setup(calls_env *e, const char *name) {
    memset(e, 0, sizeof *e);
    char path[512];
    snprintf(path, sizeof path, "%s/calls-wasm/probe.wasm", CT_BUILD);
    size_t len;
    unsigned char *code = test_read_file(path, &len);
    if (!code) {
        printf("no %s (make chain-tests builds it)\n", path);
        return false;
    }
    e->c = ct_chain(name, 0);
    wvm_address *out[3] = { &e->a, &e->b, &e->cc };
    bool ok = e->c != NULL;
    for (int i = 0; ok && i < 3; i++) {
        wvm_block *b;
        uint64_t h = wvm_chain_height(e->c) + 1;
        ok = wvm_block_begin(e->c, h, 10 * h, &b) == WVM_OK;
        if (!ok) break;
        uint8_t salt = (uint8_t)(i + 1);
        wvm_deploy_args d;
        memset(&d, 0, sizeof d);
        d.code = code;
        d.code_len = len;
        d.salt = &salt;
        d.salt_len = 1;
        d.deployer = ORIGIN;
        wvm_receipt *r = NULL;
        ok = wvm_deploy(b, &d, out[i], &r) == WVM_OK && r && r->kind == WVM_KIND_NONE &&
             wvm_block_commit(b, NULL) == WVM_OK;
        wvm_receipt_free(r);
    }
    free(code);
    wvm_address_hex(&e->a, e->ha);
    wvm_address_hex(&e->b, e->hb);
    wvm_address_hex(&e->cc, e->hc);
    return ok;
}

/* A committed call (a block of its own) with tracing as asked. */
static wvm_receipt *call_value(calls_env *e, wvm_address to, const char *fn, const char *params,
                               bool trace, uint64_t value);
static wvm_receipt *call(calls_env *e, wvm_address to, const char *fn, const char *params,
                         bool trace) {
    return call_value(e, to, fn, params, trace, 0);
}
static wvm_receipt *call_value(calls_env *e, wvm_address to, const char *fn, const char *params,
                               bool trace, uint64_t value) {
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = to;
    a.function = fn;
    a.params = params;
    a.sender = ORIGIN;
    a.trace = trace;
    a.value = value;
    return ct_call(e->c, ct_next_time(e->c), &a);
}

static wvm_receipt *query(calls_env *e, wvm_address to, const char *fn, const char *params,
                          bool trace) {
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = to;
    a.function = fn;
    a.params = params;
    a.sender = ORIGIN;
    a.trace = trace;
    wvm_receipt *r = NULL;
    return wvm_query(e->c, &a, &r) ? NULL : r;
}

/* Params of Relay-like functions: {"target","function","params"}; inner
 * is JSON text put in as a string. */
static char *relay(const char *target, const char *fn, const char *inner) {
    static char bufs[4][2048];
    static int k;
    char *out = bufs[k++ & 3];
    char esc[1024];
    size_t n = 0;
    for (const char *p = inner; *p && n + 2 < sizeof esc; p++) {
        if (*p == '"' || *p == '\\') esc[n++] = '\\';
        esc[n++] = *p;
    }
    esc[n] = 0;
    snprintf(out, 2048, "{\"target\":\"%s\",\"function\":\"%s\",\"params\":\"%s\"}", target, fn, esc);
    return out;
}

static uint64_t mark(calls_env *e, wvm_address who) {
    wvm_receipt *r = query(e, who, "Mark", "{}", false);
    uint64_t v = r && r->kind == WVM_KIND_NONE ? strtoull(r->result, NULL, 10) : UINT64_MAX;
    wvm_receipt_free(r);
    return v;
}

TEST(calls_info_every_depth) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_info"));
    char want[2048], origin[43];
    wvm_address o = ORIGIN;
    wvm_address_hex(&o, origin);
    /* depth 0: the transaction's sender, no caller, no frames */
    wvm_receipt *r = call(&e, e.cc, "Info", "{}", false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    snprintf(want, sizeof want, "{\"sender\":\"%s\",\"caller\":null,\"caller_function\":null,"
             "\"depth\":0,\"origin\":\"%s\",\"reentrant\":false,\"frames\":[]}", origin, origin);
    CHECK_EQ_STR(r->result, want);
    wvm_receipt_free(r);
    /* depth 1: A -> C */
    r = call(&e, e.a, "Relay", relay(e.hc, "Info", "{}"), false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    snprintf(want, sizeof want, "{\"sender\":\"%s\",\"caller\":\"%s\",\"caller_function\":\"Relay\","
             "\"depth\":1,\"origin\":\"%s\",\"reentrant\":false,\"frames\":[{\"contract\":\"%s\","
             "\"function\":\"Relay\"}]}", e.ha, e.ha, origin, e.ha);
    CHECK_EQ_STR(r->result, want);
    wvm_receipt_free(r);
    /* depth 2: A -> B -> C; sender is B, the chain A, B */
    r = call(&e, e.a, "Relay", relay(e.hb, "Relay", relay(e.hc, "Info", "{}")), false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    snprintf(want, sizeof want, "{\"sender\":\"%s\",\"caller\":\"%s\",\"caller_function\":\"Relay\","
             "\"depth\":2,\"origin\":\"%s\",\"reentrant\":false,\"frames\":[{\"contract\":\"%s\","
             "\"function\":\"Relay\"},{\"contract\":\"%s\",\"function\":\"Relay\"}]}",
             e.hb, e.hb, origin, e.ha, e.hb);
    CHECK_EQ_STR(r->result, want);
    wvm_receipt_free(r);
    wvm_chain_close(e.c);
}

TEST(calls_reentrancy) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_reentrancy"));
    /* A -> B -> A: the helper sees it */
    wvm_receipt *r = query(&e, e.a, "Relay", relay(e.hb, "Relay", relay(e.ha, "Info", "{}")), false);
    CHECK(r && r->kind == WVM_KIND_NONE && strstr(r->result, "\"reentrant\":true"));
    wvm_receipt_free(r);
    /* A.Guarded -> B -> A.Guarded: refused (to B, which fails in turn) */
    r = query(&e, e.a, "Guarded", relay(e.hb, "Relay", relay(e.ha, "Guarded", relay(e.hc, "Info", "{}"))),
              false);
    CHECK(r && r->kind == WVM_KIND_CONTRACT_ERROR);
    CHECK(r && strstr(r->message, "Guarded of ") && strstr(r->message, "is nonreentrant"));
    CHECK(r && strstr(r->message, "relay: 9 "));     /* B got permission_denied */
    wvm_receipt_free(r);
    /* A.Guarded -> B.Guarded: another contract, allowed */
    r = query(&e, e.a, "Guarded", relay(e.hb, "Guarded", relay(e.hc, "Info", "{}")), false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    /* not nonreentrant: A -> B -> A.Relay runs */
    r = query(&e, e.a, "Relay", relay(e.hb, "Relay", relay(e.ha, "Relay", relay(e.hc, "Info", "{}"))),
              false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    wvm_chain_close(e.c);
}

TEST(calls_view) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_view"));
    wvm_receipt *r = call(&e, e.a, "ViewWrite", "{}", false);
    CHECK(r && r->kind == WVM_KIND_PERMISSION_DENIED && strstr(r->message, "is a view function"));
    wvm_receipt_free(r);
    CHECK_EQ_INT(mark(&e, e.a), 0);
    /* a view's callee may not write either */
    r = call(&e, e.a, "ViewRelay", relay(e.hb, "WriteAndCall",
             "{\"v\":4,\"target\":\"0x0000000000000000000000000000000000000000\",\"function\":\"X\","
             "\"params\":\"{}\",\"handle\":true}"), false);
    CHECK(r && r->kind == WVM_KIND_CONTRACT_ERROR && strstr(r->message, "nor may the contracts it calls"));
    wvm_receipt_free(r);
    CHECK_EQ_INT(mark(&e, e.b), 0);
    /* the same call outside a view writes */
    r = call(&e, e.a, "Relay", relay(e.hb, "WriteAndCall",
             "{\"v\":4,\"target\":\"0x0000000000000000000000000000000000000000\",\"function\":\"X\","
             "\"params\":\"{}\",\"handle\":true}"), false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    CHECK_EQ_INT(mark(&e, e.b), 4);
    wvm_chain_close(e.c);
}

TEST(calls_rollback) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_rollback"));
    /* A writes 5, B writes 7 and fails; A handles it: A's write stays,
     * B's is undone */
    char p[1024];
    snprintf(p, sizeof p, "{\"v\":5,\"target\":\"%s\",\"function\":\"WriteThenFail\","
             "\"params\":\"{\\\"v\\\":7}\",\"handle\":true}", e.hb);
    wvm_receipt *r = call(&e, e.a, "WriteAndCall", p, false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    CHECK_EQ_STR(r ? r->result : "", "\"handled contract_error\"");
    wvm_receipt_free(r);
    CHECK_EQ_INT(mark(&e, e.a), 5);
    CHECK_EQ_INT(mark(&e, e.b), 0);
    /* not handled: the whole transaction fails, A's 9 is not written */
    snprintf(p, sizeof p, "{\"v\":9,\"target\":\"%s\",\"function\":\"WriteThenFail\","
             "\"params\":\"{\\\"v\\\":7}\",\"handle\":false}", e.hb);
    r = call(&e, e.a, "WriteAndCall", p, false);
    CHECK(r && r->kind == WVM_KIND_CONTRACT_ERROR && strstr(r->message, "failing after a write"));
    wvm_receipt_free(r);
    CHECK_EQ_INT(mark(&e, e.a), 5);
    CHECK_EQ_INT(mark(&e, e.b), 0);
    /* a callee that succeeds commits into the caller */
    snprintf(p, sizeof p, "{\"v\":6,\"target\":\"%s\",\"function\":\"WriteAndCall\","
             "\"params\":\"{\\\"v\\\":8,\\\"target\\\":\\\"%s\\\",\\\"function\\\":\\\"Mark\\\","
             "\\\"params\\\":\\\"{}\\\",\\\"handle\\\":false}\",\"handle\":false}", e.hb, e.hc);
    r = call(&e, e.a, "WriteAndCall", p, false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    CHECK_EQ_INT(mark(&e, e.a), 6);
    CHECK_EQ_INT(mark(&e, e.b), 8);
    wvm_chain_close(e.c);
}

TEST(calls_depth_limit) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_depth"));
    wvm_receipt *r = query(&e, e.a, "Recurse", "{}", false);
    CHECK(r && r->kind == WVM_KIND_CONTRACT_ERROR);
    /* frames 0..63 ran; the 65th was refused to the 64th (depth 63) */
    CHECK(r && strstr(r->message, "depth 63: call depth limit WVM_MAX_CALL_DEPTH (64) reached"));
    CHECK(r && !strstr(r->message, "depth 64"));
    wvm_receipt_free(r);
    wvm_chain_close(e.c);
}

TEST(calls_out_of_fuel_in_callee) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_fuel"));
    char p[1024];
    snprintf(p, sizeof p, "{\"v\":3,\"target\":\"%s\",\"function\":\"Burn\",\"params\":\"{\\\"n\\\":0}\","
             "\"handle\":true}", e.hb);
    wvm_receipt *r = call(&e, e.a, "WriteAndCall", p, true);
    /* the caller would handle a failure, but out of fuel is not one */
    CHECK(r && r->kind == WVM_KIND_RESOURCE_EXHAUSTED && strstr(r->message, "out of fuel"));
    CHECK(r && r->fuel_used <= WVM_DEFAULT_CALL_FUEL);
    /* the trace closes both frames with the kind */
    CHECK(r && r->ntrace >= 4);
    if (r && r->ntrace >= 4) {
        const wvm_trace_record *last = &r->trace[r->ntrace - 1], *prev = &r->trace[r->ntrace - 2];
        CHECK(last->kind == WVM_TRACE_EXIT && last->depth == 0);
        CHECK(prev->kind == WVM_TRACE_EXIT && prev->depth == 1 &&
              prev->status == WVM_KIND_RESOURCE_EXHAUSTED);
    }
    wvm_receipt_free(r);
    CHECK_EQ_INT(mark(&e, e.a), 0);
    wvm_chain_close(e.c);
}

/* text with every " Duration: ...µs" removed */
static void strip_durations(char *s) {
    char *d;
    while ((d = strstr(s, " Duration: "))) {
        char *end = strstr(d, "µs");
        if (!end) break;
        memmove(d, end + strlen("µs"), strlen(end + strlen("µs")) + 1);
    }
}

TEST(calls_trace_deterministic) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_trace"));
    const char *p = relay(e.hb, "Relay", relay(e.hc, "Info", "{}"));
    char *text[2] = { 0 }, *bare[2] = { 0 }, *json[2] = { 0 };
    for (int i = 0; i < 2; i++) {
        wvm_receipt *r = query(&e, e.a, "Relay", p, true);
        CHECK(r && r->kind == WVM_KIND_NONE);
        if (!r) break;
        /* ENTER A, CALL A->B, ENTER B, CALL B->C, ENTER C, EXIT C, EXIT B, EXIT A */
        static const wvm_trace_kind kinds[] = { WVM_TRACE_ENTER, WVM_TRACE_CALL, WVM_TRACE_ENTER,
            WVM_TRACE_CALL, WVM_TRACE_ENTER, WVM_TRACE_EXIT, WVM_TRACE_EXIT, WVM_TRACE_EXIT };
        static const uint32_t depths[] = { 0, 0, 1, 1, 2, 2, 1, 0 };
        CHECK_EQ_INT(r->ntrace, 8);
        for (uint32_t k = 0; k < 8 && k < r->ntrace; k++) {
            CHECK_EQ_INT(r->trace[k].kind, kinds[k]);
            CHECK_EQ_INT(r->trace[k].depth, depths[k]);
            if (k) CHECK(r->trace[k].fuel >= r->trace[k - 1].fuel);
        }
        CHECK(r->ntrace == 8 && r->trace[7].fuel <= r->fuel_used);
        text[i] = wvm_trace_text(r, 0);
        bare[i] = wvm_trace_text(r, WVM_TRACE_NO_WALL);
        json[i] = wvm_trace_json(r, WVM_TRACE_NO_WALL);
        wvm_receipt_free(r);
    }
    CHECK(text[0] && text[1] && bare[0] && bare[1] && json[0] && json[1]);
    if (text[0] && text[1] && bare[0] && json[0]) {
        CHECK_EQ_STR(bare[0], bare[1]);
        CHECK_EQ_STR(json[0], json[1]);
        CHECK(strstr(text[0], "Duration: ") && !strstr(bare[0], "Duration"));
        strip_durations(text[0]);
        strip_durations(text[1]);
        CHECK_EQ_STR(text[0], text[1]);
        CHECK_EQ_STR(text[0], bare[0]);
        char want[256];
        snprintf(want, sizeof want, "  [CALL]  From: %s Func: Relay To: %s Func: Relay\n", e.ha, e.hb);
        CHECK(strstr(bare[0], want) != NULL);
        CHECK(strstr(json[0], "\"function\":\"Info\",\"params\":\"{}\"") != NULL);
    }
    for (int i = 0; i < 2; i++) free(text[i]), free(bare[i]), free(json[i]);
    /* tracing off: no records, same fuel */
    wvm_receipt *on = query(&e, e.a, "Relay", p, true), *off = query(&e, e.a, "Relay", p, false);
    CHECK(on && off && off->ntrace == 0 && !off->trace && on->fuel_used == off->fuel_used);
    wvm_receipt_free(on);
    wvm_receipt_free(off);
    wvm_chain_close(e.c);
}

/* The folded profile: the same bytes on every run, and every unit of
 * fuel the call used is in it (no charge is outside guest code here). */
TEST(calls_profile_folded) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_profile"));
    const char *p = relay(e.hb, "Relay", relay(e.hc, "Info", "{}"));
    char *f[2] = { 0 };
    uint64_t used[2] = { 0 };
    for (int i = 0; i < 2; i++) {
        wvm_call_args a;
        memset(&a, 0, sizeof a);
        a.contract = e.a;
        a.function = "Relay";
        a.params = p;
        a.sender = ORIGIN;
        a.profile = true;
        wvm_receipt *r = NULL;
        CHECK_EQ_INT(wvm_query(e.c, &a, &r), WVM_OK);
        CHECK(r && r->kind == WVM_KIND_NONE && r->folded);
        if (!r || !r->folded) {
            wvm_receipt_free(r);
            break;
        }
        f[i] = strdup(r->folded);
        used[i] = r->fuel_used;
        wvm_receipt_free(r);
    }
    if (f[0] && f[1]) {
        CHECK_EQ_STR(f[0], f[1]);
        uint64_t sum = 0;
        for (const char *l = f[0]; *l;) {
            const char *nl = strchr(l, '\n');
            const char *sp = nl ? memrchr(l, ' ', (size_t)(nl - l)) : NULL;
            CHECK(nl && sp);
            if (!nl || !sp) break;
            sum += strtoull(sp + 1, NULL, 10);
            l = nl + 1;
        }
        CHECK_EQ_INT(sum, used[0]);
        /* every contract's frames, the call between them, host functions */
        char want[128];
        snprintf(want, sizeof want, "%s.Relay;", e.ha);
        CHECK(strncmp(f[0], want, strlen(want)) == 0);
        snprintf(want, sizeof want, ";%s.Info;handle_contract_call", e.hc);
        CHECK(strstr(f[0], want) != NULL);
        CHECK(strstr(f[0], ";host:call ") != NULL);
        CHECK(strstr(f[0], ";host:call_host_set ") != NULL);
    }
    free(f[0]);
    free(f[1]);
    /* without the option: no profile, the same fuel */
    wvm_receipt *r = query(&e, e.a, "Relay", p, false);
    CHECK(r && !r->folded && r->fuel_used == used[0]);
    wvm_receipt_free(r);
    wvm_chain_close(e.c);
}

/* A per-call fuel cap: the callee out of its cap fails alone, and the
 * caller goes on (its write stays); a cap above what is left changes
 * nothing; the trace's fuel stays the transaction's. */
TEST(calls_fuel_cap) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_cap"));
    char p[1024];
    snprintf(p, sizeof p, "{\"target\":\"%s\",\"function\":\"Burn\",\"params\":\"{\\\"n\\\":0}\","
             "\"cap\":50000}", e.hb);
    wvm_receipt *r = call(&e, e.a, "Capped", p, true);
    CHECK(r && r->kind == WVM_KIND_NONE);
    CHECK_EQ_STR(r ? r->result : "", "\"out of fuel: the callee used up its fuel cap of 50000\"");
    /* the callee spent its cap, not the transaction's budget */
    CHECK(r && r->fuel_used > 50000 && r->fuel_used < 200000);
    if (r) {
        for (uint32_t k = 1; k < r->ntrace; k++) CHECK(r->trace[k].fuel >= r->trace[k - 1].fuel);
        CHECK(r->ntrace && r->trace[r->ntrace - 1].fuel <= r->fuel_used);
    }
    wvm_receipt_free(r);
    CHECK_EQ_INT(mark(&e, e.a), 11);
    /* a cap that does not bind */
    snprintf(p, sizeof p, "{\"target\":\"%s\",\"function\":\"Burn\",\"params\":\"{\\\"n\\\":10}\","
             "\"cap\":18446744073709551615}", e.hb);
    r = call(&e, e.a, "Capped", p, false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    CHECK_EQ_STR(r ? r->result : "", "\"ok\"");
    wvm_receipt_free(r);
    /* without a cap, out of fuel in the callee ends the transaction */
    snprintf(p, sizeof p, "{\"target\":\"%s\",\"function\":\"Burn\",\"params\":\"{\\\"n\\\":0}\","
             "\"cap\":0}", e.hb);
    r = call(&e, e.a, "Capped", p, false);
    CHECK(r && r->kind == WVM_KIND_RESOURCE_EXHAUSTED);
    wvm_receipt_free(r);
    wvm_chain_close(e.c);
}

/* The typed decoding of the client stubs: a result of the ABI's type
 * comes through exactly; another type is a failure naming both. */
TEST(calls_client_result_types) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_client"));
    char p[256];
    snprintf(p, sizeof p, "{\"target\":\"%s\",\"function\":\"Mark\"}", e.hb);
    wvm_receipt *r = query(&e, e.a, "ExpectU64", p, false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    CHECK_EQ_STR(r ? r->result : "", "\"0\"");
    wvm_receipt_free(r);
    snprintf(p, sizeof p, "{\"target\":\"%s\",\"function\":\"Info\"}", e.hb);
    r = query(&e, e.a, "ExpectU64", p, false);
    CHECK(r && r->kind == WVM_KIND_NONE);
    CHECK_EQ_STR(r ? r->result : "", "\"probe.X returned an object, its ABI says uint64\"");
    wvm_receipt_free(r);
    wvm_chain_close(e.c);
}

static uint64_t balance(calls_env *e, wvm_address who) {
    uint64_t v = UINT64_MAX;
    return wvm_chain_balance(e->c, &who, &v) ? UINT64_MAX : v;
}

static bool mint(calls_env *e, wvm_address to, uint64_t amount) {
    wvm_block *b;
    uint64_t h = wvm_chain_height(e->c) + 1;
    if (wvm_block_begin(e->c, h, 10 * h, &b)) return false;
    if (wvm_mint(b, &to, amount)) {
        wvm_block_abort(b);
        return false;
    }
    return wvm_block_commit(b, NULL) == WVM_OK;
}

/* Value attached to a top-level call: moved to a payable function's
 * contract, which sees it; refused for any other function; over the
 * sender's balance, insufficient funds; undone when the call fails;
 * none carried by a cross-contract call. */
TEST(calls_value_payable) {
    calls_env e;
    CHECK(calls_setup(&e, "calls_value"));
    CHECK(mint(&e, ORIGIN, 100));
    wvm_receipt *r = call_value(&e, e.a, "Deposit", "{\"fail\":false}", false, 30);
    CHECK(r && r->kind == WVM_KIND_NONE);
    CHECK_EQ_STR(r ? r->result : "", "30");
    wvm_receipt_free(r);
    CHECK(balance(&e, ORIGIN) == 70);
    CHECK(balance(&e, e.a) == 30);
    /* no value: a payable function sees 0 */
    r = call_value(&e, e.a, "Deposit", "{\"fail\":false}", false, 0);
    CHECK(r && r->kind == WVM_KIND_NONE);
    CHECK_EQ_STR(r ? r->result : "", "0");
    wvm_receipt_free(r);
    /* not payable: refused before it runs (its write would show) */
    r = call_value(&e, e.a, "WriteThenFail", "{\"v\":5}", false, 1);
    CHECK(r && r->kind == WVM_KIND_PERMISSION_DENIED);
    CHECK(r && strstr(r->message, "function WriteThenFail of ") && strstr(r->message, "is not payable"));
    wvm_receipt_free(r);
    r = call_value(&e, e.a, "Mark", "{}", false, 1);
    CHECK(r && r->kind == WVM_KIND_PERMISSION_DENIED);
    CHECK(r && strstr(r->message, "function Mark of ") && strstr(r->message, "is not payable"));
    wvm_receipt_free(r);
    CHECK(balance(&e, ORIGIN) == 70);
    CHECK(balance(&e, e.a) == 30);
    /* more than the sender has */
    r = call_value(&e, e.a, "Deposit", "{\"fail\":false}", false, 71);
    CHECK(r && r->kind == WVM_KIND_INSUFFICIENT_FUNDS);
    CHECK(r && strstr(r->message, "value 71 for Deposit") && strstr(r->message, "(70)"));
    wvm_receipt_free(r);
    CHECK(balance(&e, ORIGIN) == 70);
    CHECK(balance(&e, e.a) == 30);
    /* the contract fails after the value was moved: undone */
    r = call_value(&e, e.a, "Deposit", "{\"fail\":true}", false, 20);
    CHECK(r && r->kind == WVM_KIND_CONTRACT_ERROR);
    CHECK_EQ_STR(r ? r->message : "", "deposit of 20 refused");
    wvm_receipt_free(r);
    CHECK(balance(&e, ORIGIN) == 70);
    CHECK(balance(&e, e.a) == 30);
    /* a cross-contract call carries no value: B's Deposit sees 0 */
    r = call_value(&e, e.a, "Relay", relay(e.hb, "Deposit", "{\"fail\":false}"), false, 0);
    CHECK(r && r->kind == WVM_KIND_NONE);
    CHECK_EQ_STR(r ? r->result : "", "0");
    wvm_receipt_free(r);
    /* the dry run reports the transfer and commits nothing */
    wvm_call_args a;
    memset(&a, 0, sizeof a);
    a.contract = e.a;
    a.function = "Deposit";
    a.params = "{\"fail\":false}";
    a.sender = ORIGIN;
    a.value = 5;
    r = NULL;
    CHECK(wvm_query(e.c, &a, &r) == WVM_OK);
    CHECK(r && r->kind == WVM_KIND_NONE);
    CHECK_EQ_STR(r ? r->result : "", "5");
    CHECK(r && r->changes && strstr(r->changes, "transfer"));
    wvm_receipt_free(r);
    CHECK(balance(&e, ORIGIN) == 70);
    CHECK(balance(&e, e.a) == 30);
    /* the contract's balance would pass 2^64 - 1 */
    CHECK(mint(&e, e.a, UINT64_MAX - 30));
    r = call_value(&e, e.a, "Deposit", "{\"fail\":false}", false, 1);
    CHECK(r && r->kind == WVM_KIND_BALANCE_OVERFLOW);
    CHECK(r && strstr(r->message, "past 2^64 - 1"));
    wvm_receipt_free(r);
    CHECK(balance(&e, ORIGIN) == 70);
    CHECK(balance(&e, e.a) == UINT64_MAX);
    wvm_chain_close(e.c);
}
