/*
 * diskcache.c -- the on-disk cache of translated modules
 * (wvm_chain_config.translation_dir, docs/engine.md "The on-disk
 * cache"): a module missing from the in-memory cache is read back from
 * its file instead of being validated and translated again, and a module
 * loaded from its wasm has its translation written out for next time.
 *
 * One file a module, named by its code hash and the cost table's hash:
 * <dir>/<code hash>-<cost hash>.xlat.  What a file may hold is decided by
 * wvm_module_new_translated (src/wasm/persist.c): a file of another
 * build, other settings, other code, cut short or damaged is not used,
 * and is replaced.  Files are written whole under a temporary name and
 * renamed into place, so a reader never sees half of one.  Failing to
 * read or write a file never fails a call: the module then loads from
 * its wasm, as without the cache.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "chain.h"

/* A translation is several times its wasm; a file past this many times
 * the wasm's size is not read (a damaged size, or not ours). */
#define MAX_BLOB_RATIO 64

/* False when the name does not fit (then the module is not cached). */
static bool file_name(const wvm_chain *c, const wvm_hash *code, char *out, size_t cap) {
    char hh[67];
    wvm_hash_hex(code, hh);
    int n = snprintf(out, cap, "%s/%s-%016llx.xlat", c->translation_dir, hh + 2,
                     (unsigned long long)c->cost_hash);
    return n > 0 && (size_t)n < cap;
}

/* The file's bytes (malloc'd), or NULL when there is none that fits. */
static uint8_t *read_blob(const char *path, size_t limit, size_t *len) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat sb;
    uint8_t *b = NULL;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 && (uint64_t)sb.st_size <= limit &&
        (b = malloc((size_t)sb.st_size))) {
        size_t n = 0;
        while (n < (size_t)sb.st_size) {
            ssize_t r = read(fd, b + n, (size_t)sb.st_size - n);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            n += (size_t)r;
        }
        *len = n;
    }
    close(fd);
    return b;
}

typedef struct file_out {
    int fd;
    bool ok;
} file_out;

static void write_all(void *user, const void *bytes, size_t len) {
    file_out *o = user;
    const uint8_t *p = bytes;
    while (o->ok && len) {
        ssize_t w = write(o->fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) o->ok = false;
        else p += w, len -= (size_t)w;
    }
}

/* m's translation into path: written under a name of this process and
 * thread, then renamed over it. */
static bool write_blob(const char *path, const wvm_module *m) {
    static _Atomic uint64_t serial;
    char tmp[PATH_MAX + 64];
    snprintf(tmp, sizeof tmp, "%s.%ld.%llu.tmp", path, (long)getpid(),
             (unsigned long long)atomic_fetch_add(&serial, 1));
    file_out o = { open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644), true };
    if (o.fd < 0) return false;
    o.ok = wvm_module_write_translation(m, write_all, &o) == WVM_OK && o.ok;
    o.ok = close(o.fd) == 0 && o.ok;
    if (o.ok && rename(tmp, path) == 0) return true;
    unlink(tmp);
    return false;
}

wvm_status chain_module_load(wvm_chain *c, const wvm_hash *code, const uint8_t *wasm, size_t len,
                             wvm_module **out, bool *from_disk) {
    *from_disk = false;
    char path[PATH_MAX];
    if (!c->translation_dir || !file_name(c, code, path, sizeof path))
        return wvm_module_new(c->engine, wasm, len, out);
    size_t blob_len = 0;
    uint8_t *blob = read_blob(path, (uint64_t)len * MAX_BLOB_RATIO + 4096, &blob_len);
    wvm_translation_use use;
    wvm_status st = wvm_module_new_translated(c->engine, wasm, len, blob, blob_len, out, &use);
    free(blob);
    metrics *mt = &c->metrics;
    if (!st && use == WVM_TRANSLATION_USED) {
        atomic_fetch_add_explicit(&mt->disk_reads, 1, memory_order_relaxed);
        *from_disk = true;
        return st;
    }
    if (blob) atomic_fetch_add_explicit(&mt->disk_rejected, 1, memory_order_relaxed);
    if (!st) {
        if (write_blob(path, *out)) atomic_fetch_add_explicit(&mt->disk_writes, 1, memory_order_relaxed);
        else atomic_fetch_add_explicit(&mt->disk_write_failures, 1, memory_order_relaxed);
    }
    return st;
}
