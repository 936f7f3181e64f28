/*
 * mem.c -- string length and byte comparison, eight bytes at a time.
 *
 * Why not libc's: wasi-libc's strlen and memcmp are byte loops in wasm32
 * (about 5 and 20 instructions a byte), and the SDK measures every field
 * name and compares every address of a call with them; fuel is counted
 * per instruction, so a contract would pay for it.
 */
#include "sdk.h"

/* A word that may alias any object, so reading text through it is defined. */
typedef uint64_t __attribute__((may_alias)) mem_word;

#define MEM_ONES 0x0101010101010101ull
#define MEM_HIGHS 0x8080808080808080ull

uint32_t mem_strlen(const char *s) {
    const char *p = s;
    /* Byte by byte up to an 8-byte boundary: aligned words never reach
     * past the page (and so the memory) that holds the string's end. */
    for (; (uintptr_t)p & 7; p++)
        if (!*p)
            return (uint32_t)(p - s);
    const mem_word *w = (const mem_word *)p;
    while (!((*w - MEM_ONES) & ~*w & MEM_HIGHS))   /* no zero byte in *w */
        w++;
    for (p = (const char *)w; *p; p++)
        ;
    return (uint32_t)(p - s);
}

bool mem_eq(const void *a, const void *b, uint32_t n) {
    const uint8_t *x = a, *y = b;
    for (; n >= 8; x += 8, y += 8, n -= 8) {
        uint64_t u, v;
        memcpy(&u, x, 8);   /* one unaligned load each */
        memcpy(&v, y, 8);
        if (u != v)
            return false;
    }
    for (; n; x++, y++, n--)
        if (*x != *y)
            return false;
    return true;
}
