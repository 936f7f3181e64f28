/*
 * json_read.c -- the contract-side JSON reader: bounded (nesting at most
 * WVM_JSON_MAX_DEPTH), strict (RFC 8259: no trailing commas, comments,
 * leading zeros, lone surrogates, invalid UTF-8, duplicate keys), and
 * exact for integers: any integer from -(2^64 - 1) to 2^64 - 1 is kept as
 * sign and 64-bit magnitude, never as a double.
 *
 * Why duplicate keys are refused: with two "amount" keys one reader takes
 * the first and another the last, and a contract would act on a value
 * the caller's tools never showed.
 */
#include "sdk.h"

/* The reader's cursor is a local of each function, passed in and
 * returned (JR_FAIL after a failure): kept in a struct behind a pointer,
 * every byte read and every step would be a load and a store more, and
 * fuel is per instruction. */
typedef struct jr {
    const char *s;
    uint32_t len, depth;
    const char *err;
} jr;

#define JR_FAIL UINT32_MAX   /* no text reaches it: it would fill the memory */

/* Records "offset AT: why" (the first failure only); returns JR_FAIL.
 * Out of line: its digit buffer would give every caller a stack frame. */
static __attribute__((noinline)) uint32_t jr_fail(jr *r, uint32_t at, const char *why) {
    if (!r->err) {
        char *buf = arena_alloc(96);
        static const char pre[] = "offset ";
        memcpy(buf, pre, sizeof pre - 1);
        char num[12], *p = num + sizeof num;
        uint32_t v = at;
        *--p = 0;
        do {
            *--p = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        uint32_t o = sizeof pre - 1;
        while (*p)
            buf[o++] = *p++;
        buf[o++] = ':';
        buf[o++] = ' ';
        while (*why && o < 95)
            buf[o++] = *why++;
        buf[o] = 0;
        r->err = buf;
    }
    return JR_FAIL;
}

static uint32_t jr_space(const jr *r, uint32_t at) {
    /* mostly there is none: a byte above ' ' is one test */
    if (at < r->len && (uint8_t)r->s[at] > ' ')
        return at;
    while (at < r->len) {
        char c = r->s[at];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        at++;
    }
    return at;
}

static uint32_t jr_word(jr *r, uint32_t at, const char *w, uint32_t n) {
    if (r->len - at < n || !mem_eq(r->s + at, w, n))
        return jr_fail(r, at, "invalid literal");
    return at + n;
}

static bool jr_digit(char c) {
    return c >= '0' && c <= '9';
}

static uint32_t jr_number(jr *r, uint32_t at, wvm_json *v) {
    const char *s = r->s;
    uint32_t start = at, len = r->len;
    bool neg = false, integral = true, big = false;
    uint64_t mag = 0;
    if (s[at] == '-') {
        neg = true;
        at++;
    }
    if (at >= len || !jr_digit(s[at]))
        return jr_fail(r, at, "invalid number");
    if (s[at] == '0' && at + 1 < len && jr_digit(s[at + 1]))
        return jr_fail(r, at, "invalid number: leading zero");
    while (at < len && jr_digit(s[at])) {
        uint64_t d = (uint64_t)(s[at] - '0');
        if (mag > (UINT64_MAX - d) / 10)
            big = true;
        else
            mag = mag * 10 + d;
        at++;
    }
    if (at < len && s[at] == '.') {
        integral = false;
        at++;
        if (at >= len || !jr_digit(s[at]))
            return jr_fail(r, at, "invalid number: no digit after '.'");
        while (at < len && jr_digit(s[at]))
            at++;
    }
    if (at < len && (s[at] == 'e' || s[at] == 'E')) {
        integral = false;
        at++;
        if (at < len && (s[at] == '+' || s[at] == '-'))
            at++;
        if (at >= len || !jr_digit(s[at]))
            return jr_fail(r, at, "invalid number: no digit in the exponent");
        while (at < len && jr_digit(s[at]))
            at++;
    }
    if (integral && !big) {
        v->type = WVM_JSON_INT;
        v->neg = neg && mag != 0;
        v->u.mag = mag;
    } else {
        /* kept as its text: a fraction, an exponent, or an integer
         * beyond 64 bits (`big`, so range errors can say so) */
        v->type = WVM_JSON_FLOAT;
        v->big = integral;
        v->u.s = s + start;
        v->n = at - start;
    }
    return at;
}

static int jr_hex4(const char *s) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 if invalid. */
static uint32_t jr_utf8(const uint8_t *s, uint32_t n) {
    uint8_t c = s[0];
    uint32_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    else if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0) lo = 0xA0;          /* overlong */
        if (c == 0xED) hi = 0x9F;          /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0) lo = 0x90;          /* overlong */
        if (c == 0xF4) hi = 0x8F;          /* past U+10FFFF */
    } else
        return 0;
    if (n < need + 1)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (uint32_t i = 2; i <= need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need + 1;
}

static uint32_t jr_put_utf8(char *o, uint32_t cp) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* jr_string's careful path, from the string's first byte at `at`:
 * escapes, UTF-8, control characters.  Out of line, so the usual path
 * has no stack frame. */
static __attribute__((noinline)) uint32_t jr_string_careful(jr *r, uint32_t at, const char **out,
                                                            uint32_t *len) {
    const char *s = r->s;
    uint32_t n_in = r->len;
    /* the decoded text is never longer than the raw text */
    uint32_t end = at;
    while (end < n_in && s[end] != '"')
        end += s[end] == '\\' ? 2 : 1;
    if (end >= n_in)
        return jr_fail(r, n_in, "unterminated string");
    char *o = arena_raw(end - at + 1);
    uint32_t n = 0;
    while (s[at] != '"') {
        uint8_t c = (uint8_t)s[at];
        if (c < 0x20)
            return jr_fail(r, at, "control character in a string");
        if (c < 0x80 && c != '\\') {   /* ASCII: most of any text */
            o[n++] = (char)c;
            at++;
            continue;
        }
        if (c != '\\') {
            uint32_t k = jr_utf8((const uint8_t *)s + at, n_in - at);
            if (k == 0)
                return jr_fail(r, at, "invalid UTF-8 in a string");
            memcpy(o + n, s + at, k);
            n += k;
            at += k;
            continue;
        }
        char e = s[at + 1], plain = 0;
        switch (e) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        }
        if (plain) {
            o[n++] = plain;
            at += 2;
            continue;
        }
        if (e != 'u')
            return jr_fail(r, at, "invalid escape");
        if (n_in - at < 6)
            return jr_fail(r, at, "invalid \\u escape");
        int cp = jr_hex4(s + at + 2);
        if (cp < 0)
            return jr_fail(r, at, "invalid \\u escape");
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return jr_fail(r, at, "lone low surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = n_in - at >= 12 && s[at + 6] == '\\' && s[at + 7] == 'u'
                         ? jr_hex4(s + at + 8) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return jr_fail(r, at, "lone high surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            at += 6;
        }
        n += jr_put_utf8(o + n, (uint32_t)cp);
        at += 6;
    }
    o[n] = 0;
    *out = o;
    *len = n;
    return at + 1;
}


/* The string whose opening quote is at `at`: decoded into the arena,
 * NUL-terminated (it may hold NULs from \u0000; *len counts them). */
static uint32_t jr_string(jr *r, uint32_t at, const char **out, uint32_t *len) {
    const char *s = r->s;
    uint32_t n_in = r->len;
    at++;
    /* Most strings -- keys, addresses, amounts -- are printable ASCII
     * without escapes: find the closing quote and copy them whole. */
    uint32_t stop = at + json_plain_run(s + at, n_in - at, true);
    if (stop < n_in && s[stop] == '"') {
        uint32_t n = stop - at;
        char *o = arena_raw(n + 1);
        memcpy(o, s + at, n);
        o[n] = 0;
        *out = o;
        *len = n;
        return stop + 1;
    }
    return jr_string_careful(r, at, out, len);
}

static uint32_t jr_value(jr *r, uint32_t at, wvm_json *v);

/* The array or object whose opener is at `at`. */
static uint32_t jr_container(jr *r, uint32_t at, wvm_json *v, bool object) {
    if (++r->depth > WVM_JSON_MAX_DEPTH)
        return jr_fail(r, at, "nesting deeper than 64");
    const char *s = r->s;
    uint32_t len = r->len;
    v->type = object ? WVM_JSON_OBJECT : WVM_JSON_ARRAY;
    char close = object ? '}' : ']';
    json_member *m = NULL;   /* v->u.m: room for cap members */
    uint32_t cap = 0;
    at = jr_space(r, at + 1);
    if (at < len && s[at] == close) {
        r->depth--;
        return at + 1;
    }
    for (;;) {
        if (v->n == cap) {
            /* members move as a whole: nothing points into them while
             * this container is read (a nested value has its own) */
            cap = cap ? cap * 2 : 4;
            json_member *grown = arena_raw(cap * sizeof *grown);
            if (v->n)
                memcpy(grown, m, v->n * sizeof *grown);
            v->u.m = m = grown;
        }
        json_member *e = &m[v->n];
        e->key = NULL;
        e->key_len = 0;
        memset(&e->v, 0, sizeof e->v);
        at = jr_space(r, at);
        if (object) {
            if (at >= len || s[at] != '"')
                return jr_fail(r, at, at >= len ? "unexpected end of input"
                                                : "expected a string key");
            uint32_t kat = at;
            if ((at = jr_string(r, at, &e->key, &e->key_len)) == JR_FAIL)
                return JR_FAIL;
            for (uint32_t i = 0; i < v->n; i++)
                if (m[i].key_len == e->key_len && mem_eq(m[i].key, e->key, e->key_len))
                    return jr_fail(r, kat, "duplicate key");
            at = jr_space(r, at);
            if (at >= len || s[at] != ':')
                return jr_fail(r, at, "expected ':' after a key");
            at++;
        }
        if ((at = jr_value(r, at, &e->v)) == JR_FAIL)
            return JR_FAIL;
        v->n++;
        at = jr_space(r, at);
        if (at >= len)
            return jr_fail(r, at, "unexpected end of input");
        if (s[at] == close) {
            r->depth--;
            return at + 1;
        }
        if (s[at] != ',')
            return jr_fail(r, at, object ? "expected ',' or '}'" : "expected ',' or ']'");
        at++;
    }
}

static uint32_t jr_value(jr *r, uint32_t at, wvm_json *v) {
    at = jr_space(r, at);
    if (at >= r->len)
        return jr_fail(r, at, "unexpected end of input");
    switch (r->s[at]) {
    case '{': return jr_container(r, at, v, true);
    case '[': return jr_container(r, at, v, false);
    case '"':
        v->type = WVM_JSON_STRING;
        return jr_string(r, at, &v->u.s, &v->n);
    case 't':
        v->type = WVM_JSON_BOOL;
        v->u.b = true;
        return jr_word(r, at, "true", 4);
    case 'f':
        v->type = WVM_JSON_BOOL;
        return jr_word(r, at, "false", 5);
    case 'n':
        v->type = WVM_JSON_NULL;
        return jr_word(r, at, "null", 4);
    default:
        if (r->s[at] == '-' || jr_digit(r->s[at]))
            return jr_number(r, at, v);
        return jr_fail(r, at, "unexpected character");
    }
}

wvm_json *wvm_json_parse(wvm_ctx *ctx, const char *text, uint32_t len, const char **err) {
    (void)ctx;
    jr r = {text, len, 0, NULL};
    wvm_json *v = arena_alloc(sizeof *v);
    uint32_t at = jr_value(&r, 0, v);
    if (at != JR_FAIL) {
        at = jr_space(&r, at);
        if (at != len)
            at = jr_fail(&r, at, "trailing characters after the value");
    }
    if (err)
        *err = at != JR_FAIL ? NULL : r.err;
    return at != JR_FAIL ? v : NULL;
}

wvm_json_type wvm_json_typeof(const wvm_json *v) {
    return v->type;
}

const wvm_json *wvm_json_get(const wvm_json *obj, const char *key) {
    if (!obj || obj->type != WVM_JSON_OBJECT)
        return NULL;
    uint32_t kl = mem_strlen(key);
    for (uint32_t i = 0; i < obj->n; i++)
        if (obj->u.m[i].key_len == kl && mem_eq(obj->u.m[i].key, key, kl))
            return &obj->u.m[i].v;
    return NULL;
}

uint32_t wvm_json_len(const wvm_json *v) {
    return v && (v->type == WVM_JSON_ARRAY || v->type == WVM_JSON_OBJECT) ? v->n : 0;
}

const wvm_json *wvm_json_at(const wvm_json *v, uint32_t i) {
    return i < wvm_json_len(v) ? &v->u.m[i].v : NULL;
}

const char *wvm_json_key_at(const wvm_json *obj, uint32_t i) {
    return obj && obj->type == WVM_JSON_OBJECT && i < obj->n ? obj->u.m[i].key : NULL;
}

int json_integer(const wvm_json *v, bool *neg, uint64_t *mag) {
    if (v->type == WVM_JSON_INT) {
        *neg = v->neg;
        *mag = v->u.mag;
        return JSON_INT_OK;
    }
    if (v->type == WVM_JSON_FLOAT)
        return v->big ? JSON_INT_RANGE : JSON_INT_NOT;
    if (v->type != WVM_JSON_STRING)
        return JSON_INT_NOT;
    /* a decimal string: the JSON integer grammar, nothing around it */
    const char *s = v->u.s;
    uint32_t n = v->n, i = 0;
    *neg = n > 0 && s[0] == '-';
    i = *neg;
    if (i == n || (s[i] == '0' && n - i > 1))
        return JSON_INT_NOT;
    uint64_t m = 0;
    bool big = false;
    for (; i < n; i++) {
        if (!jr_digit(s[i]))
            return JSON_INT_NOT;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (m > (UINT64_MAX - d) / 10)
            big = true;
        else
            m = m * 10 + d;
    }
    if (big)
        return JSON_INT_RANGE;
    *mag = m;
    *neg = *neg && m != 0;
    return JSON_INT_OK;
}

bool wvm_json_u64(const wvm_json *v, uint64_t *out) {
    bool neg;
    uint64_t mag;
    if (!v || json_integer(v, &neg, &mag) != JSON_INT_OK || neg)
        return false;
    *out = mag;
    return true;
}

bool wvm_json_i64(const wvm_json *v, int64_t *out) {
    bool neg;
    uint64_t mag;
    if (!v || json_integer(v, &neg, &mag) != JSON_INT_OK)
        return false;
    if (neg ? mag > (uint64_t)INT64_MAX + 1 : mag > (uint64_t)INT64_MAX)
        return false;
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

bool wvm_json_bool(const wvm_json *v, bool *out) {
    if (!v || v->type != WVM_JSON_BOOL)
        return false;
    *out = v->u.b;
    return true;
}

const char *wvm_json_str(const wvm_json *v, uint32_t *len) {
    if (!v || v->type != WVM_JSON_STRING)
        return NULL;
    if (len)
        *len = v->n;
    return v->u.s;
}
