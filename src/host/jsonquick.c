/*
 * jsonquick.c -- a fast, allocation-free check that text is plainly valid
 * JSON, in front of json-c (host_json_valid).  It says "valid" only for
 * a conservative subset that json-c's strict mode certainly accepts:
 * ASCII strings with the simple escapes (no \u, no bytes >= 0x80),
 * numbers of at most 15 digits without an exponent, nesting up to 32,
 * whitespace of space, tab, LF, CR.  Anything else -- including every
 * invalid text -- is left to json-c, so the verdict and the message of
 * a rejection are json-c's as before: validity never depends on this
 * file, only the time it takes.
 */
#include <string.h>
#include "host.h"

typedef struct jq { const char *p, *end; int depth; } jq;

static void ws(jq *q) {
    while (q->p < q->end && (*q->p == ' ' || *q->p == '\t' || *q->p == '\n' || *q->p == '\r')) q->p++;
}

static bool string(jq *q) {
    q->p++;                                  /* the opening quote */
    while (q->p < q->end) {
        unsigned char ch = (unsigned char)*q->p++;
        if (ch == '"') return true;
        if (ch < 0x20 || ch >= 0x7f) return false;
        if (ch == '\\') {
            if (q->p == q->end) return false;
            char e = *q->p++;
            if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' &&
                e != 'r' && e != 't')
                return false;
        }
    }
    return false;
}

static bool digit(char ch) { return ch >= '0' && ch <= '9'; }

static bool number(jq *q) {
    const char *s = q->p;
    if (*q->p == '-') q->p++;
    if (q->p == q->end || !digit(*q->p)) return false;
    if (*q->p == '0' && q->p + 1 < q->end && digit(q->p[1])) return false;
    int digits = 0;
    while (q->p < q->end && digit(*q->p)) q->p++, digits++;
    if (q->p < q->end && *q->p == '.') {
        q->p++;
        if (q->p == q->end || !digit(*q->p)) return false;
        while (q->p < q->end && digit(*q->p)) q->p++, digits++;
    }
    if (q->p < q->end && (*q->p == 'e' || *q->p == 'E')) return false;
    return digits <= 15 && q->p > s;
}

static bool word(jq *q, const char *w, size_t n) {
    if ((size_t)(q->end - q->p) < n || memcmp(q->p, w, n)) return false;
    q->p += n;
    return true;
}

static bool value(jq *q) {
    ws(q);
    if (q->p == q->end) return false;
    switch (*q->p) {
    case '"': return string(q);
    case 't': return word(q, "true", 4);
    case 'f': return word(q, "false", 5);
    case 'n': return word(q, "null", 4);
    case '{':
    case '[': {
        bool obj = *q->p == '{';
        if (++q->depth > 32) return false;
        q->p++;
        ws(q);
        if (q->p < q->end && *q->p == (obj ? '}' : ']')) {
            q->p++;
            q->depth--;
            return true;
        }
        for (;;) {
            if (obj) {
                ws(q);
                if (q->p == q->end || *q->p != '"' || !string(q)) return false;
                ws(q);
                if (q->p == q->end || *q->p++ != ':') return false;
            }
            if (!value(q)) return false;
            ws(q);
            if (q->p == q->end) return false;
            char ch = *q->p++;
            if (ch == (obj ? '}' : ']')) break;
            if (ch != ',') return false;
        }
        q->depth--;
        return true;
    }
    default: return number(q);
    }
}

bool jsonquick_valid(const char *s, size_t len, bool want_object) {
    jq q = { s, s + len, 0 };
    ws(&q);
    if (want_object && (q.p == q.end || *q.p != '{')) return false;
    if (!value(&q)) return false;
    ws(&q);
    return q.p == q.end;
}
