/*
 * test_jsonquick.c -- the quick JSON check in front of json-c
 * (src/host/jsonquick.c): it may say "valid" only where json-c's strict
 * mode (as host_json_valid runs it) says valid too; it leaves the rest
 * to json-c, so host_json_valid's verdicts are unchanged.
 */
#include <json-c/json.h>
#include "chaintest.h"
#include "host/host.h"

/* json-c alone, strict, as host_json_valid runs it (whole text, trailing
 * whitespace allowed). */
static bool jsonc_valid(const char *s, bool want_object) {
    size_t len = strlen(s);
    json_tokener *tok = json_tokener_new_ex(64);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *o = json_tokener_parse_ex(tok, s, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (!o && e == json_tokener_continue) {
        o = json_tokener_parse_ex(tok, "", 1);
        e = json_tokener_get_error(tok);
        end = len;
    }
    while (e == json_tokener_success && end < len && strchr(" \t\n\r", s[end])) end++;
    bool ok = e == json_tokener_success && end == len;
    if (ok && want_object && !json_object_is_type(o, json_type_object)) ok = false;
    json_object_put(o);
    json_tokener_free(tok);
    return ok;
}

TEST(jsonquick_agrees_with_jsonc) {
    static const struct { const char *s; bool quick; } cases[] = {
        { "{}", true }, { " { } ", true }, { "{\"a\":1}", true }, { "[1,2,[3,{}]]", true },
        { "{\"to\":\"0x00ab\",\"amount\":250}", true }, { "\"x\\n\\\"\\\\\\/\"", true },
        { "-0", true }, { "1.25", true }, { "true", true }, { "null", true }, { "false", true },
        { "{\"a\":[true,false,null,\"s\",-12.5]}\n", true }, { "123456789012345", true },
        /* left to json-c: valid, but outside the plain subset */
        { "1e5", false }, { "1234567890123456", false }, { "\"\\u00e9\"", false },
        { "\"\xc3\xa9\"", false },
        /* invalid: json-c rejects them, and so does the quick check */
        { "", false }, { "{", false }, { "{\"a\":}", false }, { "{\"a\":1,}", false },
        { "[1,]", false }, { "01", false }, { "1.", false }, { "-", false }, { "tru", false },
        { "True", false }, { "{a:1}", false }, { "'a'", false }, { "\"a", false },
        { "\"a\tb\"", false }, { "\"\\x\"", false }, { "{}{}", false }, { "{} x", false },
        { "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", false },
        { "NaN", false }, { "Infinity", false }, { "+1", false }, { ".5", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *s = cases[i].s;
        for (int obj = 0; obj < 2; obj++) {
            bool q = jsonquick_valid(s, strlen(s), obj);
            bool want = cases[i].quick && (!obj || strchr(s, '{') == s + strspn(s, " \t\n\r"));
            if (q != want) test_fail(__FILE__, __LINE__, "quick(%s, %d) = %d", s, obj, q);
            /* never valid where json-c says no; host_json_valid is json-c's verdict */
            if (q && !jsonc_valid(s, obj)) test_fail(__FILE__, __LINE__, "quick accepts %s", s);
            if (host_json_valid(s, strlen(s), obj, NULL, NULL) != jsonc_valid(s, obj))
                test_fail(__FILE__, __LINE__, "host_json_valid(%s, %d) differs from json-c", s, obj);
        }
    }
}
