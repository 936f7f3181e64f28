/*
 * profile.c -- the folded fuel profile of one call (wvm_call_args.profile,
 * docs/calls.md): the runtime reports every fuel charge with its wasm
 * stack (wvm_store_set_profile); this file sums them per stack and
 * writes the stacks as folded lines for flamegraph tools:
 *
 *   0xA.Swap;handle_contract_call;func[12];0xB.TransferFrom;...;host:field_set 1234
 *
 * A frame is "0xCONTRACT.Function" where a contract's code begins (the
 * contract is found from the instance: each host frame records its
 * own), a wasm function's name (name section, export, or func[N]), or
 * "host:NAME" for the host function that charged (the call_host_set
 * function by its name in the dispatcher).
 *
 * Charges are summed by the raw stack (instances and indices), which
 * differ between runs only in pointers; the text is then built, sorted
 * and merged by label, so the output is the same bytes on every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chain.h"
#include "host/host.h"

typedef struct prof_entry {
    wvm_prof_frame *stack;     /* malloc'd copy */
    uint32_t n;
    uint32_t host_import;
    const char *host_name;     /* static (dispatch.c's table) */
    uint64_t fuel;
    uint64_t hash;
    bool used;
} prof_entry;

/* The label of an instance, taken while its frame is live (frames are
 * reused once a call returns). */
typedef struct prof_inst {
    const wvm_instance *inst;
    char *label;               /* "0xCONTRACT.Function" */
} prof_inst;

struct chain_prof {
    host_tx *tx;
    prof_inst *insts;
    uint32_t ninsts;
    prof_entry *tab;           /* open addressing, power of two */
    uint32_t cap, n;
    bool nomem;
};

static uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    return h;
}

static bool same(const prof_entry *e, const wvm_prof_frame *st, uint32_t n, uint32_t host,
                 const char *hn) {
    return e->n == n && e->host_import == host && e->host_name == hn &&
           !memcmp(e->stack, st, n * sizeof *st);
}

static bool grow(chain_prof *p) {
    uint32_t cap = p->cap ? p->cap * 2 : 256;
    prof_entry *t = calloc(cap, sizeof *t);
    if (!t) return false;
    for (uint32_t i = 0; i < p->cap; i++) {
        if (!p->tab[i].used) continue;
        uint32_t k = (uint32_t)p->tab[i].hash & (cap - 1);
        while (t[k].used) k = (k + 1) & (cap - 1);
        t[k] = p->tab[i];
    }
    free(p->tab);
    p->tab = t;
    p->cap = cap;
    return true;
}

/* The host frame whose instance is inst (innermost first), or NULL. */
static const host_frame *frame_of(const host_tx *tx, const wvm_instance *inst) {
    for (uint32_t i = tx->depth; i-- > 0;)
        if (tx->frames[i].inst == inst) return &tx->frames[i];
    return NULL;
}

static const char *label_of(const chain_prof *p, const wvm_instance *inst) {
    for (uint32_t i = 0; i < p->ninsts; i++)
        if (p->insts[i].inst == inst) return p->insts[i].label;
    return "0x?.?";
}

/* Makes sure every instance of the stack has its label. */
static void learn(chain_prof *p, const wvm_prof_frame *st, uint32_t n) {
    const wvm_instance *prev = NULL;
    for (uint32_t k = 0; k < n; k++) {
        if (st[k].instance == prev) continue;
        prev = st[k].instance;
        bool known = false;
        for (uint32_t i = 0; i < p->ninsts && !known; i++) known = p->insts[i].inst == prev;
        const host_frame *hf = known ? NULL : frame_of(p->tx, prev);
        if (!hf) continue;
        prof_inst *ni = realloc(p->insts, (p->ninsts + 1) * sizeof *ni);
        char a[43], *l = malloc(43 + 1 + WVM_MAX_NAME_LEN + 1);
        if (!ni || !l) {
            if (ni) p->insts = ni;
            free(l);
            p->nomem = true;
            return;
        }
        wvm_address_hex(&hf->contract, a);
        sprintf(l, "%s.%s", a, hf->function);
        p->insts = ni;
        p->insts[p->ninsts++] = (prof_inst){ prev, l };
    }
}

static void hook(void *user, const wvm_prof_frame *st, uint32_t n, uint64_t fuel, uint32_t host) {
    chain_prof *p = user;
    if (p->nomem) return;
    /* the dispatcher's function by its name; other imports (direct
     * ones) are named from their index when the text is made */
    const char *hn = NULL;
    if (host != UINT32_MAX && n) {
        char im[64];
        wvm_instance_func_name(st[n - 1].instance, host, im, sizeof im);
        if (!strcmp(im, "env." WVM_IMPORT_CALL_HOST_SET)) hn = p->tx->cur_host;
    }
    uint64_t h = mix(n, host);
    h = mix(h, (uint64_t)(uintptr_t)hn);
    for (uint32_t i = 0; i < n; i++) h = mix(mix(h, (uint64_t)(uintptr_t)st[i].instance), st[i].func);
    if ((p->n + 1) * 2 > p->cap && !grow(p)) {
        p->nomem = true;
        return;
    }
    uint32_t k = (uint32_t)h & (p->cap - 1);
    while (p->tab[k].used && !(p->tab[k].hash == h && same(&p->tab[k], st, n, host, hn)))
        k = (k + 1) & (p->cap - 1);
    prof_entry *e = &p->tab[k];
    if (!e->used) {
        learn(p, st, n);
        e->stack = malloc((n ? n : 1) * sizeof *st);
        if (!e->stack) {
            p->nomem = true;
            return;
        }
        memcpy(e->stack, st, n * sizeof *st);
        e->n = n;
        e->host_import = host;
        e->host_name = hn;
        e->hash = h;
        e->used = true;
        p->n++;
    }
    e->fuel += fuel;
}

wvm_status chain_prof_begin(host_tx *tx, chain_prof **out) {
    chain_prof *p = calloc(1, sizeof *p);
    if (!p) return WVM_ERR_NOMEM;
    p->tx = tx;
    wvm_status st = wvm_store_set_profile(tx->store, hook, p);
    if (st) {
        free(p);
        return st;
    }
    *out = p;
    return WVM_OK;
}

/* A growable string. */
typedef struct pbuf {
    char *p;
    size_t len, cap;
    bool nomem;
} pbuf;

static void put(pbuf *b, const char *s) {
    size_t n = strlen(s);
    if (b->nomem) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 256) + n;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->nomem = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

typedef struct line { char *text; uint64_t fuel; } line;

static int by_text(const void *a, const void *b) {
    return strcmp(((const line *)a)->text, ((const line *)b)->text);
}

char *chain_prof_folded(chain_prof *p) {
    if (p->nomem) return NULL;
    line *ls = calloc(p->n ? p->n : 1, sizeof *ls);
    if (!ls) return NULL;
    uint32_t nl = 0;
    bool ok = true;
    for (uint32_t i = 0; ok && i < p->cap; i++) {
        const prof_entry *e = &p->tab[i];
        if (!e->used) continue;
        pbuf b = {0};
        put(&b, "");
        const wvm_instance *prev = NULL;
        char name[300];
        for (uint32_t k = 0; k < e->n; k++) {
            const wvm_prof_frame *f = &e->stack[k];
            if (f->instance != prev) {
                /* a contract's code begins: say which, and which function */
                if (b.len) put(&b, ";");
                put(&b, label_of(p, f->instance));
                prev = f->instance;
            }
            put(&b, ";");
            wvm_instance_func_name(f->instance, f->func, name, sizeof name);
            put(&b, name);
        }
        if (e->host_import != UINT32_MAX) {
            if (e->host_name) {
                snprintf(name, sizeof name, "host:%s", e->host_name);
            } else if (e->n) {
                char im[280];
                wvm_instance_func_name(e->stack[e->n - 1].instance, e->host_import, im, sizeof im);
                snprintf(name, sizeof name, "host:%s", strncmp(im, "env.", 4) ? im : im + 4);
            } else {
                snprintf(name, sizeof name, "host:?");
            }
            put(&b, b.len ? ";" : "");
            put(&b, name);
        }
        if (b.nomem) {
            free(b.p);
            ok = false;
            break;
        }
        ls[nl++] = (line){ b.p, e->fuel };
    }
    pbuf out = {0};
    put(&out, "");
    if (ok) {
        /* the hook's stacks differ by instance pointers; the same labels
         * are merged here */
        qsort(ls, nl, sizeof *ls, by_text);
        for (uint32_t i = 0; i < nl;) {
            uint64_t sum = 0;
            uint32_t j = i;
            for (; j < nl && !strcmp(ls[j].text, ls[i].text); j++) sum += ls[j].fuel;
            char num[32];
            snprintf(num, sizeof num, " %llu\n", (unsigned long long)sum);
            put(&out, ls[i].text);
            put(&out, num);
            i = j;
        }
    }
    for (uint32_t i = 0; i < nl; i++) free(ls[i].text);
    free(ls);
    if (!ok || out.nomem) {
        free(out.p);
        return NULL;
    }
    return out.p;
}

void chain_prof_free(chain_prof *p) {
    if (!p) return;
    for (uint32_t i = 0; i < p->cap; i++) free(p->tab[i].stack);
    for (uint32_t i = 0; i < p->ninsts; i++) free(p->insts[i].label);
    free(p->insts);
    free(p->tab);
    free(p);
}
