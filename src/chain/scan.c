/*
 * scan.c -- a small walker over a wasm binary for what deploy checks and
 * the runtime's API does not expose: the function types of imports and
 * exports, and custom sections.  Run only on modules wvm_module_new has
 * accepted, yet every read is bounds-checked: a module that got here
 * must still never make us read outside it.
 *
 * Kept in src/chain rather than src/wasm: the runtime's decoder is
 * another engineer's, and deploy needs only these few facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chain.h"

typedef struct cur { const uint8_t *p, *end; } cur;

static bool u8(cur *c, uint8_t *v) {
    if (c->p >= c->end) return false;
    *v = *c->p++;
    return true;
}

static bool leb(cur *c, uint32_t *v) {
    uint32_t r = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        uint8_t b;
        if (!u8(c, &b)) return false;
        r |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return true;
        }
    }
    return false;
}

static bool bytes(cur *c, uint32_t n, const uint8_t **out) {
    if ((size_t)(c->end - c->p) < n) return false;
    *out = c->p;
    c->p += n;
    return true;
}

static bool name(cur *c, scan_name *n) {
    const uint8_t *p;
    if (!leb(c, &n->len) || !bytes(c, n->len, &p)) return false;
    n->ptr = (const char *)p;
    return true;
}

static bool limits(cur *c) {
    uint8_t flags;
    uint32_t v;
    if (!u8(c, &flags) || !leb(c, &v)) return false;
    if (flags & 1) return leb(c, &v);
    return true;
}

static bool grow(void **arr, uint32_t n, size_t elem) {
    if (n == 0) return true;
    if (n > SIZE_MAX / elem) return false;
    void *p = calloc(n, elem);
    if (!p) return false;
    *arr = p;
    return true;
}

static bool types(cur *c, scan_module *m) {
    uint32_t n;
    if (!leb(c, &n) || n > (size_t)(c->end - c->p) || !grow((void **)&m->types, n, sizeof *m->types))
        return false;
    m->ntypes = n;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t form;
        scan_type *t = &m->types[i];
        if (!u8(c, &form) || form != 0x60) return false;
        if (!leb(c, &t->nparams) || !bytes(c, t->nparams, &t->params)) return false;
        if (!leb(c, &t->nresults) || !bytes(c, t->nresults, &t->results)) return false;
    }
    return true;
}

static bool imports(cur *c, scan_module *m) {
    uint32_t n;
    if (!leb(c, &n) || n > (size_t)(c->end - c->p) ||
        !grow((void **)&m->imports, n, sizeof *m->imports))
        return false;
    m->nimports = n;
    for (uint32_t i = 0; i < n; i++) {
        scan_import *im = &m->imports[i];
        uint8_t b;
        if (!name(c, &im->module) || !name(c, &im->name) || !u8(c, &im->kind)) return false;
        switch (im->kind) {
        case 0:
            if (!leb(c, &im->type)) return false;
            m->nfunc_imports++;
            break;
        case 1: if (!u8(c, &b) || !limits(c)) return false; break;
        case 2: if (!limits(c)) return false; break;
        case 3: if (!u8(c, &b) || !u8(c, &b)) return false; break;
        default: return false;
        }
    }
    return true;
}

static bool functions(cur *c, scan_module *m) {
    uint32_t n;
    if (!leb(c, &n) || n > (size_t)(c->end - c->p) || !grow((void **)&m->funcs, n, sizeof *m->funcs))
        return false;
    m->nfuncs = n;
    for (uint32_t i = 0; i < n; i++)
        if (!leb(c, &m->funcs[i])) return false;
    return true;
}

static bool exports(cur *c, scan_module *m) {
    uint32_t n;
    if (!leb(c, &n) || n > (size_t)(c->end - c->p) ||
        !grow((void **)&m->exports, n, sizeof *m->exports))
        return false;
    m->nexports = n;
    for (uint32_t i = 0; i < n; i++) {
        scan_export *e = &m->exports[i];
        if (!name(c, &e->name) || !u8(c, &e->kind) || !leb(c, &e->index)) return false;
    }
    return true;
}

/* A custom section of interest: the first is kept, a second is an error
 * (two declarations of one thing could disagree). */
static bool custom(cur *c, scan_module *m, char *msg, size_t cap) {
    scan_name n;
    if (!name(c, &n)) return false;
    scan_name body = { (const char *)c->p, (uint32_t)(c->end - c->p) };
    scan_custom *slot = NULL;
    for (uint32_t i = 0; i < SCAN_MAX_CUSTOM && m->want[i]; i++)
        if (strlen(m->want[i]) == n.len && !memcmp(m->want[i], n.ptr, n.len)) slot = &m->custom[i];
    if (!slot) return true;
    if (slot->present) {
        snprintf(msg, cap, "custom section '%.*s' appears twice", (int)n.len, n.ptr);
        return false;
    }
    slot->present = true;
    slot->body = body;
    return true;
}

bool scan_run(scan_module *m, const uint8_t *wasm, size_t len, char *msg, size_t cap) {
    cur c = { wasm, wasm + len };
    msg[0] = 0;
    const uint8_t *head;
    if (!bytes(&c, 8, &head) || memcmp(head, "\0asm\1\0\0\0", 8)) {
        snprintf(msg, cap, "not a wasm binary (bad magic or version)");
        return false;
    }
    while (c.p < c.end) {
        uint8_t id;
        uint32_t size;
        const uint8_t *body;
        if (!u8(&c, &id) || !leb(&c, &size) || !bytes(&c, size, &body)) break;
        cur s = { body, body + size };
        bool ok = true;
        switch (id) {
        case 0: ok = custom(&s, m, msg, cap); break;
        case 1: ok = types(&s, m); break;
        case 2: ok = imports(&s, m); break;
        case 3: ok = functions(&s, m); break;
        case 7: ok = exports(&s, m); break;
        default: break;
        }
        if (!ok) {
            if (!msg[0]) snprintf(msg, cap, "cannot read section %u", id);
            return false;
        }
    }
    if (c.p != c.end) {
        snprintf(msg, cap, "truncated section");
        return false;
    }
    return true;
}

const scan_type *scan_func_type(const scan_module *m, uint32_t func) {
    uint32_t type;
    if (func < m->nfunc_imports) {
        uint32_t k = 0;
        for (uint32_t i = 0; i < m->nimports; i++) {
            if (m->imports[i].kind != 0) continue;
            if (k++ == func) {
                type = m->imports[i].type;
                return type < m->ntypes ? &m->types[type] : NULL;
            }
        }
        return NULL;
    }
    func -= m->nfunc_imports;
    if (func >= m->nfuncs) return NULL;
    type = m->funcs[func];
    return type < m->ntypes ? &m->types[type] : NULL;
}

static const char *valname(uint8_t t) {
    switch (t) {
    case 0x7f: return "i32";
    case 0x7e: return "i64";
    case 0x7d: return "f32";
    case 0x7c: return "f64";
    case 0x7b: return "v128";
    case 0x70: return "funcref";
    case 0x6f: return "externref";
    default: return "?";
    }
}

void scan_type_str(const scan_type *t, char *out, size_t cap) {
    size_t n = 0;
    n += (size_t)snprintf(out + n, cap - n, "(");
    for (uint32_t i = 0; i < t->nparams && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", valname(t->params[i]));
    if (n < cap) n += (size_t)snprintf(out + n, cap - n, ") -> ");
    if (t->nresults == 0 && n < cap) snprintf(out + n, cap - n, "()");
    for (uint32_t i = 0; i < t->nresults && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", valname(t->results[i]));
}

void scan_free(scan_module *m) {
    free(m->types);
    free(m->imports);
    free(m->funcs);
    free(m->exports);
}
