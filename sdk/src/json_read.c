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

typedef struct jr {
    const char *s;
    uint32_t len, at, depth;
    const char *err;
} jr;

static bool jr_fail(jr *r, const char *why) {
    if (!r->err) {
        char *buf = arena_alloc(96);
        static const char pre[] = "offset ";
        memcpy(buf, pre, sizeof pre - 1);
        char num[12], *p = num + sizeof num;
        uint32_t v = r->at;
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
    return false;
}

static void jr_space(jr *r) {
    /* mostly there is none: a byte above ' ' is one test */
    if (r->at < r->len && (uint8_t)r->s[r->at] > ' ')
        return;
    while (r->at < r->len) {
        char c = r->s[r->at];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        r->at++;
    }
}

static bool jr_word(jr *r, const char *w) {
    uint32_t n = mem_strlen(w);
    if (r->len - r->at < n || !mem_eq(r->s + r->at, w, n))
        return jr_fail(r, "invalid literal");
    r->at += n;
    return true;
}

static bool jr_digit(char c) {
    return c >= '0' && c <= '9';
}

static bool jr_number(jr *r, wvm_json *v) {
    uint32_t start = r->at;
    bool neg = false, integral = true, big = false;
    uint64_t mag = 0;
    if (r->s[r->at] == '-') {
        neg = true;
        r->at++;
    }
    if (r->at >= r->len || !jr_digit(r->s[r->at]))
        return jr_fail(r, "invalid number");
    if (r->s[r->at] == '0' && r->at + 1 < r->len && jr_digit(r->s[r->at + 1]))
        return jr_fail(r, "invalid number: leading zero");
    while (r->at < r->len && jr_digit(r->s[r->at])) {
        uint64_t d = (uint64_t)(r->s[r->at] - '0');
        if (mag > (UINT64_MAX - d) / 10)
            big = true;
        else
            mag = mag * 10 + d;
        r->at++;
    }
    if (r->at < r->len && r->s[r->at] == '.') {
        integral = false;
        r->at++;
        if (r->at >= r->len || !jr_digit(r->s[r->at]))
            return jr_fail(r, "invalid number: no digit after '.'");
        while (r->at < r->len && jr_digit(r->s[r->at]))
            r->at++;
    }
    if (r->at < r->len && (r->s[r->at] == 'e' || r->s[r->at] == 'E')) {
        integral = false;
        r->at++;
        if (r->at < r->len && (r->s[r->at] == '+' || r->s[r->at] == '-'))
            r->at++;
        if (r->at >= r->len || !jr_digit(r->s[r->at]))
            return jr_fail(r, "invalid number: no digit in the exponent");
        while (r->at < r->len && jr_digit(r->s[r->at]))
            r->at++;
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
        v->u.s = r->s + start;
        v->n = r->at - start;
    }
    return true;
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

/* A string at r->at (its opening quote): decoded into the arena,
 * NUL-terminated (it may hold NULs from \u0000; *len counts them). */
static bool jr_string(jr *r, const char **out, uint32_t *len) {
    r->at++;
    /* Most strings -- keys, addresses, amounts -- are printable ASCII
     * without escapes: find the closing quote and copy them whole.  The
     * locals matter: stores through a char pointer would otherwise make
     * the compiler reload r->s and r->at for every byte. */
    const char *s = r->s;
    uint32_t start = r->at, n_in = r->len;
    uint32_t stop = start + json_plain_run(s + start, n_in - start, true);
    if (stop < n_in && s[stop] == '"') {
        uint32_t n = stop - start;
        char *o = arena_raw(n + 1);
        memcpy(o, s + start, n);
        o[n] = 0;
        *out = o;
        *len = n;
        r->at = stop + 1;
        return true;
    }
    /* the decoded text is never longer than the raw text */
    uint32_t end = r->at;
    while (end < r->len && r->s[end] != '"')
        end += r->s[end] == '\\' ? 2 : 1;
    if (end >= r->len) {
        r->at = r->len;
        return jr_fail(r, "unterminated string");
    }
    char *o = arena_raw(end - r->at + 1);
    uint32_t n = 0;
    while (r->s[r->at] != '"') {
        uint8_t c = (uint8_t)r->s[r->at];
        if (c < 0x20)
            return jr_fail(r, "control character in a string");
        if (c < 0x80 && c != '\\') {   /* ASCII: most of any text */
            o[n++] = (char)c;
            r->at++;
            continue;
        }
        if (c != '\\') {
            uint32_t k = jr_utf8((const uint8_t *)r->s + r->at, r->len - r->at);
            if (k == 0)
                return jr_fail(r, "invalid UTF-8 in a string");
            memcpy(o + n, r->s + r->at, k);
            n += k;
            r->at += k;
            continue;
        }
        char e = r->s[r->at + 1], plain = 0;
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
            r->at += 2;
            continue;
        }
        if (e != 'u')
            return jr_fail(r, "invalid escape");
        if (r->len - r->at < 6)
            return jr_fail(r, "invalid \\u escape");
        int cp = jr_hex4(r->s + r->at + 2);
        if (cp < 0)
            return jr_fail(r, "invalid \\u escape");
        if (cp >= 0xDC00 && cp <= 0xDFFF)
            return jr_fail(r, "lone low surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = r->len - r->at >= 12 && r->s[r->at + 6] == '\\' && r->s[r->at + 7] == 'u'
                         ? jr_hex4(r->s + r->at + 8) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF)
                return jr_fail(r, "lone high surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            r->at += 6;
        }
        n += jr_put_utf8(o + n, (uint32_t)cp);
        r->at += 6;
    }
    r->at++;
    o[n] = 0;
    *out = o;
    *len = n;
    return true;
}

static bool jr_value(jr *r, wvm_json *v);

static bool jr_container(jr *r, wvm_json *v, bool object) {
    if (++r->depth > WVM_JSON_MAX_DEPTH)
        return jr_fail(r, "nesting deeper than 64");
    v->type = object ? WVM_JSON_OBJECT : WVM_JSON_ARRAY;
    char close = object ? '}' : ']';
    json_member *m = NULL;   /* v->u.m: room for cap members */
    uint32_t cap = 0;
    r->at++;
    jr_space(r);
    if (r->at < r->len && r->s[r->at] == close) {
        r->at++;
        r->depth--;
        return true;
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
        jr_space(r);
        if (object) {
            if (r->at >= r->len || r->s[r->at] != '"')
                return jr_fail(r, r->at >= r->len ? "unexpected end of input"
                                                  : "expected a string key");
            uint32_t kat = r->at;
            if (!jr_string(r, &e->key, &e->key_len))
                return false;
            for (uint32_t i = 0; i < v->n; i++)
                if (m[i].key_len == e->key_len && mem_eq(m[i].key, e->key, e->key_len)) {
                    r->at = kat;
                    return jr_fail(r, "duplicate key");
                }
            jr_space(r);
            if (r->at >= r->len || r->s[r->at] != ':')
                return jr_fail(r, "expected ':' after a key");
            r->at++;
        }
        if (!jr_value(r, &e->v))
            return false;
        v->n++;
        jr_space(r);
        if (r->at >= r->len)
            return jr_fail(r, "unexpected end of input");
        if (r->s[r->at] == close) {
            r->at++;
            r->depth--;
            return true;
        }
        if (r->s[r->at] != ',')
            return jr_fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
        r->at++;
    }
}

static bool jr_value(jr *r, wvm_json *v) {
    jr_space(r);
    if (r->at >= r->len)
        return jr_fail(r, "unexpected end of input");
    switch (r->s[r->at]) {
    case '{': return jr_container(r, v, true);
    case '[': return jr_container(r, v, false);
    case '"':
        v->type = WVM_JSON_STRING;
        return jr_string(r, &v->u.s, &v->n);
    case 't':
        v->type = WVM_JSON_BOOL;
        v->u.b = true;
        return jr_word(r, "true");
    case 'f':
        v->type = WVM_JSON_BOOL;
        return jr_word(r, "false");
    case 'n':
        v->type = WVM_JSON_NULL;
        return jr_word(r, "null");
    default:
        if (r->s[r->at] == '-' || jr_digit(r->s[r->at]))
            return jr_number(r, v);
        return jr_fail(r, "unexpected character");
    }
}

wvm_json *wvm_json_parse(wvm_ctx *ctx, const char *text, uint32_t len, const char **err) {
    (void)ctx;
    jr r = {text, len, 0, 0, NULL};
    wvm_json *v = arena_alloc(sizeof *v);
    bool ok = jr_value(&r, v);
    if (ok) {
        jr_space(&r);
        if (r.at != r.len)
            ok = jr_fail(&r, "trailing characters after the value");
    }
    if (err)
        *err = ok ? NULL : r.err;
    return ok ? v : NULL;
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
