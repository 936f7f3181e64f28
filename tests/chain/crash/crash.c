/*
 * crash.c -- the crash test: `chain-crash DIR KILLS`.
 *
 * A child opens the store in DIR (synchronous commits, the default) and
 * commits blocks in a loop; after each commit it reports "height root"
 * on a pipe.  The parent SIGKILLs it at a random moment, KILLS times.
 * After each kill the parent reopens the store and checks:
 *   - the last committed height H is the last one the child reported, or
 *     the one after (committed, killed before reporting);
 *   - the root of the store equals the root recorded in block H's record,
 *     the root recomputed from every state entry, and, when H was
 *     reported, the root the child reported;
 *   - the content agrees with H: block h writes counter = h and mints 1
 *     to each of 50 addresses, so a half-written block would show.
 * Prints one line per failure and a summary; exits 1 on any failure.
 * Kill timing comes from a seeded PRNG, but the moments land wherever
 * the scheduler puts them: that is the point.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "state/state.h"

enum { NADDR = 50 };

static wvm_address addr_of(uint32_t i) {
    wvm_address a;
    memset(&a, 0, sizeof a);
    a.b[0] = 0xc0;
    a.b[19] = (uint8_t)i;
    a.b[18] = (uint8_t)(i >> 8);
    return a;
}

static wvm_object_id counter_id(void) {
    wvm_address a = addr_of(9999);
    wvm_object_id id;
    st_default_object_id(&a, &id);
    return id;
}

static void hex32(const uint8_t *p, char *out) {
    for (int i = 0; i < 32; i++) sprintf(out + 2 * i, "%02x", p[i]);
}

/* The child: commit blocks forever, reporting each. */
static void child(const char *dir, int fd) {
    st_env *env;
    char *err = NULL;
    if (st_open(dir, NULL, &env, &err)) {
        dprintf(2, "child: %s\n", err ? err : "open failed");
        _exit(2);
    }
    wvm_object_id cid = counter_id();
    wvm_address owner = addr_of(9999);
    for (uint64_t h = st_last_height(env) + 1;; h++) {
        st_txn *b, *t;
        if (st_block_begin(env, h, h * 10, &b)) _exit(3);
        for (int x = 0; x < 5; x++) {
            if (st_txn_begin(b, &t)) _exit(3);
            if (h == 1 && x == 0 && st_object_create(t, &cid, &owner, &owner)) _exit(4);
            for (uint32_t i = x * 10; i < (uint32_t)x * 10 + 10; i++) {
                wvm_address a = addr_of(i);
                if (st_mint(t, &a, 1)) _exit(4);
            }
            char field[16];
            uint8_t v[8];
            for (int i = 0; i < 8; i++) v[i] = (uint8_t)(h >> (56 - 8 * i));
            snprintf(field, sizeof field, "f%d", x);
            if (st_field_set(t, &cid, &owner, NULL, field, strlen(field), v, 8)) _exit(4);
            if (st_event_put(t, &owner, "tick", "{}", 2)) _exit(4);
            if (st_txn_commit(t)) _exit(4);
        }
        /* a failed transaction in every block, too */
        if (st_txn_begin(b, &t)) _exit(3);
        wvm_address a = addr_of(0);
        if (st_mint(t, &a, 1000)) _exit(4);
        st_txn_abort(t);
        wvm_hash root;
        st_txn_root(b, &root);
        if (st_txn_commit(b)) _exit(5);
        char line[128], hx[65];
        hex32(root.b, hx);
        int n = snprintf(line, sizeof line, "%llu %s\n", (unsigned long long)h, hx);
        if (write(fd, line, (size_t)n) != n) _exit(6);
    }
}

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void) {
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}

static int check(const char *dir, uint64_t reported, const char *reported_root, int round) {
    st_env *env;
    char *err = NULL;
    if (st_open(dir, NULL, &env, &err)) {
        printf("round %d: reopen failed: %s\n", round, err ? err : "?");
        free(err);
        return 1;
    }
    int bad = 0;
    uint64_t h = st_last_height(env);
    wvm_hash last, full;
    st_last_root(env, &last);
    st_txn *rd;
    if (st_read_begin(env, &rd)) {
        printf("round %d: cannot read\n", round);
        st_close(env);
        return 1;
    }
    if (h != reported && h != reported + 1) {
        printf("round %d: store at height %llu, child reported %llu\n", round,
               (unsigned long long)h, (unsigned long long)reported);
        bad++;
    }
    if (st_root_recompute(rd, &full) || memcmp(&full, &last, 32)) {
        printf("round %d: recomputed root differs from the stored one\n", round);
        bad++;
    }
    if (h > 0) {
        st_block_info bi;
        if (st_block_get(rd, h, &bi) || memcmp(&bi.root, &last, 32) || bi.ntx != 6) {
            printf("round %d: block %llu's record does not match\n", round, (unsigned long long)h);
            bad++;
        }
        char hx[65];
        hex32(last.b, hx);
        if (h == reported && strcmp(hx, reported_root)) {
            printf("round %d: root of block %llu differs from the one the child reported\n",
                   round, (unsigned long long)h);
            bad++;
        }
        /* content: each address got 1 per block; counter fields say h */
        for (uint32_t i = 0; i < NADDR; i++) {
            wvm_address a = addr_of(i);
            if (st_balance(rd, &a) != h) {
                printf("round %d: balance %u is %llu at height %llu\n", round, i,
                       (unsigned long long)st_balance(rd, &a), (unsigned long long)h);
                bad++;
                break;
            }
        }
        wvm_object_id cid = counter_id();
        for (int x = 0; x < 5; x++) {
            char field[8];
            snprintf(field, sizeof field, "f%d", x);
            const uint8_t *v;
            size_t n;
            uint64_t got = 0;
            if (st_field_get(rd, &cid, field, strlen(field), &v, &n) == WVM_OK && n == 8)
                for (int i = 0; i < 8; i++) got = got << 8 | v[i];
            if (got != h) {
                printf("round %d: field %s is %llu at height %llu\n", round, field,
                       (unsigned long long)got, (unsigned long long)h);
                bad++;
            }
        }
    }
    st_txn_abort(rd);
    st_close(env);
    return bad;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: chain-crash DIR KILLS\n");
        return 2;
    }
    const char *dir = argv[1];
    int kills = atoi(argv[2]);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) return 2;
    uint64_t reported = 0;
    char reported_root[65] = "";
    int failures = 0;
    uint64_t mid_block = 0;   /* kills that came after a commit not yet reported */
    for (int round = 0; round < kills; round++) {
        int fds[2];
        if (pipe(fds)) return 2;
        pid_t pid = fork();
        if (pid < 0) return 2;
        if (pid == 0) {
            close(fds[0]);
            child(dir, fds[1]);
        }
        close(fds[1]);
        /* 0 to 120 ms: from inside the open to many blocks in */
        struct timespec ts = { 0, (long)(rnd() % 120000) * 1000 };
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status)) {
            printf("round %d: the child ended on its own (status %d)\n", round, status);
            failures++;
        }
        /* everything the child reported before it died */
        FILE *f = fdopen(fds[0], "r");
        char line[160];
        while (f && fgets(line, sizeof line, f)) {
            unsigned long long h;
            char hx[65];
            if (sscanf(line, "%llu %64s", &h, hx) == 2) {
                reported = h;
                memcpy(reported_root, hx, sizeof hx);
            }
        }
        if (f) fclose(f);
        int bad = check(dir, reported, reported_root, round);
        failures += bad;
        st_env *env;
        if (!bad && st_open(dir, NULL, &env, NULL) == WVM_OK) {
            uint64_t h = st_last_height(env);
            if (h == reported + 1) {
                mid_block++;
                /* the next child starts from h: take it as reported */
                reported = h;
                wvm_hash r;
                st_last_root(env, &r);
                hex32(r.b, reported_root);
            }
            st_close(env);
        }
    }
    printf("crash test: %d kills, last height %llu, %llu kills between a commit and its "
           "report, %d failures\n", kills, (unsigned long long)reported,
           (unsigned long long)mid_block, failures);
    return failures ? 1 : 0;
}
