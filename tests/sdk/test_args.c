/*
 * test_args.c -- typed parameters and results: every type's JSON form,
 * its range, and each invalid_parameters message (missing, extra, wrong
 * type, out of range).
 */
#include <stdio.h>
#include <string.h>

#include "sdk_test.h"
#include "wvm/abi.h"

#define BAD_ARG(h, fn, params, msg) CALL_ERR(h, fn, params, WVM_CONTRACT_INVALID_PARAMETERS, msg)

#define R_I32 "expected a 32-bit signed integer (-2147483648 to 2147483647)"
#define R_U32 "expected a 32-bit unsigned integer (0 to 4294967295)"
#define R_I64 "expected a 64-bit signed integer (-9223372036854775808 to 9223372036854775807)"
#define R_U64 "expected a 64-bit unsigned integer (0 to 18446744073709551615)"

TEST(sdk_args_integers) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "I32", "{\"v\":-2147483648}", "-2147483648");
    CALL_OK(h, "I32", "{\"v\":2147483647}", "2147483647");
    CALL_OK(h, "I32", "{\"v\":\"-5\"}", "-5");
    BAD_ARG(h, "I32", "{\"v\":2147483648}", "parameter \"v\": " R_I32 ", got 2147483648 (out of range)");
    BAD_ARG(h, "I32", "{\"v\":-2147483649}", "parameter \"v\": " R_I32 ", got -2147483649 (out of range)");
    CALL_OK(h, "U32", "{\"v\":\"4294967295\"}", "4294967295");
    CALL_OK(h, "U32", "{\"v\":0}", "0");
    BAD_ARG(h, "U32", "{\"v\":-1}", "parameter \"v\": " R_U32 ", got -1 (out of range)");
    BAD_ARG(h, "U32", "{\"v\":4294967296}", "parameter \"v\": " R_U32 ", got 4294967296 (out of range)");
    CALL_OK(h, "I64", "{\"v\":-9223372036854775808}", "-9223372036854775808");
    CALL_OK(h, "I64", "{\"v\":\"9223372036854775807\"}", "9223372036854775807");
    BAD_ARG(h, "I64", "{\"v\":9223372036854775808}",
            "parameter \"v\": " R_I64 ", got 9223372036854775808 (out of range)");
    BAD_ARG(h, "I64", "{\"v\":-9223372036854775809}",
            "parameter \"v\": " R_I64 ", got -9223372036854775809 (out of range)");
    CALL_OK(h, "U64", "{\"v\":18446744073709551615}", "18446744073709551615");
    CALL_OK(h, "U64", "{\"v\":\"18446744073709551615\"}", "18446744073709551615");
    CALL_OK(h, "U64", "{\"v\":9007199254740993}", "9007199254740993");
    BAD_ARG(h, "U64", "{\"v\":18446744073709551616}",
            "parameter \"v\": " R_U64 ", got 18446744073709551616 (out of range)");
    BAD_ARG(h, "U64", "{\"v\":\"18446744073709551616\"}",
            "parameter \"v\": " R_U64 ", got 18446744073709551616 (out of range)");
    BAD_ARG(h, "U64", "{\"v\":-3}", "parameter \"v\": " R_U64 ", got -3 (out of range)");
    BAD_ARG(h, "U64", "{\"v\":1.5}", "parameter \"v\": " R_U64 ", got a number with a fraction or exponent");
    BAD_ARG(h, "U64", "{\"v\":1e3}", "parameter \"v\": " R_U64 ", got a number with a fraction or exponent");
    BAD_ARG(h, "U64", "{\"v\":\"12a\"}", "parameter \"v\": " R_U64 ", got the string \"12a\"");
    BAD_ARG(h, "U64", "{\"v\":\"012\"}", "parameter \"v\": " R_U64 ", got the string \"012\"");
    BAD_ARG(h, "U64", "{\"v\":true}", "parameter \"v\": " R_U64 ", got a boolean");
    BAD_ARG(h, "U64", "{\"v\":null}", "parameter \"v\": " R_U64 ", got null");
    BAD_ARG(h, "U64", "{\"v\":[1]}", "parameter \"v\": " R_U64 ", got an array");
    BAD_ARG(h, "U64", "{\"v\":{}}", "parameter \"v\": " R_U64 ", got an object");
    BAD_ARG(h, "U64", "{}", "missing parameter \"v\" (" R_U64 ")");
    th_close(h);
}

TEST(sdk_args_other_types) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "Bool", "{\"v\":true}", "true");
    CALL_OK(h, "Bool", "{\"v\":false}", "false");
    BAD_ARG(h, "Bool", "{\"v\":1}", "parameter \"v\": expected true or false, got an integer");
    BAD_ARG(h, "Bool", "{\"v\":\"true\"}", "parameter \"v\": expected true or false, got the string \"true\"");
    CALL_OK(h, "Str", "{\"v\":\"h\\u00e9llo \\\"q\\\"\\n\"}", "\"h\xc3\xa9llo \\\"q\\\"\\n\"");
    CALL_OK(h, "Str", "{\"v\":\"\"}", "\"\"");
    BAD_ARG(h, "Str", "{\"v\":null}", "parameter \"v\": expected a string, got null");
    BAD_ARG(h, "Str", "{\"v\":\"a\\u0000b\"}",
            "parameter \"v\": expected a string without NUL characters, got one with \\u0000");
    CALL_OK(h, "Bytes", "{\"v\":\"0x\"}", "\"0x\"");
    CALL_OK(h, "Bytes", "{\"v\":\"0xABcd00\"}", "\"0xabcd00\"");
    BAD_ARG(h, "Bytes", "{\"v\":\"0xabc\"}",
            "parameter \"v\": expected bytes (\"0x\" + an even number of hex digits), got the string \"0xabc\"");
    BAD_ARG(h, "Bytes", "{\"v\":\"abcd\"}",
            "parameter \"v\": expected bytes (\"0x\" + an even number of hex digits), got the string \"abcd\"");
    BAD_ARG(h, "Bytes", "{\"v\":\"0xgg\"}",
            "parameter \"v\": expected bytes (\"0x\" + an even number of hex digits), got the string \"0xgg\"");
    BAD_ARG(h, "Bytes", "{\"v\":12}",
            "parameter \"v\": expected bytes (\"0x\" + an even number of hex digits), got an integer");
    CALL_OK(h, "Address", "{\"v\":\"0x00112233445566778899AABBCCDDEEFF00112233\"}",
            "\"0x00112233445566778899aabbccddeeff00112233\"");
    BAD_ARG(h, "Address", "{\"v\":\"0x0011223344556677889900112233445566778899a\"}",
            "parameter \"v\": expected an address (\"0x\" + 40 hex digits), got the string "
            "\"0x0011223344556677889900112233445566778899a\"");
    BAD_ARG(h, "Address", "{\"v\":\"0x001122334455667788990011223344556677889z\"}",
            "parameter \"v\": expected an address (\"0x\" + 40 hex digits), got the string "
            "\"0x001122334455667788990011223344556677889z\"");
    BAD_ARG(h, "Address", "{\"v\":[]}",
            "parameter \"v\": expected an address (\"0x\" + 40 hex digits), got an array");
    CALL_OK(h, "ObjectId", "{\"v\":\"0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}",
            "\"0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"");
    BAD_ARG(h, "ObjectId", "{\"v\":\"0x00112233445566778899AABBCCDDEEFF00112233\"}",
            "parameter \"v\": expected an object ID (\"0x\" + 64 hex digits), got the string "
            "\"0x00112233445566778899AABBCCDDEEFF00112233\"");
    /* a long string is cut in the message */
    char params[300], want[400];
    char longs[201];
    memset(longs, 'x', 200);
    longs[200] = 0;
    snprintf(params, sizeof params, "{\"v\":\"%s\"}", longs);
    snprintf(want, sizeof want, "parameter \"v\": expected true or false, got the string \"%.64s\"...", longs);
    BAD_ARG(h, "Bool", params, want);
    th_close(h);
}

TEST(sdk_args_missing_extra) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    CALL_OK(h, "Pair", "{\"b\":\"x\",\"a\":4294967295}", "{\"a\":4294967295,\"b\":\"x\"}");
    BAD_ARG(h, "Pair", "{\"a\":1}", "missing parameter \"b\" (expected a string)");
    /* the first failure is the one reported */
    BAD_ARG(h, "Pair", "{}", "missing parameter \"a\" (" R_U32 ")");
    BAD_ARG(h, "Pair", "{\"a\":-1,\"b\":5}", "parameter \"a\": " R_U32 ", got -1 (out of range)");
    BAD_ARG(h, "Pair", "{\"a\":1,\"b\":\"x\",\"c\":2}",
            "unexpected parameter \"c\" (the function takes: a, b)");
    BAD_ARG(h, "None", "{\"x\":1}", "unexpected parameter \"x\" (the function takes none)");
    CALL_OK(h, "None", "{}", "null");
    CALL_OK(h, "None", NULL, "null");
    th_close(h);
}

/* Hex is decoded eight digits a step, in 64-bit arithmetic: every digit
 * value in every place of a step, a non-digit in every place (the
 * characters next to the digit ranges most of all), and every length
 * of a last, partial step. */
TEST(sdk_args_hex_lanes) {
    th *h = th_open("tests/contracts/sdktest.wasm");
    REQUIRE(h);
    static const char digits[] = "0123456789abcdefABCDEF";
    static const char bad[] = "/:@G`gx ~";
    char hex[41], params[128], want[256];
    for (int at = 0; at < 40; at++) {
        for (const char *d = digits; *d; d++) {
            memset(hex, '7', 40);
            hex[40] = 0;
            hex[at] = *d;
            snprintf(params, sizeof params, "{\"v\":\"0x%s\"}", hex);
            hex[at] = (char)(*d >= 'A' && *d <= 'F' ? *d + 32 : *d);   /* written lower case */
            snprintf(want, sizeof want, "\"0x%s\"", hex);
            CALL_OK(h, "Address", params, want);
        }
        for (const char *b = bad; *b; b++) {
            memset(hex, 'a', 40);
            hex[40] = 0;
            hex[at] = *b;
            snprintf(params, sizeof params, "{\"v\":\"0x%s\"}", hex);
            snprintf(want, sizeof want,
                     "parameter \"v\": expected an address (\"0x\" + 40 hex digits), "
                     "got the string \"0x%s\"", hex);
            BAD_ARG(h, "Address", params, want);
        }
    }
    for (int n = 1; n <= 9; n++) {   /* bytes: 4 a step, then 1 to 3 */
        char in[32] = "", out[32] = "";
        for (int i = 0; i < n; i++) {
            sprintf(in + 2 * i, "%02X", 0xF0 + i);
            sprintf(out + 2 * i, "%02x", 0xF0 + i);
        }
        snprintf(params, sizeof params, "{\"v\":\"0X%s\"}", in);
        snprintf(want, sizeof want, "\"0x%s\"", out);
        CALL_OK(h, "Bytes", params, want);
        in[2 * n - 1] = 'g';   /* the last digit, in the partial step */
        snprintf(params, sizeof params, "{\"v\":\"0x%s\"}", in);
        snprintf(want, sizeof want,
                 "parameter \"v\": expected bytes (\"0x\" + an even number of hex digits), "
                 "got the string \"0x%s\"", in);
        BAD_ARG(h, "Bytes", params, want);
    }
    th_close(h);
}
