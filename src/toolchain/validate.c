/*
 * validate.c -- step 2: parse the source with libclang (a real C parser,
 * targeting wasm32-wasi with the SDK's headers) and enforce the contract
 * rules, each failure reported at its place as "FILE:LINE:COL: error:".
 *
 * The rules (docs/contracts.md lists them for authors):
 *   - only the headers in allowed_headers[] may be included;
 *   - clang's own errors stop the build (printed as clang prints them);
 *   - no identifier of banned_names[] / banned_prefixes[] (sources of
 *     nondeterminism or host access) may be declared or referenced;
 *   - no inline assembly;
 *   - the names the generated dispatch defines are reserved;
 *   - under the float policy "reject", no floating-point type or constant.
 * The size rule is checked by gunzip; "at least one exported function"
 * by exports.
 */
#include "libclang.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "toolchain.h"

struct tc_unit {
    CXIndex index;
    CXTranslationUnit tu;
    /* client headers the source includes (docs/calls.md), read here so
     * the compile step copies exactly what was checked */
    tc_file headers[TOOLCHAIN_MAX_HEADERS];
    uint32_t nheaders;
};

/* Headers a contract may include: the SDK's, and the freestanding ones
 * that declare no function touching the host or the clock. */
static const char *const allowed_headers[] = {
    "wvm/contract.h", "wvm/abi.h",
    "stdint.h", "stdbool.h", "stddef.h", "stdalign.h", "stdnoreturn.h",
    "limits.h", "string.h",
};

/* Names that bring nondeterminism (clocks, randomness, environment,
 * threads, signals) or host access (files, processes, sockets).  Refused
 * wherever they appear in the contract, even for the author's own
 * function of that name, so a reader never has to wonder which one it is. */
static const char *const banned_names[] = {
    /* clocks */
    "time", "clock", "clock_gettime", "clock_getres", "gettimeofday",
    "timespec_get", "difftime", "mktime", "localtime", "localtime_r",
    "gmtime", "gmtime_r", "ctime", "asctime", "strftime", "times",
    "sleep", "usleep", "nanosleep",
    /* randomness */
    "rand", "srand", "rand_r", "random", "srandom", "drand48", "erand48",
    "lrand48", "nrand48", "mrand48", "jrand48", "srand48", "arc4random",
    "arc4random_buf", "arc4random_uniform", "getrandom", "getentropy",
    /* environment and processes */
    "getenv", "secure_getenv", "setenv", "unsetenv", "putenv", "environ",
    "system", "popen", "pclose", "fork", "vfork", "execl", "execlp",
    "execle", "execv", "execvp", "execve", "exit", "_Exit", "_exit",
    "atexit", "at_quick_exit", "quick_exit", "getpid", "getppid",
    /* signals */
    "signal", "raise", "sigaction", "kill",
    /* files: stdio's and the system's */
    "FILE", "fopen", "freopen", "fdopen", "fclose", "fflush", "fread",
    "fwrite", "fgets", "fputs", "fgetc", "fputc", "getc", "putc",
    "getchar", "putchar", "gets", "puts", "printf", "fprintf", "vprintf",
    "vfprintf", "scanf", "fscanf", "vscanf", "vfscanf", "perror",
    "stdin", "stdout", "stderr", "remove", "rename", "tmpfile", "tmpnam",
    "open", "openat", "creat", "close", "read", "write", "pread",
    "pwrite", "lseek", "stat", "fstat", "lstat", "unlink", "mkdir",
    "rmdir", "opendir", "readdir", "closedir", "chdir", "getcwd",
    "mmap", "munmap", "ioctl", "fcntl", "socket", "connect", "bind",
    "listen", "accept", "send", "recv", "sched_yield",
};

/* Prefixes of whole families: threads (C11 and POSIX), and WASI's own
 * functions, which reach the host without the SDK. */
static const char *const banned_prefixes[] = {
    "pthread_", "thrd_", "mtx_", "cnd_", "tss_", "__wasi_", "__imported_wasi_",
};

/* Defined by the generated dispatch or by crt1 (reactor start). */
static const char *const reserved_names[] = {
    "allocate", "handle_contract_call", "_initialize", "__wasm_call_ctors",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *s, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}

/* The generated dispatch's own names start with this. */
#define RESERVED_PREFIX "wvm__"

static bool banned(const char *name) {
    if (in_list(name, banned_names, COUNT(banned_names))) return true;
    for (size_t i = 0; i < COUNT(banned_prefixes); i++)
        if (strncmp(name, banned_prefixes[i], strlen(banned_prefixes[i])) == 0) return true;
    return false;
}

typedef struct walk {
    const tc_options *o;
    tc_unit *u;
    int errors;
    unsigned last_float_line;  /* one float error per line is enough */
} walk;

/* "NAME_client.h", NAME a C identifier: a header `wvm build --client`
 * writes, which a contract may include from its own directory. */
bool validate_client_header_name(const char *name) {
    size_t n = strlen(name), k = strlen("_client.h");
    if (n <= k || strcmp(name + n - k, "_client.h") != 0) return false;
    if (name[0] >= '0' && name[0] <= '9') return false;
    for (size_t i = 0; i < n - k; i++) {
        char c = name[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

static const char *base_name(const char *path) {
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Line and column of c where the user wrote it (macro expansions are
 * reported at the macro's use); false when that is neither the main
 * file nor a client header it includes (whose code is checked by the
 * same rules). */
static bool main_location(CXCursor c, unsigned *line, unsigned *col) {
    CXSourceLocation loc = clang_getCursorLocation(c);
    if (clang_Location_isFromMainFile(loc)) {
        clang_getExpansionLocation(loc, NULL, line, col, NULL);
        return true;
    }
    CXFile file;
    clang_getExpansionLocation(loc, &file, line, col, NULL);
    if (!file) return false;
    CXString fn = clang_getFileName(file);
    const char *name = clang_getCString(fn);
    bool ok = name && validate_client_header_name(base_name(name));
    clang_disposeString(fn);
    return ok;
}

/* Reads the client header c includes into w->u (once per name). */
static void keep_header(walk *w, CXCursor c, const char *name, unsigned line, unsigned col) {
    tc_unit *u = w->u;
    for (uint32_t i = 0; i < u->nheaders; i++)
        if (strcmp(u->headers[i].name, name) == 0) return;
    CXFile file = clang_getIncludedFile(c);
    CXString path = file ? clang_getFileName(file) : (CXString){0};
    const char *p = file ? clang_getCString(path) : NULL;
    if (!p) {
        toolchain_error(w->o, line, col, "client header '%s' not found beside the source", name);
        w->errors++;
    } else if (u->nheaders == TOOLCHAIN_MAX_HEADERS) {
        toolchain_error(w->o, line, col, "more than %d client headers", TOOLCHAIN_MAX_HEADERS);
        w->errors++;
    } else {
        tc_file *h = &u->headers[u->nheaders];
        memset(h, 0, sizeof *h);
        snprintf(h->name, sizeof h->name, "%s", name);
        if (toolchain_read_file(w->o, p, &h->text)) u->nheaders++;
        else w->errors++;
    }
    if (file) clang_disposeString(path);
}

static bool is_float_type(CXType t) {
    for (int depth = 0; depth < 32; depth++) {
        t = clang_getCanonicalType(t);
        switch (t.kind) {
        case CXType_Float: case CXType_Double: case CXType_LongDouble:
        case CXType_Half: case CXType_Float16: case CXType_Float128:
        case CXType_Complex:
            return true;
        case CXType_Pointer:
            t = clang_getPointeeType(t);
            break;
        case CXType_ConstantArray: case CXType_IncompleteArray:
        case CXType_VariableArray: case CXType_DependentSizedArray:
            t = clang_getArrayElementType(t);
            break;
        case CXType_FunctionProto: case CXType_FunctionNoProto: {
            if (is_float_type(clang_getResultType(t))) return true;
            int n = clang_getNumArgTypes(t);
            for (int i = 0; i < n; i++)
                if (is_float_type(clang_getArgType(t, (unsigned)i))) return true;
            return false;
        }
        default:
            return false;
        }
    }
    return false;
}

static bool file_scope(CXCursor c) {
    return clang_getCursorKind(clang_getCursorSemanticParent(c)) == CXCursor_TranslationUnit;
}

/* Whether cursor c declares or uses a name that could be the library's:
 * functions, file-scope and extern variables, typedefs, types, macros,
 * and references to any of these.  Parameters, locals, fields and enum
 * constants are the contract's own (a parameter named `time` is fine). */
static bool names_global(CXCursor c) {
    switch (clang_getCursorKind(c)) {
    case CXCursor_FunctionDecl:
    case CXCursor_TypedefDecl:
    case CXCursor_StructDecl:
    case CXCursor_UnionDecl:
    case CXCursor_TypeRef:
    case CXCursor_MacroDefinition:
    case CXCursor_MacroExpansion:
        return true;
    case CXCursor_VarDecl:
        return file_scope(c) || clang_Cursor_getStorageClass(c) == CX_SC_Extern;
    case CXCursor_DeclRefExpr: {
        CXCursor d = clang_getCursorReferenced(c);
        enum CXCursorKind k = clang_getCursorKind(d);
        if (k == CXCursor_FunctionDecl) return true;
        /* an implicitly declared function refers to nothing usable */
        if (clang_Cursor_isNull(d) || k == CXCursor_NoDeclFound) return true;
        return k == CXCursor_VarDecl && (file_scope(d) ||
                                         clang_Cursor_getStorageClass(d) == CX_SC_Extern);
    }
    default:
        return false;
    }
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    walk *w = data;
    unsigned line, col;
    if (!main_location(c, &line, &col)) return CXChildVisit_Continue;
    enum CXCursorKind k = clang_getCursorKind(c);

    if (k == CXCursor_AsmStmt || k == CXCursor_MSAsmStmt) {
        toolchain_error(w->o, line, col, "inline assembly is not allowed in a contract");
        w->errors++;
    }
    if (names_global(c)) {
        CXString s = clang_getCursorSpelling(c);
        const char *name = clang_getCString(s);
        if (name && banned(name)) {
            toolchain_error(w->o, line, col,
                            "'%s' is not allowed in a contract (nondeterministic or host access)",
                            name);
            w->errors++;
        } else if (name && (k == CXCursor_FunctionDecl || k == CXCursor_VarDecl) &&
                   file_scope(c) &&
                   (in_list(name, reserved_names, COUNT(reserved_names)) ||
                    strncmp(name, RESERVED_PREFIX, strlen(RESERVED_PREFIX)) == 0)) {
            toolchain_error(w->o, line, col,
                            "'%s' is reserved: wvm build generates the dispatch "
                            "(allocate, handle_contract_call, wvm__*); do not use WVM_EXPORTS",
                            name);
            w->errors++;
        }
        clang_disposeString(s);
    }
    if (w->o->float_policy == WVM_FLOAT_REJECT && line != w->last_float_line &&
        k != CXCursor_MacroExpansion && k != CXCursor_InclusionDirective) {
        CXType t = clang_getCursorType(c);
        if (k == CXCursor_FloatingLiteral || is_float_type(t)) {
            CXString ts = clang_getTypeSpelling(t);
            toolchain_error(w->o, line, col,
                            "floating-point type '%s' is not allowed (float policy: reject)",
                            clang_getCString(ts));
            clang_disposeString(ts);
            w->last_float_line = line;
            w->errors++;
        }
    }
    return CXChildVisit_Recurse;
}

static enum CXChildVisitResult visit_includes(CXCursor c, CXCursor parent, CXClientData data) {
    (void)parent;
    walk *w = data;
    unsigned line, col;
    if (clang_getCursorKind(c) != CXCursor_InclusionDirective || !main_location(c, &line, &col))
        return CXChildVisit_Continue;
    CXString s = clang_getCursorSpelling(c);
    const char *name = clang_getCString(s);
    if (validate_client_header_name(name)) {
        keep_header(w, c, name, line, col);
    } else if (!in_list(name, allowed_headers, COUNT(allowed_headers))) {
        toolchain_error(w->o, line, col,
                        "header '%s' is not allowed in a contract (allowed: wvm/contract.h, "
                        "wvm/abi.h, stdint.h, stdbool.h, stddef.h, stdalign.h, "
                        "stdnoreturn.h, limits.h, string.h, and NAME_client.h files of "
                        "wvm build --client beside the source)",
                        name);
        w->errors++;
    }
    clang_disposeString(s);
    return CXChildVisit_Continue;
}

/* The resource directory of the clang we compile with, so libclang finds
 * the same stddef.h and stdint.h (it does not find them by itself). */
static char *resource_dir(const tc_options *o) {
#ifdef TOOLCHAIN_RESOURCE_DIR
    /* The one clang-14 had when wvm was built: saves running clang (a
     * third of a build's time on a loaded machine) while it is there. */
    if (strcmp(o->clang, "clang-14") == 0 &&
        access(TOOLCHAIN_RESOURCE_DIR "/include/stddef.h", R_OK) == 0)
        return strdup(TOOLCHAIN_RESOURCE_DIR);
#endif
    char *argv[] = {(char *)o->clang, "-print-resource-dir", NULL};
    tc_buf out = {0};
    if (spawn_capture(NULL, argv, &out) != 0) {
        tcbuf_free(&out);
        return NULL;
    }
    while (out.len && (out.data[out.len - 1] == '\n' || out.data[out.len - 1] == '\r'))
        out.data[--out.len] = 0;
    return (char *)out.data;
}

/* clang's errors, printed as clang prints them; returns their number. */
static int report_clang_errors(const tc_options *o, CXTranslationUnit tu) {
    int errors = 0;
    unsigned n = clang_getNumDiagnostics(tu);
    for (unsigned i = 0; i < n; i++) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
            CXString s = clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions());
            fprintf(o->diag, "%s\n", clang_getCString(s));
            clang_disposeString(s);
            errors++;
        }
        clang_disposeDiagnostic(d);
    }
    return errors;
}

bool validate_source(const tc_options *o, const tc_buf *source, tc_unit **unit) {
    *unit = NULL;
    if (!libclang_load(o->diag)) return false;
    char *rdir = resource_dir(o);
    if (!rdir) {
        fprintf(o->diag, "wvm build: cannot run %s (is clang-14 installed?)\n", o->clang);
        return false;
    }
    tc_buf inc = {0}, quote = {0};
    tcbuf_printf(&inc, "-I%s", o->sdk_include);
    /* client headers are found beside the source only */
    tcbuf_printf(&quote, "-iquote%s", o->source_dir ? o->source_dir : "/nonexistent");
    const char *args[] = {
        "-x", "c", "-std=c11", "--target=wasm32-wasi", "-resource-dir", rdir,
        (const char *)inc.data, "-D__wvm_contract__=1", (const char *)quote.data,
    };
    struct CXUnsavedFile file = {
        .Filename = o->display_name,
        .Contents = source->data ? (const char *)source->data : "",
        .Length = (unsigned long)source->len,
    };
    tc_unit *u = calloc(1, sizeof *u);
    bool ok = false;
    if (!u || !inc.data || !quote.data) {
        fprintf(o->diag, "wvm build: out of memory\n");
        goto done;
    }
    u->index = clang_createIndex(0, 0);
    enum CXErrorCode rc = clang_parseTranslationUnit2(
        u->index, o->display_name, args, (int)COUNT(args), &file, 1,
        CXTranslationUnit_DetailedPreprocessingRecord, &u->tu);
    if (rc != CXError_Success || !u->tu) {
        fprintf(o->diag, "%s: error: libclang could not parse the source (code %d)\n",
                o->display_name, (int)rc);
        goto done;
    }
    walk w = {.o = o, .u = u};
    CXCursor root = clang_getTranslationUnitCursor(u->tu);
    /* Headers first: a refused header is the reason for whatever errors
     * its absence causes. */
    clang_visitChildren(root, visit_includes, &w);
    if (w.errors) goto done;
    if (report_clang_errors(o, u->tu)) goto done;
    clang_visitChildren(root, visit, &w);
    ok = w.errors == 0;
done:
    free(rdir);
    tcbuf_free(&inc);
    tcbuf_free(&quote);
    if (ok) {
        *unit = u;
    } else {
        validate_unit_free(u);
    }
    return ok;
}

void validate_unit_free(tc_unit *u) {
    if (!u) return;
    for (uint32_t i = 0; i < u->nheaders; i++) tcbuf_free(&u->headers[i].text);
    if (u->tu) clang_disposeTranslationUnit(u->tu);
    if (u->index) clang_disposeIndex(u->index);
    free(u);
}

void *validate_unit_tu(tc_unit *u) { return u->tu; }

const tc_file *validate_unit_headers(const tc_unit *u, uint32_t *n) {
    *n = u->nheaders;
    return u->headers;
}
