/*
 * read.h -- bounds-checked readers for the binary format (private).
 *
 * Each reader takes (&cursor, end, &out), checks bounds first, advances
 * the cursor only on success, and returns a read_result: 0 on success,
 * otherwise which malformation it met, so callers can name it.
 */
#ifndef WVM_WASM_READ_H
#define WVM_WASM_READ_H

#include <stdint.h>
#include <string.h>

typedef enum read_result {
    READ_OK = 0,
    READ_EOF,        /* "unexpected end" */
    READ_TOO_LONG,   /* "integer representation too long" */
    READ_TOO_LARGE,  /* "integer too large" (unused bits set) */
} read_result;

static inline const char *read_result_str(read_result r) {
    switch (r) {
    case READ_OK: return "ok";
    case READ_EOF: return "unexpected end";
    case READ_TOO_LONG: return "integer representation too long";
    case READ_TOO_LARGE: return "integer too large";
    }
    return "?";
}

static inline read_result read_u8(const uint8_t **p, const uint8_t *end, uint8_t *out) {
    if (*p >= end) return READ_EOF;
    *out = *(*p)++;
    return READ_OK;
}

/* Unsigned LEB128 of at most `bits` bits (32 or 64). */
static inline read_result read_uleb(const uint8_t **p, const uint8_t *end,
                                    unsigned bits, uint64_t *out) {
    const uint8_t *q = *p;
    uint64_t v = 0;
    unsigned shift = 0;
    unsigned maxbytes = (bits + 6) / 7;
    for (unsigned i = 0;; i++) {
        if (q >= end) return READ_EOF;
        if (i >= maxbytes) return READ_TOO_LONG;
        uint8_t b = *q++;
        if (i == maxbytes - 1) {
            /* the last byte may only carry the bits that remain */
            unsigned left = bits - shift;
            if (b & 0x80) return READ_TOO_LONG;
            if (left < 7 && (b >> left) != 0) return READ_TOO_LARGE;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
    }
    *p = q;
    *out = v;
    return READ_OK;
}

/* Signed LEB128 of at most `bits` bits (32, 33 or 64), sign-extended. */
static inline read_result read_sleb(const uint8_t **p, const uint8_t *end,
                                    unsigned bits, int64_t *out) {
    const uint8_t *q = *p;
    uint64_t v = 0;
    unsigned shift = 0;
    unsigned maxbytes = (bits + 6) / 7;
    uint8_t b;
    for (unsigned i = 0;; i++) {
        if (q >= end) return READ_EOF;
        if (i >= maxbytes) return READ_TOO_LONG;
        b = *q++;
        if (i == maxbytes - 1) {
            if (b & 0x80) return READ_TOO_LONG;
            /* remaining bits must all equal the sign bit */
            unsigned left = bits - shift; /* 1..7 */
            if (left < 7) {
                int sign = (b >> (left - 1)) & 1;
                uint8_t high = (uint8_t)(b & 0x7f) >> left;
                uint8_t want = sign ? (uint8_t)(0x7f >> left) : 0;
                if (high != want) return READ_TOO_LARGE;
            }
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
    }
    if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
    *p = q;
    *out = (int64_t)v;
    return READ_OK;
}

static inline read_result read_u32(const uint8_t **p, const uint8_t *end, uint32_t *out) {
    uint64_t v;
    read_result r = read_uleb(p, end, 32, &v);
    if (r == READ_OK) *out = (uint32_t)v;
    return r;
}

static inline read_result read_fixed32(const uint8_t **p, const uint8_t *end, uint32_t *out) {
    if (end - *p < 4) return READ_EOF;
    memcpy(out, *p, 4); /* little-endian hosts only (checked at build) */
    *p += 4;
    return READ_OK;
}

static inline read_result read_fixed64(const uint8_t **p, const uint8_t *end, uint64_t *out) {
    if (end - *p < 8) return READ_EOF;
    memcpy(out, *p, 8);
    *p += 8;
    return READ_OK;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wvm supports little-endian hosts only"
#endif

#endif
