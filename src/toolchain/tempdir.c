/*
 * tempdir.c -- the private directory a build runs its tools in.  Files in
 * it have fixed names (wvm_contract.c, ...), so nothing about where or
 * when a build ran can reach the output.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "toolchain.h"

char *tempdir_new(void) {
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    tc_buf b = {0};
    if (!tcbuf_printf(&b, "%s/wvm-build-XXXXXX", base)) {
        tcbuf_free(&b);
        return NULL;
    }
    if (!mkdtemp((char *)b.data)) {
        tcbuf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

static char *path_of(const char *dir, const char *name) {
    tc_buf b = {0};
    if (!tcbuf_printf(&b, "%s/%s", dir, name)) {
        tcbuf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

bool tempdir_write(const char *dir, const char *name, const tc_buf *data) {
    char *p = path_of(dir, name);
    if (!p) return false;
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    free(p);
    if (fd < 0) return false;
    size_t off = 0;
    bool ok = true;
    while (off < data->len) {
        ssize_t n = write(fd, data->data + off, data->len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) { ok = false; break; }
        off += (size_t)n;
    }
    return close(fd) == 0 && ok;
}

bool tempdir_read(const char *dir, const char *name, tc_buf *out) {
    char *p = path_of(dir, name);
    if (!p) return false;
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    free(p);
    if (fd < 0) return false;
    out->len = 0;
    char chunk[65536];
    bool ok = true;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { ok = false; break; }
        if (n == 0) break;
        if (!tcbuf_append(out, chunk, (size_t)n)) { ok = false; break; }
    }
    close(fd);
    return ok;
}

void tempdir_free(char *dir) {
    if (!dir) return;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            char *p = path_of(dir, e->d_name);
            if (p) unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}
