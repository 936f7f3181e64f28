/*
 * mem.c -- string length and byte comparison, eight bytes at a time.
 *
 * Why not libc's: wasi-libc's strlen and memcmp are byte loops in wasm32
 * (about 5 and 20 instructions a byte), and the SDK measures every field
 * name and compares every address of a call with them; fuel is counted
 * per instruction, so a contract would pay for it.  Wasm is little-endian:
 * the first byte of a word is its low byte.
 */
#include "sdk.h"

/* A word that may alias any object, so reading text through it is defined. */
typedef uint64_t __attribute__((may_alias)) mem_word;

#define MEM_ONES 0x0101010101010101ull
#define MEM_HIGHS 0x8080808080808080ull

uint32_t mem_strlen(const char *s) {
    /* Aligned words from the one that holds s[0]: they never reach past
     * the page (and so the memory) that holds the string's end.  The
     * bytes of the first word before s are made non-zero, so no byte
     * loop is needed to reach the alignment. */
    uintptr_t at = (uintptr_t)s;
    const mem_word *w = (const mem_word *)(at & ~(uintptr_t)7);
    uint64_t x = *w | ((1ull << ((at & 7) * 8)) - 1), zero;
    /* The lowest marked byte of zero is the first zero byte: a false
     * mark needs a borrow, and borrows only run up from a zero byte. */
    while (!(zero = (x - MEM_ONES) & ~x & MEM_HIGHS))
        x = *++w;
    return (uint32_t)((const char *)w - s) + (uint32_t)(__builtin_ctzll(zero) >> 3);
}

bool mem_eq(const void *a, const void *b, uint32_t n) {
    const uint8_t *x = a, *y = b;
    uint64_t u, v;   /* one unaligned load each: 8 bytes a step, then 4, 2, 1 */
    for (; n >= 8; x += 8, y += 8, n -= 8) {
        memcpy(&u, x, 8);
        memcpy(&v, y, 8);
        if (u != v)
            return false;
    }
    uint32_t diff = 0, p, q;
    if (n & 4) {
        memcpy(&p, x, 4);
        memcpy(&q, y, 4);
        diff = p ^ q;
        x += 4, y += 4;
    }
    if (n & 2) {
        uint16_t p2, q2;
        memcpy(&p2, x, 2);
        memcpy(&q2, y, 2);
        diff |= (uint32_t)(p2 ^ q2);
        x += 2, y += 2;
    }
    if (n & 1)
        diff |= (uint32_t)(*x ^ *y);
    return diff == 0;
}
