/*
 * optimise.c -- step 6: binaryen's wasm-opt over the linked module, when
 * it is installed (opts->wasm_opt).  Its output is deterministic too; a
 * build with it and one without differ, so the ABI records which
 * (docs/contracts.md).
 */
#include "toolchain.h"

bool optimise_wasm(const tc_options *o, tc_buf *wasm) {
    if (!o->wasm_opt) return true;
    char *dir = tempdir_new();
    if (!dir) {
        fprintf(o->diag, "wvm build: cannot make a temporary directory\n");
        return false;
    }
    tc_buf out = {0}, result = {0};
    bool ok = false;
    if (!tempdir_write(dir, "in.wasm", wasm)) {
        fprintf(o->diag, "wvm build: cannot write into %s\n", dir);
        goto done;
    }
    char *argv[] = {(char *)o->wasm_opt, "-O2", "--strip-debug", "--strip-producers",
                    "in.wasm", "-o", "out.wasm", NULL};
    int rc = spawn_capture(dir, argv, &out);
    if (rc != 0) {
        fputs(out.data ? (char *)out.data : "", o->diag);
        fprintf(o->diag, "wvm build: %s failed\n", o->wasm_opt);
        goto done;
    }
    if (!tempdir_read(dir, "out.wasm", &result)) {
        fprintf(o->diag, "wvm build: wasm-opt wrote no module\n");
        goto done;
    }
    tcbuf_free(wasm);
    *wasm = result;
    result.data = NULL;
    ok = true;
done:
    tcbuf_free(&out);
    tcbuf_free(&result);
    tempdir_free(dir);
    return ok;
}
