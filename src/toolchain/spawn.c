/*
 * spawn.c -- runs the external tools of a build (clang, wasm-opt) with
 * their output captured, so the toolchain can rewrite file names in
 * clang's diagnostics before passing them on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "toolchain.h"

char *spawn_find(const char *name) {
    if (strchr(name, '/')) return access(name, X_OK) == 0 ? strdup(name) : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *end = strchr(path, ':');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        if (n) {
            tc_buf b = {0};
            if (!tcbuf_append(&b, path, n) || !tcbuf_printf(&b, "/%s", name)) {
                tcbuf_free(&b);
                return NULL;
            }
            struct stat st;
            if (stat((char *)b.data, &st) == 0 && S_ISREG(st.st_mode) &&
                access((char *)b.data, X_OK) == 0)
                return (char *)b.data;
            tcbuf_free(&b);
        }
        path += n;
        if (*path == ':') path++;
    }
    return NULL;
}

int spawn_capture(const char *dir, char *const argv[], tc_buf *output) {
    int fds[2];
    if (pipe(fds) != 0) {
        tcbuf_printf(output, "cannot make a pipe: %s\n", strerror(errno));
        return -1;
    }
    /* The child reports a failed chdir or exec through this pipe, closed
     * on a successful exec. */
    int err[2];
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(fds[0]);
        close(fds[1]);
        tcbuf_printf(output, "cannot make a pipe: %s\n", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        tcbuf_printf(output, "cannot start %s: %s\n", argv[0], strerror(errno));
        close(fds[0]); close(fds[1]); close(err[0]); close(err[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        close(err[0]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        int e = 0;
        if (dir && chdir(dir) != 0) e = errno;
        else {
            execvp(argv[0], argv);
            e = errno;
        }
        if (write(err[1], &e, sizeof e) < 0) _exit(127);
        _exit(127);
    }
    close(fds[1]);
    close(err[1]);
    char chunk[4096];
    for (;;) {
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        tcbuf_append(output, chunk, (size_t)n);
    }
    close(fds[0]);
    int child_err = 0;
    ssize_t got;
    do got = read(err[0], &child_err, sizeof child_err);
    while (got < 0 && errno == EINTR);
    close(err[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (got == (ssize_t)sizeof child_err) {
        tcbuf_printf(output, "cannot run %s: %s\n", argv[0], strerror(child_err));
        return -1;
    }
    if (!output->data) tcbuf_append(output, "", 0);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    tcbuf_printf(output, "%s was killed by signal %d\n", argv[0],
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 128;
}
