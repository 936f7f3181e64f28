/*
 * state.c -- `wvm state ...`: reads the last committed state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage_text[] =
    "usage: wvm [--state DIR] state WHAT [--json]\n"
    "\n"
    "Reads the last committed state (never writes):\n"
    "  contracts                 the contracts' addresses, in order\n"
    "  contract ADDR             a contract's record and metadata JSON\n"
    "  object ID                 an object's owner, creator and fields\n"
    "  balance ADDR              a native balance\n"
    "  events [--from H] [--to H] [--contract ADDR]\n"
    "                            events by height range (default all), of\n"
    "                            one contract when --contract\n"
    "  receipt H I               the receipt of transaction I of block H\n"
    "  root [--verify]           height and state root of the last block;\n"
    "                            --verify recomputes the root from every\n"
    "                            entry and compares (exit 3 if different)\n"
    "\n";

static int usage_error(const char *msg, const char *arg) {
    fprintf(stderr, "wvm state: %s%s\n(see `wvm help state`)\n", msg, arg ? arg : "");
    return CLI_EXIT_USAGE;
}

static int failed(wvm_chain *c, wvm_status st) {
    fprintf(stderr, "wvm state: %s\n", wvm_chain_errmsg(c));
    return st == WVM_ERR_NOT_FOUND ? CLI_EXIT_NOT_FOUND : CLI_EXIT_STATE;
}

static int contracts(wvm_chain *c, bool json) {
    wvm_address page[256], *after = NULL, last;
    uint32_t n;
    bool first = true;
    if (json) printf("[");
    do {
        wvm_status st = wvm_chain_contracts(c, after, 256, page, &n);
        if (st) return failed(c, st);
        for (uint32_t i = 0; i < n; i++) {
            char a[43];
            wvm_address_hex(&page[i], a);
            if (json) printf("%s\"%s\"", first ? "" : ",", a);
            else printf("%s\n", a);
            first = false;
        }
        if (n) {
            last = page[n - 1];
            after = &last;
        }
    } while (n == 256);
    if (json) printf("]\n");
    return 0;
}

static int contract(wvm_chain *c, const char *s, bool json) {
    wvm_address a;
    if (wvm_address_parse(s, &a)) return usage_error("not an address: ", s);
    wvm_contract_info info;
    char *meta;
    wvm_status st = wvm_chain_contract(c, &a, &info, &meta);
    if (st) return failed(c, st);
    if (json) {
        printf("%s\n", meta);
    } else {
        char h[67], d[43];
        wvm_hash_hex(&info.code_hash, h);
        wvm_address_hex(&info.deployer, d);
        printf("contract %s\ncode hash %s\ncode size %u\nabi version %u\ndeployer %s\n"
               "deployed at height %llu, time %llu\nmetadata %s\n", s, h, info.code_size,
               info.abi_version, d, (unsigned long long)info.height,
               (unsigned long long)info.time, meta);
    }
    free(meta);
    return 0;
}

typedef struct field_ctx {
    wvm_chain *c;
    const wvm_object_id *id;
    bool json, first;
    wvm_status st;
} field_ctx;

static bool printable(const uint8_t *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (v[i] < 0x20 || v[i] > 0x7e) return false;
    return true;
}

static bool print_field(void *user, const char *name, size_t len) {
    field_ctx *f = user;
    char nm[300];
    snprintf(nm, sizeof nm, "%.*s", (int)len, name);
    uint8_t *v;
    size_t n;
    if ((f->st = wvm_chain_field(f->c, f->id, nm, &v, &n))) return false;
    if (f->json) {
        printf("%s", f->first ? "" : ",");
        cli_json_string(stdout, name, len);
        printf(":\"0x");
        for (size_t i = 0; i < n; i++) printf("%02x", v[i]);
        printf("\"");
    } else if (printable(v, n)) {
        printf("  %s = \"%.*s\"\n", nm, (int)n, (const char *)v);
    } else {
        printf("  %s = 0x", nm);
        for (size_t i = 0; i < n; i++) printf("%02x", v[i]);
        printf("\n");
    }
    f->first = false;
    free(v);
    return true;
}

static int object(wvm_chain *c, const char *s, bool json) {
    wvm_object_id id;
    if (wvm_hash_parse(s, (wvm_hash *)&id)) return usage_error("not an object ID (0x + 64 hex digits): ", s);
    wvm_object_info oi;
    wvm_status st = wvm_chain_object(c, &id, &oi);
    if (st) return failed(c, st);
    char o[43], cr[43];
    wvm_address_hex(&oi.owner, o);
    wvm_address_hex(&oi.creator, cr);
    if (json) printf("{\"id\":\"%s\",\"owner\":\"%s\",\"creator\":\"%s\",\"fields\":{", s, o, cr);
    else printf("object %s\nowner %s\ncreator %s\nfields:\n", s, o, cr);
    field_ctx f = { c, &id, json, true, WVM_OK };
    st = wvm_chain_fields(c, &id, print_field, &f);
    if (!st) st = f.st;
    if (json) printf("}}\n");
    if (st) return failed(c, st);
    return 0;
}

static int balance(wvm_chain *c, const char *s, bool json) {
    wvm_address a;
    if (wvm_address_parse(s, &a)) return usage_error("not an address: ", s);
    uint64_t v;
    wvm_status st = wvm_chain_balance(c, &a, &v);
    if (st) return failed(c, st);
    if (json) printf("{\"address\":\"%s\",\"balance\":%llu}\n", s, (unsigned long long)v);
    else printf("%llu\n", (unsigned long long)v);
    return 0;
}

typedef struct ev_ctx { bool json, first; } ev_ctx;

static bool print_event(void *user, const wvm_event *e) {
    ev_ctx *x = user;
    if (x->json) {
        printf("%s", x->first ? "" : ",");
        cli_print_event_json(stdout, e);
    } else {
        cli_print_event_text(stdout, e);
    }
    x->first = false;
    return true;
}

static int events(wvm_chain *c, int argc, char **argv, bool json) {
    uint64_t from = 0, to = UINT64_MAX;
    wvm_address a;
    bool one = false;
    for (int i = 0; i < argc; i++) {
        if (i + 1 >= argc) return usage_error("missing value after ", argv[i]);
        if (!strcmp(argv[i], "--from")) {
            if (!cli_parse_u64(argv[++i], &from)) return usage_error("bad height: ", argv[i]);
        } else if (!strcmp(argv[i], "--to")) {
            if (!cli_parse_u64(argv[++i], &to)) return usage_error("bad height: ", argv[i]);
        } else if (!strcmp(argv[i], "--contract")) {
            if (wvm_address_parse(argv[++i], &a)) return usage_error("not an address: ", argv[i]);
            one = true;
        } else {
            return usage_error("unknown option ", argv[i]);
        }
    }
    ev_ctx x = { json, true };
    if (json) printf("[");
    wvm_status st = wvm_chain_events(c, from, to, one ? &a : NULL, print_event, &x);
    if (json) printf("]\n");
    if (st) return failed(c, st);
    return 0;
}

static int receipt(wvm_chain *c, const char *hs, const char *is, bool json) {
    uint64_t h, i;
    if (!cli_parse_u64(hs, &h)) return usage_error("bad height: ", hs);
    if (!cli_parse_u64(is, &i) || i > UINT32_MAX) return usage_error("bad index: ", is);
    wvm_receipt *r;
    wvm_status st = wvm_chain_receipt(c, h, (uint32_t)i, &r);
    if (st) return failed(c, st);
    cli_print_receipt(stdout, r, json);
    wvm_receipt_free(r);
    return 0;
}

static int root(wvm_chain *c, bool verify, bool json) {
    wvm_hash r, full;
    char h[67];
    wvm_chain_root(c, &r);
    wvm_hash_hex(&r, h);
    uint64_t height = wvm_chain_height(c);
    if (verify) {
        wvm_status st = wvm_chain_verify_root(c, &full);
        if (st) return failed(c, st);
    }
    bool same = !verify || !memcmp(&r, &full, 32);
    if (json) {
        printf("{\"height\":%llu,\"root\":\"%s\"", (unsigned long long)height, h);
        if (verify) printf(",\"verified\":%s", same ? "true" : "false");
        printf("}\n");
    } else {
        printf("height %llu\nroot %s\n", (unsigned long long)height, h);
        if (verify) printf("%s\n", same ? "verified: the recomputed root is the same"
                                        : "MISMATCH: the recomputed root differs");
    }
    return same ? 0 : CLI_EXIT_STATE;
}

int cmd_state(int argc, char **argv) {
    bool json = false, verify = false;
    char *rest[16];
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("%s%s", usage_text, cli_chain_exit_text);
            return 0;
        }
        if (!strcmp(argv[i], "--json")) json = true;
        else if (!strcmp(argv[i], "--verify")) verify = true;
        else if (n < 16) rest[n++] = argv[i];
        else return usage_error("too many arguments", NULL);
    }
    if (n == 0) return usage_error("what to show? contracts, contract, object, balance, events, receipt or root", NULL);
    const char *what = rest[0];
    int want = !strcmp(what, "contracts") || !strcmp(what, "root") ? 1
             : !strcmp(what, "receipt") ? 3
             : !strcmp(what, "events") ? -1 : 2;
    if (want == 2 && strcmp(what, "contract") && strcmp(what, "object") && strcmp(what, "balance"))
        return usage_error("unknown: ", what);
    if (want > 0 && n != want) return usage_error("wrong number of arguments for ", what);
    if (verify && strcmp(what, "root")) return usage_error("--verify is for `state root`", NULL);
    wvm_chain *c = cli_chain_open("state");
    if (!c) return CLI_EXIT_STATE;
    int rc;
    if (!strcmp(what, "contracts")) rc = contracts(c, json);
    else if (!strcmp(what, "contract")) rc = contract(c, rest[1], json);
    else if (!strcmp(what, "object")) rc = object(c, rest[1], json);
    else if (!strcmp(what, "balance")) rc = balance(c, rest[1], json);
    else if (!strcmp(what, "events")) rc = events(c, n - 1, rest + 1, json);
    else if (!strcmp(what, "receipt")) rc = receipt(c, rest[1], rest[2], json);
    else rc = root(c, verify, json);
    wvm_chain_close(c);
    return rc;
}
