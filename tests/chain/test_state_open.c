/*
 * test_state_open.c -- bad directories are refused at open with a clear
 * message and left byte for byte as they were: a truncated or corrupted
 * data file, another program's directory or LMDB store, a newer schema,
 * a read-only directory.
 */
#include <errno.h>
#include <lmdb.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "chaintest.h"
#include "state/state.h"

/* Makes a store with a few committed blocks in dir. */
static bool make_store(const char *dir) {
    st_env *env;
    st_options o = { .no_sync = true };
    if (st_open(dir, &o, &env, NULL)) return false;
    for (uint64_t h = 1; h <= 3; h++) {
        st_txn *b, *t;
        if (st_block_begin(env, h, h * 10, &b)) return false;
        if (st_txn_begin(b, &t)) return false;
        wvm_address a = ct_addr((uint32_t)h);
        for (uint32_t i = 0; i < 200; i++) {
            wvm_address x = ct_addr(i * 7 + (uint32_t)h);
            if (st_mint(t, &x, 1000 + i)) return false;
        }
        (void)a;
        if (st_txn_commit(t) || st_txn_commit(b)) return false;
    }
    st_close(env);
    return true;
}

/* Hash of every file of dir, to see it unchanged. */
static unsigned long dir_sum(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat '%s'/* 2>/dev/null | cksum", dir);
    FILE *p = popen(cmd, "r");
    unsigned long s = 0, n = 0;
    if (p) {
        if (fscanf(p, "%lu %lu", &s, &n) != 2) s = 0;
        pclose(p);
    }
    return s ^ n;
}

static wvm_status try_open(const char *dir, char **err) {
    st_env *env = NULL;
    st_options o = { .no_sync = true };
    wvm_status st = st_open(dir, &o, &env, err);
    st_close(env);
    return st;
}

#define REFUSED_OPEN(dir, text) do { \
        unsigned long sum_ = dir_sum(dir); \
        char *err_ = NULL; \
        CHECK_EQ_INT(try_open(dir, &err_), WVM_ERR_STATE); \
        if (!err_ || !strstr(err_, text)) \
            test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", err_ ? err_ : "(none)", text); \
        free(err_); \
        CHECK(dir_sum(dir) == sum_); \
    } while (0)

TEST(open_fresh_then_reopen) {
    const char *dir = ct_dir("open_ok");
    REQUIRE(dir && make_store(dir));
    char *err = NULL;
    CHECK_EQ_INT(try_open(dir, &err), WVM_OK);
    free(err);
    /* an empty directory is fine too (created by the user) */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p build/chaintest/open_empty && rm -rf build/chaintest/open_empty/*");
    REQUIRE(system(cmd) == 0);
    CHECK_EQ_INT(try_open("build/chaintest/open_empty", NULL), WVM_OK);
    /* not a directory */
    REQUIRE(system("echo x > build/chaintest/open_file") == 0);
    REFUSED_OPEN("build/chaintest/open_file", "not a directory");
}

TEST(open_truncated) {
    const char *dir = ct_dir("open_trunc");
    REQUIRE(dir && make_store(dir));
    char path[1200];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    struct stat sb;
    REQUIRE(stat(path, &sb) == 0);
    REQUIRE(truncate(path, sb.st_size / 2) == 0);
    REFUSED_OPEN(dir, "truncated");
    REQUIRE(truncate(path, 100) == 0);
    REFUSED_OPEN(dir, "damaged state directory");
}

TEST(open_corrupted_header) {
    const char *dir = ct_dir("open_corrupt");
    REQUIRE(dir && make_store(dir));
    char path[1200];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    FILE *f = fopen(path, "r+b");
    REQUIRE(f);
    /* both meta pages (the first two pages) overwritten */
    uint8_t junk[8192];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (uint8_t)(i * 131 + 7);
    fwrite(junk, 1, sizeof junk, f);
    fclose(f);
    REFUSED_OPEN(dir, "damaged state directory");
}

TEST(open_foreign) {
    /* a directory of another program */
    const char *dir = ct_dir("open_foreign");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p %s && echo '[core]' > %s/config", dir, dir);
    REQUIRE(system(cmd) == 0);
    REFUSED_OPEN(dir, "not a wvm state directory (it holds 'config'");
    /* another program's LMDB store */
    dir = ct_dir("open_foreign_lmdb");
    REQUIRE(mkdir(dir, 0755) == 0);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    REQUIRE(mdb_env_create(&env) == 0);
    REQUIRE(mdb_env_open(env, dir, 0, 0644) == 0);
    REQUIRE(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    REQUIRE(mdb_dbi_open(txn, NULL, 0, &dbi) == 0);
    MDB_val k = { 5, "users" }, v = { 3, "bob" };
    REQUIRE(mdb_put(txn, dbi, &k, &v, 0) == 0);
    REQUIRE(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
    REFUSED_OPEN(dir, "an LMDB store of another program");
}

/* Rewrites the schema record of a store (as a newer wvm would). */
static void set_schema(const char *dir, const char *magic, uint32_t version) {
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    if (mdb_env_create(&env) || mdb_env_open(env, dir, 0, 0644)) return;
    if (mdb_txn_begin(env, NULL, 0, &txn) || mdb_dbi_open(txn, NULL, 0, &dbi)) return;
    uint8_t rec[14];
    memcpy(rec, magic, 10);
    rec[10] = (uint8_t)(version >> 24), rec[11] = (uint8_t)(version >> 16);
    rec[12] = (uint8_t)(version >> 8), rec[13] = (uint8_t)version;
    MDB_val k = { 7, "\x01schema" }, v = { 14, rec };
    mdb_put(txn, dbi, &k, &v, 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);
}

TEST(open_newer_schema) {
    const char *dir = ct_dir("open_newer");
    REQUIRE(dir && make_store(dir));
    set_schema(dir, "wvm-state", 2);
    REFUSED_OPEN(dir, "state schema version 2 is newer than this wvm's (1)");
    set_schema(dir, "otherthing", 1);
    REFUSED_OPEN(dir, "its schema record is not wvm's");
    set_schema(dir, "wvm-state", 1);
    CHECK_EQ_INT(try_open(dir, NULL), WVM_OK);
}

/* As root, permissions do not stop us: the open runs in a child that
 * drops to an unprivileged user first. */
TEST(open_read_only_dir) {
    const char *dir = ct_dir("open_ro");
    REQUIRE(dir && make_store(dir));
    char d2[1200];
    snprintf(d2, sizeof d2, "%s", dir);
    REQUIRE(chmod(d2, 0555) == 0);
    char data[1300];
    snprintf(data, sizeof data, "%s/data.mdb", d2);
    chmod(data, 0444);
    /* lock.mdb exists from make_store; make it unwritable too */
    snprintf(data, sizeof data, "%s/lock.mdb", d2);
    chmod(data, 0444);
    unsigned long before = dir_sum(d2);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        if (geteuid() == 0 && (setgid(65534) || setuid(65534))) _exit(3);
        char *err = NULL;
        wvm_status st = try_open(d2, &err);
        if (err) {
            ssize_t w = write(fds[1], err, strlen(err));
            (void)w;
        }
        _exit(st == WVM_ERR_STATE ? 0 : 1);
    }
    close(fds[1]);
    char msg[512] = "";
    ssize_t n = read(fds[0], msg, sizeof msg - 1);
    if (n > 0) msg[n] = 0;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (!strstr(msg, "read-only state directory"))
        test_fail(__FILE__, __LINE__, "message \"%s\"", msg);
    CHECK(dir_sum(d2) == before);
    chmod(d2, 0755);
}
