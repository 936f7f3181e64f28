/*
 * chainutil.c -- what the state commands (deploy, mint, state; call and
 * query too) share: opening the state directory, the block options, the
 * exit statuses, and printing receipts, events and JSON strings.
 * Public API only (include/wvm_chain.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm_chain.h"
#include "cli.h"

const char cli_chain_exit_text[] =
    "exit status:\n"
    "  0  success\n"
    "  1  the transaction failed (its receipt is printed and stored; the\n"
    "     block with it is committed)\n"
    "  2  usage error\n"
    "  3  the state directory cannot be opened, or the store failed\n"
    "  4  not found (no such contract, object, receipt, ...)\n"
    "  5  an input file cannot be read\n";

const char *cli_state_dir(void) {
    const char *d = getenv("WVM_STATE");
    return d && *d ? d : ".wvm";
}

/* The on-disk module cache: each command is a process of its own, which
 * would otherwise translate every module it calls anew.
 * WVM_TRANSLATION_CACHE names its directory; "off" turns it off; unset,
 * it is the state directory's translations/. */
static const char *translation_dir(char *buf, size_t cap) {
    const char *t = getenv("WVM_TRANSLATION_CACHE");
    if (t && !strcmp(t, "off")) return NULL;
    if (t && *t) return t;
    snprintf(buf, cap, "%s/translations", cli_state_dir());
    return buf;
}

wvm_chain *cli_chain_open(const char *cmd) {
    wvm_chain_config cfg;
    wvm_chain_config_default(&cfg);
    cfg.dir = cli_state_dir();
    char tdir[4096];
    cfg.translation_dir = translation_dir(tdir, sizeof tdir);
    wvm_chain *c = NULL;
    char *err = NULL;
    if (wvm_chain_open(&cfg, &c, &err)) {
        fprintf(stderr, "wvm %s: %s\n", cmd, err ? err : "cannot open the state directory");
        free(err);
        return NULL;
    }
    return c;
}

bool cli_parse_u64(const char *s, uint64_t *out) {
    if (!s || *s < '0' || *s > '9') return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return false;
    *out = v;
    return true;
}

int cli_block_option(cli_block_opts *o, int argc, char **argv, int *i) {
    const char *a = argv[*i];
    if (!strcmp(a, "--json")) {
        o->json = true;
        return 1;
    }
    bool h = !strcmp(a, "--height"), t = !strcmp(a, "--time");
    if (!h && !t) return 0;
    if (*i + 1 >= argc) return -1;
    uint64_t v;
    if (!cli_parse_u64(argv[++*i], &v)) return -1;
    if (h) o->height = v, o->has_height = true;
    else o->time = v, o->has_time = true;
    return 1;
}

int cli_block_begin(wvm_chain *c, const cli_block_opts *o, const char *cmd, wvm_block **b) {
    uint64_t h = o->has_height ? o->height : wvm_chain_height(c) + 1;
    /* The documented deterministic time: 10 s per height. */
    uint64_t t = o->has_time ? o->time : h * 10;
    if (wvm_block_begin(c, h, t, b)) {
        fprintf(stderr, "wvm %s: %s\n", cmd, wvm_chain_errmsg(c));
        return CLI_EXIT_STATE;
    }
    return 0;
}

int cli_block_commit(wvm_chain *c, wvm_block *b, const char *cmd) {
    if (wvm_block_commit(b, NULL)) {
        fprintf(stderr, "wvm %s: %s\n", cmd, wvm_chain_errmsg(c));
        return CLI_EXIT_STATE;
    }
    return 0;
}

void cli_json_string(FILE *f, const char *s, size_t n) {
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (ch < 0x20) fprintf(f, "\\u%04x", ch);
            else fputc(ch, f);
        }
    }
    fputc('"', f);
}

void cli_print_event_json(FILE *f, const wvm_event *e) {
    char a[43];
    wvm_address_hex(&e->contract, a);
    fprintf(f, "{\"contract\":\"%s\",\"name\":", a);
    cli_json_string(f, e->name, strlen(e->name));
    fprintf(f, ",\"attributes\":%s,\"height\":%llu,\"tx_index\":%u,\"index\":%u}",
            e->attributes, (unsigned long long)e->height, e->tx_index, e->index);
}

void cli_print_event_text(FILE *f, const wvm_event *e) {
    char a[43];
    wvm_address_hex(&e->contract, a);
    fprintf(f, "event %llu.%u.%u %s %s %s\n", (unsigned long long)e->height, e->tx_index,
            e->index, a, e->name, e->attributes);
}

void cli_print_receipt(FILE *f, const wvm_receipt *r, bool json) {
    bool ok = r->kind == WVM_KIND_NONE;
    if (json) {
        fprintf(f, "{\"status\":\"%s\",\"result\":%s,\"error\":", ok ? "ok" : "error",
                ok ? r->result : "null");
        if (ok) {
            fputs("null", f);
        } else {
            fprintf(f, "{\"kind\":\"%s\",\"message\":", wvm_error_kind_str(r->kind));
            cli_json_string(f, r->message, strlen(r->message));
            fputc('}', f);
        }
        fprintf(f, ",\"fuel_used\":%llu,\"height\":%llu,\"index\":%u,\"events\":[",
                (unsigned long long)r->fuel_used, (unsigned long long)r->height, r->index);
        for (uint32_t i = 0; i < r->nevents; i++) {
            if (i) fputc(',', f);
            cli_print_event_json(f, &r->events[i]);
        }
        fputs("]}\n", f);
        return;
    }
    fprintf(f, "transaction %llu.%u: %s", (unsigned long long)r->height, r->index,
            wvm_error_kind_str(r->kind));
    if (!ok) fprintf(f, ": %s", r->message);
    fputc('\n', f);
    if (ok && strcmp(r->result, "null")) fprintf(f, "result: %s\n", r->result);
    fprintf(f, "fuel used: %llu\n", (unsigned long long)r->fuel_used);
    for (uint32_t i = 0; i < r->nevents; i++) cli_print_event_text(f, &r->events[i]);
}
