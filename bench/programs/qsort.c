/* recursive quicksort of int32 arrays, with insertion sort for small ranges. */
#include "bench.h"
#define N 200000
static int32_t a[N];
static void isort(int32_t *p, int n) {
    for (int i = 1; i < n; i++) { int32_t v = p[i]; int j = i - 1; while (j >= 0 && p[j] > v) { p[j + 1] = p[j]; j--; } p[j + 1] = v; }
}
static void qs(int32_t *p, int n) {
    while (n > 16) {
        int32_t piv = p[n / 2]; int i = 0, j = n - 1;
        while (i <= j) {
            while (p[i] < piv) i++;
            while (p[j] > piv) j--;
            if (i <= j) { int32_t t = p[i]; p[i] = p[j]; p[j] = t; i++; j--; }
        }
        if (j + 1 < n - i) { qs(p, j + 1); p += i; n -= i; } else { qs(p + i, n - i); n = j + 1; }
    }
    isort(p, n);
}
static uint64_t bench(void) {
    uint64_t s = 99, acc = 0;
    for (int r = 0; r < 12; r++) {
        for (int i = 0; i < N; i++) a[i] = (int32_t)xs64(&s);
        qs(a, N);
        for (int i = 0; i < N; i += 97) acc = acc * 31 + (uint32_t)a[i];
    }
    return acc;
}
BENCH_MAIN(bench)
