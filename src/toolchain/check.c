/*
 * check.c -- step 7: the module loaded by our own runtime, as deploy will
 * load it: it must decode and validate under the engine's contract
 * limits and the build's float policy, import only the functions of
 * module "env" that abi.h names, with their types, and export memory,
 * allocate and handle_contract_call with theirs.  Linking is done for
 * real (with host functions that only trap), so a type mismatch is
 * found here and not at the first call.
 */
#include <string.h>
#include "toolchain.h"
#include "wvm/abi.h"

#define I32 WVM_I32
#define I64 WVM_I64

typedef struct abi_func {
    const char *name;
    uint32_t nparams, nresults;
    wvm_valtype params[5], results[1];
} abi_func;

/* The imports of abi.h, module "env". */
static const abi_func imports[] = {
    {WVM_IMPORT_CALL_HOST_SET, 3, 1, {I32, I32, I32}, {I32}},
    {WVM_IMPORT_GET_BUFFER, 2, 1, {I32, I32}, {I32}},
    {WVM_IMPORT_BLOCK_HEIGHT, 0, 1, {0}, {I64}},
    {WVM_IMPORT_BLOCK_TIME, 0, 1, {0}, {I64}},
    {WVM_IMPORT_BALANCE, 1, 1, {I32}, {I64}},
    {WVM_IMPORT_FIELD_GET, 5, 1, {I32, I32, I32, I32, I32}, {I32}},
    {WVM_IMPORT_FIELD_SET, 5, 1, {I32, I32, I32, I32, I32}, {I32}},
};

/* The exports a contract must have (memory is checked apart). */
static const abi_func exports[] = {
    {"allocate", 1, 1, {I32}, {I32}},
    {"handle_contract_call", 4, 1, {I32, I32, I32, I32}, {I32}},
};

static wvm_status never_called(wvm_caller *c, void *user, const wvm_val *args, wvm_val *res) {
    (void)args;
    (void)res;
    return wvm_caller_trap(c, "%s called while checking the build", (const char *)user);
}

static const abi_func *find_import(const char *name) {
    for (size_t i = 0; i < sizeof imports / sizeof imports[0]; i++)
        if (strcmp(imports[i].name, name) == 0) return &imports[i];
    return NULL;
}

static bool same_type(const wvm_functype *t, const abi_func *f) {
    if (t->nparams != f->nparams || t->nresults != f->nresults) return false;
    for (uint32_t i = 0; i < t->nparams; i++)
        if (t->params[i] != f->params[i]) return false;
    for (uint32_t i = 0; i < t->nresults; i++)
        if (t->results[i] != f->results[i]) return false;
    return true;
}

static bool fail(const tc_options *o, const char *what, const char *detail) {
    fprintf(o->diag, "wvm build: the module breaks the contract ABI: %s%s%s\n", what,
            detail ? ": " : "", detail ? detail : "");
    return false;
}

bool check_wasm(const tc_options *o, const tc_buf *wasm) {
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.float_policy = o->float_policy;
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    wvm_store *s = NULL;
    bool ok = false;
    if (wvm_engine_new(&cfg, &e) != WVM_OK) {
        fprintf(o->diag, "wvm build: out of memory\n");
        return false;
    }
    wvm_status st = wvm_module_new(e, wasm->data, wasm->len, &m);
    if (st != WVM_OK) {
        fail(o, "the runtime refuses it", m ? wvm_module_errmsg(m) : wvm_status_str(st));
        goto done;
    }
    if (wvm_store_new(e, &s) != WVM_OK) goto done;
    uint32_t n = wvm_module_import_count(m);
    for (uint32_t i = 0; i < n; i++) {
        const char *mod, *name;
        uint32_t mod_len, name_len;
        wvm_externkind kind;
        wvm_module_import(m, i, &mod, &mod_len, &name, &name_len, &kind);
        const abi_func *f = strcmp(mod, "env") == 0 ? find_import(name) : NULL;
        if (!f || kind != WVM_EXTERN_FUNC) {
            char what[600];
            snprintf(what, sizeof what, "it imports %s.%s, which is not a host function of the ABI "
                     "(a function the contract declares but does not define, or one of libc "
                     "that needs WASI)", mod, name);
            fail(o, what, NULL);
            goto done;
        }
        wvm_functype type = {f->nparams, f->nresults, f->params, f->results};
        wvm_func *fn;
        if (wvm_func_new_host(s, &type, never_called, (void *)f->name, &fn) != WVM_OK) goto done;
        wvm_extern x = {WVM_EXTERN_FUNC, fn};
        if (wvm_store_define(s, "env", f->name, x) != WVM_OK) goto done;
    }
    wvm_instance *inst;
    if (wvm_instance_link(s, m, &inst) != WVM_OK) {
        fail(o, "it does not link with the host functions", wvm_store_errmsg(s));
        goto done;
    }
    wvm_extern mem;
    if (wvm_instance_export(inst, "memory", &mem) != WVM_OK || mem.kind != WVM_EXTERN_MEMORY) {
        fail(o, "it does not export \"memory\"", NULL);
        goto done;
    }
    for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
        wvm_func *f;
        if (wvm_instance_func(inst, exports[i].name, &f) != WVM_OK) {
            fail(o, "a required export is missing", exports[i].name);
            goto done;
        }
        if (!same_type(wvm_func_type(f), &exports[i])) {
            fail(o, "an export has the wrong type", exports[i].name);
            goto done;
        }
    }
    ok = true;
done:
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
    return ok;
}
