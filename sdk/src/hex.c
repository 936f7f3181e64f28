/*
 * hex.c -- the "0x" + hex form of addresses, object IDs and bytes.
 *
 * Table-driven: a byte is one load and one 16-bit store out, a pair of
 * digits two loads in -- about a fifth of the instructions (and fuel) of
 * the arithmetic forms, and every call formats or parses addresses.
 */
#include "sdk.h"

/* hex_pairs[2 * b], [2 * b + 1]: the two digits of byte b. */
static const char hex_pairs[513] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

/* hex_value[c]: the digit's value, or 16 when c is not a hex digit. */
static const uint8_t hex_value[256] = {
#define HEX_X16 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16
    HEX_X16, HEX_X16, HEX_X16,                                    /* 0x00-0x2F */
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 16, 16, 16, 16, 16,         /* '0'-'9' */
    16, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16, 16, 16, 16, 16, 16, /* 'A'-'F' */
    HEX_X16,
    16, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16, 16, 16, 16, 16, 16, /* 'a'-'f' */
    HEX_X16, HEX_X16, HEX_X16, HEX_X16, HEX_X16, HEX_X16, HEX_X16, HEX_X16, HEX_X16,
#undef HEX_X16
};

void hex_encode(char *out, const uint8_t *b, uint32_t n) {
    out[0] = '0';
    out[1] = 'x';
    char *o = out + 2;
    for (uint32_t i = 0; i < n; i++, o += 2)
        memcpy(o, hex_pairs + 2 * b[i], 2);   /* one 16-bit load and store */
    *o = 0;
}

bool hex_decode(const char *s, uint32_t len, uint8_t *out, uint32_t n) {
    if (len != 2 + 2 * n || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return false;
    const uint8_t *p = (const uint8_t *)s + 2;
    uint32_t bad = 0;   /* any digit's value 16 sets bit 4 */
    for (uint32_t i = 0; i < n; i++, p += 2) {
        uint32_t hi = hex_value[p[0]], lo = hex_value[p[1]];
        bad |= hi | lo;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return !(bad & 16);
}

const char *wvm_address_hex(wvm_ctx *ctx, wvm_address a) {
    (void)ctx;
    char *s = arena_raw(2 + 2 * WVM_ADDRESS_LEN + 1);
    hex_encode(s, a.b, WVM_ADDRESS_LEN);
    return s;
}

const char *wvm_object_id_hex(wvm_ctx *ctx, wvm_object_id id) {
    (void)ctx;
    char *s = arena_raw(2 + 2 * WVM_OBJECT_ID_LEN + 1);
    hex_encode(s, id.b, WVM_OBJECT_ID_LEN);
    return s;
}
