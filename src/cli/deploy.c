/*
 * deploy.c -- `wvm deploy FILE.wasm|FILE.wasm.gz`: deploys a contract as
 * a one-transaction block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage_text[] =
    "usage: wvm [--state DIR] deploy FILE.wasm|FILE.wasm.gz|SRC.c [options]\n"
    "\n"
    "Deploys the contract FILE (wasm, or gzip-compressed wasm: detected by\n"
    "its magic bytes; at most 1 MiB decompressed) in a block of its own at\n"
    "the next height.  C source (SRC.c or SRC.c.gz) is built first as\n"
    "`wvm build SRC.c` builds it (default options).  The address is the first 20 bytes of SHA-256 of the\n"
    "wasm, or of the wasm followed by the salt.  Prints the receipt.\n"
    "\n"
    "options:\n"
    "  --salt HEX      salt bytes (hex, 1 to 64 bytes, optional 0x): another\n"
    "                  address for the same code\n"
    "  --sender ADDR   the deployer (default 0x00...00)\n"
    "  --init JSON     call the contract's Initialize with these parameters\n"
    "                  inside the deploy (it also runs, with {}, when the\n"
    "                  contract's wvm.abi section lists Initialize); a\n"
    "                  failing Initialize undoes the whole deploy\n"
    "  --fuel N        fuel for Initialize (default 10000000)\n"
    "  --height H      block height (default: the last + 1)\n"
    "  --time T        block time in seconds (default: height * 10)\n"
    "  --json          print the receipt as JSON\n"
    "\n";

static int usage_error(const char *msg, const char *arg) {
    fprintf(stderr, "wvm deploy: %s%s\n(see `wvm help deploy`)\n", msg, arg ? arg : "");
    return CLI_EXIT_USAGE;
}

static bool parse_hex(const char *s, uint8_t *out, size_t cap, size_t *n) {
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
    size_t len = strlen(s);
    if (len == 0 || len % 2 || len / 2 > cap) return false;
    for (size_t i = 0; i < len / 2; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
            !strchr("0123456789abcdefABCDEF", s[2 * i + 1]))
            return false;
        out[i] = (uint8_t)v;
    }
    *n = len / 2;
    return true;
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0, k;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *q = realloc(buf, cap);
            if (!q) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = q;
        }
        k = fread(buf + n, 1, cap - n, f);
        n += k;
    } while (k > 0);
    bool err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int cmd_deploy(int argc, char **argv) {
    cli_block_opts bo = { 0 };
    const char *file = NULL;
    uint8_t salt[64];
    size_t salt_len = 0;
    wvm_deploy_args args;
    memset(&args, 0, sizeof args);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = cli_block_option(&bo, argc, argv, &i);
        if (r < 0) return usage_error("bad value for ", a);
        if (r > 0) continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("%s%s", usage_text, cli_chain_exit_text);
            return 0;
        } else if (!strcmp(a, "--salt")) {
            if (i + 1 >= argc || !parse_hex(argv[++i], salt, sizeof salt, &salt_len))
                return usage_error("--salt needs 1 to 64 bytes of hex", NULL);
        } else if (!strcmp(a, "--sender")) {
            if (i + 1 >= argc || wvm_address_parse(argv[++i], &args.deployer))
                return usage_error("--sender needs an address, 0x + 40 hex digits", NULL);
        }
        else if (!strcmp(a, "--init")) {
            if (i + 1 >= argc) return usage_error("--init needs Initialize's JSON parameters", NULL);
            args.init_params = argv[++i];
        } else if (!strcmp(a, "--fuel")) {
            if (i + 1 >= argc || !cli_parse_u64(argv[++i], &args.fuel) || !args.fuel)
                return usage_error("--fuel needs a positive number", NULL);
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option ", a);
        } else if (!file) {
            file = a;
        } else {
            return usage_error("more than one file: ", a);
        }
    }
    if (!file) return usage_error("no contract file given", NULL);
    size_t len;
    /* C source is built first, exactly as `wvm build` would (build.c). */
    bool source = build_is_source(file);
    uint8_t *code = source ? build_to_memory(file, &len) : read_file(file, &len);
    if (!code) {
        if (!source) fprintf(stderr, "wvm deploy: cannot read %s\n", file);
        else fprintf(stderr, "wvm deploy: %s does not build; nothing deployed\n", file);
        return CLI_EXIT_INPUT;
    }
    args.code = code;
    args.code_len = len;
    args.salt = salt_len ? salt : NULL;
    args.salt_len = salt_len;
    wvm_chain *c = cli_chain_open("deploy");
    if (!c) {
        free(code);
        return CLI_EXIT_STATE;
    }
    wvm_block *b;
    int rc = cli_block_begin(c, &bo, "deploy", &b);
    wvm_receipt *r = NULL;
    wvm_address addr;
    if (!rc && wvm_deploy(b, &args, &addr, &r)) {
        fprintf(stderr, "wvm deploy: %s\n", wvm_block_errmsg(b));
        wvm_block_abort(b);
        rc = CLI_EXIT_STATE;
    }
    if (!rc) rc = cli_block_commit(c, b, "deploy");
    if (!rc) {
        cli_print_receipt(stdout, r, bo.json);
        if (r->kind != WVM_KIND_NONE) rc = CLI_EXIT_TXFAIL;
    }
    wvm_receipt_free(r);
    wvm_chain_close(c);
    free(code);
    return rc;
}
