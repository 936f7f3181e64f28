/*
 * persist.c -- a module's translated code written out and read back, so
 * that a restarted node need not validate and translate a module again
 * (the on-disk cache of docs/engine.md keeps these blobs in files).
 *
 * A blob is trusted only as far as it proves it is ours and whole: its
 * header names this build of the translator, the engine settings that
 * shape a translation (cost table, metering, float policy, load limits)
 * and the wasm bytes it was made from; a checksum covers all of it.  A
 * blob that fails any of these is not used -- the module is loaded from
 * its wasm as usual -- and the caller is told why.  A blob that passes
 * stands in for validating the function bodies: it can only have been
 * written after they validated.  So the files are as trusted as the
 * node's own state directory; a checksum finds damage, not an attacker
 * who can write there.
 *
 * Layout (native byte order; the header holds a marker for it):
 *   header   8 u64: magic, build, settings, wasm length, wasm hash,
 *            defined functions, total length, byte-order marker
 *   each defined function, in order:
 *            u32 nlocals, frame slots, cells, pc-map entries;
 *            the pc map; the cells; one kind byte a cell, padded to 8
 *   trailer  u64 checksum of everything before it
 * A cell is stored as its value (CELL_RAW), its handler's op number
 * (CELL_HANDLER) or the index of the defined function it calls
 * (CELL_FUNC): addresses change from process to process.
 */
#include <stdio.h>
#include "wasm/compile.h"
#include "wasm/mem.h"

#ifndef WVM_BUILD_ID
#define WVM_BUILD_ID "unversioned"
#endif

/* Bump when the layout above changes. */
#define FORMAT 1
#define MAGIC 0x0031544c5846564dull   /* "MVFXLT1\0" read as bytes */
#define ORDER 0x0102030405060708ull
#define HEADER_WORDS 8

enum { H_MAGIC, H_BUILD, H_SETTINGS, H_WASM_LEN, H_WASM_HASH, H_NDEF, H_TOTAL, H_ORDER };

/* ---- hashing: finds damage (not a defence against an attacker) ---- */

#define P1 0x9e3779b97f4a7c15ull
#define P2 0xd6e8feb86659fd93ull

static inline uint64_t rotl(uint64_t x, int r) { return x << r | x >> (64 - r); }
static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
static inline uint64_t mix(uint64_t h) {
    h ^= h >> 32;
    h *= P2;
    h ^= h >> 29;
    h *= P1;
    return h ^ h >> 32;
}

/* Four independent lanes, so the multiplies overlap. */
static uint64_t hash_bytes(const void *data, size_t n, uint64_t seed) {
    const uint8_t *p = data;
    uint64_t a = seed ^ P1, b = seed ^ P2, c = rotl(seed, 17) ^ P1, d = rotl(seed, 41) ^ P2;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        a = rotl(a ^ load64(p + i) * P2, 29) * P1;
        b = rotl(b ^ load64(p + i + 8) * P2, 29) * P1;
        c = rotl(c ^ load64(p + i + 16) * P2, 29) * P1;
        d = rotl(d ^ load64(p + i + 24) * P2, 29) * P1;
    }
    uint64_t h = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + n;
    for (; i + 8 <= n; i += 8) h = rotl(h ^ load64(p + i) * P2, 27) * P1;
    for (; i < n; i++) h = rotl(h ^ p[i] * P1, 11) * P2;
    return mix(h);
}

/* This build of the translator: its version, the cell layout and its
 * handlers' names (a changed op list changes every op number). */
static uint64_t build_id(void) {
    static const char names[] =
#define OP_X(name) #name ","
        ALL_OPS
#undef OP_X
        ;
    uint64_t h = hash_bytes(WVM_BUILD_ID, sizeof WVM_BUILD_ID - 1, FORMAT);
    h = hash_bytes(names, sizeof names - 1, h);
    uint64_t shape[] = { sizeof(cell), sizeof(pc_entry), OP_COUNT, MAX_FRAME_SLOTS };
    return hash_bytes(shape, sizeof shape, h);
}

/* What of the engine's configuration a translation depends on. */
static uint64_t settings_id(const wvm_engine *e) {
    const wvm_limits *l = &e->cfg.limits;
    uint64_t v[] = { e->fuel_hash, e->cfg.metering, e->cfg.float_policy, l->max_module_bytes,
                     l->max_functions, l->max_locals, l->max_body_bytes, l->max_block_depth,
                     l->max_segments, l->max_globals };
    return hash_bytes(v, sizeof v, 0);
}

static uint64_t wasm_hash(const uint8_t *wasm, size_t len) { return hash_bytes(wasm, len, 0x5741534d); }

/* ---- writing ---- */

typedef struct outbuf {
    const wvm_allocator *a;
    uint8_t *b;
    size_t n, cap;
    bool nomem;
} outbuf;

static void put(outbuf *o, const void *p, size_t n) {
    if (o->nomem) return;
    if (o->n + n > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap < o->n + n) cap *= 2;
        uint8_t *b = mem_realloc(o->a, o->b, cap);
        if (!b) {
            o->nomem = true;
            return;
        }
        o->b = b;
        o->cap = cap;
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

/* Handler address -> op number: an open-addressing table of the
 * labels, made per write, so that no cell needs a search through all
 * OP_COUNT of them (every raw cell is looked up too, to refuse one
 * that equals a handler address). */
#define OPS_SLOTS 4096   /* a power of two, well above OP_COUNT */
typedef struct op_table {
    const void *key[OPS_SLOTS];
    int16_t op[OPS_SLOTS];
} op_table;

static size_t op_slot(const void *h) { return (size_t)(((uintptr_t)h * P1) >> 40) & (OPS_SLOTS - 1); }

static void op_table_init(op_table *t) {
    const void *const *labels = interp_labels();
    memset(t->key, 0, sizeof t->key);
    for (int i = 0; i < OP_COUNT; i++) {
        size_t s = op_slot(labels[i]);
        while (t->key[s] && t->key[s] != labels[i]) s = (s + 1) & (OPS_SLOTS - 1);
        if (!t->key[s]) t->key[s] = labels[i], t->op[s] = (int16_t)i;
    }
}

/* Op number of a handler address; -1 when it is none. */
static int op_number(const op_table *t, const void *h) {
    for (size_t s = op_slot(h); t->key[s]; s = (s + 1) & (OPS_SLOTS - 1))
        if (t->key[s] == h) return t->op[s];
    return -1;
}

/* One function: a fresh translation with its cells' kinds (the same code
 * as the one in use: translation is deterministic). */
static wvm_status put_func(outbuf *o, const op_table *labels, const wvm_module *mod, uint32_t defined,
                           char *err, size_t cap) {
    const wasm_module *m = &mod->m;
    xlat *x;
    uint8_t *kinds;
    wvm_status st = compile_func_kinds(mod, defined, &x, &kinds, err, cap);
    if (st) return st;
    const compiled_func *cf = &m->compiled[defined];
    uint32_t head[4] = { cf->nlocals, cf->frame_slots, x->ncells, x->npcmap };
    put(o, head, sizeof head);
    put(o, x->pcmap, (size_t)x->npcmap * sizeof(pc_entry));
    for (uint32_t i = 0; i < x->ncells && !st; i++) {
        uint64_t v = x->code[i].u;
        int op;
        switch (kinds[i]) {
        case CELL_HANDLER:
            if ((op = op_number(labels, x->code[i].h)) < 0) {
                snprintf(err, cap, "internal error: function %u, cell %u is no handler", defined, i);
                st = WVM_ERR_INVALID;
            }
            v = (uint64_t)op;
            break;
        case CELL_FUNC:
            v = (uint64_t)((const compiled_func *)x->code[i].p - m->compiled);
            break;
        default:
            /* a value that looks like a handler address would be read
             * back as one: refuse rather than guess (only a constant
             * equal to an address of this process can do it) */
            if (op_number(labels, x->code[i].h) >= 0) {
                snprintf(err, cap, "function %u holds a constant equal to a handler address", defined);
                st = WVM_ERR_LIMIT;
            }
        }
        put(o, &v, 8);
    }
    put(o, kinds, x->ncells);
    static const uint8_t zero[8];
    put(o, zero, (8 - x->ncells % 8) % 8);
    mem_free(m->alloc, x);
    mem_free(m->alloc, kinds);
    return st;
}

wvm_status wvm_module_write_translation(const wvm_module *mod, wvm_write_fn write, void *user) {
    if (!mod || mod->status || !write) return WVM_ERR_ARG;
    const wasm_module *m = &mod->m;
    uint32_t ndef = m->nfuncs - m->nfunc_imports;
    outbuf o = { .a = m->alloc };
    uint64_t header[HEADER_WORDS] = { MAGIC, build_id(), settings_id(mod->engine), m->len,
                                      wasm_hash(m->bytes, m->len), ndef, 0, ORDER };
    put(&o, header, sizeof header);
    char err[256];
    op_table *labels = mem_alloc(m->alloc, sizeof *labels);
    wvm_status st = labels ? WVM_OK : WVM_ERR_NOMEM;
    if (labels) op_table_init(labels);
    for (uint32_t i = 0; i < ndef && !st && !o.nomem; i++) st = put_func(&o, labels, mod, i, err, sizeof err);
    mem_free(m->alloc, labels);
    if (!st && o.nomem) st = WVM_ERR_NOMEM;
    if (!st) {
        uint64_t total = o.n + 8;
        memcpy(o.b + H_TOTAL * 8, &total, 8);
        uint64_t sum = hash_bytes(o.b, o.n, total);
        put(&o, &sum, 8);
        if (o.nomem) st = WVM_ERR_NOMEM;
    }
    if (!st) write(user, o.b, o.n);
    mem_free(m->alloc, o.b);
    return st;
}

/* ---- reading ---- */

typedef struct func_view {
    uint32_t nlocals, frame_slots, ncells, npcmap;
    const uint8_t *pcmap, *cells, *kinds;
} func_view;

/* The next function's parts at *at, inside blob[0, end); false if they
 * do not fit or its frame cannot be the frame of t. */
static bool read_func(const uint8_t *blob, size_t end, size_t *at, const wasm_functype *t, func_view *f) {
    if (end - *at < 16) return false;
    uint32_t head[4];
    memcpy(head, blob + *at, 16);
    *at += 16;
    f->nlocals = head[0];
    f->frame_slots = head[1];
    f->ncells = head[2];
    f->npcmap = head[3];
    if (f->frame_slots > MAX_FRAME_SLOTS || f->nlocals > f->frame_slots || t->nparams > f->nlocals ||
        f->ncells == 0)
        return false;
    uint64_t need = (uint64_t)f->npcmap * sizeof(pc_entry) + (uint64_t)f->ncells * 9 + (8 - f->ncells % 8) % 8;
    if (need > end - *at) return false;
    f->pcmap = blob + *at;
    f->cells = f->pcmap + (size_t)f->npcmap * sizeof(pc_entry);
    f->kinds = f->cells + (size_t)f->ncells * 8;
    *at += (size_t)need;
    return true;
}

/* The code of f, its addresses those of this process; NULL when a cell
 * names no op or function, or memory is short. */
static xlat *make_xlat(const wvm_module *mod, const func_view *f) {
    const wasm_module *m = &mod->m;
    const void *const *labels = interp_labels();
    uint32_t ndef = m->nfuncs - m->nfunc_imports;
    size_t cells = (size_t)f->ncells * sizeof(cell), map = ((size_t)f->npcmap + 1) * sizeof(pc_entry);
    xlat *x = mem_alloc(m->alloc, sizeof(xlat) + cells + map);
    if (!x) return NULL;
    x->ncells = f->ncells;
    x->npcmap = f->npcmap;
    x->pcmap = (pc_entry *)((char *)x->code + cells);
    memcpy(x->code, f->cells, cells);
    for (uint32_t i = 0; i < f->ncells; i++) {
        uint8_t k = f->kinds[i];
        if (k == CELL_RAW) continue;
        uint64_t v = x->code[i].u;
        if (k == CELL_HANDLER && v < OP_COUNT) x->code[i].h = labels[v];
        else if (k == CELL_FUNC && v < ndef) x->code[i].p = &m->compiled[v];
        else {
            mem_free(m->alloc, x);
            return NULL;
        }
    }
    memcpy(x->pcmap, f->pcmap, (size_t)f->npcmap * sizeof(pc_entry));
    x->pcmap[f->npcmap] = (pc_entry){ 0, 0 };
    return x;
}

/* Whether blob's header and checksum say it is a whole translation of
 * wasm by this build with e's settings. */
static wvm_translation_use check_blob(const wvm_engine *e, const uint8_t *wasm, size_t len,
                                      const uint8_t *blob, size_t blob_len) {
    uint64_t h[HEADER_WORDS];
    if (!blob || blob_len < sizeof h + 8) return WVM_TRANSLATION_TRUNCATED;
    memcpy(h, blob, sizeof h);
    if (h[H_MAGIC] != MAGIC || h[H_ORDER] != ORDER) return WVM_TRANSLATION_NOT_OURS;
    if (h[H_TOTAL] > blob_len) return WVM_TRANSLATION_TRUNCATED;
    if (h[H_TOTAL] < blob_len) return WVM_TRANSLATION_CORRUPT;
    uint64_t sum;
    memcpy(&sum, blob + blob_len - 8, 8);
    if (hash_bytes(blob, blob_len - 8, h[H_TOTAL]) != sum) return WVM_TRANSLATION_CORRUPT;
    if (h[H_BUILD] != build_id()) return WVM_TRANSLATION_OTHER_BUILD;
    if (h[H_SETTINGS] != settings_id(e)) return WVM_TRANSLATION_OTHER_SETTINGS;
    if (h[H_WASM_LEN] != len || h[H_WASM_HASH] != wasm_hash(wasm, len)) return WVM_TRANSLATION_OTHER_MODULE;
    return WVM_TRANSLATION_USED;
}

/* Sets mod's functions up from blob (checked by check_blob) and
 * installs their code.  False when the blob does not fit the module:
 * then mod's functions are released again. */
static bool load_blob(wvm_module *mod, const uint8_t *blob, size_t blob_len) {
    wasm_module *m = &mod->m;
    uint32_t ndef = m->nfuncs - m->nfunc_imports;
    uint64_t h_ndef;
    memcpy(&h_ndef, blob + H_NDEF * 8, 8);
    if (h_ndef != ndef) return false;
    func_view *fv = mem_calloc(m->alloc, ndef ? ndef : 1, sizeof *fv);
    uint32_t *frames = mem_calloc(m->alloc, ndef ? 2 * (size_t)ndef : 1, sizeof *frames);
    bool ok = fv && frames;
    size_t at = HEADER_WORDS * 8, end = blob_len - 8;
    for (uint32_t i = 0; ok && i < ndef; i++) {
        ok = read_func(blob, end, &at, &m->types[m->func_types[m->nfunc_imports + i]], &fv[i]);
        if (ok) {
            frames[i] = fv[i].nlocals;
            frames[ndef + i] = fv[i].frame_slots;
        }
    }
    ok = ok && at == end;
    char err[256];
    if (ok && compile_module_trusted(mod, frames, frames + ndef, err, sizeof err)) ok = false;
    for (uint32_t i = 0; ok && i < ndef; i++) {
        xlat *x = make_xlat(mod, &fv[i]);
        if (!x) ok = false;
        else atomic_store_explicit(&m->compiled[i].code, x->code, memory_order_relaxed);
    }
    if (!ok) compile_release(m);
    mem_free(m->alloc, fv);
    mem_free(m->alloc, frames);
    return ok;
}

void persist_resign(uint8_t *blob, size_t len) {
    uint64_t total, sum;
    memcpy(&total, blob + H_TOTAL * 8, 8);
    sum = hash_bytes(blob, len - 8, total);
    memcpy(blob + len - 8, &sum, 8);
}

wvm_status wvm_module_new_translated(wvm_engine *e, const uint8_t *wasm, size_t len, const void *blob,
                                     size_t blob_len, wvm_module **out, wvm_translation_use *use) {
    wvm_translation_use u = check_blob(e, wasm, len, blob, blob_len);
    wvm_module *mod = module_decode(e, wasm, len);
    *out = mod;
    if (!mod) return WVM_ERR_NOMEM;
    if (!mod->status) {
        if (u == WVM_TRANSLATION_USED && !load_blob(mod, blob, blob_len)) u = WVM_TRANSLATION_CORRUPT;
        if (u != WVM_TRANSLATION_USED)
            mod->status = compile_module(mod, mod->errmsg, sizeof mod->errmsg);
        module_finish(mod);
    }
    if (use) *use = u;
    return mod->status;
}
