/*
 * profile.c -- `wvm profile`: runs one or many calls as queries (nothing
 * is committed) and reports where their fuel and time went
 * (docs/calls.md):
 *   - the default table: per contract function, from the trace records
 *     (ENTER to EXIT, callees included), count and total / min / max /
 *     mean fuel and time, sorted by total fuel;
 *   - --profile=folded: fuel attributed to every wasm function and host
 *     call, as folded stacks summed over the calls (flamegraph input);
 *     the same bytes on every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage_text[] =
    "usage: wvm [--state DIR] profile ADDR FUNCTION [JSON] [options]\n"
    "       wvm [--state DIR] profile --calls FILE [options]\n"
    "\n"
    "Runs the call (or each call of FILE, one \"ADDR FUNCTION [JSON]\" a\n"
    "line; blank lines and lines starting with # are skipped) as a query on\n"
    "the last committed state -- nothing is committed -- and reports where\n"
    "the fuel and the time went.\n"
    "\n"
    "options:\n"
    "  --repeat N          run the call(s) N times (default 1)\n"
    "  --profile=table     per contract function: count, fuel total / min /\n"
    "                      max / mean, time total / min / max / mean (us),\n"
    "                      sorted by total fuel (the default)\n"
    "  --profile=folded    fuel per wasm function and host call as folded\n"
    "                      stacks, \"frame;frame;... fuel\" (flamegraph input);\n"
    "                      deterministic: the same bytes on every run\n"
    "  --no-wall-time      leave the time columns out of the table\n"
    "  --sender ADDR, --fuel N, --height H, --time T   as for `wvm query`\n";

typedef struct prof_row {
    char contract[43];
    char *function;
    uint64_t count, fuel_total, fuel_min, fuel_max, us_total, us_min, us_max;
} prof_row;

typedef struct prof_acc {
    prof_row *rows;
    size_t n;
    /* folded lines summed over calls: parallel arrays */
    char **stacks;
    uint64_t *fuel;
    size_t nstacks;
    bool nomem;
} prof_acc;

static prof_row *row(prof_acc *a, const char *contract, const char *function) {
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->rows[i].contract, contract) && !strcmp(a->rows[i].function, function))
            return &a->rows[i];
    prof_row *r = realloc(a->rows, (a->n + 1) * sizeof *r);
    char *f = strdup(function);
    if (!r || !f) {
        if (r) a->rows = r;
        free(f);
        a->nomem = true;
        return NULL;
    }
    a->rows = r;
    r = &a->rows[a->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->contract, sizeof r->contract, "%s", contract);
    r->function = f;
    r->fuel_min = r->us_min = UINT64_MAX;
    return r;
}

/* ENTER/EXIT pairs of one receipt into the table. */
static void add_trace(prof_acc *a, const wvm_receipt *rc) {
    for (uint32_t i = 0; i < rc->ntrace; i++) {
        const wvm_trace_record *x = &rc->trace[i];
        if (x->kind != WVM_TRACE_EXIT) continue;
        /* its ENTER: the nearest open one at its depth */
        long e = -1;
        for (long k = (long)i - 1; k >= 0; k--) {
            const wvm_trace_record *t = &rc->trace[k];
            if (t->depth < x->depth || (t->depth == x->depth && t->kind == WVM_TRACE_EXIT)) break;
            if (t->depth == x->depth && t->kind == WVM_TRACE_ENTER) {
                e = k;
                break;
            }
        }
        if (e < 0) continue;
        char addr[43];
        wvm_address_hex(&x->contract, addr);
        prof_row *r = row(a, addr, x->function ? x->function : "?");
        if (!r) return;
        uint64_t fuel = x->fuel - rc->trace[e].fuel, us = (x->wall_ns - rc->trace[e].wall_ns) / 1000;
        r->count++;
        r->fuel_total += fuel;
        r->us_total += us;
        if (fuel < r->fuel_min) r->fuel_min = fuel;
        if (fuel > r->fuel_max) r->fuel_max = fuel;
        if (us < r->us_min) r->us_min = us;
        if (us > r->us_max) r->us_max = us;
    }
}

/* The folded lines of one receipt, summed into a (both sorted by text). */
static void add_folded(prof_acc *a, const char *folded) {
    for (const char *p = folded; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *sp = memrchr(p, ' ', len);
        if (sp) {
            size_t sl = (size_t)(sp - p);
            uint64_t v = strtoull(sp + 1, NULL, 10);
            size_t i = 0;
            while (i < a->nstacks && !(strlen(a->stacks[i]) == sl && !memcmp(a->stacks[i], p, sl))) i++;
            if (i == a->nstacks) {
                char **s = realloc(a->stacks, (a->nstacks + 1) * sizeof *s);
                if (s) a->stacks = s;
                uint64_t *f = realloc(a->fuel, (a->nstacks + 1) * sizeof *f);
                if (f) a->fuel = f;
                char *t = strndup(p, sl);
                if (!s || !f || !t) {
                    free(t);
                    a->nomem = true;
                    return;
                }
                a->stacks[i] = t;
                a->fuel[i] = 0;
                a->nstacks++;
            }
            a->fuel[i] += v;
        }
        p += len + (nl != NULL);
    }
}

static int by_fuel(const void *x, const void *y) {
    const prof_row *a = x, *b = y;
    if (a->fuel_total != b->fuel_total) return a->fuel_total > b->fuel_total ? -1 : 1;
    int c = strcmp(a->contract, b->contract);
    return c ? c : strcmp(a->function, b->function);
}

static int by_text(const void *x, const void *y) {
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void print_table(prof_acc *a, bool wall) {
    qsort(a->rows, a->n, sizeof *a->rows, by_fuel);
    printf("%-42s %-20s %6s %12s %10s %10s %10s", "contract", "function", "count", "fuel total",
           "min", "max", "mean");
    if (wall) printf(" %10s %8s %8s %8s", "us total", "min", "max", "mean");
    printf("\n");
    for (size_t i = 0; i < a->n; i++) {
        const prof_row *r = &a->rows[i];
        printf("%-42s %-20s %6llu %12llu %10llu %10llu %10llu", r->contract, r->function,
               (unsigned long long)r->count, (unsigned long long)r->fuel_total,
               (unsigned long long)r->fuel_min, (unsigned long long)r->fuel_max,
               (unsigned long long)(r->fuel_total / r->count));
        if (wall)
            printf(" %10llu %8llu %8llu %8llu", (unsigned long long)r->us_total,
                   (unsigned long long)r->us_min, (unsigned long long)r->us_max,
                   (unsigned long long)(r->us_total / r->count));
        printf("\n");
    }
}

static void print_folded(prof_acc *a) {
    /* sort the stacks, carrying their fuel along */
    size_t n = a->nstacks;
    char **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys) return;
    for (size_t i = 0; i < n; i++) {
        char *k = malloc(strlen(a->stacks[i]) + 32);
        if (!k) {
            n = i;
            break;
        }
        sprintf(k, "%s %llu", a->stacks[i], (unsigned long long)a->fuel[i]);
        keys[i] = k;
    }
    qsort(keys, n, sizeof *keys, by_text);
    for (size_t i = 0; i < n; i++) {
        printf("%s\n", keys[i]);
        free(keys[i]);
    }
    free(keys);
}

typedef struct prof_call {
    wvm_address contract;
    char *function, *params;
} prof_call;

/* Reads FILE's calls; false after a message. */
static bool read_calls(const char *path, prof_call **out, size_t *n) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "wvm profile: cannot open %s\n", path);
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    unsigned no = 0;
    bool ok = true;
    while (ok && getline(&line, &cap, f) >= 0) {
        no++;
        line[strcspn(line, "\r\n")] = 0;
        char *p = line + strspn(line, " \t");
        if (!*p || *p == '#') continue;
        char *addr = strtok(p, " \t"), *fn = strtok(NULL, " \t"), *rest = strtok(NULL, "");
        prof_call c = { 0 };
        if (!fn || wvm_address_parse(addr, &c.contract)) {
            fprintf(stderr, "wvm profile: %s:%u: expected ADDR FUNCTION [JSON]\n", path, no);
            ok = false;
            break;
        }
        prof_call *nc = realloc(*out, (*n + 1) * sizeof *nc);
        c.function = strdup(fn);
        c.params = rest ? strdup(rest + strspn(rest, " \t")) : NULL;
        if (!nc || !c.function || (rest && !c.params)) {
            if (nc) *out = nc;
            free(c.function);
            free(c.params);
            fprintf(stderr, "wvm profile: out of memory\n");
            ok = false;
            break;
        }
        *out = nc;
        (*out)[(*n)++] = c;
    }
    free(line);
    fclose(f);
    if (ok && !*n) {
        fprintf(stderr, "wvm profile: %s has no calls\n", path);
        ok = false;
    }
    return ok;
}

int cmd_profile(int argc, char **argv) {
    cli_block_opts bo = { 0 };
    wvm_call_args base;
    memset(&base, 0, sizeof base);
    const char *pos[3] = { 0 }, *calls_file = NULL;
    int npos = 0;
    bool folded = false, wall = true;
    uint64_t repeat = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = cli_block_option(&bo, argc, argv, &i);
        if (r < 0) {
            fprintf(stderr, "wvm profile: bad value for %s\n", a);
            return CLI_EXIT_USAGE;
        }
        if (r > 0) continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(a, "--sender")) {
            if (i + 1 >= argc || wvm_address_parse(argv[++i], &base.sender)) {
                fprintf(stderr, "wvm profile: --sender needs an address, 0x + 40 hex digits\n");
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--fuel")) {
            if (i + 1 >= argc || !cli_parse_u64(argv[++i], &base.fuel) || !base.fuel) {
                fprintf(stderr, "wvm profile: --fuel needs a positive number\n");
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--repeat")) {
            if (i + 1 >= argc || !cli_parse_u64(argv[++i], &repeat) || !repeat || repeat > 1000000) {
                fprintf(stderr, "wvm profile: --repeat needs a number from 1 to 1000000\n");
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--calls")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "wvm profile: --calls needs a file\n");
                return CLI_EXIT_USAGE;
            }
            calls_file = argv[++i];
        } else if (!strcmp(a, "--profile=folded")) {
            folded = true;
        } else if (!strcmp(a, "--profile=table") || !strcmp(a, "--profile")) {
            folded = false;
        } else if (!strcmp(a, "--no-wall-time")) {
            wall = false;
        } else if (a[0] == '-' && a[1] && a[1] != '{') {
            fprintf(stderr, "wvm profile: unknown option %s\n(see `wvm help profile`)\n", a);
            return CLI_EXIT_USAGE;
        } else if (npos < 3) {
            pos[npos++] = a;
        } else {
            fprintf(stderr, "wvm profile: too many arguments: %s\n", a);
            return CLI_EXIT_USAGE;
        }
    }
    prof_call *calls = NULL;
    size_t ncalls = 0;
    int rc = 0;
    if (calls_file) {
        if (npos) {
            fprintf(stderr, "wvm profile: give either --calls FILE or ADDR FUNCTION, not both\n");
            return CLI_EXIT_USAGE;
        }
        if (!read_calls(calls_file, &calls, &ncalls)) rc = CLI_EXIT_USAGE;
    } else if (npos < 2) {
        fprintf(stderr, "wvm profile: needs ADDR and FUNCTION, or --calls FILE\n(see `wvm help profile`)\n");
        return CLI_EXIT_USAGE;
    } else {
        calls = calloc(1, sizeof *calls);
        if (!calls || wvm_address_parse(pos[0], &calls[0].contract)) {
            fprintf(stderr, "wvm profile: '%s' is not an address (0x + 40 hex digits)\n", pos[0]);
            free(calls);
            return CLI_EXIT_USAGE;
        }
        calls[0].function = strdup(pos[1]);
        calls[0].params = npos > 2 ? strdup(pos[2]) : NULL;
        ncalls = 1;
    }
    wvm_chain *c = rc ? NULL : cli_chain_open("profile");
    if (!rc && !c) rc = CLI_EXIT_STATE;
    prof_acc acc = { 0 };
    for (uint64_t k = 0; !rc && k < repeat; k++)
        for (size_t i = 0; !rc && i < ncalls; i++) {
            wvm_call_args args = base;
            args.contract = calls[i].contract;
            args.function = calls[i].function;
            args.params = calls[i].params;
            args.height = bo.has_height ? bo.height : 0;
            args.time = bo.has_time ? bo.time : 0;
            args.trace = !folded;
            args.profile = folded;
            wvm_receipt *r = NULL;
            if (wvm_query(c, &args, &r)) {
                fprintf(stderr, "wvm profile: %s\n", wvm_chain_errmsg(c));
                rc = CLI_EXIT_STATE;
                break;
            }
            if (r->kind != WVM_KIND_NONE)
                fprintf(stderr, "wvm profile: call %zu (%s) failed: %s: %s\n", i + 1, calls[i].function,
                        wvm_error_kind_str(r->kind), r->message);
            if (folded) add_folded(&acc, r->folded);
            else add_trace(&acc, r);
            wvm_receipt_free(r);
            if (acc.nomem) {
                fprintf(stderr, "wvm profile: out of memory\n");
                rc = CLI_EXIT_STATE;
            }
        }
    if (!rc) {
        if (folded) print_folded(&acc);
        else print_table(&acc, wall);
    }
    for (size_t i = 0; i < acc.n; i++) free(acc.rows[i].function);
    free(acc.rows);
    for (size_t i = 0; i < acc.nstacks; i++) free(acc.stacks[i]);
    free(acc.stacks);
    free(acc.fuel);
    for (size_t i = 0; i < ncalls; i++) free(calls[i].function), free(calls[i].params);
    free(calls);
    wvm_chain_close(c);
    return rc;
}
