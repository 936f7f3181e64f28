/* byte-level parsing: tokenize a generated text of numbers and words, hash tokens. */
#include "bench.h"
#define LEN (4u << 20)
static char text[LEN];
static uint64_t bench(void) {
    uint64_t s = 3;
    for (uint32_t i = 0; i < LEN; i++) {
        uint64_t v = xs64(&s) % 40;
        text[i] = v < 10 ? (char)('0' + v) : v < 36 ? (char)('a' + v - 10) : v < 38 ? ' ' : v < 39 ? ',' : '\n';
    }
    uint64_t acc = 0;
    for (int pass = 0; pass < 8; pass++) {
        uint32_t i = 0, words = 0, nums = 0; uint64_t h = 1469598103934665603ULL, sum = 0;
        while (i < LEN) {
            char ch = text[i];
            if (ch >= '0' && ch <= '9') {
                uint64_t n = 0;
                while (i < LEN && text[i] >= '0' && text[i] <= '9') { n = n * 10 + (uint64_t)(text[i] - '0'); i++; }
                sum += n; nums++;
            } else if (ch >= 'a' && ch <= 'z') {
                while (i < LEN && text[i] >= 'a' && text[i] <= 'z') { h = (h ^ (uint8_t)text[i]) * 1099511628211ULL; i++; }
                words++;
            } else i++;
        }
        acc = acc * 1000003 + h + sum + words * 7 + nums;
    }
    return acc;
}
BENCH_MAIN(bench)
