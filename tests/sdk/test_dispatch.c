/*
 * test_dispatch.c -- wvm_dispatch and the failure paths of a call:
 * function_not_found with the list of exports, trace enter/exit, the
 * void result, the first error winning, formatting, message bounds, the
 * arena reset between calls, allocate's refusal, the ABI version section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdk_test.h"
#include "wvm/abi.h"

#define EXPORTS "Echo, Parse, Ints, I32, U32, I64, U64, Bool, Str, Bytes, Address, ObjectId, " \
                "Pair, None, Fmt, FailThenResult, LongError, Store, Load, Objects, Pay, Emit, " \
                "EmitBad, Deep, Big, Context, CallInfo, Call, Grow, Writer, Internals"

TEST(sdk_dispatch_not_found) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_ERR(h, "Nope", "{}", WVM_CONTRACT_FUNCTION_NOT_FOUND,
             "function \"Nope\" not found; the contract exports: " EXPORTS);
    CHECK_EQ_STR(h->trace.p ? h->trace.p : "", "");   /* no trace for a function that is not there */
    /* names are compared whole: a prefix or a longer name is not a match */
    CALL_ERR(h, "Ech", "{}", WVM_CONTRACT_FUNCTION_NOT_FOUND,
             "function \"Ech\" not found; the contract exports: " EXPORTS);
    CALL_ERR(h, "EchoX", "{}", WVM_CONTRACT_FUNCTION_NOT_FOUND,
             "function \"EchoX\" not found; the contract exports: " EXPORTS);
    CALL_ERR(h, "", "{}", WVM_CONTRACT_FUNCTION_NOT_FOUND,
             "function \"\" not found; the contract exports: " EXPORTS);
    th_close(h);
}

TEST(sdk_dispatch_trace_and_results) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "U64", "{\"v\":1}", "1");
    CHECK_EQ_STR(h->trace.p, "enter U64\nexit U64 ok\n");
    CALL_ERR(h, "U64", "{\"v\":-1}", WVM_CONTRACT_INVALID_PARAMETERS,
             "parameter \"v\": expected a 64-bit unsigned integer (0 to 18446744073709551615), got -1 (out of range)");
    CHECK_EQ_STR(h->trace.p, "enter U64\nexit U64 failed\n");
    /* invalid JSON parameters are a failed call of that function */
    CHECK_EQ_INT(th_call(h, "U64", "{"), 1);
    CHECK_EQ_STR(h->trace.p, "enter U64\nexit U64 failed\n");
    /* the first error wins; a result after it is dropped */
    CALL_ERR(h, "FailThenResult", "{}", WVM_CONTRACT_ERROR, "first");
    CALL_ERR(h, "Fmt", "{}", WVM_CONTRACT_ERROR,
             "-42 42 -9223372036854775808 18446744073709551615 str beef z % "
             "[    7|7    |-0007|ABC|abc|(null)|0|0|   9|xy|12|ffffffff|c  |%q]");
    th_close(h);
}

TEST(sdk_dispatch_message_bounds) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    /* error messages are cut at 4095 bytes, log lines at WVM_MAX_LOG_LEN */
    CHECK_EQ_INT(th_call(h, "LongError", "{\"n\":10000}"), 1);
    CHECK_EQ_STR(h->trap, "");
    CHECK_EQ_INT(h->error.len, 4095);
    CHECK_EQ_INT(h->logs.len, WVM_MAX_LOG_LEN + 1);   /* with the harness's newline */
    CHECK_EQ_INT(th_call(h, "LongError", "{\"n\":3}"), 1);
    CHECK_EQ_STR(th_error(h), "eee");
    CHECK_EQ_STR(h->logs.p, "eee\n");
    th_close(h);
}

TEST(sdk_dispatch_arena_reset) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    /* 1 MiB per call: without the reset 40 calls would need 40 MiB, past
     * the engine's 16 MiB of memory, and trap */
    CALL_OK(h, "Grow", "{\"n\":1024}", "null");
    uint64_t pages = th_memory_pages(h);
    for (int i = 0; i < 40; i++) {
        CHECK_EQ_INT(th_call(h, "Grow", "{\"n\":1024}"), 0);
        CHECK_EQ_STR(h->trap, "");
    }
    CHECK_EQ_INT(th_memory_pages(h), pages);
    /* a big result through the growing writer */
    CHECK_EQ_INT(th_call(h, "Big", "{\"n\":60000}"), 0);
    CHECK_EQ_INT(h->result.len, 60002);
    CHECK(memcmp(h->result.p, "\"abcdefghijklmnopqrstuvwxyzabc", 30) == 0);
    th_close(h);
}

TEST(sdk_dispatch_allocate_refuses) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    /* more than memory may grow to: 0, not a trap */
    wvm_val arg = wvm_i32(0x7fffff00), res;
    CHECK_EQ_INT(wvm_func_call(h->store, h->allocate, &arg, 1, &res, 1), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 0);
    arg = wvm_i32(-1);
    CHECK_EQ_INT(wvm_func_call(h->store, h->allocate, &arg, 1, &res, 1), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 0);
    /* and the instance still works */
    CALL_OK(h, "U32", "{\"v\":3}", "3");
    th_close(h);
}

TEST(sdk_abi_version_section) {
    const char *build = getenv("WVM_BUILD");
    char path[512];
    snprintf(path, sizeof path, "%s/tests/contracts/sdktest.wasm", build ? build : "build");
    size_t len;
    unsigned char *wasm = test_read_file(path, &len);
    REQUIRE(wasm);
    /* a custom section (id 0): size, name "wvm.abi_version", payload "1" */
    static const char want[] = "\x00\x11\x0fwvm.abi_version1";
    bool found = false;
    for (size_t i = 0; i + sizeof want - 1 <= len && !found; i++)
        found = memcmp(wasm + i, want, sizeof want - 1) == 0;
    CHECK(found);
    free(wasm);
}
