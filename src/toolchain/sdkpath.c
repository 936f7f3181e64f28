/*
 * sdkpath.c -- finds the contract SDK (wvm/contract.h and the wasm32
 * library libwvmsdk.a) from where the running wvm is, so `wvm build`
 * works in any directory, from the build tree or an installed prefix.
 *
 *   installed:   PREFIX/bin/wvm  ->  PREFIX/lib/wvm/sdk/include
 *                                    PREFIX/lib/wvm/sdk/lib/libwvmsdk.a
 *   build tree:  BUILD/wvm       ->  BUILD/../sdk/include
 *                                    BUILD/sdk/libwvmsdk.a
 *
 * WVM_SDK=DIR overrides both with DIR/include and DIR/lib/libwvmsdk.a.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "toolchain.h"

static char *join(const char *a, const char *b) {
    tc_buf buf = {0};
    if (!tcbuf_printf(&buf, "%s%s", a, b)) {
        tcbuf_free(&buf);
        return NULL;
    }
    return (char *)buf.data;
}

static bool has_header(const char *include_dir) {
    char *h = join(include_dir, "/wvm/contract.h");
    bool ok = h && access(h, R_OK) == 0;
    free(h);
    return ok;
}

/* Sets the pair when include_dir has the header; the library may be
 * missing (the build then says so). */
static bool try_layout(const char *base, const char *inc, const char *lib,
                       char **include_dir, char **lib_file) {
    char *i = join(base, inc), *l = join(base, lib);
    if (i && l && has_header(i)) {
        char *ri = realpath(i, NULL);
        *include_dir = ri ? ri : strdup(i);
        *lib_file = l;
        free(i);
        return *include_dir != NULL;
    }
    free(i);
    free(l);
    return false;
}

bool sdkpath_find(char **include_dir, char **lib_file) {
    *include_dir = *lib_file = NULL;
    const char *env = getenv("WVM_SDK");
    if (env && *env)
        return try_layout(env, "/include", "/lib/libwvmsdk.a", include_dir, lib_file);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return false;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return false;
    *slash = 0;   /* exe is now the directory of wvm */
    return try_layout(exe, "/../lib/wvm/sdk/include", "/../lib/wvm/sdk/lib/libwvmsdk.a",
                      include_dir, lib_file) ||
           try_layout(exe, "/../sdk/include", "/sdk/libwvmsdk.a", include_dir, lib_file);
}
