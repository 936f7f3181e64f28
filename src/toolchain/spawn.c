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

bool spawn_start(const char *dir, char *const argv[], tc_spawn *sp, tc_buf *output) {
    sp->pid = -1;
    sp->out = sp->err = -1;
    sp->name = argv[0];
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        tcbuf_printf(output, "cannot make a pipe: %s\n", strerror(errno));
        return false;
    }
    /* The child reports a failed chdir or exec through this pipe, closed
     * on a successful exec. */
    int err[2];
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(fds[0]);
        close(fds[1]);
        tcbuf_printf(output, "cannot make a pipe: %s\n", strerror(errno));
        return false;
    }
    pid_t pid = fork();
    if (pid < 0) {
        tcbuf_printf(output, "cannot start %s: %s\n", argv[0], strerror(errno));
        close(fds[0]); close(fds[1]); close(err[0]); close(err[1]);
        return false;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(fds[1], 1);   /* dup2 clears close-on-exec on 1 and 2 */
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
    sp->pid = pid;
    sp->out = fds[0];
    sp->err = err[0];
    return true;
}

int spawn_finish(tc_spawn *sp, tc_buf *output) {
    if (sp->pid < 0) return -1;
    char chunk[4096];
    for (;;) {
        ssize_t n = read(sp->out, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        tcbuf_append(output, chunk, (size_t)n);
    }
    close(sp->out);
    int child_err = 0;
    ssize_t got;
    do got = read(sp->err, &child_err, sizeof child_err);
    while (got < 0 && errno == EINTR);
    close(sp->err);
    int status;
    while (waitpid(sp->pid, &status, 0) < 0 && errno == EINTR) {}
    sp->pid = -1;
    if (got == (ssize_t)sizeof child_err) {
        tcbuf_printf(output, "cannot run %s: %s\n", sp->name, strerror(child_err));
        return -1;
    }
    if (!output->data) tcbuf_append(output, "", 0);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    tcbuf_printf(output, "%s was killed by signal %d\n", sp->name,
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 128;
}

int spawn_capture(const char *dir, char *const argv[], tc_buf *output) {
    tc_spawn sp;
    if (!spawn_start(dir, argv, &sp, output)) return -1;
    return spawn_finish(&sp, output);
}
