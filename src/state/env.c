/*
 * env.c -- opening a state directory: create it on first use, or check
 * that an existing one is ours, whole, of our schema version and
 * writable, before anything is written to it.
 *
 * An existing store is first probed read-only without a lock file
 * (MDB_RDONLY | MDB_NOLOCK), so a foreign, damaged or newer directory is
 * refused without a byte of it changing.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

/* The schema record: a magic string and the version, under meta "schema". */
static const char SCHEMA_MAGIC[10] = "wvm-state";   /* 9 chars + NUL */
#define SCHEMA_LEN (sizeof SCHEMA_MAGIC + 4)

static wvm_status open_fail(char **err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static wvm_status open_fail(char **err, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        char *m = NULL;
        if (vasprintf(&m, fmt, ap) < 0) m = NULL;
        va_end(ap);
        *err = m;
    }
    return WVM_ERR_STATE;
}

/* What the directory holds: whether data.mdb is there, and the first
 * entry that is neither data.mdb nor lock.mdb (a foreign file). */
static int scan_dir(const char *dir, bool *has_data, char *foreign, size_t cap) {
    DIR *d = opendir(dir);
    if (!d) return errno;
    struct dirent *e;
    *has_data = false;
    foreign[0] = 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (!strcmp(e->d_name, "data.mdb")) *has_data = true;
        /* the on-disk module cache `wvm` keeps beside the store
         * (src/cli/chainutil.c) */
        else if (!strcmp(e->d_name, "translations")) continue;
        else if (strcmp(e->d_name, "lock.mdb") && !foreign[0])
            snprintf(foreign, cap, "%s", e->d_name);
    }
    closedir(d);
    return 0;
}

/* Probes an existing store.  *fresh: an LMDB file with no entry at all
 * (a first open that died before its first commit). */
static wvm_status probe(const char *dir, bool *fresh, char **err) {
    MDB_env *env = NULL;
    MDB_txn *txn = NULL;
    wvm_status st = WVM_OK;
    int rc = mdb_env_create(&env);
    if (rc) return open_fail(err, "%s: cannot create an LMDB environment: %s", dir, mdb_strerror(rc));
    rc = mdb_env_open(env, dir, MDB_RDONLY | MDB_NOLOCK | MDB_NOTLS, 0);
    if (rc) {
        st = open_fail(err, "%s: damaged state directory: data.mdb is not a readable LMDB file (%s)",
                       dir, mdb_strerror(rc));
        goto done;
    }
    /* A truncated file would fault (SIGBUS) on the first read past its
     * end: compare the size the meta page claims with the file's. */
    MDB_envinfo info;
    MDB_stat ms;
    char path[4200];
    struct stat sb;
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    if (mdb_env_info(env, &info) || mdb_env_stat(env, &ms) || stat(path, &sb)) {
        st = open_fail(err, "%s: damaged state directory: cannot read data.mdb's header", dir);
        goto done;
    }
    uint64_t need = ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize;
    if ((uint64_t)sb.st_size < need) {
        st = open_fail(err, "%s: damaged state directory: data.mdb is truncated (%lld bytes, "
                       "its header says %llu)", dir, (long long)sb.st_size,
                       (unsigned long long)need);
        goto done;
    }
    rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
    MDB_dbi dbi;
    if (!rc) rc = mdb_dbi_open(txn, NULL, 0, &dbi);
    if (rc) {
        st = open_fail(err, "%s: damaged state directory: %s", dir, mdb_strerror(rc));
        goto done;
    }
    st_key k;
    keys_meta(&k, "schema");
    MDB_val key = { k.len, k.b }, val;
    rc = mdb_get(txn, dbi, &key, &val);
    if (rc == MDB_NOTFOUND) {
        MDB_stat s2;
        if (mdb_stat(txn, dbi, &s2) == 0 && s2.ms_entries == 0) {
            *fresh = true;
            goto done;
        }
        st = open_fail(err, "%s: not a wvm state directory: an LMDB store of another program "
                       "(no wvm schema record); refusing to touch it", dir);
        goto done;
    }
    if (rc) {
        st = open_fail(err, "%s: damaged state directory: %s", dir, mdb_strerror(rc));
        goto done;
    }
    if (val.mv_size != SCHEMA_LEN || memcmp(val.mv_data, SCHEMA_MAGIC, sizeof SCHEMA_MAGIC)) {
        st = open_fail(err, "%s: not a wvm state directory: its schema record is not wvm's", dir);
        goto done;
    }
    uint32_t v = keys_get_u32((const uint8_t *)val.mv_data + sizeof SCHEMA_MAGIC);
    if (v > ST_SCHEMA_VERSION)
        st = open_fail(err, "%s: state schema version %u is newer than this wvm's (%u); "
                       "use a newer wvm", dir, v, ST_SCHEMA_VERSION);
    else if (v < ST_SCHEMA_VERSION)
        st = open_fail(err, "%s: state schema version %u is older than this wvm's (%u) and "
                       "cannot be upgraded", dir, v, ST_SCHEMA_VERSION);
done:
    if (txn) mdb_txn_abort(txn);
    mdb_env_close(env);
    return st;
}

static wvm_status init_schema(st_env *e, char **err) {
    MDB_txn *txn;
    int rc = mdb_txn_begin(e->mdb, NULL, 0, &txn);
    if (rc) return open_fail(err, "%s: cannot initialise the store: %s", e->dir, mdb_strerror(rc));
    uint8_t rec[SCHEMA_LEN];
    memcpy(rec, SCHEMA_MAGIC, sizeof SCHEMA_MAGIC);
    keys_put_u32(rec + sizeof SCHEMA_MAGIC, ST_SCHEMA_VERSION);
    st_key k;
    keys_meta(&k, "schema");
    MDB_val key = { k.len, k.b }, val = { sizeof rec, rec };
    rc = mdb_put(txn, e->dbi, &key, &val, 0);
    if (!rc) rc = mdb_txn_commit(txn);
    else mdb_txn_abort(txn);
    if (rc) return open_fail(err, "%s: cannot initialise the store: %s", e->dir, mdb_strerror(rc));
    return WVM_OK;
}

/* perthread drop: a thread's kept read transactions. */
static void drop_kept(void *user, void *data) {
    st_env *env = user;
    st_kept *k = data;
    for (uint32_t i = 0; i < k->n; i++) mdb_txn_abort(k->kept[i]);
    k->n = 0;
    if (k->quota) atomic_fetch_sub_explicit(&env->keeping, 1, memory_order_relaxed);
    k->quota = 0;
}

wvm_status st_open(const char *dir, const st_options *o, st_env **out, char **err) {
    st_options def = { 0 };
    if (!o) o = &def;
    *out = NULL;
    if (err) *err = NULL;
    if (!dir || !*dir) return open_fail(err, "no state directory given");
    if (strlen(dir) >= sizeof ((st_env *)0)->dir)
        return open_fail(err, "state directory path too long");

    struct stat sb;
    bool fresh = false;
    if (stat(dir, &sb) != 0) {
        if (errno != ENOENT) return open_fail(err, "%s: %s", dir, strerror(errno));
        if (o->read_only) return open_fail(err, "%s: no state directory there", dir);
        if (mkdir(dir, 0755) != 0)
            return open_fail(err, "%s: cannot create the state directory: %s", dir, strerror(errno));
        fresh = true;
    } else if (!S_ISDIR(sb.st_mode)) {
        return open_fail(err, "%s: not a directory", dir);
    } else {
        bool has_data = false;
        char foreign[256];
        int rc = scan_dir(dir, &has_data, foreign, sizeof foreign);
        if (rc) return open_fail(err, "%s: cannot read the directory: %s", dir, strerror(rc));
        if (foreign[0])
            return open_fail(err, "%s: not a wvm state directory (it holds '%s', which wvm never "
                             "writes); refusing to touch it", dir, foreign);
        if (has_data) {
            wvm_status st = probe(dir, &fresh, err);
            if (st) return st;
        } else {
            if (o->read_only) return open_fail(err, "%s: no state there yet", dir);
            fresh = true;
        }
        if (!o->read_only && access(dir, W_OK) != 0)
            return open_fail(err, "%s: read-only state directory: %s", dir, strerror(errno));
    }

    st_env *e = calloc(1, sizeof *e);
    if (e && !(e->readers = perthread_new(sizeof(st_kept), drop_kept, e))) {
        free(e);
        e = NULL;
    }
    if (!e) {
        open_fail(err, "out of memory");
        return WVM_ERR_NOMEM;
    }
    snprintf(e->dir, sizeof e->dir, "%s", dir);
    e->no_sync = o->no_sync;
    e->read_only = o->read_only;
    if (!lattice_hasher_init(&e->writer)) {
        perthread_free(e->readers);
        free(e);
        open_fail(err, "cannot set up libcrypto's SHA-256 and ChaCha20");
        return WVM_ERR_NOMEM;
    }
    int rc = mdb_env_create(&e->mdb);
    if (rc) {
        lattice_hasher_free(&e->writer);
        perthread_free(e->readers);
        free(e);
        return open_fail(err, "%s: cannot create an LMDB environment: %s", dir, mdb_strerror(rc));
    }
    mdb_env_set_mapsize(e->mdb, o->map_size ? o->map_size : ST_DEFAULT_MAP_SIZE);
    mdb_env_set_maxreaders(e->mdb, ST_MAX_READERS);
    unsigned flags = MDB_NOTLS | (o->no_sync ? MDB_NOSYNC : 0) | (o->read_only ? MDB_RDONLY : 0);
    rc = mdb_env_open(e->mdb, dir, flags, 0644);
    if (rc) {
        mdb_env_close(e->mdb);
        lattice_hasher_free(&e->writer);
        perthread_free(e->readers);
        free(e);
        if (rc == EACCES || rc == EROFS || rc == EPERM)
            return open_fail(err, "%s: read-only state directory: %s", dir, mdb_strerror(rc));
        return open_fail(err, "%s: cannot open the store: %s", dir, mdb_strerror(rc));
    }
    MDB_txn *txn;
    rc = mdb_txn_begin(e->mdb, NULL, MDB_RDONLY, &txn);
    if (!rc) {
        rc = mdb_dbi_open(txn, NULL, 0, &e->dbi);
        mdb_txn_abort(txn);
    }
    if (rc) {
        mdb_env_close(e->mdb);
        lattice_hasher_free(&e->writer);
        perthread_free(e->readers);
        free(e);
        return open_fail(err, "%s: cannot open the store: %s", dir, mdb_strerror(rc));
    }
    if (fresh && !o->read_only) {
        wvm_status st = init_schema(e, err);
        if (st) {
            st_close(e);
            return st;
        }
    }
    *out = e;
    return WVM_OK;
}

void st_close(st_env *env) {
    if (!env) return;
    perthread_free(env->readers);  /* their transactions before the env */
    mdb_env_close(env->mdb);
    lattice_hasher_free(&env->writer);
    free(env);
}
