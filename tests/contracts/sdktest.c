/*
 * sdktest.c -- a contract that exercises the SDK, for tests/sdk/: each
 * exported function wraps one part of the SDK (JSON, parameters and
 * results, errors, objects, balances, events, calls, call information).
 * Declared by hand with WVM_EXPORTS.
 */
#include <string.h>

#include <wvm/contract.h>

/* Echo: the parameters object, parsed and written again. */
static void do_echo(wvm_ctx *ctx, wvm_args *a) {
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_value(&w, wvm_args_json(a));
    wvm_return_json(ctx, &w);
}

/* Parse(text): text parsed and written again, or the reader's error. */
static void do_parse(wvm_ctx *ctx, wvm_args *a) {
    const char *text = wvm_arg_str(a, "text");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    const char *err;
    const wvm_json *v = wvm_json_parse(ctx, text, (uint32_t)strlen(text), &err);
    if (!v)
        return wvm_error(ctx, "%s", err);
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_value(&w, v);
    wvm_return_json(ctx, &w);
}

/* Ints(text): the JSON array text read back through wvm_json_u64 and
 * wvm_json_i64: [[u64 or null, i64 or null], ...]. */
static void do_ints(wvm_ctx *ctx, wvm_args *a) {
    const char *text = wvm_arg_str(a, "text");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    const char *err;
    const wvm_json *v = wvm_json_parse(ctx, text, (uint32_t)strlen(text), &err);
    if (!v || wvm_json_typeof(v) != WVM_JSON_ARRAY)
        return wvm_error(ctx, "not an array");
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_array_begin(&w);
    for (uint32_t i = 0; i < wvm_json_len(v); i++) {
        uint64_t u;
        int64_t s;
        wvm_jw_array_begin(&w);
        if (wvm_json_u64(wvm_json_at(v, i), &u)) wvm_jw_u64(&w, u); else wvm_jw_null(&w);
        if (wvm_json_i64(wvm_json_at(v, i), &s)) wvm_jw_i64(&w, s); else wvm_jw_null(&w);
        wvm_jw_array_end(&w);
    }
    wvm_jw_array_end(&w);
    wvm_return_json(ctx, &w);
}

/* One function per parameter type: reads "v" and returns it. */
#define TYPED(name, T, arg, ret)                              \
    static void do_##name(wvm_ctx *ctx, wvm_args *a) {        \
        T v = arg(a, "v");                                    \
        wvm_args_done(a);                                     \
        if (!wvm_failed(ctx))                                 \
            ret(ctx, v);                                      \
    }
TYPED(i32, int32_t, wvm_arg_i32, wvm_return_i32)
TYPED(u32, uint32_t, wvm_arg_u32, wvm_return_u32)
TYPED(i64, int64_t, wvm_arg_i64, wvm_return_i64)
TYPED(u64, uint64_t, wvm_arg_u64, wvm_return_u64)
TYPED(bool, bool, wvm_arg_bool, wvm_return_bool)
TYPED(str, const char *, wvm_arg_str, wvm_return_str)
TYPED(bytes, wvm_bytes, wvm_arg_bytes, wvm_return_bytes)
TYPED(address, wvm_address, wvm_arg_address, wvm_return_address)
TYPED(object_id, wvm_object_id, wvm_arg_object_id, wvm_return_object_id)

/* Pair(a u32, b string): two parameters, for missing/extra checks. */
static void do_pair(wvm_ctx *ctx, wvm_args *a) {
    uint32_t x = wvm_arg_u32(a, "a");
    const char *s = wvm_arg_str(a, "b");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "a");
    wvm_jw_u64(&w, x);
    wvm_jw_key(&w, "b");
    wvm_jw_str(&w, s);
    wvm_jw_object_end(&w);
    wvm_return_json(ctx, &w);
}

static void do_none(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    (void)ctx;
}

/* %q is no conversion: it must come out as written */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-invalid-specifier"
static void do_fmt(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    wvm_error(ctx, "%d %u %lld %llu %s %x %c %% [%5d|%-5d|%05d|%X|%.3s|%s|%i|%lld|%*d|%.*s|%zu|%lx|%-3c|%q]",
              -42, 42u, (long long)INT64_MIN, (unsigned long long)UINT64_MAX, "str", 0xbeefu, 'z',
              7, 7, -7, 0xABCu, "abcdef", (const char *)0, 0, 0ll, 4, 9, 2, "xyz", (size_t)12,
              0xfffffffful, 'c');
}
#pragma clang diagnostic pop

/* Fail then return: the error stays, the result is dropped. */
static void do_fail_then_result(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    wvm_error(ctx, "first");
    wvm_error(ctx, "second");
    wvm_return_u64(ctx, 5);
}

static void do_long_error(wvm_ctx *ctx, wvm_args *a) {
    uint32_t n = wvm_arg_u32(a, "n");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    char *s = wvm_allocate(n + 1);
    memset(s, 'e', n);
    s[n] = 0;
    wvm_log(ctx, "%s", s);
    wvm_error(ctx, "%s", s);
}

/* Store(name, value) / Load(name): a string field of the default object. */
static void do_store(wvm_ctx *ctx, wvm_args *a) {
    const char *name = wvm_arg_str(a, "name");
    const char *value = wvm_arg_str(a, "value");
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        wvm_field_set_str(ctx, wvm_default_object(), name, value);
}

static void do_load(wvm_ctx *ctx, wvm_args *a) {
    const char *name = wvm_arg_str(a, "name");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    const char *v;
    if (!wvm_field_get_str(ctx, wvm_default_object(), name, &v))
        return wvm_error(ctx, "no field %s", name);
    wvm_return_str(ctx, v);
}

/* Objects: an object's life, reported as JSON. */
static void do_objects(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    wvm_address zero = {{0}}, other;
    memset(other.b, 0x77, sizeof other.b);
    wvm_object_id id;
    if (!wvm_object_create(ctx, zero, &id))
        return wvm_error(ctx, "create failed");
    wvm_field_set_u64(ctx, id, "n", UINT64_MAX);
    wvm_field_set_address(ctx, id, "who", other);
    wvm_field_set_str(ctx, id, "b", "bee");
    wvm_field_set(ctx, id, "z", "", 0);
    uint64_t n = 0;
    wvm_address who;
    const char *b = "", **names;
    bool got_n = wvm_field_get_u64(ctx, id, "n", &n);
    bool got_who = wvm_field_get_address(ctx, id, "who", &who) && wvm_address_eq(who, other);
    bool got_b = wvm_field_get_str(ctx, id, "b", &b);
    bool wrong_size = wvm_field_get_u64(ctx, id, "b", &n);
    uint32_t listed = wvm_field_list(ctx, id, NULL, 10, &names);
    const char **after;
    uint32_t listed_after = wvm_field_list(ctx, id, "b", 2, &after);
    bool deleted = wvm_field_delete(ctx, id, "b");
    bool deleted_again = wvm_field_delete(ctx, id, "b");
    wvm_address owner;
    bool has_owner = wvm_object_owner(ctx, id, &owner);
    bool exists = wvm_object_exists(ctx, id);
    bool gone = wvm_object_delete(ctx, id) && !wvm_object_exists(ctx, id);
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "n"); wvm_jw_u64(&w, got_n ? UINT64_MAX : 0);
    wvm_jw_key(&w, "who"); wvm_jw_bool(&w, got_who);
    wvm_jw_key(&w, "b"); wvm_jw_str(&w, got_b ? b : "?");
    wvm_jw_key(&w, "wrong_size"); wvm_jw_bool(&w, wrong_size);
    wvm_jw_key(&w, "names");
    wvm_jw_array_begin(&w);
    for (uint32_t i = 0; i < listed; i++)
        wvm_jw_str(&w, names[i]);
    wvm_jw_array_end(&w);
    wvm_jw_key(&w, "after_b");
    wvm_jw_array_begin(&w);
    for (uint32_t i = 0; i < listed_after; i++)
        wvm_jw_str(&w, after[i]);
    wvm_jw_array_end(&w);
    wvm_jw_key(&w, "deleted"); wvm_jw_bool(&w, deleted && !deleted_again);
    wvm_jw_key(&w, "owner"); wvm_jw_address(&w, has_owner ? owner : zero);
    wvm_jw_key(&w, "exists"); wvm_jw_bool(&w, exists);
    wvm_jw_key(&w, "gone"); wvm_jw_bool(&w, gone);
    wvm_jw_object_end(&w);
    wvm_return_json(ctx, &w);
}

static void do_pay(wvm_ctx *ctx, wvm_args *a) {
    wvm_address to = wvm_arg_address(a, "to");
    uint64_t amount = wvm_arg_u64(a, "amount");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    bool ok = wvm_transfer(ctx, to, amount);
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "ok"); wvm_jw_bool(&w, ok);
    wvm_jw_key(&w, "self"); wvm_jw_u64(&w, wvm_balance(ctx, wvm_self(ctx)));
    wvm_jw_key(&w, "to"); wvm_jw_u64(&w, wvm_balance(ctx, to));
    wvm_jw_object_end(&w);
    wvm_return_json(ctx, &w);
}

/* Emit(n): n events "Ping" {"i": k}. */
static void do_emit(wvm_ctx *ctx, wvm_args *a) {
    uint32_t n = wvm_arg_u32(a, "n");
    wvm_args_done(a);
    for (uint32_t k = 0; k < n && !wvm_failed(ctx); k++) {
        wvm_jw w;
        wvm_jw_init(&w, ctx);
        wvm_jw_object_begin(&w);
        wvm_jw_key(&w, "i");
        wvm_jw_u64(&w, k);
        wvm_jw_object_end(&w);
        wvm_emit(ctx, "Ping", &w);
    }
    if (!wvm_failed(ctx))
        wvm_emit(ctx, "Done", NULL);
}

/* EmitBad(kind): an event whose writer is not a finished object. */
static void do_emit_bad(wvm_ctx *ctx, wvm_args *a) {
    uint32_t kind = wvm_arg_u32(a, "kind");
    wvm_args_done(a);
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    if (kind == 0) {
        wvm_jw_object_begin(&w);       /* never closed */
    } else if (kind == 1) {
        wvm_jw_u64(&w, 1);             /* not an object */
    } else {
        wvm_jw_object_begin(&w);
        wvm_jw_u64(&w, 1);             /* a value without a key */
        wvm_jw_object_end(&w);
    }
    wvm_emit(ctx, "Bad", &w);
}

/* Deep(n): n nested arrays written. */
static void do_deep(wvm_ctx *ctx, wvm_args *a) {
    uint32_t n = wvm_arg_u32(a, "n");
    wvm_args_done(a);
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    for (uint32_t i = 0; i < n; i++)
        wvm_jw_array_begin(&w);
    for (uint32_t i = 0; i < n; i++)
        wvm_jw_array_end(&w);
    wvm_return_json(ctx, &w);
}

/* Big(n): a string result of n bytes (the writer grows). */
static void do_big(wvm_ctx *ctx, wvm_args *a) {
    uint32_t n = wvm_arg_u32(a, "n");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    char *s = wvm_allocate(n + 1);
    for (uint32_t i = 0; i < n; i++)
        s[i] = (char)('a' + i % 26);
    s[n] = 0;
    wvm_return_str(ctx, s);
}

static void do_context(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "sender"); wvm_jw_address(&w, wvm_sender(ctx));
    wvm_jw_key(&w, "self"); wvm_jw_address(&w, wvm_self(ctx));
    wvm_jw_key(&w, "origin"); wvm_jw_address(&w, wvm_origin(ctx));
    wvm_jw_key(&w, "height"); wvm_jw_u64(&w, wvm_block_height(ctx));
    wvm_jw_key(&w, "time"); wvm_jw_u64(&w, wvm_block_time(ctx));
    wvm_jw_object_end(&w);
    wvm_return_json(ctx, &w);
}

static void do_call_info(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    wvm_address caller;
    const char *fn = wvm_caller_function(ctx);
    uint32_t depth = wvm_call_depth(ctx);
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "caller");
    if (wvm_caller(ctx, &caller)) wvm_jw_address(&w, caller); else wvm_jw_null(&w);
    wvm_jw_key(&w, "caller_function");
    if (fn) wvm_jw_str(&w, fn); else wvm_jw_null(&w);
    wvm_jw_key(&w, "depth"); wvm_jw_u64(&w, depth);
    wvm_jw_key(&w, "frames");
    wvm_jw_array_begin(&w);
    for (uint32_t i = 0; i <= depth; i++) {   /* one past the end: not found */
        wvm_address c;
        const char *f;
        if (!wvm_call_frame(ctx, i, &c, &f)) {
            wvm_jw_null(&w);
            continue;
        }
        wvm_jw_array_begin(&w);
        wvm_jw_address(&w, c);
        wvm_jw_str(&w, f);
        wvm_jw_array_end(&w);
    }
    wvm_jw_array_end(&w);
    wvm_jw_key(&w, "reentrant"); wvm_jw_bool(&w, wvm_is_reentrant(ctx));
    wvm_jw_object_end(&w);
    wvm_return_json(ctx, &w);
}

/* Call(target, function, params): a cross-contract call's outcome. */
static void do_call(wvm_ctx *ctx, wvm_args *a) {
    wvm_address target = wvm_arg_address(a, "target");
    const char *function = wvm_arg_str(a, "function");
    const char *params = wvm_arg_str(a, "params");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    wvm_call_result r;
    bool ok = wvm_call(ctx, target, function, params, &r);
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "ok"); wvm_jw_bool(&w, ok);
    if (ok) {
        wvm_jw_key(&w, "result");
        wvm_jw_value(&w, r.value);
        wvm_jw_key(&w, "params_u64");
        uint64_t u = 0;
        wvm_json_u64(wvm_json_get(wvm_json_get(r.value, "params"), "v"), &u);
        wvm_jw_u64(&w, u);
    } else {
        wvm_jw_key(&w, "kind"); wvm_jw_u64(&w, r.error_kind);
        wvm_jw_key(&w, "message"); wvm_jw_str(&w, r.message);
    }
    wvm_jw_object_end(&w);
    wvm_return_json(ctx, &w);
}

/* Writer(k): misuse case k of the JSON writer; {"failed": ..., "text": ...}. */
static void do_writer(wvm_ctx *ctx, wvm_args *a) {
    uint32_t k = wvm_arg_u32(a, "k");
    wvm_args_done(a);
    if (wvm_failed(ctx))
        return;
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    switch (k) {
    case 0: wvm_jw_key(&w, "top"); break;                           /* key outside an object */
    case 1: wvm_jw_object_begin(&w); wvm_jw_u64(&w, 1); break;      /* value without a key */
    case 2: wvm_jw_array_begin(&w); wvm_jw_object_end(&w); break;   /* mismatched end */
    case 3: wvm_jw_array_end(&w); break;                            /* end at depth 0 */
    case 4: wvm_jw_u64(&w, 1); wvm_jw_u64(&w, 2); break;            /* two top-level values */
    case 5: wvm_jw_object_begin(&w); wvm_jw_key(&w, "a"); wvm_jw_key(&w, "b"); break;
    case 6: wvm_jw_array_begin(&w); wvm_jw_raw(&w, "[1,", 3); break;
    case 7:
        wvm_jw_array_begin(&w);
        wvm_jw_raw(&w, "[1,{\"a\":2}]", 11);
        wvm_jw_i64(&w, INT64_MIN);
        wvm_jw_str(&w, "t\x01\"\\");
        wvm_jw_array_end(&w);
        break;
    case 8: wvm_jw_object_begin(&w); wvm_jw_key(&w, "a"); wvm_jw_object_end(&w); break;
    case 9: {                                                       /* past WVM_JW_MAX_LEN */
        char *s = wvm_allocate(65536);
        memset(s, 'x', 65535);
        wvm_jw_array_begin(&w);
        for (int i = 0; i < 17; i++)
            wvm_jw_str(&w, s);
        break;
    }
    }
    bool failed = w.failed;
    const char *text = w.buf ? w.buf : "";
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "failed");
    wvm_jw_bool(&w, failed);
    wvm_jw_key(&w, "text");
    wvm_jw_str(&w, failed ? "" : text);
    wvm_jw_object_end(&w);
    wvm_return_json(ctx, &w);
}

/* Grow(n): allocates n KiB in the arena, so tests can see it reset. */
static void do_grow(wvm_ctx *ctx, wvm_args *a) {
    uint32_t n = wvm_arg_u32(a, "n");
    wvm_args_done(a);
    if (!wvm_failed(ctx))
        memset(wvm_allocate(n * 1024), 1, n * 1024);
}

/* The SDK's private byte helpers (sdk/src/mem.c, hex.c), declared here
 * to be checked against plain loops at every alignment and length. */
uint32_t mem_strlen(const char *s);
bool mem_eq(const void *a, const void *b, uint32_t n);
void hex_encode(char *out, const uint8_t *b, uint32_t n);
bool hex_decode(const char *s, uint32_t len, uint8_t *out, uint32_t n);

/* Internals: the number of disagreements with the plain loops (0). */
static void do_internals(wvm_ctx *ctx, wvm_args *a) {
    wvm_args_done(a);
    static char buf[96];
    uint32_t bad = 0;
    for (uint32_t at = 0; at < 16; at++)          /* mem_strlen */
        for (uint32_t len = 0; len < 48; len++) {
            for (uint32_t i = 0; i < sizeof buf; i++)
                buf[i] = (char)(i < at || i >= at + len ? 0 : 0x80 | (i * 7 + 1));
            bad += mem_strlen(buf + at) != len;
        }
    static uint8_t x[48], y[48];
    for (uint32_t i = 0; i < sizeof x; i++)
        x[i] = y[i] = (uint8_t)(i * 13 + 5);
    for (uint32_t at = 0; at < 8; at++)           /* mem_eq */
        for (uint32_t n = 0; at + n <= 40; n++) {
            bad += !mem_eq(x + at, y + at, n);
            for (uint32_t d = 0; d < n; d++) {
                y[at + d] ^= 0x40;
                bad += mem_eq(x + at, y + at, n);
                y[at + d] ^= 0x40;
            }
        }
    uint8_t one[3], back[3];                       /* hex, every byte at each place */
    char text[2 + 6 + 1];
    for (uint32_t v = 0; v < 256; v++)
        for (uint32_t at = 0; at < 3; at++) {
            one[0] = one[1] = one[2] = 0xA5;
            one[at] = (uint8_t)v;
            hex_encode(text, one, 3);
            bad += !hex_decode(text, 8, back, 3) || !mem_eq(one, back, 3);
            for (uint32_t i = 2; i < 8; i++)       /* upper case reads the same */
                if (text[i] >= 'a')
                    text[i] = (char)(text[i] - 32);
            bad += !hex_decode(text, 8, back, 3) || !mem_eq(one, back, 3);
        }
    for (uint32_t c = 0; c < 256; c++) {          /* every non-digit refused, anywhere */
        bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        for (uint32_t i = 2; i < 8; i++) {
            memcpy(text, "0x00ff7a", 9);
            text[i] = (char)c;
            bad += hex_decode(text, 8, back, 3) != digit;
        }
    }
    wvm_return_u32(ctx, bad);
}

WVM_EXPORTS({"Echo", do_echo}, {"Parse", do_parse}, {"Ints", do_ints}, {"I32", do_i32},
            {"U32", do_u32}, {"I64", do_i64}, {"U64", do_u64}, {"Bool", do_bool},
            {"Str", do_str}, {"Bytes", do_bytes}, {"Address", do_address},
            {"ObjectId", do_object_id}, {"Pair", do_pair}, {"None", do_none}, {"Fmt", do_fmt},
            {"FailThenResult", do_fail_then_result}, {"LongError", do_long_error},
            {"Store", do_store}, {"Load", do_load}, {"Objects", do_objects}, {"Pay", do_pay},
            {"Emit", do_emit}, {"EmitBad", do_emit_bad}, {"Deep", do_deep}, {"Big", do_big},
            {"Context", do_context}, {"CallInfo", do_call_info}, {"Call", do_call},
            {"Grow", do_grow}, {"Writer", do_writer}, {"Internals", do_internals})
