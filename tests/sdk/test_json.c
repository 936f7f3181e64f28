/*
 * test_json.c -- the SDK's JSON reader and writer, through the test
 * contract: round trips of the parameters (Echo), 64-bit integers
 * (Ints), and every malformed-input error with its offset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdk_test.h"
#include "wvm/abi.h"

#define BAD_JSON(h, text, msg) \
    CALL_ERR(h, "Echo", text, WVM_CONTRACT_INVALID_PARAMETERS, "parameters are not valid JSON: " msg)

TEST(sdk_json_round_trips) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    /* 64-bit integers exact: 2^64-1, -2^63, 2^53+1, -(2^64-1) */
    CALL_OK(h, "Echo", "{\"v\":18446744073709551615}", "{\"v\":18446744073709551615}");
    CALL_OK(h, "Echo", "{\"v\":-9223372036854775808}", "{\"v\":-9223372036854775808}");
    CALL_OK(h, "Echo", "{\"v\":9007199254740993}", "{\"v\":9007199254740993}");
    CALL_OK(h, "Echo", "{\"v\":-18446744073709551615}", "{\"v\":-18446744073709551615}");
    /* beyond 64 bits and non-integers: kept as their text */
    CALL_OK(h, "Echo", "{\"v\":18446744073709551616}", "{\"v\":18446744073709551616}");
    CALL_OK(h, "Echo", "{\"v\":-1.5e-300,\"w\":2E+3}", "{\"v\":-1.5e-300,\"w\":2E+3}");
    CALL_OK(h, "Echo", "{\"v\":-0}", "{\"v\":0}");
    CALL_OK(h, "Echo", " {\t\"a\" : [ 1 , true,false,null ] ,\r\n \"b\" : { } , \"c\":[]} ",
            "{\"a\":[1,true,false,null],\"b\":{},\"c\":[]}");
    CALL_OK(h, "Echo", "", "{}");
    /* escapes */
    CALL_OK(h, "Echo", "{\"s\":\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"}",
            "{\"s\":\"q\\\"b\\\\s/n\\nt\\tr\\rb\\bf\\f\"}");
    CALL_OK(h, "Echo", "{\"s\":\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"}",
            "{\"s\":\"A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}");
    CALL_OK(h, "Echo", "{\"s\":\"\\u0001\\u001f\\u0000x\"}", "{\"s\":\"\\u0001\\u001f\\u0000x\"}");
    CALL_OK(h, "Echo", "{\"\\u0000k\":1}", "{\"\\u0000k\":1}");
    CALL_OK(h, "Echo", "{\"s\":\"\xc3\xa9\xf4\x8f\xbf\xbf\"}", "{\"s\":\"\xc3\xa9\xf4\x8f\xbf\xbf\"}");
    th_close(h);
}

TEST(sdk_byte_helpers) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "Internals", "{}", "0");
    th_close(h);
}

/* Plain strings take a fast path; one escape, control character or
 * UTF-8 byte anywhere sends the whole string down the careful one. */
TEST(sdk_json_string_paths) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "Echo", "{\"s\":\"\"}", "{\"s\":\"\"}");
    CALL_OK(h, "Echo", "{\"s\":\"plain ~ text\"}", "{\"s\":\"plain ~ text\"}");
    CALL_OK(h, "Echo", "{\"s\":\"abc\\ndef\"}", "{\"s\":\"abc\\ndef\"}");
    CALL_OK(h, "Echo", "{\"s\":\"abc\xc3\xa9\"}", "{\"s\":\"abc\xc3\xa9\"}");
    /* every length around the 8-byte steps, with an escape (read and
     * written back) at each place, or none */
    for (int len = 0; len <= 17; len++)
        for (int at = -1; at < len; at++) {
            char body[32] = "", in[64], want[64];
            for (int i = 0; i < len; i++)
                strcat(body, i == at ? "\\n" : (len % 2 && i == 0 ? "\xc3\xa9" : "b"));
            snprintf(in, sizeof in, "{\"s\":\"%s\"}", body);
            snprintf(want, sizeof want, "{\"s\":\"%s\"}", body);
            CALL_OK(h, "Echo", in, want);
        }
    /* a control character in each place of the 8-byte steps: a scan
     * that missed it would take the string as it is */
    for (int at = 0; at < 17; at++) {
        char in[64], want[128];
        snprintf(in, sizeof in, "{\"s\":\"%.*s\x01" "bbbbbbbbbb\"}", at, "bbbbbbbbbbbbbbbbbbbb");
        snprintf(want, sizeof want,
                 "parameters are not valid JSON: offset %d: control character in a string", 6 + at);
        CALL_ERR(h, "Echo", in, WVM_CONTRACT_INVALID_PARAMETERS, want);
    }
    BAD_JSON(h, "{\"s\":\"abc\x01\"}", "offset 9: control character in a string");
    BAD_JSON(h, "{\"s\":\"abc", "offset 9: unterminated string");
    BAD_JSON(h, "{\"s\":\"abc\\", "offset 10: unterminated string");
    th_close(h);
}

TEST(sdk_json_nesting_limit) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    /* the params object is level 1: 63 arrays more reach 64 */
    char in[300], want[300];
    for (int deep = 63; deep <= 64; deep++) {
        int n = 0;
        n += sprintf(in + n, "{\"v\":");
        for (int i = 0; i < deep; i++)
            in[n++] = '[';
        for (int i = 0; i < deep; i++)
            in[n++] = ']';
        sprintf(in + n, "}");
        if (deep == 63) {
            CALL_OK(h, "Echo", in, in);
        } else {
            /* the 65th opener is at offset 5 + 63 */
            snprintf(want, sizeof want, "parameters are not valid JSON: offset %d: nesting deeper than 64",
                     5 + 63);
            CALL_ERR(h, "Echo", in, WVM_CONTRACT_INVALID_PARAMETERS, want);
        }
    }
    /* the writer has the same limit */
    char deep64[200] = "", *p = deep64;
    for (int i = 0; i < 64; i++) *p++ = '[';
    for (int i = 0; i < 64; i++) *p++ = ']';
    CALL_OK(h, "Deep", "{\"n\":64}", deep64);
    CALL_ERR(h, "Deep", "{\"n\":65}", WVM_CONTRACT_ERROR,
             "result: the JSON writer holds no finished value");
    th_close(h);
}

TEST(sdk_json_malformed) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    BAD_JSON(h, "{\"a\":1,}", "offset 7: expected a string key");
    BAD_JSON(h, "{\"a\" 1}", "offset 5: expected ':' after a key");
    BAD_JSON(h, "{\"a\":01}", "offset 5: invalid number: leading zero");
    BAD_JSON(h, "{\"a\":-}", "offset 6: invalid number");
    BAD_JSON(h, "{\"a\":1.}", "offset 7: invalid number: no digit after '.'");
    BAD_JSON(h, "{\"a\":1e+}", "offset 8: invalid number: no digit in the exponent");
    BAD_JSON(h, "{\"a\":\"x", "offset 7: unterminated string");
    BAD_JSON(h, "{\"a\":\"\\x\"}", "offset 6: invalid escape");
    BAD_JSON(h, "{\"a\":\"\\u12G4\"}", "offset 6: invalid \\u escape");
    BAD_JSON(h, "{\"a\":\"\\u12\"}", "offset 6: invalid \\u escape");
    BAD_JSON(h, "{\"a\":\"\\ud800\"}", "offset 6: lone high surrogate in \\u escape");
    BAD_JSON(h, "{\"a\":\"\\ud800\\u0041\"}", "offset 6: lone high surrogate in \\u escape");
    BAD_JSON(h, "{\"a\":\"\\udc00\"}", "offset 6: lone low surrogate in \\u escape");
    BAD_JSON(h, "{\"a\":\"\x01\"}", "offset 6: control character in a string");
    BAD_JSON(h, "{\"a\":\"x\xff\"}", "offset 7: invalid UTF-8 in a string");
    BAD_JSON(h, "{\"a\":\"\xc0\xaf\"}", "offset 6: invalid UTF-8 in a string");      /* overlong */
    BAD_JSON(h, "{\"a\":\"\xed\xa0\x80\"}", "offset 6: invalid UTF-8 in a string");  /* surrogate */
    BAD_JSON(h, "{\"a\":\"\xf4\x90\x80\x80\"}", "offset 6: invalid UTF-8 in a string"); /* > U+10FFFF */
    BAD_JSON(h, "{\"a\":\"\xe2\x82\"}", "offset 6: invalid UTF-8 in a string");      /* cut short */
    BAD_JSON(h, "{\"a\":1}x", "offset 7: trailing characters after the value");
    BAD_JSON(h, "{\"a\":1}{}", "offset 7: trailing characters after the value");
    BAD_JSON(h, "{\"a\":tru}", "offset 5: invalid literal");
    BAD_JSON(h, "{\"a\":nul", "offset 5: invalid literal");
    BAD_JSON(h, "{\"a\":1,\"a\":2}", "offset 7: duplicate key");
    BAD_JSON(h, "{", "offset 1: unexpected end of input");
    BAD_JSON(h, "{\"a\":", "offset 5: unexpected end of input");
    BAD_JSON(h, "{\"a\":1", "offset 6: unexpected end of input");
    BAD_JSON(h, "{\"a\":@}", "offset 5: unexpected character");
    BAD_JSON(h, "{\"a\":[1 2]}", "offset 8: expected ',' or ']'");
    BAD_JSON(h, "{\"a\":1 \"b\":2}", "offset 7: expected ',' or '}'");
    BAD_JSON(h, "{'a':1}", "offset 1: expected a string key");
    BAD_JSON(h, "   ", "offset 3: unexpected end of input");
    CALL_ERR(h, "Echo", "[1]", WVM_CONTRACT_INVALID_PARAMETERS,
             "parameters must be a JSON object, got an array");
    CALL_ERR(h, "Echo", "\"s\"", WVM_CONTRACT_INVALID_PARAMETERS,
             "parameters must be a JSON object, got a string");
    CALL_ERR(h, "Echo", "null", WVM_CONTRACT_INVALID_PARAMETERS,
             "parameters must be a JSON object, got null");
    /* wvm_json_parse called by a contract reports the same way */
    CALL_ERR(h, "Parse", "{\"text\":\"[1,]\"}", WVM_CONTRACT_ERROR,
             "offset 3: unexpected character");
    CALL_OK(h, "Parse", "{\"text\":\"[1,{\\\"k\\\":\\\"\\\\u00e9\\\"}]\"}", "[1,{\"k\":\"\xc3\xa9\"}]");
    th_close(h);
}

TEST(sdk_json_integers) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    /* each element read by wvm_json_u64 and wvm_json_i64 */
    CALL_OK(h, "Ints",
            "{\"text\":\"[18446744073709551615,-1,\\\"123\\\",\\\"-9223372036854775808\\\","
            "9223372036854775807,9223372036854775808,-9223372036854775809,1.5,"
            "18446744073709551616,\\\"18446744073709551616\\\",\\\"01\\\",\\\"+1\\\",\\\"\\\",true,-0]\"}",
            "[[18446744073709551615,null],[null,-1],[123,123],[null,-9223372036854775808],"
            "[9223372036854775807,9223372036854775807],[9223372036854775808,null],[null,null],"
            "[null,null],[null,null],[null,null],[null,null],[null,null],[null,null],[null,null],"
            "[0,0]]");
    th_close(h);
}

TEST(sdk_json_writer_misuse) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    static const char *bad[] = {"0", "1", "2", "3", "4", "5", "6", "8", "9"};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char params[32];
        snprintf(params, sizeof params, "{\"k\":%s}", bad[i]);
        CALL_OK(h, "Writer", params, "{\"failed\":true,\"text\":\"\"}");
    }
    CALL_OK(h, "Writer", "{\"k\":7}",
            "{\"failed\":false,\"text\":\"[[1,{\\\"a\\\":2}],-9223372036854775808,\\\"t\\\\u0001\\\\\\\"\\\\\\\\\\\"]\"}");
    th_close(h);
}
