/*
 * hex.c -- the "0x" + hex form of addresses, object IDs and bytes.
 *
 * Every call formats or parses addresses, and fuel is per wasm
 * instruction, so both directions take the fewest instructions we
 * measured: encoding looks each byte's two digits up in a table (one
 * load and one 16-bit store; the 64-bit arithmetic form costs half as
 * much again), decoding checks and converts eight digits a step in
 * 64-bit arithmetic (SWAR: each byte of a word is one lane; a table
 * costs twice as much, two loads a digit pair).
 */
#include "sdk.h"

#define HEX_ONES 0x0101010101010101ull   /* 1 in every lane */
#define HEX_HIGHS 0x8080808080808080ull  /* each lane's top bit */

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

/* The 4 bytes that the 8 digits in w (first in the low lane) stand for,
 * or sets *bad's top bits when any lane is not a hex digit. */
static uint32_t hex_word_decode(uint64_t w, uint64_t *bad) {
    /* Range tests per lane, for lanes below 0x80 (others are bad anyway
     * and checked by `w` itself): x + (0x80 - lo) reaches the top bit
     * when x >= lo, x + (0x7F - hi) when x > hi; no lane carries. */
    uint64_t digit = (w + 0x5050505050505050ull) & ~(w + 0x4646464646464646ull);
    uint64_t lower = w | 0x2020202020202020ull;   /* 'A'-'F' -> 'a'-'f' */
    uint64_t letter = (lower + 0x1F1F1F1F1F1F1F1Full) & ~(lower + 0x1919191919191919ull);
    *bad |= (w | ~(digit | letter)) & HEX_HIGHS;
    /* value: the low nibble, plus 9 for a letter ('a' & 15 is 1) */
    uint64_t v = (w & 0x0F0F0F0F0F0F0F0Full) + (letter >> 7 & HEX_ONES) * 9;
    v = (v << 4 | v >> 8) & 0x00FF00FF00FF00FFull;   /* byte k in lane 2k */
    v = (v | v >> 8) & 0x0000FFFF0000FFFFull;
    return (uint32_t)(v | v >> 16);
}

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
    const char *p = s + 2;
    uint64_t bad = 0, w;
    uint32_t x;
    for (; n >= 4; n -= 4, p += 8, out += 4) {
        memcpy(&w, p, 8);
        x = hex_word_decode(w, &bad);
        memcpy(out, &x, 4);
    }
    if (n) {   /* the last 2 to 6 digits, padded with '0' */
        w = 0x3030303030303030ull;
        memcpy(&w, p, 2 * n);
        x = hex_word_decode(w, &bad);
        memcpy(out, &x, n);
    }
    return bad == 0;
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
