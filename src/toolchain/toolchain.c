/*
 * toolchain.c -- `wvm build` as one pipeline: the steps in order, each a
 * function from its input to its output (toolchain.h describes them).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "toolchain.h"

void toolchain_options_default(tc_options *o) {
    memset(o, 0, sizeof *o);
    o->display_name = "contract.c";
    o->max_source = TOOLCHAIN_MAX_SOURCE;
    o->float_policy = WVM_FLOAT_CANONICAL_NAN;   /* the engine's default for contracts */
    o->clang = "clang-14";
    o->diag = stderr;
}

bool toolchain_build(const tc_options *o, const uint8_t *input, size_t len, tc_output *out) {
    memset(out, 0, sizeof *out);
    tc_buf source = {0}, wrapper = {0};
    tc_unit *unit = NULL;
    bool ok = gunzip_source(o, input, len, &source) &&
              validate_source(o, &source, &unit) &&
              exports_scan(o, unit, &out->exports) &&
              wrapper_generate(o, &out->exports, &wrapper) &&
              driver_compile(o, &source, &wrapper, unit, &out->wasm) &&
              optimise_wasm(o, &out->wasm) &&
              check_wasm(o, &out->wasm) &&
              embed_abi(o, &out->exports, &out->wasm, &out->abi_json);
    validate_unit_free(unit);
    tcbuf_free(&source);
    tcbuf_free(&wrapper);
    if (!ok) toolchain_output_free(out);
    return ok;
}

void toolchain_output_free(tc_output *out) {
    tcbuf_free(&out->wasm);
    free(out->abi_json);
    out->abi_json = NULL;
    exports_free(&out->exports);
}

void toolchain_error(const tc_options *o, unsigned line, unsigned col, const char *fmt, ...) {
    fprintf(o->diag, "%s:%u:%u: error: ", o->display_name, line, col);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(o->diag, fmt, ap);
    va_end(ap);
    fputc('\n', o->diag);
}

const char *toolchain_type_name(tc_type t) {
    switch (t) {
    case TC_VOID: return "void";
    case TC_I32: return "int32";
    case TC_U32: return "uint32";
    case TC_I64: return "int64";
    case TC_U64: return "uint64";
    case TC_BOOL: return "bool";
    case TC_STR: return "string";
    case TC_BYTES: return "bytes";
    case TC_ADDRESS: return "address";
    case TC_OBJECT_ID: return "object_id";
    }
    return "?";
}

bool toolchain_options_find(tc_options *o, bool use_wasm_opt, char **sdk_include, char **sdk_lib,
                            char **wasm_opt) {
    *wasm_opt = NULL;
    if (!sdkpath_find(sdk_include, sdk_lib)) {
        fprintf(o->diag, "wvm build: cannot find the contract SDK (wvm/contract.h) beside this "
                         "wvm: expected PREFIX/lib/wvm/sdk/ (installed) or sdk/ (build tree), "
                         "or set WVM_SDK\n");
        return false;
    }
    o->sdk_include = *sdk_include;
    o->sdk_lib = *sdk_lib;
    const char *clang = getenv("WVM_CLANG");
    if (clang && *clang) o->clang = clang;
    if (use_wasm_opt) *wasm_opt = spawn_find("wasm-opt");
    o->wasm_opt = *wasm_opt;
    return true;
}

bool toolchain_read_file(const tc_options *o, const char *path, tc_buf *out) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(o->diag, "wvm build: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    /* A compressed source is smaller than its text, bar a few bytes of
     * header; more than that is over the limit whatever it holds. */
    size_t limit = o->max_source + o->max_source / 8 + 4096;
    char chunk[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > limit) {
            toolchain_error(o, 1, 1, "source is larger than %zu bytes (the limit of a contract's source)",
                            o->max_source);
            ok = false;
            break;
        }
        if (!tcbuf_append(out, chunk, n)) {
            fprintf(o->diag, "wvm build: out of memory reading %s\n", path);
            ok = false;
            break;
        }
    }
    if (ok && ferror(f)) {
        fprintf(o->diag, "wvm build: cannot read %s: %s\n", path, strerror(errno));
        ok = false;
    }
    fclose(f);
    if (!ok) tcbuf_free(out);
    return ok;
}
