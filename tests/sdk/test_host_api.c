/*
 * test_host_api.c -- the SDK's wrappers of the host functions: context,
 * objects and fields, balances and transfers, events, cross-contract
 * calls and call information, each checked against the in-memory host.
 */
#include <stdio.h>
#include <string.h>

#include "sdk_test.h"
#include "wvm/abi.h"

#define A(x) "0x" x x x x x x x x x x x x x x x x x x x x

TEST(sdk_context) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    th_addr(h->origin, 0x0f);
    CALL_OK(h, "Context", "{}",
            "{\"sender\":\"" A("a1") "\",\"self\":\"" A("c0") "\",\"origin\":\"" A("0f")
            "\",\"height\":7,\"time\":1700000000}");
    th_close(h);
}

TEST(sdk_objects_fields) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "Store", "{\"name\":\"greeting\",\"value\":\"hello\"}", "null");
    CALL_OK(h, "Load", "{\"name\":\"greeting\"}", "\"hello\"");
    CALL_ERR(h, "Load", "{\"name\":\"other\"}", WVM_CONTRACT_ERROR, "no field other");
    /* a value longer than the first read's 64 bytes */
    char params[400], want[300];
    char v[201];
    memset(v, 'v', 200);
    v[200] = 0;
    snprintf(params, sizeof params, "{\"name\":\"long\",\"value\":\"%s\"}", v);
    CALL_OK(h, "Store", params, "null");
    snprintf(want, sizeof want, "\"%s\"", v);
    CALL_OK(h, "Load", "{\"name\":\"long\"}", want);
    CALL_OK(h, "Objects", "{}",
            "{\"n\":18446744073709551615,\"who\":true,\"b\":\"bee\",\"wrong_size\":false,"
            "\"names\":[\"b\",\"n\",\"who\",\"z\"],\"after_b\":[\"n\",\"who\"],\"deleted\":true,"
            "\"owner\":\"" A("c0") "\",\"exists\":true,\"gone\":true}");
    th_close(h);
}

TEST(sdk_balances) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    th_set_balance(h, h->self, 100);
    CALL_OK(h, "Pay", "{\"to\":\"" A("77") "\",\"amount\":30}", "{\"ok\":true,\"self\":70,\"to\":30}");
    CALL_OK(h, "Pay", "{\"to\":\"" A("77") "\",\"amount\":71}", "{\"ok\":false,\"self\":70,\"to\":30}");
    uint8_t rich[20];
    th_addr(rich, 0x88);
    th_set_balance(h, rich, UINT64_MAX - 10);
    CALL_OK(h, "Pay", "{\"to\":\"" A("88") "\",\"amount\":20}",
            "{\"ok\":false,\"self\":70,\"to\":18446744073709551605}");
    th_close(h);
}

TEST(sdk_events) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "Emit", "{\"n\":3}", "null");
    CHECK_EQ_STR(h->events.p, "Ping {\"i\":0}\nPing {\"i\":1}\nPing {\"i\":2}\nDone {}\n");
    CALL_ERR(h, "EmitBad", "{\"kind\":0}", WVM_CONTRACT_ERROR,
             "event Bad: its attributes are not a finished JSON object");
    CALL_ERR(h, "EmitBad", "{\"kind\":1}", WVM_CONTRACT_ERROR,
             "event Bad: its attributes must be a JSON object");
    CALL_ERR(h, "EmitBad", "{\"kind\":2}", WVM_CONTRACT_ERROR,
             "event Bad: its attributes are not a finished JSON object");
    CHECK_EQ_INT(h->nevents, 0);
    th_close(h);
}

TEST(sdk_cross_contract_call) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "Call", "{\"target\":\"" A("ee") "\",\"function\":\"F\",\"params\":\"{\\\"v\\\":18446744073709551615}\"}",
            "{\"ok\":true,\"result\":{\"function\":\"F\",\"params\":{\"v\":18446744073709551615}},"
            "\"params_u64\":18446744073709551615}");
    CALL_OK(h, "Call", "{\"target\":\"" A("12") "\",\"function\":\"F\",\"params\":\"{}\"}",
            "{\"ok\":false,\"kind\":8,\"message\":\"callee failed: no contract there\"}");
    th_close(h);
}

TEST(sdk_call_information) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "CallInfo", "{}",
            "{\"caller\":null,\"caller_function\":null,\"depth\":0,\"frames\":[null],\"reentrant\":false}");
    /* called by aa..aa's Swap, which the transaction's first contract
     * 55..55 called from Run */
    h->has_caller = true;
    th_addr(h->caller, 0xaa);
    h->caller_function = "Swap";
    h->depth = 2;
    th_addr(h->frames[0], 0x55);
    h->frame_functions[0] = "Run";
    th_addr(h->frames[1], 0xaa);
    h->frame_functions[1] = "Swap";
    CALL_OK(h, "CallInfo", "{}",
            "{\"caller\":\"" A("aa") "\",\"caller_function\":\"Swap\",\"depth\":2,\"frames\":[[\""
            A("55") "\",\"Run\"],[\"" A("aa") "\",\"Swap\"],null],\"reentrant\":false}");
    th_addr(h->frames[0], 0xc0);   /* this contract is already in the chain */
    CALL_OK(h, "CallInfo", "{}",
            "{\"caller\":\"" A("aa") "\",\"caller_function\":\"Swap\",\"depth\":2,\"frames\":[[\""
            A("c0") "\",\"Run\"],[\"" A("aa") "\",\"Swap\"],null],\"reentrant\":true}");
    th_close(h);
}
