/*
 * validate.c -- function bodies validated at load, types only.
 *
 * Why a second pass beside the translator's: a module is validated whole
 * when it is loaded, but each function is translated only at its first
 * call (compile.c), and most of a contract's functions never run in a
 * given process.  The translator's own checks carry the register
 * allocation with them (slots, constants, fusion state); this pass keeps
 * a byte per operand and a small frame per block, and runs about twice
 * as fast.
 *
 * It must agree with the translator exactly:
 *   - on validity and on the first error's message (same checks, same
 *     order, same texts: compile.c's handlers are the reference);
 *   - on the frame, nlocals + the highest operand stack, which a call
 *     sizes before the function is translated.  compile_lazy checks the
 *     two frames are equal at every translation, so a disagreement is an
 *     internal error, never memory corruption.
 * The spec suite's invalid and malformed modules run through this pass
 * (they are refused at load), its valid ones through both.
 */
#include <string.h>
#include "wasm/compile.h"
#include "wasm/read.h"

typedef struct vframe {
    uint8_t kind;        /* K_BLOCK ... K_FUNC */
    bool unreachable;    /* the stack is polymorphic */
    uint32_t height;     /* stack height at entry, params excluded */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
} vframe;

#define INVALID(...) compile_fail(c, WVM_ERR_INVALID, __VA_ARGS__)
#define MALFORMED(...) compile_fail(c, WVM_ERR_MALFORMED, __VA_ARGS__)

/* wasm opcode -> result and operand types (NUMERIC_OPS, ops.h) */
static const struct { uint8_t r, a, b; } v_numeric[256] = {
#define X(code, name, r_, a_, b_) [(code) & 0xff] = { r_, a_, b_ },
    NUMERIC_OPS(X)
#undef X
};
/* wasm opcode -> loaded or stored type and natural size in bytes */
static const struct { uint8_t t, n; } v_memop[256] = {
#define X(code, name, t_, n_) [code] = { t_, n_ },
    LOAD_OPS(X) STORE_OPS(X)
#undef X
};

static bool v_float(uint8_t t) { return t == VT_F32 || t == VT_F64; }
static bool v_is_ref(uint8_t t) { return t == VT_FUNCREF || t == VT_EXTERNREF; }
static bool v_is_num(uint8_t t) { return t == VT_I32 || t == VT_I64 || v_float(t); }
static bool v_refuses_floats(comp *c) { return c->e->cfg.float_policy == WVM_FLOAT_REJECT; }

/* ---- immediates ----
 * compile.c's rd_u32 & co. again, on purpose: shared through compile.h
 * (static inline) they made this pass 30% slower (gen_big: 6.2 against
 * 4.85 ns/B, interleaved runs), gcc inlining its big switch differently. */

static inline bool v_u32(comp *c, uint32_t *v) {
    if (c->p < c->end && *c->p < 0x80) { /* most immediates are one byte */
        *v = *c->p++;
        return true;
    }
    read_result r = read_u32(&c->p, c->end, v);
    return r ? MALFORMED("%s", read_result_str(r)) : true;
}
static bool v_u8(comp *c, uint8_t *v) {
    read_result r = read_u8(&c->p, c->end, v);
    return r ? MALFORMED("%s", read_result_str(r)) : true;
}
static bool v_zero(comp *c) {
    uint8_t b = 0;
    if (!v_u8(c, &b)) return false;
    return b ? MALFORMED("zero byte expected") : true;
}

/* ---- the operand stack ---- */

static inline vframe *v_top(comp *c) { return &c->vf[c->nvf - 1]; }

static inline bool v_push(comp *c, uint8_t t) {
    if (c->nvs >= c->capvt && !compile_grow(c, (void **)&c->vt, &c->capvt, c->nvs + 1, 1)) return false;
    if (c->nlocals + c->nvs + 1 > MAX_FRAME_SLOTS)
        return compile_fail(c, WVM_ERR_LIMIT, "limit: function frame needs more than %u slots", MAX_FRAME_SLOTS);
    c->vt[c->nvs++] = t;
    if (c->nvs > c->max_height) c->max_height = c->nvs;
    return true;
}

/* Pops any value; 0 (unknown) from the empty stack of unreachable code. */
static inline uint8_t v_pop_any(comp *c) {
    vframe *f = v_top(c);
    if (c->nvs == f->height) {
        if (!f->unreachable) INVALID("type mismatch: operand stack is empty");
        return 0;
    }
    return c->vt[--c->nvs];
}

static inline uint8_t v_pop(comp *c, uint8_t want) {
    uint8_t t = v_pop_any(c);
    if (t && want && t != want)
        INVALID("type mismatch: expected %s, found %s", compile_valtype_name(want), compile_valtype_name(t));
    return t;
}

static bool v_check_top(comp *c, uint32_t n, const uint8_t *types) {
    vframe *f = v_top(c);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t depth = n - 1 - i;
        if (c->nvs - f->height <= depth) {
            if (!f->unreachable) return INVALID("type mismatch: missing operand");
            continue;
        }
        uint8_t t = c->vt[c->nvs - 1 - depth];
        if (t && t != types[i])
            return INVALID("type mismatch: expected %s, found %s", compile_valtype_name(types[i]),
                           compile_valtype_name(t));
    }
    return true;
}

/* The top n values checked and typed as types; made up where the
 * unreachable stack has fewer. */
static bool v_retype_top(comp *c, uint32_t n, const uint8_t *types) {
    if (!v_check_top(c, n, types)) return false;
    vframe *f = v_top(c);
    if (c->nvs - f->height < n) {
        c->nvs = f->height;
        for (uint32_t i = 0; i < n; i++)
            if (!v_push(c, types[i])) return false;
    }
    if (n) memcpy(c->vt + c->nvs - n, types, n);
    return true;
}

static void v_set_unreachable(comp *c) {
    vframe *f = v_top(c);
    c->nvs = f->height;
    f->unreachable = true;
}

static bool v_push_frame(comp *c, uint8_t kind, uint32_t np, const uint8_t *pt, uint32_t nr, const uint8_t *rt) {
    if (c->nvf > c->e->cfg.limits.max_block_depth)
        return compile_fail(c, WVM_ERR_LIMIT, "limit: block nesting deeper than max_block_depth %u",
                            c->e->cfg.limits.max_block_depth);
    if (c->nvf >= c->capvf && !compile_grow(c, (void **)&c->vf, &c->capvf, c->nvf + 1, sizeof *c->vf))
        return false;
    c->vf[c->nvf++] = (vframe){ .kind = kind, .height = c->nvs - np, .nparams = np, .params = pt,
                                .nresults = nr, .results = rt };
    return true;
}

/* ---- instruction groups (compile.c's handler of the same name is the
 * reference for each) ---- */

static bool v_label(comp *c, uint32_t *depth, uint32_t *n, const uint8_t **types) {
    if (!v_u32(c, depth)) return false;
    if (*depth >= c->nvf) return INVALID("unknown label %u", *depth);
    const vframe *f = &c->vf[c->nvf - 1 - *depth];
    if (f->kind == K_LOOP) { *types = f->params; *n = f->nparams; }
    else { *types = f->results; *n = f->nresults; }
    return true;
}

static bool v_block(comp *c, uint8_t kind) {
    uint32_t np = 0, nr = 0;
    const uint8_t *pt = NULL, *rt = NULL;
    if (!compile_blocktype(c, &np, &pt, &nr, &rt)) return false;
    if (kind == K_IF) v_pop(c, VT_I32);
    if (!v_retype_top(c, np, pt)) return false;
    return v_push_frame(c, kind, np, pt, nr, rt);
}

static bool v_block_leaves(comp *c, vframe *f) {
    v_check_top(c, f->nresults, f->results);
    if (c->nvs - f->height > f->nresults || (c->nvs - f->height < f->nresults && !f->unreachable))
        return INVALID("type mismatch: block leaves %u values, expected %u", c->nvs - f->height, f->nresults);
    return true;
}

static bool v_else(comp *c) {
    vframe *f = v_top(c);
    if (f->kind != K_IF) return INVALID("else without if");
    if (!v_block_leaves(c, f)) return false;
    c->nvs = f->height;
    f->unreachable = false;
    f->kind = K_ELSE;
    for (uint32_t i = 0; i < f->nparams; i++) v_push(c, f->params[i]);
    return true;
}

static bool v_end(comp *c, bool *func_end) {
    vframe *f = v_top(c);
    if (!v_block_leaves(c, f)) return false;
    if (f->kind == K_IF &&
        (f->nparams != f->nresults || (f->nparams && memcmp(f->params, f->results, f->nparams) != 0)))
        return INVALID("type mismatch: if without else must not change the stack types");
    if (f->kind == K_FUNC) {
        *func_end = true;
        return true;
    }
    uint32_t nr = f->nresults;
    const uint8_t *rt = f->results;
    c->nvs = f->height;
    c->nvf--;
    for (uint32_t i = 0; i < nr; i++) v_push(c, rt[i]);
    return true;
}

static bool v_br_table(comp *c) {
    uint32_t count = 0, depth = 0, n = 0;
    const uint8_t *t = NULL;
    if (!v_u32(c, &count)) return false;
    if (count > (uint32_t)(c->end - c->p)) return MALFORMED("unexpected end");
    /* the labels first (the default is last: its arity is the one all
     * must have), then again to check each against the stack */
    const uint8_t *labels = c->p;
    uint32_t arity = 0;
    for (uint32_t i = 0; i <= count; i++)
        if (!v_label(c, &depth, &arity, &t)) return false;
    const uint8_t *after = c->p;
    v_pop(c, VT_I32);
    c->p = labels;
    bool ok = true;
    for (uint32_t i = 0; i <= count && ok; i++) {
        v_label(c, &depth, &n, &t);
        if (n != arity) ok = INVALID("type mismatch: br_table targets have different arities");
        else ok = v_check_top(c, n, t);
    }
    c->p = after;
    v_set_unreachable(c);
    return ok;
}

static void v_call_types(comp *c, const wasm_functype *t) {
    for (uint32_t i = t->nparams; i-- > 0;) v_pop(c, t->types[i]);
    for (uint32_t i = 0; i < t->nresults; i++) v_push(c, t->types[t->nparams + i]);
    /* the callee's frame is numbered inside this one (compile.c) */
    if (c->nvs + t->nparams > c->max_height) c->max_height = c->nvs + t->nparams;
}

static bool v_select(comp *c, uint8_t op) {
    uint8_t want = 0;
    if (op == 0x1c) {
        uint32_t n = 0;
        if (!v_u32(c, &n)) return false;
        if (n != 1) return INVALID("invalid result arity");
        if (!v_u8(c, &want)) return false;
        if (!v_is_num(want) && !v_is_ref(want)) return MALFORMED("malformed value type");
    }
    v_pop(c, VT_I32);
    uint8_t b = v_pop(c, want), a = v_pop(c, want);
    if (!want) {
        if ((a && !v_is_num(a)) || (b && !v_is_num(b)))
            return INVALID("type mismatch: select without type needs numeric operands");
        if (a && b && a != b) return INVALID("type mismatch: select operands differ");
    }
    return v_push(c, want ? want : (a ? a : b));
}

static bool v_memarg(comp *c, uint32_t natural) {
    uint32_t align = 0, offset = 0;
    if (!v_u32(c, &align) || !v_u32(c, &offset)) return false;
    if (!c->m->nmems) return INVALID("unknown memory 0");
    if (align >= 32 || (1u << align) > natural) return INVALID("alignment must not be larger than natural");
    return true;
}

static bool v_table(comp *c, uint32_t *t) {
    if (!v_u32(c, t)) return false;
    return *t < c->m->ntables ? true : INVALID("unknown table %u", *t);
}

static bool v_const(comp *c, uint8_t op) {
    read_result r;
    uint8_t type;
    if (op == 0x41) {
        int64_t x;
        r = read_sleb(&c->p, c->end, 32, &x);
        type = VT_I32;
    } else if (op == 0x42) {
        int64_t x;
        r = read_sleb(&c->p, c->end, 64, &x);
        type = VT_I64;
    } else if (op == 0x43) {
        uint32_t x;
        r = read_fixed32(&c->p, c->end, &x);
        type = VT_F32;
    } else {
        uint64_t x;
        r = read_fixed64(&c->p, c->end, &x);
        type = VT_F64;
    }
    if (r) return MALFORMED("%s", read_result_str(r));
    if (v_refuses_floats(c) && v_float(type)) return INVALID("float constant refused by the float policy");
    return v_push(c, type);
}

/* A numeric instruction: the usual case -- the operands there, with the
 * right types -- retypes in place, as compile.c's check_numeric does. */
static bool v_numeric_op(comp *c, uint32_t wasm_op, uint8_t r, uint8_t a, uint8_t b) {
    if (v_refuses_floats(c) && (v_float(r) || v_float(a) || v_float(b)))
        return INVALID("float instruction 0x%x refused by the float policy", wasm_op);
    uint32_t n = b ? 2 : 1;
    if (c->nvs - v_top(c)->height >= n) {
        uint8_t *v = &c->vt[c->nvs - n];
        if ((v[0] == a || !v[0]) && (!b || v[1] == b || !v[1])) {
            c->nvs -= n - 1;
            v[0] = r;
            return true;
        }
    }
    if (b) v_pop(c, b);
    v_pop(c, a);
    return v_push(c, r);
}

static bool v_ref(comp *c, uint8_t op) {
    if (op == 0xd0) {
        uint8_t t = 0;
        if (!v_u8(c, &t)) return false;
        if (!v_is_ref(t)) return MALFORMED("malformed reference type");
        return v_push(c, t);
    }
    if (op == 0xd1) {
        uint8_t t = v_pop_any(c);
        if (t && !v_is_ref(t)) return INVALID("type mismatch: ref.is_null needs a reference");
        return v_push(c, VT_I32);
    }
    uint32_t f = 0;
    if (!v_u32(c, &f)) return false;
    if (f >= c->m->nfuncs) return INVALID("unknown function %u", f);
    if (c->declared_funcs && !c->declared_funcs[f]) return INVALID("undeclared function reference %u", f);
    return v_push(c, VT_FUNCREF);
}

static void v_pop3(comp *c, uint8_t a, uint8_t b, uint8_t d) {
    v_pop(c, a);
    v_pop(c, b);
    v_pop(c, d);
}

static bool v_fc(comp *c, uint32_t sub) {
    static const struct { uint8_t r, a; } sat[8] = {
        { VT_I32, VT_F32 }, { VT_I32, VT_F32 }, { VT_I32, VT_F64 }, { VT_I32, VT_F64 },
        { VT_I64, VT_F32 }, { VT_I64, VT_F32 }, { VT_I64, VT_F64 }, { VT_I64, VT_F64 },
    };
    const wasm_module *m = c->m;
    uint32_t x = 0, y = 0;
    if (sub < 8) {
        if (v_refuses_floats(c)) return INVALID("float instruction 0x%x refused by the float policy", 0xfc00 + sub);
        v_pop(c, sat[sub].a);
        return v_push(c, sat[sub].r);
    }
    switch (sub) {
    case 8: /* memory.init */
        if (!v_u32(c, &x) || !v_zero(c)) return false;
        if (!m->has_datacount) return MALFORMED("data count section required");
        if (!m->nmems) return INVALID("unknown memory 0");
        if (x >= m->datacount) return INVALID("unknown data segment %u", x);
        v_pop3(c, VT_I32, VT_I32, VT_I32);
        return true;
    case 9: /* data.drop */
        if (!v_u32(c, &x)) return false;
        if (!m->has_datacount) return MALFORMED("data count section required");
        if (x >= m->datacount) return INVALID("unknown data segment %u", x);
        return true;
    case 10: case 11: /* memory.copy, memory.fill */
        if (!v_zero(c) || (sub == 10 && !v_zero(c))) return false;
        if (!m->nmems) return INVALID("unknown memory 0");
        v_pop3(c, VT_I32, VT_I32, VT_I32);
        return true;
    case 12: /* table.init elem table */
        if (!v_u32(c, &x) || !v_table(c, &y)) return false;
        if (x >= m->nelems) return INVALID("unknown elem segment %u", x);
        if (m->elems[x].type != m->tables[y].elem) return INVALID("type mismatch: table.init element types differ");
        v_pop3(c, VT_I32, VT_I32, VT_I32);
        return true;
    case 13: /* elem.drop */
        if (!v_u32(c, &x)) return false;
        if (x >= m->nelems) return INVALID("unknown elem segment %u", x);
        return true;
    case 14: /* table.copy dst src */
        if (!v_table(c, &x) || !v_table(c, &y)) return false;
        if (m->tables[x].elem != m->tables[y].elem) return INVALID("type mismatch: table.copy element types differ");
        v_pop3(c, VT_I32, VT_I32, VT_I32);
        return true;
    case 15: /* table.grow */
        if (!v_table(c, &x)) return false;
        v_pop(c, VT_I32);
        v_pop(c, m->tables[x].elem);
        return v_push(c, VT_I32);
    case 16: /* table.size */
        if (!v_table(c, &x)) return false;
        return v_push(c, VT_I32);
    case 17: /* table.fill */
        if (!v_table(c, &x)) return false;
        v_pop3(c, VT_I32, m->tables[x].elem, VT_I32);
        return true;
    }
    return MALFORMED("illegal opcode 0xfc %u", sub);
}

static bool v_instruction(comp *c, bool *func_end) {
    uint8_t op = *c->p++;   /* the caller checked p < end */
    const wasm_module *m = c->m;
    uint32_t x = 0, n = 0;
    const uint8_t *t = NULL;
    if (op >= 0x45 && op <= 0xc4 && v_numeric[op].r && op != 0xa7 && !(op >= 0xbc && op <= 0xbf))
        return v_numeric_op(c, op, v_numeric[op].r, v_numeric[op].a, v_numeric[op].b);
    if (op >= 0x28 && op <= 0x3e) {
        uint8_t type = v_memop[op].t;
        bool load = op <= 0x35;
        if (v_refuses_floats(c) && v_float(type)) {
            if (load) return INVALID("float load refused by the float policy");
            return INVALID("float store refused by the float policy");
        }
        if (!v_memarg(c, v_memop[op].n)) return false;
        if (load) {
            v_pop(c, VT_I32);
            return v_push(c, type);
        }
        v_pop(c, type);
        v_pop(c, VT_I32);
        return true;
    }
    switch (op) {
    case 0x00: v_set_unreachable(c); return true;
    case 0x01: return true;
    case 0x02: return v_block(c, K_BLOCK);
    case 0x03: return v_block(c, K_LOOP);
    case 0x04: return v_block(c, K_IF);
    case 0x05: return v_else(c);
    case 0x0b: return v_end(c, func_end);
    case 0x0c:
        if (!v_label(c, &x, &n, &t) || !v_check_top(c, n, t)) return false;
        v_set_unreachable(c);
        return true;
    case 0x0d:
        if (!v_label(c, &x, &n, &t)) return false;
        v_pop(c, VT_I32);
        return v_check_top(c, n, t) && v_retype_top(c, n, t);
    case 0x0e: return v_br_table(c);
    case 0x0f:
        if (!v_check_top(c, c->vf[0].nresults, c->vf[0].results)) return false;
        v_set_unreachable(c);
        return true;
    case 0x10:
        if (!v_u32(c, &x)) return false;
        if (x >= m->nfuncs) return INVALID("unknown function %u", x);
        v_call_types(c, &m->types[m->func_types[x]]);
        return true;
    case 0x11: {
        uint32_t table = 0;
        if (!v_u32(c, &x) || !v_u32(c, &table)) return false;
        if (table >= m->ntables) return INVALID("unknown table %u", table);
        if (m->tables[table].elem != VT_FUNCREF) return INVALID("type mismatch: call_indirect on a table of externref");
        if (x >= m->ntypes) return INVALID("unknown type %u", x);
        v_pop(c, VT_I32);
        v_call_types(c, &m->types[x]);
        return true;
    }
    case 0x1a: v_pop_any(c); return true;
    case 0x1b: case 0x1c: return v_select(c, op);
    case 0x20: case 0x21: case 0x22: {
        if (!v_u32(c, &x)) return false;
        if (x >= c->nlocals) return INVALID("unknown local %u", x);
        uint8_t lt = c->local_types[x];
        if (op == 0x20) return v_push(c, lt);
        v_pop(c, lt);
        return op == 0x22 ? v_push(c, lt) : true;
    }
    case 0x23: case 0x24: {
        if (!v_u32(c, &x)) return false;
        if (x >= m->nglobals) return INVALID("unknown global %u", x);
        const wasm_globaltype *gt = &m->globals[x].type;
        if (op == 0x23) return v_push(c, gt->type);
        if (!gt->mut) return INVALID("global is immutable");
        v_pop(c, gt->type);
        return true;
    }
    case 0x25: case 0x26: {
        if (!v_table(c, &x)) return false;
        uint8_t et = m->tables[x].elem;
        if (op == 0x25) {
            v_pop(c, VT_I32);
            return v_push(c, et);
        }
        v_pop(c, et);
        v_pop(c, VT_I32);
        return true;
    }
    case 0x3f: case 0x40:
        if (!v_zero(c)) return false;
        if (!m->nmems) return INVALID("unknown memory 0");
        if (op == 0x40) v_pop(c, VT_I32);
        return v_push(c, VT_I32);
    case 0x41: case 0x42: case 0x43: case 0x44: return v_const(c, op);
    case 0xa7: case 0xbc: case 0xbd: case 0xbe: case 0xbf: {
        /* wrap and the reinterpretations */
        static const uint8_t from[5] = { VT_I64, VT_F32, VT_F64, VT_I32, VT_I64 };
        static const uint8_t to[5] = { VT_I32, VT_I32, VT_I64, VT_F32, VT_F64 };
        int k = op == 0xa7 ? 0 : op - 0xbc + 1;
        if (v_refuses_floats(c) && k > 0) return INVALID("float instruction 0x%x refused by the float policy", op);
        v_pop(c, from[k]);
        return v_push(c, to[k]);
    }
    case 0xd0: case 0xd1: case 0xd2: return v_ref(c, op);
    case 0xfc:
        if (!v_u32(c, &x)) return false;
        return v_fc(c, x);
    }
    return MALFORMED("illegal opcode 0x%02x", op);
}

bool validate_body(comp *c, const wasm_functype *t) {
    c->nvs = c->nvf = c->max_height = 0;
    if (!v_push_frame(c, K_FUNC, 0, NULL, t->nresults, t->nresults ? t->types + t->nparams : NULL))
        return false;
    bool func_end = false;
    while (!func_end && !c->st) {
        if (c->p >= c->end) return MALFORMED("END opcode expected");
        c->insn = c->p;
        v_instruction(c, &func_end);
    }
    return !c->st;
}
