/*
 * client.c -- `wvm build --client`: typed client stubs for calling a
 * contract from another one (docs/calls.md), written from the contract's
 * ABI (the JSON embed.c writes, from the source or from a deployed
 * contract's metadata).
 *
 * For each function F(p1 T1, ...) -> R of contract NAME, NAME_client.h
 * has
 *     static inline bool NAME_F(wvm_ctx *ctx, wvm_address contract,
 *                               C(T1) p1, ..., C(R) *out)
 * that writes the parameters as the JSON object F takes (each in the
 * JSON form of its type: 64-bit integers exact), calls F of the
 * contract at `contract` with wvm_call, and decodes the result as the
 * type the ABI declares (wvm_client_*).  The type of every value is the
 * ABI's on both sides -- the stub's C signature and the callee's
 * generated dispatch check it -- so nothing is converted through a
 * double or guessed.  On failure NAME_last_call() has the callee's error
 * kind and message.
 *
 * Output depends only on the ABI and the name: reproducible.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "toolchain.h"

typedef struct ctype {
    const char *abi;     /* ABI type name */
    const char *c;       /* C parameter type */
    const char *out;     /* C result type (pointed to by out) */
    const char *write;   /* wvm_jw_* writer */
    const char *read;    /* wvm_client_* reader */
} ctype;

static const ctype types[] = {
    {"int32", "int32_t", "int32_t", "wvm_jw_i64", "wvm_client_i32"},
    {"uint32", "uint32_t", "uint32_t", "wvm_jw_u64", "wvm_client_u32"},
    {"int64", "int64_t", "int64_t", "wvm_jw_i64", "wvm_client_i64"},
    {"uint64", "uint64_t", "uint64_t", "wvm_jw_u64", "wvm_client_u64"},
    {"bool", "bool", "bool", "wvm_jw_bool", "wvm_client_bool"},
    {"string", "const char *", "const char *", "wvm_jw_str", "wvm_client_str"},
    {"bytes", "wvm_bytes", "wvm_bytes", "wvm_jw_bytes", "wvm_client_bytes"},
    {"address", "wvm_address", "wvm_address", "wvm_jw_address", "wvm_client_address"},
    {"object_id", "wvm_object_id", "wvm_object_id", "wvm_jw_object_id", "wvm_client_object_id"},
};

static const ctype *type_of(const char *abi) {
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (abi && strcmp(abi, types[i].abi) == 0) return &types[i];
    return NULL;
}

static bool is_ident(const char *s) {
    if (!s || !*s || (*s >= '0' && *s <= '9')) return false;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static const char *str_of(json_object *o, const char *key) {
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* A parameter's C name: its own, or with "_" appended when it would
 * clash with the stub's ctx, contract or out. */
static void param_name(char *buf, size_t cap, const char *name) {
    bool clash = !strcmp(name, "ctx") || !strcmp(name, "contract") || !strcmp(name, "out") ||
                 !strcmp(name, "w");
    snprintf(buf, cap, "%s%s", name, clash ? "_" : "");
}

static bool bad(const tc_options *o, const char *what, const char *detail) {
    fprintf(o->diag, "wvm build --client: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    return false;
}

static bool function(const tc_options *o, const char *name, json_object *f, tc_buf *b) {
    const char *fn = str_of(f, "name"), *res = str_of(f, "result");
    json_object *params, *pol;
    if (!is_ident(fn) || !res || !json_object_object_get_ex(f, "params", &params) ||
        !json_object_is_type(params, json_type_array))
        return bad(o, "a function of the ABI has no name, params or result", fn);
    const ctype *rt = strcmp(res, "void") ? type_of(res) : NULL;
    if (strcmp(res, "void") && !rt) return bad(o, "unknown result type", res);
    size_t n = json_object_array_length(params);
    /* the comment: F(p T, ...) -> R [policies] */
    bool ok = tcbuf_printf(b, "\n/* %s(", fn);
    for (size_t i = 0; i < n; i++) {
        json_object *p = json_object_array_get_idx(params, i);
        ok = ok && tcbuf_printf(b, "%s%s %s", i ? ", " : "", str_of(p, "name") ? str_of(p, "name") : "?",
                                str_of(p, "type") ? str_of(p, "type") : "?");
    }
    ok = ok && tcbuf_printf(b, ") -> %s", res);
    if (json_object_object_get_ex(f, "policies", &pol) && json_object_is_type(pol, json_type_array))
        for (size_t i = 0; i < json_object_array_length(pol); i++) {
            const char *s = json_object_get_string(json_object_array_get_idx(pol, i));
            ok = ok && tcbuf_printf(b, " [%s]", s ? s : "?");
        }
    ok = ok && tcbuf_printf(b, " */\nstatic inline bool %s_%s(wvm_ctx *ctx, wvm_address contract", name, fn);
    char pn[300];
    for (size_t i = 0; i < n; i++) {
        json_object *p = json_object_array_get_idx(params, i);
        const char *pname = str_of(p, "name");
        const ctype *t = type_of(str_of(p, "type"));
        if (!is_ident(pname) || !t) return bad(o, "a parameter of the ABI has no name or an unknown type", fn);
        param_name(pn, sizeof pn, pname);
        const char *c = t->c;
        ok = ok && tcbuf_printf(b, ", %s%s%s", c, c[strlen(c) - 1] == '*' ? "" : " ", pn);
    }
    if (rt) ok = ok && tcbuf_printf(b, ", %s *out", rt->out);
    ok = ok && tcbuf_printf(b, ") {\n    wvm_jw w;\n    wvm_jw_init(&w, ctx);\n    wvm_jw_object_begin(&w);\n");
    for (size_t i = 0; i < n; i++) {
        json_object *p = json_object_array_get_idx(params, i);
        const char *pname = str_of(p, "name");
        const ctype *t = type_of(str_of(p, "type"));
        param_name(pn, sizeof pn, pname);
        ok = ok && tcbuf_printf(b, "    wvm_jw_key(&w, \"%s\");\n    %s(&w, %s);\n", pname, t->write, pn);
    }
    ok = ok && tcbuf_printf(b, "    wvm_jw_object_end(&w);\n");
    if (rt)
        ok = ok && tcbuf_printf(b, "    return wvm_call(ctx, contract, \"%s\", w.buf, &%s__last) &&\n"
                                   "           %s(&%s__last, \"%s.%s\", out);\n}\n",
                                fn, name, rt->read, name, name, fn);
    else
        ok = ok && tcbuf_printf(b, "    return wvm_call(ctx, contract, \"%s\", w.buf, &%s__last);\n}\n",
                                fn, name);
    return ok || bad(o, "out of memory", NULL);
}

bool client_generate(const tc_options *o, const char *name, const char *abi_json, tc_buf *b) {
    if (!is_ident(name)) return bad(o, "the client's name must be a C identifier, not", name);
    json_object *root = json_tokener_parse(abi_json);
    json_object *fns;
    if (!root || !json_object_object_get_ex(root, "functions", &fns) ||
        !json_object_is_type(fns, json_type_array)) {
        json_object_put(root);
        return bad(o, "not an ABI of wvm build (no \"functions\" array)", NULL);
    }
    char guard[300];
    size_t gl = 0;
    for (const char *p = name; *p && gl + 1 < sizeof guard; p++)
        guard[gl++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
    guard[gl] = 0;
    bool ok = tcbuf_printf(b,
        "/*\n"
        " * %s_client.h -- typed calls to a %s contract, generated by\n"
        " * `wvm build --client` from its ABI (docs/calls.md).  Do not edit:\n"
        " * generate it again when the contract's ABI changes.\n"
        " *\n"
        " * %s_F(ctx, contract, params..., &out) calls F of the contract at\n"
        " * `contract` (this contract becomes the callee's sender), with the\n"
        " * parameters in the JSON forms of their ABI types, and decodes the\n"
        " * result as the ABI's type.  true on success; false when the callee\n"
        " * failed or returned another type: %s_last_call() then has the\n"
        " * error kind and message, and the caller may go on or fail in turn.\n"
        " */\n"
        "#ifndef %s_CLIENT_H\n#define %s_CLIENT_H\n\n#include <wvm/contract.h>\n\n"
        "static wvm_call_result %s__last __attribute__((unused));\n"
        "/* The last call's outcome (arena memory: valid during this call). */\n"
        "static inline const wvm_call_result *%s_last_call(void) { return &%s__last; }\n",
        name, name, name, name, guard, guard, name, name, name);
    for (size_t i = 0; ok && i < json_object_array_length(fns); i++)
        ok = function(o, name, json_object_array_get_idx(fns, i), b);
    ok = ok && tcbuf_printf(b, "\n#endif\n");
    json_object_put(root);
    return ok;
}
