/*
 * fmt.c -- the bounded printf of wvm_error, wvm_error_params and wvm_log.
 * Only what messages need (no floats: contracts should not format them,
 * and the float code would be most of a contract's size).
 */
#include "sdk.h"

typedef struct fmt_out {
    char *buf;
    uint32_t cap, len;   /* cap counts the NUL */
} fmt_out;

static void fmt_put(fmt_out *o, char c) {
    if (o->len + 1 < o->cap)
        o->buf[o->len++] = c;
}

static void fmt_pad(fmt_out *o, char c, int n) {
    while (n-- > 0)
        fmt_put(o, c);
}

/* Writes s[0..n) padded to width. */
static void fmt_field(fmt_out *o, const char *s, uint32_t n, int width, bool left, char pad) {
    int fill = width > (int)n ? width - (int)n : 0;
    /* zero padding goes after the sign */
    if (!left && pad == '0' && n > 0 && s[0] == '-') {
        fmt_put(o, '-');
        s++, n--;
    }
    if (!left)
        fmt_pad(o, pad, fill);
    for (uint32_t i = 0; i < n; i++)
        fmt_put(o, s[i]);
    if (left)
        fmt_pad(o, ' ', fill);
}

/* Digits of v in base into the end of tmp; returns the first. */
static char *fmt_digits(char *end, uint64_t v, unsigned base, bool upper) {
    const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    do {
        *--p = d[v % base];
        v /= base;
    } while (v);
    return p;
}

uint32_t fmt_v(char *buf, uint32_t cap, const char *fmt, va_list ap) {
    fmt_out o = {buf, cap, 0};
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            fmt_put(&o, *f);
            continue;
        }
        f++;
        bool left = false;
        char pad = ' ';
        for (;; f++) {
            if (*f == '-')
                left = true;
            else if (*f == '0')
                pad = '0';
            else
                break;
        }
        int width = 0, prec = -1;
        if (*f == '*') {
            width = va_arg(ap, int);
            f++;
        }
        while (*f >= '0' && *f <= '9')
            width = width * 10 + (*f++ - '0');
        if (*f == '.') {
            f++;
            prec = 0;
            if (*f == '*') {
                prec = va_arg(ap, int);
                f++;
            }
            while (*f >= '0' && *f <= '9')
                prec = prec * 10 + (*f++ - '0');
        }
        int size = 0; /* 0 int, 1 long, 2 long long, 3 size_t */
        if (*f == 'l') {
            size = 1;
            if (*++f == 'l') {
                size = 2;
                f++;
            }
        } else if (*f == 'z') {
            size = 3;
            f++;
        }
        char tmp[24], *end = tmp + sizeof tmp, *s;
        switch (*f) {
        case 'd': case 'i': {
            int64_t v = size == 2 ? va_arg(ap, long long)
                      : size == 1 ? va_arg(ap, long)
                      : size == 3 ? (int64_t)va_arg(ap, size_t) : va_arg(ap, int);
            uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
            s = fmt_digits(end, m, 10, false);
            if (v < 0)
                *--s = '-';
            fmt_field(&o, s, (uint32_t)(end - s), width, left, pad);
            break;
        }
        case 'u': case 'x': case 'X': {
            uint64_t v = size == 2 ? va_arg(ap, unsigned long long)
                       : size == 1 ? va_arg(ap, unsigned long)
                       : size == 3 ? va_arg(ap, size_t) : va_arg(ap, unsigned);
            s = fmt_digits(end, v, *f == 'u' ? 10 : 16, *f == 'X');
            fmt_field(&o, s, (uint32_t)(end - s), width, left, pad);
            break;
        }
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            fmt_field(&o, tmp, 1, width, left, ' ');
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            uint32_t n = 0;
            while (str[n] && (prec < 0 || n < (uint32_t)prec))
                n++;
            fmt_field(&o, str, n, width, left, ' ');
            break;
        }
        case '%':
            fmt_put(&o, '%');
            break;
        case 0:
            f--;   /* a lone '%' at the end: stop at the NUL */
            break;
        default:   /* unknown conversion: shown as written */
            fmt_put(&o, '%');
            fmt_put(&o, *f);
            break;
        }
    }
    if (cap)
        buf[o.len] = 0;
    return o.len;
}

char *fmt_arena(uint32_t cap, uint32_t *len, const char *fmt, va_list ap) {
    char *buf = arena_raw(cap);
    *len = fmt_v(buf, cap, fmt, ap);
    return buf;
}
