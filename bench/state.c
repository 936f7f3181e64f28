/*
 * state.c -- `make bench-state` (and the end of `make bench`): the
 * store's costs, measured, never asserted.
 *
 *   field read             st_field_get of an existing field, in a read snapshot
 *   field write            st_field_set in an open transaction (the lattice
 *                          update included: two SHAKE256 expansions)
 *   block, sync on/off     1,000 transactions of 4 field writes each, then
 *                          the block's commit (one LMDB commit; fsync when on)
 *
 * Each figure is the median of several runs, in a fresh directory under
 * build/.  Usage: bench-state [DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "state/state.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static st_env *fresh(const char *base, const char *name, bool no_sync) {
    char dir[1024], cmd[1100];
    snprintf(dir, sizeof dir, "%s/%s", base, name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) exit(1);
    st_env *env;
    char *err = NULL;
    st_options o = { .no_sync = no_sync };
    if (st_open(dir, &o, &env, &err)) {
        fprintf(stderr, "bench-state: %s\n", err ? err : "open failed");
        exit(1);
    }
    return env;
}

static wvm_address addr(uint32_t i) {
    wvm_address a;
    memset(&a, 0, sizeof a);
    a.b[0] = 0xbe;
    a.b[19] = (uint8_t)i;
    return a;
}

#define CHECKED(x) do { if ((x) != WVM_OK) { fprintf(stderr, "bench-state: %s failed\n", #x); exit(1); } } while (0)

/* One block of ntx transactions of 4 field writes each; seconds. */
static double block(st_env *env, uint64_t h, const wvm_object_id *ids, int ntx) {
    wvm_address o = addr(1);
    double t0 = now();
    st_txn *b, *t;
    CHECKED(st_block_begin(env, h, h * 10, &b));
    for (int x = 0; x < ntx; x++) {
        CHECKED(st_txn_begin(b, &t));
        for (int k = 0; k < 4; k++) {
            char name[16];
            uint64_t v = h * 1000000 + (uint64_t)x * 4 + (uint64_t)k;
            snprintf(name, sizeof name, "balance%d", k);
            CHECKED(st_field_set(t, &ids[x % 256], &o, NULL, name, strlen(name), (const uint8_t *)&v, 8));
        }
        CHECKED(st_txn_commit(t));
    }
    CHECKED(st_txn_commit(b));
    return now() - t0;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "build/bench-state";
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", base);
    if (system(cmd)) return 1;

    /* setup: 256 objects with fields */
    st_env *env = fresh(base, "fields", true);
    wvm_object_id ids[256];
    wvm_address o = addr(1);
    st_txn *b, *t;
    CHECKED(st_block_begin(env, 1, 10, &b));
    CHECKED(st_txn_begin(b, &t));
    for (int i = 0; i < 256; i++) {
        st_object_next_id(t, &ids[i]);
        CHECKED(st_object_create(t, &ids[i], &o, &o));
        CHECKED(st_field_set(t, &ids[i], &o, NULL, "balance0", 8, (const uint8_t *)"12345678", 8));
    }
    CHECKED(st_txn_commit(t));
    CHECKED(st_txn_commit(b));

    enum { READS = 1000000, WRITES = 100000, RUNS = 5 };
    double r[RUNS];
    for (int run = 0; run < RUNS; run++) {
        st_txn *rd;
        CHECKED(st_read_begin(env, &rd));
        double t0 = now();
        size_t sum = 0;
        for (int i = 0; i < READS; i++) {
            const uint8_t *v;
            size_t n;
            CHECKED(st_field_get(rd, &ids[i & 255], "balance0", 8, &v, &n));
            sum += v[0];
        }
        r[run] = (now() - t0) / READS;
        st_txn_abort(rd);
        if (sum == 1) printf(" ");
    }
    printf("state: field read             %8.0f ns\n", median(r, RUNS) * 1e9);

    uint64_t h = 2;
    for (int run = 0; run < RUNS; run++) {
        CHECKED(st_block_begin(env, h, h * 10, &b));
        CHECKED(st_txn_begin(b, &t));
        double t0 = now();
        for (int i = 0; i < WRITES; i++) {
            uint64_t v = (uint64_t)i;
            CHECKED(st_field_set(t, &ids[i & 255], &o, NULL, "balance1", 8, (const uint8_t *)&v, 8));
        }
        r[run] = (now() - t0) / WRITES;
        st_txn_abort(t);
        st_txn_abort(b);
    }
    printf("state: field write in a txn   %8.0f ns\n", median(r, RUNS) * 1e9);
    st_close(env);

    for (int sync = 1; sync >= 0; sync--) {
        env = fresh(base, sync ? "sync" : "nosync", !sync);
        CHECKED(st_block_begin(env, 1, 10, &b));
        CHECKED(st_txn_begin(b, &t));
        for (int i = 0; i < 256; i++) {
            st_object_next_id(t, &ids[i]);
            CHECKED(st_object_create(t, &ids[i], &o, &o));
        }
        CHECKED(st_txn_commit(t));
        CHECKED(st_txn_commit(b));
        double br[9];
        for (int run = 0; run < 9; run++) br[run] = block(env, (uint64_t)run + 2, ids, 1000);
        double m = median(br, 9);
        printf("state: block of 1,000 txs x 4 writes, sync %-3s %7.2f ms  (%.0f tx/s, %.0f writes/s)\n",
               sync ? "on" : "off", m * 1e3, 1000 / m, 4000 / m);
        st_close(env);
    }
    return 0;
}
