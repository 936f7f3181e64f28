/*
 * build.c -- `wvm build`: a C contract to a deployable wasm module and
 * its ABI (the pipeline is src/toolchain/toolchain.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "toolchain/toolchain.h"

/* client.c: `wvm build --client` (0 written, 1 failed, 2 usage). */
int build_client(const char *what, const char *name, const char *out_path, tc_options *o,
                 bool wasm_opt);

static const char usage_text[] =
    "usage: wvm build [options] SRC.c\n"
    "       wvm build --client SRC.c|ADDR [--name NAME] [-o NAME_client.h]\n"
    "\n"
    "Builds the C contract SRC.c (or gzip-compressed SRC.c.gz) into a\n"
    "deployable wasm module with its ABI embedded (docs/contracts.md).\n"
    "The same source and wvm give the same bytes in any directory.\n"
    "\n"
    "options:\n"
    "  -o OUT.wasm        where to write the module (default: SRC with .wasm)\n"
    "  --abi OUT.json     also write the ABI (JSON) there\n"
    "  --float POLICY     canonical (default: floats allowed, every NaN made\n"
    "                     canonical by the engine) or reject (no float type or\n"
    "                     constant may appear in the contract)\n"
    "  --max-source N     limit on the (decompressed) source, bytes (default 262144)\n"
    "  --no-wasm-opt      do not run wasm-opt even when installed\n"
    "  --client           write typed call stubs NAME_client.h instead, from the\n"
    "                     ABI of SRC.c or of the contract deployed at ADDR (read\n"
    "                     from --state); another contract includes the header\n"
    "                     (beside its source) to call this one (docs/calls.md)\n"
    "  --name NAME        the stubs' prefix (default: SRC's name; needed for ADDR)\n"
    "\n"
    "exit status: 0 built, 1 the contract has errors (printed as\n"
    "FILE:LINE:COL: error: ...), 2 usage error\n";

static int usage_error(const char *cmd, const char *msg, const char *arg) {
    fprintf(stderr, "wvm %s: %s%s%s\n(see `wvm help %s`)\n", cmd, msg, arg ? " " : "",
            arg ? arg : "", cmd);
    return 2;
}

/* Options shared with `wvm verify`: consumes argv[*i] (and its value);
 * 0 if it was one, 1 if not an option of the build, 2 on a bad value. */
int build_option(const char *cmd, int argc, char **argv, int *i, tc_options *o, bool *wasm_opt) {
    const char *a = argv[*i];
    if (strcmp(a, "--float") == 0 || strncmp(a, "--float=", 8) == 0) {
        const char *v = a[7] == '=' ? a + 8 : (*i + 1 < argc ? argv[++*i] : NULL);
        if (v && strcmp(v, "canonical") == 0) o->float_policy = WVM_FLOAT_CANONICAL_NAN;
        else if (v && strcmp(v, "reject") == 0) o->float_policy = WVM_FLOAT_REJECT;
        else return usage_error(cmd, "--float takes canonical or reject, not", v ? v : "nothing");
        return 0;
    }
    if (strcmp(a, "--max-source") == 0) {
        const char *v = *i + 1 < argc ? argv[++*i] : NULL;
        char *end;
        errno = 0;
        unsigned long long n = v ? strtoull(v, &end, 10) : 0;
        if (!v || *v < '0' || *v > '9' || errno || *end || n == 0 || n > (1u << 30))
            return usage_error(cmd, "--max-source takes a byte count from 1 to 2^30, not",
                               v ? v : "nothing");
        o->max_source = (size_t)n;
        return 0;
    }
    if (strcmp(a, "--no-wasm-opt") == 0) {
        *wasm_opt = false;
        return 0;
    }
    return 1;
}

/* Writes data to path through a temporary file renamed into place, so a
 * failure leaves no half-written file. */
int build_write_file(const char *path, const void *data, size_t len) {
    size_t n = strlen(path);
    char *tmp = malloc(n + 8);
    if (!tmp) return -1;
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp~", 6);
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (f) {
        bool ok = fwrite(data, 1, len, f) == len;
        ok = (fclose(f) == 0) && ok;
        if (ok && rename(tmp, path) == 0) rc = 0;
        else unlink(tmp);
    }
    if (rc != 0) fprintf(stderr, "wvm build: cannot write %s: %s\n", path, strerror(errno));
    free(tmp);
    return rc;
}

/* Builds src with o (display name, SDK, tools found here). 0 or 1. */
int build_run(const char *src, tc_options *o, bool wasm_opt, tc_output *out) {
    char *inc = NULL, *lib = NULL, *opt = NULL;
    tc_buf input = {0};
    o->display_name = src;
    /* client headers ("NAME_client.h") are found beside the source */
    const char *slash = strrchr(src, '/');
    char *dir = slash ? strndup(src, (size_t)(slash - src + (slash == src))) : strdup(".");
    o->source_dir = dir;
    int rc = 1;
    if (toolchain_options_find(o, wasm_opt, &inc, &lib, &opt) &&
        toolchain_read_file(o, src, &input) &&
        toolchain_build(o, input.data, input.len, out))
        rc = 0;
    tcbuf_free(&input);
    o->source_dir = NULL;
    free(dir);
    free(inc);
    free(lib);
    free(opt);
    return rc;
}

static char *default_output(const char *src) {
    size_t n = strlen(src);
    if (n > 5 && strcmp(src + n - 5, ".c.gz") == 0) n -= 5;
    else if (n > 2 && strcmp(src + n - 2, ".c") == 0) n -= 2;
    char *out = malloc(n + 6);
    if (!out) return NULL;
    memcpy(out, src, n);
    memcpy(out + n, ".wasm", 6);
    return out;
}

int cmd_build(int argc, char **argv) {
    tc_options o;
    toolchain_options_default(&o);
    bool wasm_opt = true;
    const char *src = NULL, *out_path = NULL, *abi_path = NULL, *name = NULL;
    bool client = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        int r = build_option("build", argc, argv, &i, &o, &wasm_opt);
        if (r == 2) return 2;
        if (r == 0) continue;
        if (strcmp(a, "--client") == 0) {
            client = true;
        } else if (strcmp(a, "--name") == 0) {
            if (i + 1 >= argc) return usage_error("build", a, "needs a name");
            name = argv[++i];
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--abi") == 0) {
            if (i + 1 >= argc) return usage_error("build", a, "needs a file name");
            if (a[1] == 'o') out_path = argv[++i];
            else abi_path = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            return usage_error("build", "unknown option", a);
        } else if (src) {
            return usage_error("build", "one source file only; extra:", a);
        } else {
            src = a;
        }
    }
    if (!src) return usage_error("build", "no source file", NULL);
    if (client) return build_client(src, name, out_path, &o, wasm_opt);
    char *def = out_path ? NULL : default_output(src);
    if (!out_path) out_path = def;
    tc_output out;
    int rc = out_path ? build_run(src, &o, wasm_opt, &out) : 1;
    if (rc == 0) {
        if (build_write_file(out_path, out.wasm.data, out.wasm.len) != 0 ||
            (abi_path && build_write_file(abi_path, out.abi_json, strlen(out.abi_json)) != 0))
            rc = 1;
        toolchain_output_free(&out);
    }
    free(def);
    return rc;
}

bool build_is_source(const char *path) {
    size_t n = strlen(path);
    return (n > 2 && strcmp(path + n - 2, ".c") == 0) ||
           (n > 5 && strcmp(path + n - 5, ".c.gz") == 0);
}

uint8_t *build_to_memory(const char *src, size_t *len) {
    tc_options o;
    toolchain_options_default(&o);
    tc_output out;
    if (build_run(src, &o, true, &out) != 0) return NULL;
    uint8_t *wasm = out.wasm.data;
    *len = out.wasm.len;
    out.wasm.data = NULL;   /* taken */
    toolchain_output_free(&out);
    return wasm;
}
