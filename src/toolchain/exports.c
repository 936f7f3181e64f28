/*
 * exports.c -- step 3: the exported functions, found in the parse
 * (never by matching text).  The C form of "capitalised functions are
 * exported": every non-static function defined in the contract whose
 * first parameter is `wvm_ctx *` is exported under its own name, its
 * other parameters being the JSON parameters of a call, by name.
 */
#include "libclang.h"
#include <stdlib.h>
#include <string.h>
#include "toolchain.h"
#include "wvm/abi.h"

typedef struct scan {
    const tc_options *o;
    tc_exports *ex;
    int errors;
} scan;

static const char supported[] =
    "int32_t, uint32_t, int64_t, uint64_t, bool, const char *, wvm_bytes, "
    "wvm_address or wvm_object_id";

static void location(CXCursor c, unsigned *line, unsigned *col) {
    clang_getExpansionLocation(clang_getCursorLocation(c), NULL, line, col, NULL);
}

/* The struct's tag when t is one of the SDK's struct types, else NULL. */
static tc_type record_type(CXType canon) {
    CXCursor decl = clang_getTypeDeclaration(canon);
    CXString s = clang_getCursorSpelling(decl);
    const char *name = clang_getCString(s);
    tc_type r = TC_VOID;
    if (name) {
        if (strcmp(name, "wvm_bytes") == 0) r = TC_BYTES;
        else if (strcmp(name, "wvm_address") == 0) r = TC_ADDRESS;
        else if (strcmp(name, "wvm_object_id") == 0) r = TC_OBJECT_ID;
    }
    clang_disposeString(s);
    return r;
}

/* Maps a C type to a contract type; TC_VOID for "not supported" (void
 * itself is accepted by the caller for results). */
static tc_type map_type(CXType t) {
    CXType canon = clang_getCanonicalType(t);
    switch (canon.kind) {
    case CXType_Bool: return TC_BOOL;
    case CXType_Int: return TC_I32;        /* int32_t on wasm32 */
    case CXType_UInt: return TC_U32;
    case CXType_LongLong: return TC_I64;   /* int64_t on wasm32 */
    case CXType_ULongLong: return TC_U64;
    case CXType_Pointer: {
        CXType p = clang_getPointeeType(canon);
        if ((p.kind == CXType_Char_S || p.kind == CXType_Char_U) &&
            clang_isConstQualifiedType(p))
            return TC_STR;
        return TC_VOID;
    }
    case CXType_Record: return record_type(canon);
    default: return TC_VOID;
    }
}

static bool is_ctx_pointer(CXType t) {
    CXType canon = clang_getCanonicalType(t);
    if (canon.kind != CXType_Pointer) return false;
    CXType p = clang_getPointeeType(canon);
    if (p.kind != CXType_Record) return false;
    CXCursor decl = clang_getTypeDeclaration(p);
    CXString s = clang_getCursorSpelling(decl);
    bool yes = clang_getCString(s) && strcmp(clang_getCString(s), "wvm_ctx") == 0;
    clang_disposeString(s);
    return yes;
}

static char *cursor_name(CXCursor c) {
    CXString s = clang_getCursorSpelling(c);
    const char *n = clang_getCString(s);
    char *r = strdup(n ? n : "");
    clang_disposeString(s);
    return r;
}

typedef struct policy_scan {
    scan *s;
    uint32_t policies;
} policy_scan;

static enum CXChildVisitResult visit_attr(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    policy_scan *p = data;
    if (clang_getCursorKind(c) != CXCursor_AnnotateAttr) return CXChildVisit_Continue;
    CXString s = clang_getCursorSpelling(c);
    const char *a = clang_getCString(s);
    if (a && strncmp(a, "wvm.", 4) == 0) {
        if (strcmp(a, "wvm.view") == 0) p->policies |= TC_POLICY_VIEW;
        else if (strcmp(a, "wvm.nonreentrant") == 0) p->policies |= TC_POLICY_NONREENTRANT;
        else if (strcmp(a, "wvm.payable") == 0) p->policies |= TC_POLICY_PAYABLE;
        else {
            unsigned line, col;
            location(c, &line, &col);
            toolchain_error(p->s->o, line, col,
                            "unknown policy '%s' (known: wvm.view, wvm.nonreentrant, wvm.payable)",
                            a);
            p->s->errors++;
        }
    }
    clang_disposeString(s);
    return CXChildVisit_Continue;
}

static void type_error(scan *s, CXCursor at, const char *what, const char *name,
                       const char *fn, CXType t) {
    unsigned line, col;
    location(at, &line, &col);
    CXString ts = clang_getTypeSpelling(t);
    toolchain_error(s->o, line, col,
                    "%s%s%s of exported function '%s' has unsupported type '%s' (supported: %s%s)",
                    what, name ? " " : "", name ? name : "", fn, clang_getCString(ts), supported,
                    strcmp(what, "result") == 0 ? ", or void" : "");
    clang_disposeString(ts);
    s->errors++;
}

static bool add_function(scan *s, CXCursor c) {
    int nargs = clang_Cursor_getNumArguments(c);
    char *fname = cursor_name(c);
    tc_func f = {.name = fname};
    bool ok = fname != NULL;
    unsigned line, col;
    if (ok && strlen(fname) > WVM_MAX_NAME_LEN) {
        location(c, &line, &col);
        toolchain_error(s->o, line, col, "exported function name is longer than %d bytes",
                        WVM_MAX_NAME_LEN);
        s->errors++;
        ok = false;
    }
    if (ok && clang_isFunctionTypeVariadic(clang_getCursorType(c))) {
        location(c, &line, &col);
        toolchain_error(s->o, line, col, "exported function '%s' may not be variadic", fname);
        s->errors++;
        ok = false;
    }
    CXType rt = clang_getCursorResultType(c);
    if (ok) {
        f.result = map_type(rt);
        if (f.result == TC_VOID && clang_getCanonicalType(rt).kind != CXType_Void) {
            type_error(s, c, "result", NULL, fname, rt);
            ok = false;
        }
    }
    if (nargs > 1 && ok) {
        f.params = calloc((size_t)nargs - 1, sizeof *f.params);
        if (!f.params) ok = false;
    }
    for (int i = 1; ok && i < nargs; i++) {
        CXCursor p = clang_Cursor_getArgument(c, (unsigned)i);
        char *pname = cursor_name(p);
        if (!pname) { ok = false; break; }
        f.params[f.nparams].name = pname;
        f.nparams++;
        if (!*pname) {
            location(p, &line, &col);
            toolchain_error(s->o, line, col,
                            "parameter %d of exported function '%s' has no name "
                            "(names are the keys of the JSON parameters)",
                            i + 1, fname);
            s->errors++;
            continue;
        }
        CXType pt = clang_getCursorType(p);
        tc_type t = map_type(pt);
        if (t == TC_VOID) {
            type_error(s, p, "parameter", pname, fname, pt);
            continue;
        }
        f.params[f.nparams - 1].type = t;
    }
    policy_scan ps = {.s = s};
    clang_visitChildren(c, visit_attr, &ps);
    f.policies = ps.policies;
    tc_exports *ex = s->ex;
    tc_func *grown = realloc(ex->funcs, ((size_t)ex->n + 1) * sizeof *grown);
    if (!grown) {
        ok = false;
    } else {
        ex->funcs = grown;
        ex->funcs[ex->n++] = f;   /* owned by ex from here, even on error */
        return ok;
    }
    for (uint32_t i = 0; i < f.nparams; i++) free(f.params[i].name);
    free(f.params);
    free(fname);
    return ok;
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    scan *s = data;
    if (clang_getCursorKind(c) != CXCursor_FunctionDecl) return CXChildVisit_Continue;
    if (!clang_Location_isFromMainFile(clang_getCursorLocation(c))) return CXChildVisit_Continue;
    if (!clang_isCursorDefinition(c)) return CXChildVisit_Continue;
    if (clang_Cursor_getStorageClass(c) == CX_SC_Static) return CXChildVisit_Continue;
    if (clang_getCursorLinkage(c) != CXLinkage_External) return CXChildVisit_Continue;
    if (clang_Cursor_getNumArguments(c) < 1) return CXChildVisit_Continue;
    if (!is_ctx_pointer(clang_getCursorType(clang_Cursor_getArgument(c, 0))))
        return CXChildVisit_Continue;
    if (!add_function(s, c) && s->errors == 0) s->errors++;
    return CXChildVisit_Continue;
}

bool exports_scan(const tc_options *o, tc_unit *unit, tc_exports *out) {
    memset(out, 0, sizeof *out);
    scan s = {.o = o, .ex = out};
    CXTranslationUnit tu = validate_unit_tu(unit);
    clang_visitChildren(clang_getTranslationUnitCursor(tu), visit, &s);
    if (s.errors == 0 && out->n == 0) {
        toolchain_error(o, 1, 1,
                        "no exported function (a contract exports each non-static function "
                        "whose first parameter is 'wvm_ctx *')");
        s.errors++;
    }
    if (s.errors) {
        exports_free(out);
        return false;
    }
    return true;
}

void exports_free(tc_exports *e) {
    for (uint32_t i = 0; i < e->n; i++) {
        for (uint32_t j = 0; j < e->funcs[i].nparams; j++) free(e->funcs[i].params[j].name);
        free(e->funcs[i].params);
        free(e->funcs[i].name);
    }
    free(e->funcs);
    e->funcs = NULL;
    e->n = 0;
}
