/*
 * spectest.c -- `wvm spectest`: runs WebAssembly spec test scripts that
 * wabt's wast2json (1.0.32) converted to JSON.
 *
 * Each JSON file gets one store holding every module of the script plus
 * the host module "spectest".  Every module command, action and assertion
 * is one test; text-format assert_malformed/assert_invalid are skipped
 * (wvm has no text parser).  A module that fails to load leaves no
 * current module, so the assertions that use it fail.
 *
 * Names: JSON strings may hold "\u0000", which cJSON would cut the string
 * at.  Before parsing, that escape is rewritten to the byte 0xFF (never
 * part of UTF-8, so never part of a wasm name), and wasm_name() turns it
 * back into NUL with an explicit length.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "wvm.h"
#include "cli.h"

#define MAX_VALS 256 /* arguments or results of one action */

/* A name bound to an instance: a module's "$name" or a register "as". */
typedef struct binding {
    char *name;
    uint32_t len;
    wvm_instance *inst; /* NULL: that module failed to load */
} binding;

typedef struct binding_list {
    binding *v;
    size_t n, cap;
} binding_list;

/* One export of the host module "spectest". */
typedef struct host_export {
    const char *name;
    wvm_extern ext;
} host_export;

#define SPECTEST_EXPORTS 13 /* 7 functions, 4 globals, table, memory */

/* Everything about the JSON file being run. */
typedef struct spec_file {
    const char *path;   /* as given on the command line */
    char *dir;          /* its directory with a trailing '/', or "" */
    bool verbose;
    bool via_translation; /* each module written out and loaded back */
    wvm_engine *engine; /* borrowed */
    wvm_store *store;
    wvm_module **mods;  /* freed after the store */
    size_t nmods, capmods;
    binding_list names; /* "$name" of modules */
    binding_list regs;  /* register "as" */
    wvm_instance *cur;  /* current module; NULL if none or it failed */
    host_export host[SPECTEST_EXPORTS];
    int line;           /* "line" of the command being run */
    char why[1024];     /* detail of the last failure */
    unsigned long passed, failed, skipped;
} spec_file;

/* What an expected result accepts. */
typedef enum match_kind { MATCH_EXACT, MATCH_NAN_CANON, MATCH_NAN_ARITH, MATCH_NONNULL } match_kind;

typedef struct expect {
    wvm_val val;
    match_kind how;
} expect;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static void pass(spec_file *sf) { sf->passed++; }

static void fail(spec_file *sf, const char *fmt, ...) {
    va_list ap;
    printf("%s:%d: FAIL: ", sf->path, sf->line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    sf->failed++;
}

static void set_why(spec_file *sf, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sf->why, sizeof sf->why, fmt, ap);
    va_end(ap);
}

static const char *jstr(const cJSON *obj, const char *key) {
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* The command's "text" (the spec's message), "" if it has none. */
static const char *jtext(const cJSON *cmd) {
    const char *t = jstr(cmd, "text");
    return t ? t : "";
}

/* Reads a whole file; the buffer gets a NUL after len bytes. */
static char *read_all(const char *path, size_t *len) {
    struct stat sb;
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    if (fstat(fileno(f), &sb) != 0) goto out;
    if (!S_ISREG(sb.st_mode)) { errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL; goto out; }
    if (!(buf = malloc((size_t)sb.st_size + 1))) goto out;
    if (fread(buf, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size) {
        free(buf);
        buf = NULL;
        errno = EIO;
        goto out;
    }
    buf[sb.st_size] = '\0';
    *len = (size_t)sb.st_size;
out:
    fclose(f);
    return buf;
}

/* Rewrites each "\u0000" escape of JSON text to the byte 0xFF, in place. */
static void hide_nul_escapes(char *s) {
    char *w = s;
    while (*s) {
        if (s[0] == '\\' && strncmp(s + 1, "u0000", 5) == 0) {
            *w++ = (char)0xFF;
            s += 6;
        } else if (s[0] == '\\' && s[1]) {
            *w++ = *s++;
            *w++ = *s++;
        } else {
            *w++ = *s++;
        }
    }
    *w = '\0';
}

/* A heap copy of a JSON string as wasm name bytes (0xFF back to NUL). */
static char *wasm_name(const char *s, uint32_t *len) {
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (!r) return NULL;
    for (size_t i = 0; i < n; i++) r[i] = (unsigned char)s[i] == 0xFF ? '\0' : s[i];
    r[n] = '\0';
    *len = (uint32_t)n;
    return r;
}

/* Binds a name (a JSON string) to inst; later bindings shadow earlier. */
static bool bind(binding_list *l, const char *json_name, wvm_instance *inst) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        binding *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv) return false;
        l->v = nv;
        l->cap = cap;
    }
    binding *b = &l->v[l->n];
    b->name = wasm_name(json_name, &b->len);
    if (!b->name) return false;
    b->inst = inst;
    l->n++;
    return true;
}

static binding *lookup(const binding_list *l, const char *name, uint32_t len) {
    for (size_t i = l->n; i-- > 0;)
        if (l->v[i].len == len && memcmp(l->v[i].name, name, len) == 0) return &l->v[i];
    return NULL;
}

static void free_bindings(binding_list *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i].name);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static const struct { const char *name; wvm_valtype t; } valtypes[] = {
    {"i32", WVM_I32}, {"i64", WVM_I64}, {"f32", WVM_F32}, {"f64", WVM_F64},
    {"funcref", WVM_FUNCREF}, {"externref", WVM_EXTERNREF},
};
#define NVALTYPES (sizeof valtypes / sizeof valtypes[0])

static bool parse_type(const char *s, wvm_valtype *t) {
    for (size_t i = 0; s && i < NVALTYPES; i++)
        if (strcmp(s, valtypes[i].name) == 0) { *t = valtypes[i].t; return true; }
    return false;
}

static const char *type_name(wvm_valtype t) {
    for (size_t i = 0; i < NVALTYPES; i++)
        if (valtypes[i].t == t) return valtypes[i].name;
    return "?";
}

/* Parses a {"type","value"} object; NaN patterns and a missing funcref
 * value are accepted only when expected is not NULL. */
static bool parse_val(const cJSON *j, wvm_val *v, match_kind *expected) {
    const char *text = jstr(j, "value");
    memset(v, 0, sizeof *v);
    if (!parse_type(jstr(j, "type"), &v->type)) return false;
    if (expected) *expected = MATCH_EXACT;
    bool ref = v->type == WVM_FUNCREF || v->type == WVM_EXTERNREF;
    if (ref && text && strcmp(text, "null") == 0) return true;
    if (v->type == WVM_FUNCREF) {
        if (!expected) return false; /* no way to name a function here */
        *expected = MATCH_NONNULL;
        return true;
    }
    if (!text) return false;
    bool fl = v->type == WVM_F32 || v->type == WVM_F64;
    if (fl && expected && strcmp(text, "nan:canonical") == 0) { *expected = MATCH_NAN_CANON; return true; }
    if (fl && expected && strcmp(text, "nan:arithmetic") == 0) { *expected = MATCH_NAN_ARITH; return true; }
    char *end;
    errno = 0;
    unsigned long long bits = strtoull(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno) return false;
    switch (v->type) {
    case WVM_I32: v->of.i32 = (int32_t)(uint32_t)bits; break;
    case WVM_F32: v->of.f32_bits = (uint32_t)bits; break;
    case WVM_I64: v->of.i64 = (int64_t)bits; break;
    case WVM_F64: v->of.f64_bits = (uint64_t)bits; break;
    default: v->of.ext = (void *)(uintptr_t)(bits + 1); break; /* externref n */
    }
    return true;
}

static void fmt_val(const wvm_val *v, char *buf, size_t size) {
    switch (v->type) {
    case WVM_I32: snprintf(buf, size, "i32:%u", (unsigned)v->of.i32); break;
    case WVM_I64: snprintf(buf, size, "i64:%llu", (unsigned long long)v->of.i64); break;
    case WVM_F32: snprintf(buf, size, "f32:%u (%g)", (unsigned)v->of.f32_bits, (double)v->of.f32); break;
    case WVM_F64: snprintf(buf, size, "f64:%llu (%g)", (unsigned long long)v->of.f64_bits, v->of.f64); break;
    case WVM_FUNCREF: snprintf(buf, size, "funcref:%s", v->of.func ? "non-null" : "null"); break;
    case WVM_EXTERNREF:
        if (!v->of.ext) snprintf(buf, size, "externref:null");
        else snprintf(buf, size, "externref:%llu", (unsigned long long)((uintptr_t)v->of.ext - 1));
        break;
    default: snprintf(buf, size, "<type 0x%x>", (unsigned)v->type); break;
    }
}

static bool val_matches(const expect *e, const wvm_val *got) {
    if (got->type != e->val.type) return false;
    switch (e->how) {
    case MATCH_NONNULL: return got->of.func != NULL;
    case MATCH_NAN_CANON:
        if (got->type == WVM_F32) return (got->of.f32_bits & 0x7fffffffu) == 0x7fc00000u;
        return (got->of.f64_bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
    case MATCH_NAN_ARITH:
        if (got->type == WVM_F32) return (got->of.f32_bits & 0x7fc00000u) == 0x7fc00000u;
        return (got->of.f64_bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
    case MATCH_EXACT: break;
    }
    switch (got->type) {
    case WVM_I32: return got->of.i32 == e->val.of.i32;
    case WVM_F32: return got->of.f32_bits == e->val.of.f32_bits;
    case WVM_I64: return got->of.i64 == e->val.of.i64;
    case WVM_F64: return got->of.f64_bits == e->val.of.f64_bits;
    case WVM_FUNCREF: return got->of.func == e->val.of.func;
    case WVM_EXTERNREF: return got->of.ext == e->val.of.ext;
    }
    return false;
}

static void fmt_expect(const expect *e, char *buf, size_t size) {
    if (e->how == MATCH_EXACT) fmt_val(&e->val, buf, size);
    else if (e->how == MATCH_NONNULL) snprintf(buf, size, "funcref:non-null");
    else snprintf(buf, size, "%s:%s", type_name(e->val.type),
                  e->how == MATCH_NAN_CANON ? "nan:canonical" : "nan:arithmetic");
}

/* ------------------------------------------------------------------ */
/* The host module "spectest"                                          */

static wvm_status host_print(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c, (void)user, (void)args, (void)results;
    return WVM_OK;
}

static wvm_status make_spectest(spec_file *sf) {
    static const struct { const char *name; uint32_t n; wvm_valtype p[2]; } funcs[] = {
        {"print", 0, {WVM_I32, WVM_I32}},      {"print_i32", 1, {WVM_I32, WVM_I32}},
        {"print_i64", 1, {WVM_I64, WVM_I64}},  {"print_f32", 1, {WVM_F32, WVM_F32}},
        {"print_f64", 1, {WVM_F64, WVM_F64}},  {"print_i32_f32", 2, {WVM_I32, WVM_F32}},
        {"print_f64_f64", 2, {WVM_F64, WVM_F64}},
    };
    wvm_val g[4];
    memset(g, 0, sizeof g);
    g[0] = wvm_i32(666);
    g[1] = wvm_i64(666);
    g[2].type = WVM_F32;
    g[2].of.f32 = 666.6f;
    g[3].type = WVM_F64;
    g[3].of.f64 = 666.6;
    static const char *const gnames[4] = {"global_i32", "global_i64", "global_f32", "global_f64"};
    host_export *h = sf->host;
    wvm_status st = WVM_OK;
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0] && st == WVM_OK; i++, h++) {
        wvm_functype ft = {funcs[i].n, 0, funcs[i].p, NULL};
        wvm_func *f = NULL;
        h->name = funcs[i].name;
        h->ext.kind = WVM_EXTERN_FUNC;
        st = wvm_func_new_host(sf->store, &ft, host_print, NULL, &f);
        h->ext.ptr = f;
    }
    for (size_t i = 0; i < 4 && st == WVM_OK; i++, h++) {
        h->name = gnames[i];
        st = wvm_global_new(sf->store, g[i], false, &h->ext);
    }
    if (st == WVM_OK) {
        h->name = "table";
        st = wvm_table_new(sf->store, WVM_FUNCREF, 10, 20, &h->ext);
        h++;
    }
    if (st == WVM_OK) {
        h->name = "memory";
        st = wvm_memory_new(sf->store, 1, 2, &h->ext);
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* Modules and instances                                               */

/* --via-translation: the module written out by
 * wvm_module_write_translation and loaded back from that blob, which
 * must be used (docs/engine.md, "The on-disk cache"); every command then
 * runs on the code read back.  False (with sf->why) when it cannot be. */
typedef struct blob {
    uint8_t *b;
    size_t n;
} blob;
static void blob_write(void *user, const void *bytes, size_t len) {
    blob *o = user;
    if ((o->b = malloc(len ? len : 1))) memcpy(o->b, bytes, len), o->n = len;
}
static bool reload_translated(spec_file *sf, const uint8_t *wasm, size_t len, wvm_module **m) {
    blob o = { NULL, 0 };
    wvm_status st = wvm_module_write_translation(*m, blob_write, &o);
    wvm_module_free(*m);
    *m = NULL;
    if (st || !o.b) {
        set_why(sf, "cannot write the translation out: %s", wvm_status_str(st ? st : WVM_ERR_NOMEM));
        free(o.b);
        return false;
    }
    wvm_translation_use use;
    st = wvm_module_new_translated(sf->engine, wasm, len, o.b, o.n, m, &use);
    free(o.b);
    if (st || use != WVM_TRANSLATION_USED) {
        set_why(sf, "the translation written out was not used (%d): %s", (int)use,
                *m ? wvm_module_errmsg(*m) : wvm_status_str(st));
        wvm_module_free(*m);
        *m = NULL;
        return false;
    }
    return true;
}

/* Loads the module file fname (relative to the JSON's directory) into
 * *out with status *st; a good module is kept until the file is done.
 * Returns false (with sf->why) if the file cannot be read. */
static bool load_module(spec_file *sf, const char *fname, wvm_module **out, wvm_status *st) {
    *out = NULL;
    *st = WVM_ERR_NOMEM;
    if (!fname) { set_why(sf, "command has no filename"); return false; }
    size_t plen = strlen(sf->dir) + strlen(fname) + 1, len = 0;
    char *path = malloc(plen);
    uint8_t *wasm = NULL;
    if (path) {
        snprintf(path, plen, "%s%s", sf->dir, fname);
        wasm = (uint8_t *)read_all(path, &len);
    }
    if (!wasm) {
        set_why(sf, "cannot read %s: %s", path ? path : fname, strerror(errno));
        free(path);
        return false;
    }
    free(path);
    if (sf->nmods == sf->capmods) {
        size_t cap = sf->capmods ? sf->capmods * 2 : 16;
        wvm_module **nm = realloc(sf->mods, cap * sizeof *nm);
        if (!nm) { free(wasm); set_why(sf, "out of memory"); return false; }
        sf->mods = nm;
        sf->capmods = cap;
    }
    wvm_module *m = NULL;
    *st = wvm_module_new(sf->engine, wasm, len, &m);
    if (*st == WVM_OK && sf->via_translation && !reload_translated(sf, wasm, len, &m)) {
        free(wasm);
        return false;
    }
    free(wasm);
    if (*st != WVM_OK) {
        set_why(sf, "%s: %s", wvm_status_str(*st), m ? wvm_module_errmsg(m) : "");
        wvm_module_free(m);
        return true;
    }
    sf->mods[sf->nmods++] = m;
    *out = m;
    return true;
}

static bool resolve_import(spec_file *sf, const char *mod, uint32_t mlen,
                           const char *name, uint32_t nlen, wvm_extern *out) {
    binding *b = lookup(&sf->regs, mod, mlen);
    if (b) return b->inst && wvm_instance_export_n(b->inst, name, nlen, out) == WVM_OK;
    if (mlen != 8 || memcmp(mod, "spectest", 8) != 0) return false;
    for (size_t i = 0; i < SPECTEST_EXPORTS; i++) {
        const char *h = sf->host[i].name;
        if (strlen(h) == nlen && memcmp(h, name, nlen) == 0) {
            *out = sf->host[i].ext;
            return true;
        }
    }
    return false;
}

/* Resolves m's imports and instantiates it. */
static wvm_status instantiate(spec_file *sf, wvm_module *m, wvm_instance **out) {
    uint32_t n = wvm_module_import_count(m);
    wvm_extern *imps = calloc(n ? n : 1, sizeof *imps);
    wvm_status st = WVM_OK;
    *out = NULL;
    if (!imps) return WVM_ERR_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        const char *mod, *name;
        uint32_t mlen, nlen;
        wvm_externkind kind;
        wvm_module_import(m, i, &mod, &mlen, &name, &nlen, &kind);
        if (!resolve_import(sf, mod, mlen, name, nlen, &imps[i])) {
            set_why(sf, "unknown import \"%.*s\".\"%.*s\"", (int)mlen, mod, (int)nlen, name);
            st = WVM_ERR_LINK;
            break;
        }
    }
    if (st == WVM_OK) {
        st = wvm_instance_new(sf->store, m, imps, n, out);
        if (st != WVM_OK) set_why(sf, "%s: %s", wvm_status_str(st), wvm_store_errmsg(sf->store));
    }
    free(imps);
    return st;
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

/* Runs an action; *st gets the runtime's status.  Returns false (with
 * sf->why) when the action cannot even start: no such module or export,
 * bad arguments. */
static bool run_action(spec_file *sf, const cJSON *act, wvm_status *st,
                       wvm_val *res, uint32_t *nres) {
    const char *type = jstr(act, "type"), *mname = jstr(act, "module");
    const char *field = jstr(act, "field");
    wvm_instance *inst = sf->cur;
    if (mname) {
        binding *b = lookup(&sf->names, mname, (uint32_t)strlen(mname));
        if (!b) { set_why(sf, "no module named %s", mname); return false; }
        inst = b->inst;
    }
    if (!inst) { set_why(sf, "no module (it failed to load)"); return false; }
    if (!type || !field) { set_why(sf, "bad action"); return false; }
    uint32_t flen;
    char *fname = wasm_name(field, &flen);
    wvm_extern ext;
    wvm_status est = fname ? wvm_instance_export_n(inst, fname, flen, &ext) : WVM_ERR_NOMEM;
    free(fname);
    if (est != WVM_OK) { set_why(sf, "export \"%s\": %s", field, wvm_status_str(est)); return false; }
    if (strcmp(type, "get") == 0) {
        if (ext.kind != WVM_EXTERN_GLOBAL) { set_why(sf, "\"%s\" is not a global", field); return false; }
        if (wvm_global_get(sf->store, ext, &res[0]) != WVM_OK) {
            set_why(sf, "global \"%s\": %s", field, wvm_store_errmsg(sf->store));
            return false;
        }
        *nres = 1;
        *st = WVM_OK;
        return true;
    }
    if (strcmp(type, "invoke") != 0) { set_why(sf, "unknown action type %s", type); return false; }
    if (ext.kind != WVM_EXTERN_FUNC) { set_why(sf, "\"%s\" is not a function", field); return false; }
    wvm_val args[MAX_VALS];
    const cJSON *jargs = cJSON_GetObjectItemCaseSensitive(act, "args"), *a;
    uint32_t nargs = 0;
    cJSON_ArrayForEach(a, jargs) {
        if (nargs == MAX_VALS || !parse_val(a, &args[nargs], NULL)) {
            set_why(sf, "bad or too many arguments");
            return false;
        }
        nargs++;
    }
    wvm_func *f = ext.ptr;
    const wvm_functype *ft = wvm_func_type(f);
    if (ft->nresults > MAX_VALS) { set_why(sf, "too many results"); return false; }
    *nres = ft->nresults;
    memset(res, 0, *nres * sizeof *res);
    *st = wvm_func_call(sf->store, f, args, nargs, res, *nres);
    if (*st != WVM_OK) set_why(sf, "%s", wvm_store_errmsg(sf->store));
    return true;
}

/* The trap status each spec trap message stands for (matched by prefix). */
static bool trap_for_text(const char *text, wvm_status *st) {
    static const struct { const char *text; wvm_status st; } traps[] = {
        {"unreachable", WVM_TRAP_UNREACHABLE},
        {"integer divide by zero", WVM_TRAP_DIV_ZERO},
        {"integer overflow", WVM_TRAP_INT_OVERFLOW},
        {"invalid conversion to integer", WVM_TRAP_INVALID_CONV},
        {"out of bounds memory access", WVM_TRAP_MEMORY_OOB},
        {"out of bounds table access", WVM_TRAP_TABLE_OOB},
        {"undefined element", WVM_TRAP_TABLE_OOB},
        {"uninitialized element", WVM_TRAP_INDIRECT_NULL},
        {"indirect call type mismatch", WVM_TRAP_INDIRECT_TYPE},
        {"call stack exhausted", WVM_TRAP_STACK_EXHAUSTED},
    };
    for (size_t i = 0; text && i < sizeof traps / sizeof traps[0]; i++)
        if (strncmp(text, traps[i].text, strlen(traps[i].text)) == 0) { *st = traps[i].st; return true; }
    return false;
}

/* Checks that st is the trap the command's "text" names (any trap if the
 * text is unknown). */
static void expect_trap(spec_file *sf, const cJSON *cmd, wvm_status st) {
    const char *text = jtext(cmd);
    wvm_status want;
    if (!wvm_status_is_trap(st))
        fail(sf, "%s: expected trap \"%s\", got %s%s%s", jstr(cmd, "type"), text, wvm_status_str(st),
             st == WVM_OK ? "" : ": ", st == WVM_OK ? "" : sf->why);
    else if (trap_for_text(text, &want) && st != want)
        fail(sf, "%s: expected trap \"%s\" (%s), got %s: %s", jstr(cmd, "type"), text, wvm_status_str(want),
             wvm_status_str(st), sf->why);
    else
        pass(sf);
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */

static void do_module(spec_file *sf, const cJSON *cmd) {
    const char *name = jstr(cmd, "name");
    wvm_module *m;
    wvm_instance *inst = NULL;
    wvm_status st;
    if (load_module(sf, jstr(cmd, "filename"), &m, &st) && st == WVM_OK)
        st = instantiate(sf, m, &inst);
    sf->cur = inst;
    if (name && !bind(&sf->names, name, inst)) { fail(sf, "out of memory"); return; }
    if (inst) pass(sf);
    else fail(sf, "module: %s", sf->why);
}

/* register is not counted as a test, unless it fails. */
static void do_register(spec_file *sf, const cJSON *cmd) {
    const char *name = jstr(cmd, "name"), *as = jstr(cmd, "as");
    wvm_instance *inst = sf->cur;
    if (name) {
        binding *b = lookup(&sf->names, name, (uint32_t)strlen(name));
        inst = b ? b->inst : NULL;
    }
    if (!as || !inst) fail(sf, "register: no such module or it failed to load");
    else if (!bind(&sf->regs, as, inst)) fail(sf, "out of memory");
}

static void do_action(spec_file *sf, const cJSON *cmd) {
    wvm_val res[MAX_VALS];
    uint32_t nres;
    wvm_status st;
    if (!run_action(sf, cJSON_GetObjectItemCaseSensitive(cmd, "action"), &st, res, &nres))
        fail(sf, "action: %s", sf->why);
    else if (st != WVM_OK) fail(sf, "action: %s: %s", wvm_status_str(st), sf->why);
    else pass(sf);
}

static void do_assert_return(spec_file *sf, const cJSON *cmd) {
    wvm_val res[MAX_VALS];
    uint32_t nres, i = 0;
    wvm_status st;
    char want[128], got[128];
    if (!run_action(sf, cJSON_GetObjectItemCaseSensitive(cmd, "action"), &st, res, &nres)) {
        fail(sf, "assert_return: %s", sf->why);
        return;
    }
    if (st != WVM_OK) { fail(sf, "assert_return: %s: %s", wvm_status_str(st), sf->why); return; }
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(cmd, "expected"), *e;
    if ((uint32_t)cJSON_GetArraySize(exp) != nres) {
        fail(sf, "assert_return: expected %d results, got %u", cJSON_GetArraySize(exp), nres);
        return;
    }
    cJSON_ArrayForEach(e, exp) {
        expect x;
        if (!parse_val(e, &x.val, &x.how)) { fail(sf, "assert_return: bad expected value"); return; }
        if (!val_matches(&x, &res[i])) {
            fmt_expect(&x, want, sizeof want);
            fmt_val(&res[i], got, sizeof got);
            fail(sf, "assert_return: result %u: expected %s, got %s", i, want, got);
            return;
        }
        i++;
    }
    pass(sf);
}

static void do_assert_trap(spec_file *sf, const cJSON *cmd) {
    wvm_val res[MAX_VALS];
    uint32_t nres;
    wvm_status st;
    if (!run_action(sf, cJSON_GetObjectItemCaseSensitive(cmd, "action"), &st, res, &nres))
        fail(sf, "%s: %s", jstr(cmd, "type"), sf->why);
    else
        expect_trap(sf, cmd, st);
}

/* assert_malformed and assert_invalid: the binary must not load. */
static void do_assert_bad_module(spec_file *sf, const cJSON *cmd) {
    const char *mtype = jstr(cmd, "module_type");
    wvm_module *m;
    if (mtype && strcmp(mtype, "text") == 0) { sf->skipped++; return; }
    wvm_status st;
    if (!load_module(sf, jstr(cmd, "filename"), &m, &st)) fail(sf, "%s: %s", jstr(cmd, "type"), sf->why);
    else if (st == WVM_OK) fail(sf, "%s: module loaded, expected \"%s\"", jstr(cmd, "type"), jtext(cmd));
    else pass(sf);
}

/* assert_unlinkable and assert_uninstantiable: loads, does not instantiate. */
static void do_assert_no_instance(spec_file *sf, const cJSON *cmd) {
    const char *type = jstr(cmd, "type");
    bool want_trap = strcmp(type, "assert_uninstantiable") == 0;
    wvm_module *m;
    wvm_instance *inst;
    wvm_status st;
    if (!load_module(sf, jstr(cmd, "filename"), &m, &st) || st != WVM_OK) {
        fail(sf, "%s: module did not load: %s", type, sf->why);
        return;
    }
    st = instantiate(sf, m, &inst);
    if (want_trap) expect_trap(sf, cmd, st);
    else if (st == WVM_OK) fail(sf, "%s: instantiated, expected \"%s\"", type, jtext(cmd));
    else pass(sf);
}

static void run_command(spec_file *sf, const cJSON *cmd) {
    static const struct { const char *type; void (*fn)(spec_file *, const cJSON *); } cmds[] = {
        {"module", do_module},
        {"register", do_register},
        {"action", do_action},
        {"assert_return", do_assert_return},
        {"assert_trap", do_assert_trap},
        {"assert_exhaustion", do_assert_trap},
        {"assert_malformed", do_assert_bad_module},
        {"assert_invalid", do_assert_bad_module},
        {"assert_unlinkable", do_assert_no_instance},
        {"assert_uninstantiable", do_assert_no_instance},
    };
    const char *type = jstr(cmd, "type");
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(cmd, "line");
    sf->line = cJSON_IsNumber(line) ? line->valueint : 0;
    sf->why[0] = '\0';
    if (sf->verbose) {
        const cJSON *act = cJSON_GetObjectItemCaseSensitive(cmd, "action");
        const char *field = act ? jstr(act, "field") : jstr(cmd, "filename");
        printf("%s:%d: %s %s\n", sf->path, sf->line, type ? type : "?", field ? field : "");
    }
    for (size_t i = 0; type && i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(type, cmds[i].type) == 0) { cmds[i].fn(sf, cmd); return; }
    fail(sf, "unknown command type \"%s\"", type ? type : "(none)");
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static void free_file_state(spec_file *sf) {
    wvm_store_free(sf->store); /* before the modules it instantiated */
    sf->store = NULL;
    for (size_t i = 0; i < sf->nmods; i++) wvm_module_free(sf->mods[i]);
    free(sf->mods);
    sf->mods = NULL;
    sf->nmods = sf->capmods = 0;
    free_bindings(&sf->names);
    free_bindings(&sf->regs);
    free(sf->dir);
    sf->dir = NULL;
}

static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) + 1 : 0;
    char *d = malloc(n + 1);
    if (d) { memcpy(d, path, n); d[n] = '\0'; }
    return d;
}

/* Runs one JSON file.  Returns false if it cannot be read or parsed. */
static bool run_file(spec_file *sf) {
    size_t len;
    char *text = read_all(sf->path, &len);
    if (!text) { fail(sf, "cannot read: %s", strerror(errno)); return false; }
    hide_nul_escapes(text);
    cJSON *root = cJSON_Parse(text);
    free(text);
    const cJSON *cmds = cJSON_GetObjectItemCaseSensitive(root, "commands"), *cmd;
    if (!cJSON_IsArray(cmds)) {
        fail(sf, root ? "not a wast2json file (no \"commands\" array)" : "JSON parse error");
        cJSON_Delete(root);
        return false;
    }
    bool ok = true;
    wvm_status st = WVM_ERR_NOMEM;
    sf->dir = dir_of(sf->path);
    if (sf->dir) st = wvm_store_new(sf->engine, &sf->store);
    if (st == WVM_OK) st = make_spectest(sf);
    if (st != WVM_OK) {
        fail(sf, "cannot set up the store: %s: %s", wvm_status_str(st),
             sf->store ? wvm_store_errmsg(sf->store) : "");
        ok = false;
    } else {
        cJSON_ArrayForEach(cmd, cmds) run_command(sf, cmd);
    }
    cJSON_Delete(root);
    free_file_state(sf);
    return ok;
}

static const char usage_text[] =
    "usage: wvm spectest [-v] [--no-metering] [--via-translation] FILE.json...\n"
    "\n"
    "Runs spec test scripts made by wast2json (wabt 1.0.32) and prints\n"
    "\"N passed, N failed, N skipped\" for each file and for all of them.\n"
    "\n"
    "options:\n"
    "  -v             print every command as it runs\n"
    "  --no-metering  translate without fuel metering (its code differs)\n"
    "  --via-translation\n"
    "                 write each module's translation out and run the\n"
    "                 commands on the module loaded back from it (the\n"
    "                 on-disk module cache's path)\n"
    "\n"
    "exit status: 0 all passed, 1 some failed, 2 usage error or a file that\n"
    "cannot be read or parsed\n";

/* A usage error naming what was wrong (fmt has one %s for arg). */
static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "wvm spectest: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nusage: wvm spectest [-v] [--no-metering] [--via-translation] FILE.json...  "
                    "(see `wvm help spectest`)\n");
    return 2;
}

int cmd_spectest(int argc, char **argv) {
    bool verbose = false, metering = true, via = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-v") == 0) verbose = true;
        else if (strcmp(argv[i], "--no-metering") == 0) metering = false;
        else if (strcmp(argv[i], "--via-translation") == 0) via = true;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        else if (strcmp(argv[i], "--") == 0) { i++; break; }
        else return usage_error("unknown option '%s'", argv[i]);
    }
    if (i == argc) return usage_error("%s", "no FILE.json given");

    wvm_config cfg;
    wvm_engine *engine = NULL;
    wvm_config_default(&cfg);
    WVM_LIMITS_PROGRAM(&cfg.limits); /* the suite needs the wasm32 maxima */
    cfg.float_policy = WVM_FLOAT_ALLOW; /* and the spec's NaNs */
    cfg.metering = metering;
    wvm_status st = wvm_engine_new(&cfg, &engine);
    if (st != WVM_OK) {
        fprintf(stderr, "wvm spectest: cannot make an engine: %s\n", wvm_status_str(st));
        return 2;
    }
    unsigned long passed = 0, failed = 0, skipped = 0;
    bool unreadable = false;
    for (; i < argc; i++) {
        spec_file sf;
        memset(&sf, 0, sizeof sf);
        sf.path = argv[i];
        sf.verbose = verbose;
        sf.via_translation = via;
        sf.engine = engine;
        if (!run_file(&sf)) unreadable = true;
        printf("%s: %lu passed, %lu failed, %lu skipped\n", sf.path, sf.passed, sf.failed, sf.skipped);
        fflush(stdout);
        passed += sf.passed, failed += sf.failed, skipped += sf.skipped;
    }
    wvm_engine_free(engine);
    printf("%lu passed, %lu failed, %lu skipped\n", passed, failed, skipped);
    return unreadable ? 2 : failed ? 1 : 0;
}
