/*
 * verify.c -- `wvm verify TARGET SRC.c`: rebuilds a contract and checks
 * that it gives the deployed code.  TARGET is the deployed module (a
 * .wasm file), its code hash (64 hex digits: SHA-256 of the module), or
 * the address of a deployed contract ("0x" + 40 hex), whose code hash is
 * read from the state directory (--state DIR / WVM_STATE).
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "toolchain/toolchain.h"

int build_option(const char *cmd, int argc, char **argv, int *i, tc_options *o, bool *wasm_opt);
int build_run(const char *src, tc_options *o, bool wasm_opt, tc_output *out);

static const char usage_text[] =
    "usage: wvm verify [build options] TARGET SRC.c\n"
    "\n"
    "Rebuilds SRC.c as `wvm build` does and compares the module with TARGET:\n"
    "  FILE.wasm       the deployed module, byte for byte\n"
    "  HASH            64 hex digits (0x optional), the SHA-256 of the deployed\n"
    "                  module: the code_hash deploy prints\n"
    "  0xADDRESS       a contract deployed in the state directory\n"
    "                  (wvm --state DIR verify ..., or WVM_STATE): its code hash\n"
    "Build options (--float, --max-source, --no-wasm-opt) must be those the\n"
    "contract was built with.\n"
    "\n"
    "exit status: 0 same code, 1 different code or build errors, 2 usage error,\n"
    "3 the state directory cannot be opened, 4 no contract at ADDRESS\n";

static bool is_hex(const char *s, size_t n) {
    if (strlen(s) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            return false;
    return true;
}

static void hex(const uint8_t *b, size_t n, char *out) {
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", b[i]);
}

/* Reads the deployed module (any size a module may have: the runtime's
 * default limit, 64 MiB). */
static bool read_module(const char *path, tc_buf *out) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "wvm verify: cannot open %s: %s\n", path, strerror(errno));
        return false;
    }
    char chunk[65536];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > (64u << 20)) {
            fprintf(stderr, "wvm verify: %s is larger than a module may be (64 MiB)\n", path);
            ok = false;
        } else if (!tcbuf_append(out, chunk, n)) {
            fprintf(stderr, "wvm verify: out of memory reading %s\n", path);
            ok = false;
        }
    }
    if (ok && ferror(f)) {
        fprintf(stderr, "wvm verify: cannot read %s\n", path);
        ok = false;
    }
    fclose(f);
    if (!ok) tcbuf_free(out);
    return ok;
}

/* The code hash (hex) of the contract at address text addr, from the
 * state directory: 0, or an exit status after printing why not. */
static int code_hash_of(const char *addr, char out[65]) {
    wvm_address a;
    if (wvm_address_parse(addr, &a) != WVM_OK) {
        fprintf(stderr, "wvm verify: %s is not an address\n", addr);
        return CLI_EXIT_USAGE;
    }
    wvm_chain *c = cli_chain_open("verify");
    if (!c) return CLI_EXIT_STATE;
    wvm_contract_info info;
    wvm_status st = wvm_chain_contract(c, &a, &info, NULL);
    int rc = 0;
    if (st == WVM_ERR_NOT_FOUND) {
        fprintf(stderr, "wvm verify: no contract at %s in %s\n", addr, cli_state_dir());
        rc = CLI_EXIT_NOT_FOUND;
    } else if (st != WVM_OK) {
        fprintf(stderr, "wvm verify: %s\n", wvm_chain_errmsg(c));
        rc = CLI_EXIT_STATE;
    } else {
        hex(info.code_hash.b, 32, out);
    }
    wvm_chain_close(c);
    return rc;
}

int cmd_verify(int argc, char **argv) {
    tc_options o;
    toolchain_options_default(&o);
    bool wasm_opt = true;
    const char *pos[2];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        int r = build_option("verify", argc, argv, &i, &o, &wasm_opt);
        if (r == 2) return 2;
        if (r == 0) continue;
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "wvm verify: unknown option %s\n(see `wvm help verify`)\n", argv[i]);
            return 2;
        }
        if (npos == 2) {
            fprintf(stderr, "wvm verify: too many arguments\n(see `wvm help verify`)\n");
            return 2;
        }
        pos[npos++] = argv[i];
    }
    if (npos != 2) {
        fprintf(stderr, "wvm verify: needs TARGET and SRC.c\n(see `wvm help verify`)\n");
        return 2;
    }
    const char *target = pos[0], *src = pos[1];
    bool by_addr = strncmp(target, "0x", 2) == 0 && is_hex(target + 2, 40);
    if (strncmp(target, "0x", 2) == 0 && is_hex(target + 2, 64)) target += 2;  /* as deploy prints it */
    bool by_hash = is_hex(target, 64);
    tc_buf deployed = {0};
    if (!by_addr && !by_hash && !read_module(target, &deployed)) return 1;
    tc_output out;
    if (build_run(src, &o, wasm_opt, &out) != 0) {
        tcbuf_free(&deployed);
        return 1;
    }
    uint8_t digest[32];
    unsigned dlen = 0;
    EVP_Digest(out.wasm.data, out.wasm.len, digest, &dlen, EVP_sha256(), NULL);
    char built[65];
    hex(digest, 32, built);
    bool same;
    int rc = 1;
    if (by_addr) {
        char deployed_hash[65];
        rc = code_hash_of(target, deployed_hash);
        same = rc == 0 && strcmp(built, deployed_hash) == 0;
        if (rc == 0) rc = 1;
    } else if (by_hash) same = strcasecmp(built, target) == 0;
    else same = deployed.len == out.wasm.len &&
                memcmp(deployed.data, out.wasm.data, out.wasm.len) == 0;
    if (same)
        printf("verified: %s builds the code of %s (sha256 %s)\n", src, target, built);
    else if (rc == 1)
        printf("MISMATCH: %s builds code with sha256 %s, which is not the code of %s\n", src,
               built, target);
    toolchain_output_free(&out);
    tcbuf_free(&deployed);
    return same ? 0 : rc;
}
