/*
 * fuzz_load.c -- arbitrary bytes through the decoder, validator and
 * translator (wvm_module_new); a module that loads is instantiated with
 * dummy imports of matching types and every export is called under a
 * small fuel limit and timeout.  Its translation is written out, read
 * back (it must be used, and write out the same bytes again) and read
 * back once more with a byte changed (it must not be used).  Everything
 * is freed (LeakSanitizer checks).
 */
#include "fuzz_common.h"

typedef struct fz_blob {
    uint8_t *b;
    size_t n;
} fz_blob;

static void fz_keep(void *user, const void *bytes, size_t len) {
    fz_blob *o = user;
    if (!(o->b = malloc(len ? len : 1))) abort();
    memcpy(o->b, bytes, len);
    o->n = len;
}

/* The translation of m (loaded from data) written out and read back. */
static void fz_persist(wvm_engine *e, wvm_module *m, const uint8_t *data, size_t size) {
    fz_blob o = { NULL, 0 }, again = { NULL, 0 };
    wvm_status st = wvm_module_write_translation(m, fz_keep, &o);
    FZ_ASSERT(st == WVM_OK || st == WVM_ERR_LIMIT || st == WVM_ERR_NOMEM);
    if (st) return;
    wvm_module *r = NULL;
    wvm_translation_use use;
    st = wvm_module_new_translated(e, data, size, o.b, o.n, &r, &use);
    if (st != WVM_ERR_NOMEM) {
        FZ_ASSERT(st == WVM_OK && use == WVM_TRANSLATION_USED);
        if (wvm_module_write_translation(r, fz_keep, &again) == WVM_OK)
            FZ_ASSERT(again.n == o.n && memcmp(again.b, o.b, o.n) == 0);
    }
    wvm_module_free(r);
    o.b[(size * 31 + o.n / 3) % o.n] ^= 0x10;
    st = wvm_module_new_translated(e, data, size, o.b, o.n, &r, &use);
    FZ_ASSERT(st == WVM_OK || st == WVM_ERR_NOMEM);
    FZ_ASSERT(use != WVM_TRANSLATION_USED);
    wvm_module_free(r);
    free(o.b);
    free(again.b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static wvm_engine *engine;  /* immutable after creation: shared by all inputs */
    if (!engine) engine = fz_engine(true, WVM_FLOAT_ALLOW);

    wvm_module *m = NULL;
    wvm_status st = wvm_module_new(engine, data, size, &m);

    /* The load-time validator (validate.c) against the translator's
     * checks: translating everything at load must accept or refuse the
     * same module with the same message, and its frames must be the
     * ones validate.c found (compile.c checks each translation's). */
    static wvm_engine *eager;
    if (!eager) {
        wvm_config cfg;
        wvm_config_default(&cfg);
        cfg.limits.max_memory_pages = 16;   /* as fz_engine's */
        cfg.limits.max_table_elems = 1000;
        cfg.limits.max_call_depth = 500;
        cfg.limits.max_stack_slots = 1 << 16;
        cfg.eager_translation = true;
        if (wvm_engine_new(&cfg, &eager) != WVM_OK) abort();
    }
    wvm_module *me = NULL;
    wvm_status se = wvm_module_new(eager, data, size, &me);
    FZ_ASSERT(se == st || se == WVM_ERR_NOMEM || st == WVM_ERR_NOMEM);
    if (se == st && st != WVM_OK) FZ_ASSERT(strcmp(wvm_module_errmsg(m), wvm_module_errmsg(me)) == 0);
    wvm_module_free(me);
    if (st != WVM_OK) {
        FZ_ASSERT(st == WVM_ERR_MALFORMED || st == WVM_ERR_INVALID || st == WVM_ERR_LIMIT ||
                  st == WVM_ERR_NOMEM);
        if (m) FZ_ASSERT(wvm_module_errmsg(m)[0] != 0);
        wvm_module_free(m);
        return 0;
    }
    FZ_ASSERT(m != NULL);
    FZ_ASSERT(wvm_module_errmsg(m)[0] == 0);
    fz_persist(engine, m, data, size);

    /* walk the import and export lists: names must be readable */
    uint32_t nimp = wvm_module_import_count(m);
    for (uint32_t i = 0; i < nimp; i++) {
        const char *mod, *name;
        uint32_t ml, nl;
        wvm_externkind k;
        wvm_module_import(m, i, &mod, &ml, &name, &nl, &k);
        FZ_ASSERT(mod[ml] == 0 && name[nl] == 0);
        FZ_ASSERT((unsigned)k <= WVM_EXTERN_GLOBAL);
    }
    uint32_t nexp = wvm_module_export_count(m);
    for (uint32_t i = 0; i < nexp; i++) {
        const char *name;
        uint32_t nl;
        wvm_externkind k;
        wvm_module_export(m, i, &name, &nl, &k);
        FZ_ASSERT(name[nl] == 0);
        wvm_externtype et;
        FZ_ASSERT(wvm_module_export_type(m, i, &et) == WVM_OK && et.kind == k);
    }
    wvm_externtype et;
    FZ_ASSERT(wvm_module_export_type(m, nexp, &et) == WVM_ERR_NOT_FOUND);
    FZ_ASSERT(wvm_module_import_type(m, nimp, &et) == WVM_ERR_NOT_FOUND);

    fz_imports im;
    if (fz_read_imports(data, size, &im) == 0 && im.nimports == nimp) {
        /* the API's import types agree with this file's own reading of
         * the binary */
        for (uint32_t i = 0; i < nimp; i++) {
            const fz_import *x = &im.imports[i];
            FZ_ASSERT(wvm_module_import_type(m, i, &et) == WVM_OK);
            FZ_ASSERT((uint8_t)et.kind == x->kind);
            switch (x->kind) {
            case WVM_EXTERN_FUNC: {
                FZ_ASSERT(x->type < im.ntypes);
                const fz_type *t = &im.types[x->type];
                FZ_ASSERT(et.of.func.nparams == t->np && et.of.func.nresults == t->nr);
                for (uint32_t k = 0; k < t->np; k++) FZ_ASSERT(et.of.func.params[k] == t->v[k]);
                for (uint32_t k = 0; k < t->nr; k++) FZ_ASSERT(et.of.func.results[k] == t->v[t->np + k]);
                break;
            }
            case WVM_EXTERN_TABLE:
                FZ_ASSERT((uint8_t)et.of.table.elem == x->elem && et.of.table.min == x->min &&
                          et.of.table.max == x->max);
                break;
            case WVM_EXTERN_MEMORY:
                FZ_ASSERT(et.of.memory.min == x->min && et.of.memory.max == x->max);
                break;
            default:
                FZ_ASSERT((uint8_t)et.of.global.type == x->elem && et.of.global.mutable_ == (x->mut != 0));
                break;
            }
        }
        wvm_store *s = NULL;
        if (wvm_store_new(engine, &s) != WVM_OK) abort();
        wvm_store_set_fuel(s, 10000);
        wvm_store_set_timeout(s, 100);
        wvm_extern *ext = NULL;
        if (fz_make_imports(s, &im, &ext) == WVM_OK) {
            wvm_instance *inst = NULL;
            st = wvm_instance_new(s, m, ext, nimp, &inst);
            FZ_ASSERT((st == WVM_OK) == (inst != NULL));
            if (st == WVM_OK) {
                fz_call_exports(s, inst, m, 10000, 100);
                /* the exports again: a store stays usable after traps */
                fz_call_exports(s, inst, m, 10000, 100);
            } else {
                /* the dummies match every import's type: never WVM_ERR_LINK */
                FZ_ASSERT(st == WVM_ERR_RESOURCE || st == WVM_ERR_NOMEM ||
                          wvm_status_is_trap(st));
            }
        }
        free(ext);
        wvm_store_free(s);
    }
    fz_imports_free(&im);
    wvm_module_free(m);
    return 0;
}
