/*
 * libclang.c -- loads libclang on first use (libclang.h says why).
 */
#include <dlfcn.h>
#include <pthread.h>
#include "libclang.h"

/* The build's LLVM first (the headers we compiled against), then the
 * soname the libclang1-14 package installs. */
#ifndef TOOLCHAIN_LIBCLANG
#define TOOLCHAIN_LIBCLANG "/usr/lib/llvm-14/lib/libclang.so.1"
#endif
static const char *const candidates[] = { TOOLCHAIN_LIBCLANG, "libclang-14.so.1" };

struct libclang_api libclang_api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];   /* empty once loaded */

static void load(void) {
    void *h = NULL;
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates && !h; i++)
        h = dlopen(candidates[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(failure, sizeof failure,
                 "wvm build: cannot load libclang (%s); install libclang1-14", dlerror());
        return;
    }
    /* dlsym's void * to a function pointer: POSIX guarantees it works */
#define LIBCLANG_SYM(name) \
    if (!(*(void **)&libclang_api.p_##name = dlsym(h, #name))) { \
        snprintf(failure, sizeof failure, "wvm build: libclang lacks %s", #name); \
        return; \
    }
    LIBCLANG_FUNCS(LIBCLANG_SYM)
#undef LIBCLANG_SYM
    /* h stays open for the life of the process, as a linked library would */
}

bool libclang_load(FILE *diag) {
    pthread_once(&once, load);
    if (failure[0]) fprintf(diag, "%s\n", failure);
    return failure[0] == 0;
}
