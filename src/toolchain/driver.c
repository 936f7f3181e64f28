/*
 * driver.c -- step 5: the contract and its generated dispatch compiled and
 * linked by clang into a wasm32 reactor with the SDK library.
 *
 * Reproducibility: both files are written under fixed names into a fresh
 * directory and compiled from there with relative names, no debug
 * information and prefix maps, so neither the user's directory nor the
 * temporary one can reach the module; the same source and the same wvm
 * (and clang) give the same bytes.  clang's diagnostics are passed on
 * unchanged except that the fixed name becomes the user's file name.
 */
#include <string.h>
#include <unistd.h>
#include "toolchain.h"

#define CONTRACT_NAME "wvm_contract.c"
#define DISPATCH_NAME "wvm_dispatch.c"
#define OUTPUT_NAME "contract.wasm"

/* Passes tool output on with every CONTRACT_NAME replaced by the user's
 * file name. */
static void pass_on(const tc_options *o, const tc_buf *out) {
    const char *p = out->data ? (const char *)out->data : "";
    size_t n = strlen(CONTRACT_NAME);
    for (;;) {
        const char *hit = strstr(p, CONTRACT_NAME);
        if (!hit) {
            fputs(p, o->diag);
            return;
        }
        fwrite(p, 1, (size_t)(hit - p), o->diag);
        fputs(o->display_name, o->diag);
        p = hit + n;
    }
}

bool driver_compile(const tc_options *o, const tc_buf *source, const tc_buf *wrapper,
                    const tc_unit *unit, tc_buf *wasm) {
    if (access(o->sdk_lib, R_OK) != 0) {
        fprintf(o->diag, "wvm build: the contract SDK library %s is missing "
                         "(`make` builds it; installed, it is PREFIX/lib/wvm/sdk/lib)\n",
                o->sdk_lib);
        return false;
    }
    char *dir = tempdir_new();
    if (!dir) {
        fprintf(o->diag, "wvm build: cannot make a temporary directory\n");
        return false;
    }
    bool ok = false;
    tc_buf map_dir = {0}, map_sdk = {0}, inc = {0}, out = {0};
    uint32_t nh;
    const tc_file *hs = validate_unit_headers(unit, &nh);
    bool wrote = true;
    for (uint32_t i = 0; i < nh; i++) wrote = wrote && tempdir_write(dir, hs[i].name, &hs[i].text);
    if (!wrote || !tempdir_write(dir, CONTRACT_NAME, source) || !tempdir_write(dir, DISPATCH_NAME, wrapper)) {
        fprintf(o->diag, "wvm build: cannot write into %s\n", dir);
        goto done;
    }
    if (!tcbuf_printf(&map_dir, "-ffile-prefix-map=%s=.", dir) ||
        !tcbuf_printf(&map_sdk, "-ffile-prefix-map=%s=wvm-sdk", o->sdk_include) ||
        !tcbuf_printf(&inc, "-I%s", o->sdk_include))
        goto done;
    /* The contract and the dispatch compile at once (two processes),
     * then link: the build's wall time is mostly clang's. */
#define COMPILE_ARGS(src, obj)                                                        \
    {(char *)o->clang, "--target=wasm32-wasi", "-std=c11", "-O2", "-mbulk-memory", "-flto", "-g0", \
     "-Werror=implicit-function-declaration", "-D__wvm_contract__=1",                 \
     (char *)map_dir.data, (char *)map_sdk.data, (char *)inc.data, "-c", src, "-o", obj, \
     NULL}
    char *cc_contract[] = COMPILE_ARGS(CONTRACT_NAME, "contract.o");
    char *cc_dispatch[] = COMPILE_ARGS(DISPATCH_NAME, "dispatch.o");
#undef COMPILE_ARGS
    /* -O2 for wasm-ld only: given to the driver, clang-14 would run
     * wasm-opt itself when one is on PATH, and optimise.c runs it again */
    char *link[] = {(char *)o->clang, "--target=wasm32-wasi", "-Wl,-O2", "-mexec-model=reactor",
                    "-o", OUTPUT_NAME, "contract.o", "dispatch.o", (char *)o->sdk_lib,
                    "-Wl,--strip-debug", NULL};
    tc_buf out2 = {0};
    tc_spawn a, b;
    bool started_a = spawn_start(dir, cc_contract, &a, &out);
    bool started_b = spawn_start(dir, cc_dispatch, &b, &out2);
    int rc = started_a ? spawn_finish(&a, &out) : -1;
    int rc2 = started_b ? spawn_finish(&b, &out2) : -1;
    pass_on(o, &out);
    pass_on(o, &out2);   /* the dispatch's: would be our bug, shown all the same */
    tcbuf_free(&out2);
    if (rc == 0 && rc2 == 0) {
        out.len = 0;
        rc = spawn_capture(dir, link, &out);
        pass_on(o, &out);
    } else if (rc == 0) {
        rc = rc2;
    }
    if (rc != 0) {
        if (rc > 0) fprintf(o->diag, "wvm build: %s failed (exit status %d)\n", o->clang, rc);
        goto done;
    }
    wasm->len = 0;
    if (!tempdir_read(dir, OUTPUT_NAME, wasm)) {
        fprintf(o->diag, "wvm build: clang wrote no module\n");
        goto done;
    }
    ok = true;
done:
    tcbuf_free(&map_dir);
    tcbuf_free(&map_sdk);
    tcbuf_free(&inc);
    tcbuf_free(&out);
    tempdir_free(dir);
    return ok;
}
