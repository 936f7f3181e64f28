/* f64 n-body simulation: sqrt, divisions, struct arrays. */
#include "bench.h"
#include <math.h>
#define NB 5
typedef struct { double x, y, z, vx, vy, vz, m; } body;
static body b[NB];
static uint64_t bench(void) {
    uint64_t s = 7;
    for (int i = 0; i < NB; i++) {
        b[i].x = (double)(xs64(&s) % 1000) / 100; b[i].y = (double)(xs64(&s) % 1000) / 100;
        b[i].z = (double)(xs64(&s) % 1000) / 100; b[i].vx = b[i].vy = b[i].vz = 0;
        b[i].m = 1 + (double)(xs64(&s) % 100) / 10;
    }
    for (int step = 0; step < 1500000; step++) {
        for (int i = 0; i < NB; i++)
            for (int j = i + 1; j < NB; j++) {
                double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
                double d2 = dx * dx + dy * dy + dz * dz + 0.01;
                double mag = 0.001 / (d2 * sqrt(d2));
                b[i].vx -= dx * b[j].m * mag; b[i].vy -= dy * b[j].m * mag; b[i].vz -= dz * b[j].m * mag;
                b[j].vx += dx * b[i].m * mag; b[j].vy += dy * b[i].m * mag; b[j].vz += dz * b[i].m * mag;
            }
        for (int i = 0; i < NB; i++) { b[i].x += 0.001 * b[i].vx; b[i].y += 0.001 * b[i].vy; b[i].z += 0.001 * b[i].vz; }
    }
    double e = 0;
    for (int i = 0; i < NB; i++) e += b[i].x + b[i].y * 3 + b[i].z * 7;
    uint64_t bits; memcpy(&bits, &e, 8);
    return bits;
}
BENCH_MAIN(bench)
