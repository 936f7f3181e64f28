/*
 * json_write.c -- the contract-side JSON writer: into a growable arena
 * buffer, keys and strings escaped, integers exact, nesting at most
 * WVM_JSON_MAX_DEPTH.  Misuse (a value where a key is due, an end that
 * does not match, a second top-level value, nesting too deep, text past
 * WVM_JW_MAX_LEN) sets w->failed; whoever consumes the writer (wvm_emit,
 * wvm_return_json) then fails the call instead of sending broken JSON.
 */
#include "sdk.h"

/* The first buffer: room for a small event or result (token's
 * Transfer event is 112 bytes) without growing. */
#define JW_FIRST_CAP 256

void wvm_jw_init(wvm_jw *w, wvm_ctx *ctx) {
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
    /* allocated now: every writer writes, and the arena's usual case is
     * inline here, where jw_room would take its slow path */
    w->buf = arena_raw(JW_FIRST_CAP);
    w->buf[0] = 0;
    w->cap = JW_FIRST_CAP;
}

/* jw_room's slow path: a bigger buffer, or failing the writer. */
static __attribute__((noinline)) char *jw_grow(wvm_jw *w, uint32_t n) {
    if (w->failed)
        return NULL;
    if ((uint64_t)w->len + n > WVM_JW_MAX_LEN) {
        w->failed = true;
        return NULL;
    }
    uint32_t cap = w->cap ? w->cap : JW_FIRST_CAP;
    while (cap < w->len + n + 1)
        cap *= 2;
    if (cap > WVM_JW_MAX_LEN + 1)   /* keeps jw_room's test within the limit */
        cap = WVM_JW_MAX_LEN + 1;
    char *buf = arena_raw(cap);
    if (w->len)
        memcpy(buf, w->buf, w->len);
    w->buf = buf;
    w->cap = cap;
    return w->buf + w->len;
}

/* Room for n more bytes (and the NUL after them) at the end of the
 * text: where to write them, or NULL after failing the writer.  The
 * caller writes all n and then calls jw_commit.  The test of the usual
 * case is one comparison: cap is at most WVM_JW_MAX_LEN + 1, so text
 * that fits is within the limit too. */
static char *jw_room(wvm_jw *w, uint32_t n) {
    if (!w->failed && n < w->cap - w->len)
        return w->buf + w->len;
    return jw_grow(w, n);
}

static void jw_commit(wvm_jw *w, uint32_t n) {
    w->len += n;
    w->buf[w->len] = 0;
}

static void jw_put(wvm_jw *w, const char *s, uint32_t n) {
    char *o = jw_room(w, n);
    if (!o)
        return;
    memcpy(o, s, n);
    jw_commit(w, n);
}

static bool jw_in_object(const wvm_jw *w) {
    return w->depth > 0 && (w->objects >> (w->depth - 1) & 1);
}

/* Before any value: the comma, and the checks of where a value may go.
 * Inline in every value writer: a call costs about what the checks do. */
static inline __attribute__((always_inline)) bool jw_value(wvm_jw *w) {
    if (w->failed)
        return false;
    if (w->depth == 0 ? w->len > 0 : jw_in_object(w) != w->after_key) {
        w->failed = true;
        return false;
    }
    if (w->need_comma && !w->after_key)
        jw_put(w, ",", 1);
    w->after_key = false;
    w->need_comma = true;
    return true;
}

static void jw_begin(wvm_jw *w, bool object) {
    if (!jw_value(w))
        return;
    if (w->depth == WVM_JSON_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    if (object)
        w->objects |= 1ull << w->depth;
    else
        w->objects &= ~(1ull << w->depth);
    w->depth++;
    w->need_comma = false;
    jw_put(w, object ? "{" : "[", 1);
}

static void jw_end(wvm_jw *w, bool object) {
    if (w->failed)
        return;
    if (w->depth == 0 || jw_in_object(w) != object || w->after_key) {
        w->failed = true;
        return;
    }
    w->depth--;
    w->need_comma = true;
    jw_put(w, object ? "}" : "]", 1);
}

void wvm_jw_object_begin(wvm_jw *w) { jw_begin(w, true); }
void wvm_jw_object_end(wvm_jw *w) { jw_end(w, true); }
void wvm_jw_array_begin(wvm_jw *w) { jw_begin(w, false); }
void wvm_jw_array_end(wvm_jw *w) { jw_end(w, false); }

/* Bytes written as they are inside a string: all but control
 * characters, the quote and the backslash (UTF-8 passes through). */
static const bool jw_plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* 0x10 */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x20: the quote */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,   /* 0x50: the backslash */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x80 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* The lanes of x (eight bytes, the first in the low lane) that a string
 * cannot hold as they are: control characters, the quote, the
 * backslash, and with `ascii` bytes >= 0x80, each marked by its top
 * bit.  The lowest mark is exact (a false one needs a borrow, and
 * borrows only run up from a true one). */
static uint64_t json_special(uint64_t x, bool ascii) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t low = x - 0x2020202020202020ull;               /* < 0x20 */
    uint64_t quote = (x ^ 0x2222222222222222ull) - ones;    /* == '"' */
    uint64_t bslash = (x ^ 0x5C5C5C5C5C5C5C5Cull) - ones;   /* == '\\' */
    return (((low | quote | bslash) & ~x) | (ascii ? x : 0)) & highs;
}

/* json_plain_run's last 0 to 7 bytes, padded with 'a' in a word: out of
 * line, so that a run ending in the loop (a reader's usual string, whose
 * quote comes before the text's last bytes) keeps its word in a local,
 * not in a stack slot. */
static __attribute__((noinline)) uint32_t json_plain_tail(const char *s, uint32_t n,
                                                          bool ascii) {
    uint64_t x = 0x6161616161616161ull, m;
    memcpy(&x, s, n);
    return (m = json_special(x, ascii)) ? (uint32_t)(__builtin_ctzll(m) >> 3) : n;
}

uint32_t json_plain_run(const char *s, uint32_t n, bool ascii) {
    uint32_t i = 0;
    uint64_t x, m;
    for (; n - i >= 8; i += 8) {
        memcpy(&x, s + i, 8);   /* one unaligned load */
        if ((m = json_special(x, ascii)))
            return i + (uint32_t)(__builtin_ctzll(m) >> 3);
    }
    return i + json_plain_tail(s + i, n - i, ascii);
}

/* The length of the leading run of the NUL-terminated s that a string
 * holds as it is: it ends at the NUL (a control character) or at the
 * first byte to escape.  Aligned words, as mem_strlen reads them (never
 * past the memory), the bytes before s made 0xFF (plain here). */
static uint32_t json_plain_cstr(const char *s) {
    typedef uint64_t __attribute__((may_alias)) word;
    uintptr_t at = (uintptr_t)s;
    const word *w = (const word *)(at & ~(uintptr_t)7);
    uint64_t x = *w | ((1ull << ((at & 7) * 8)) - 1), m;
    while (!(m = json_special(x, false)))
        x = *++w;
    return (uint32_t)((const char *)w - s) + (uint32_t)(__builtin_ctzll(m) >> 3);
}

/* Out of line: its escape buffer would give every caller a stack frame. */
static __attribute__((noinline)) void jw_escaped(wvm_jw *w, const char *s, uint32_t n) {
    static const char hex[] = "0123456789abcdef";
    uint32_t run = json_plain_run(s, n, false);
    if (run == n) {   /* nothing to escape: the usual case, in one go */
        char *o = jw_room(w, n + 2);
        if (!o)
            return;
        o[0] = '"';
        memcpy(o + 1, s, n);
        o[n + 1] = '"';
        jw_commit(w, n + 2);
        return;
    }
    jw_put(w, "\"", 1);
    uint32_t from = 0;   /* s[from, i) goes out as it is */
    for (uint32_t i = run; i < n; i++) {
        uint8_t c = (uint8_t)s[i];
        if (jw_plain[c])
            continue;
        jw_put(w, s + from, i - from);
        from = i + 1;
        char e[6] = {'\\', 0};
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        default:
            e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[c >> 4], e[5] = hex[c & 15];
            jw_put(w, e, 6);
            continue;
        }
        jw_put(w, e, 2);
    }
    jw_put(w, s + from, n - from);
    jw_put(w, "\"", 1);
}

/* A key that needs no escape and its colon, after the comma if one is
 * due, in one piece. */
static void jw_key_plain(wvm_jw *w, const char *key, uint32_t n) {
    w->after_key = true;
    uint32_t comma = w->need_comma;
    char *o = jw_room(w, comma + n + 3);
    if (!o)
        return;
    o[0] = ',';   /* overwritten by the quote when no comma is due */
    o[comma] = '"';
    memcpy(o + comma + 1, key, n);
    o[comma + n + 1] = '"';
    o[comma + n + 2] = ':';
    jw_commit(w, comma + n + 3);
}

/* Any key (it may hold NULs, from \u0000: written by length). */
static void jw_key(wvm_jw *w, const char *key, uint32_t n) {
    if (json_plain_run(key, n, false) == n)
        return jw_key_plain(w, key, n);
    if (w->need_comma)
        jw_put(w, ",", 1);
    jw_escaped(w, key, n);
    jw_put(w, ":", 1);
    w->after_key = true;
}

void wvm_jw_key(wvm_jw *w, const char *key) {
    if (w->failed)
        return;
    if (!jw_in_object(w) || w->after_key) {
        w->failed = true;
        return;
    }
    /* one scan finds the length of a key that needs no escape */
    uint32_t n = json_plain_cstr(key);
    if (key[n] == 0)
        jw_key_plain(w, key, n);
    else
        jw_key(w, key, mem_strlen(key));
}

static void jw_uint(wvm_jw *w, bool neg, uint64_t v) {
    char tmp[21], *p = tmp + sizeof tmp;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        *--p = '-';
    if (jw_value(w))
        jw_put(w, p, (uint32_t)(tmp + sizeof tmp - p));
}

void wvm_jw_u64(wvm_jw *w, uint64_t v) { jw_uint(w, false, v); }
void wvm_jw_i64(wvm_jw *w, int64_t v) {
    jw_uint(w, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

void wvm_jw_bool(wvm_jw *w, bool v) {
    if (jw_value(w))
        jw_put(w, v ? "true" : "false", v ? 4 : 5);
}

void wvm_jw_null(wvm_jw *w) {
    if (jw_value(w))
        jw_put(w, "null", 4);
}

void wvm_jw_strn(wvm_jw *w, const char *s, uint32_t len) {
    if (jw_value(w))
        jw_escaped(w, s, len);
}

void wvm_jw_str(wvm_jw *w, const char *s) {
    wvm_jw_strn(w, s, mem_strlen(s));
}

static void jw_hex(wvm_jw *w, const uint8_t *b, uint32_t n) {
    if (!jw_value(w))
        return;
    if (n > WVM_JW_MAX_LEN / 2) {
        w->failed = true;
        return;
    }
    char *o = jw_room(w, 2 * n + 4);
    if (!o)
        return;
    o[0] = '"';
    hex_encode(o + 1, b, n);   /* its NUL is overwritten by the quote */
    o[2 * n + 3] = '"';
    jw_commit(w, 2 * n + 4);
}

void wvm_jw_address(wvm_jw *w, wvm_address a) { jw_hex(w, a.b, sizeof a.b); }
void wvm_jw_object_id(wvm_jw *w, wvm_object_id id) { jw_hex(w, id.b, sizeof id.b); }
void wvm_jw_bytes(wvm_jw *w, wvm_bytes b) { jw_hex(w, b.ptr, b.len); }

void wvm_jw_raw(wvm_jw *w, const char *json, uint32_t len) {
    /* checked, so a writer never holds text that is not JSON */
    const char *err;
    if (!wvm_json_parse(w->ctx, json, len, &err)) {
        w->failed = true;
        return;
    }
    if (jw_value(w))
        jw_put(w, json, len);
}

void wvm_jw_value(wvm_jw *w, const wvm_json *v) {
    switch (v->type) {
    case WVM_JSON_NULL: wvm_jw_null(w); break;
    case WVM_JSON_BOOL: wvm_jw_bool(w, v->u.b); break;
    case WVM_JSON_INT: jw_uint(w, v->neg, v->u.mag); break;
    case WVM_JSON_FLOAT:
        if (jw_value(w))
            jw_put(w, v->u.s, v->n);   /* its text, as it came */
        break;
    case WVM_JSON_STRING: wvm_jw_strn(w, v->u.s, v->n); break;
    case WVM_JSON_ARRAY:
    case WVM_JSON_OBJECT: {
        bool obj = v->type == WVM_JSON_OBJECT;
        jw_begin(w, obj);
        for (uint32_t i = 0; i < v->n && !w->failed; i++) {
            if (obj) {
                jw_key(w, v->u.m[i].key, v->u.m[i].key_len);
            }
            wvm_jw_value(w, &v->u.m[i].v);
        }
        jw_end(w, obj);
        break;
    }
    }
}

void wvm_return_json(wvm_ctx *ctx, const wvm_jw *w) {
    if (w->failed || w->depth != 0 || w->len == 0) {
        wvm_error(ctx, "result: the JSON writer holds no finished value");
        return;
    }
    wvm_result_json(ctx, w->buf, w->len);
}
