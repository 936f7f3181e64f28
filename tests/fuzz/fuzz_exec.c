/*
 * fuzz_exec.c -- runs VALID modules: the interpreter and the translator's
 * folding (local.set into producers, compare-and-branch, constants as
 * immediates, unreachable code) rather than the decoder.
 *
 * Two input forms:
 *   - bytes starting with "\0asm" are taken as a module as they are (the
 *     seed corpus has modules made by `wasm-opt -ttf`; mutants mostly
 *     fail validation, which is fine); imports get dummies as in
 *     fuzz_load;
 *   - anything else drives gen_module() below, which builds a module that
 *     is well-typed by construction: a few functions over i32/i64 with
 *     locals, globals, block/loop/if with and without block types (multi-
 *     value included), br/br_if/br_table (into unreachable code too),
 *     return, call/call_indirect, a host import, loads/stores, memory.size/
 *     grow/fill/copy/init, data.drop, and float detours (convert, float
 *     ops, trunc/trunc_sat/reinterpret back).  A generated module that
 *     fails to load is a finding (the generator only makes valid code).
 *
 * Every exported function is called with zero arguments under fuel
 * 100000 and a 100 ms timeout, in two fresh stores; unless a call timed
 * out, both runs must agree exactly (status, results, fuel used, memory),
 * which catches reads of uninitialized interpreter state.
 */
#include "fuzz_common.h"

/* ---- the generator ---- */

enum { T_NONE = 0x40, T_I32 = 0x7f, T_I64 = 0x7e, T_F32 = 0x7d, T_F64 = 0x7c };
/* label (branch arity) types; also block result kinds */
enum { L_NONE, L_I32, L_I64, L_I32I32 };
/* type indices of the block types with parameters */
enum { BT_I32_I32, BT_I64_I64, BT_I32_I32I32, TY_HOST, TY_FIRST_FUNC };

enum { MAX_FUNCS = 5, MAX_PARAMS = 3, MAX_LOCALS = 4, MAX_LABELS = 64, MAX_DEPTH = 6 };

typedef struct gfunc {
    uint8_t np, nl, result;            /* result: T_NONE, T_I32 or T_I64 */
    uint8_t params[MAX_PARAMS], locals[MAX_LOCALS];
} gfunc;

typedef struct gen {
    fz_input *in;
    fz_buf *b;
    gfunc fns[MAX_FUNCS];
    int nfns;                          /* defined functions (index 1..nfns; 0 is the host import) */
    const gfunc *cur;
    uint8_t labels[MAX_LABELS];        /* L_* of each enclosing label, innermost last */
    int nlabels, depth, budget;
} gen;

static void gen_value(gen *g, uint8_t t);
static void gen_stmts(gen *g, int max);
static void gen_float(gen *g, uint8_t ft);

static uint8_t pick(gen *g, uint32_t n) { return (uint8_t)fz_below(g->in, n); }
static void op(gen *g, uint8_t o) { fz_byte(g->b, o); g->budget--; }
static bool leaf_only(gen *g) { return g->budget <= 0 || g->depth >= MAX_DEPTH || !fz_left(g->in); }

static const int32_t i32_special[] = { 0, 1, -1, 2, 8, 31, 32, 33, 63, 64, 0x7fffffff, INT32_MIN,
                                       0xffff, 0x10000, 65532, 65535, 65536, 131071, 255, 256 };
static const int64_t i64_special[] = { 0, 1, -1, 2, 63, 64, 65, INT64_MAX, INT64_MIN, 0xffffffffLL,
                                       0x100000000LL, -0x80000000LL, 0x7fffffff, 65536 };

static void gen_const(gen *g, uint8_t t) {
    uint8_t k = pick(g, 4);
    if (t == T_I32) {
        op(g, 0x41);
        fz_sleb(g->b, k == 0 ? (int32_t)fz_u32(g->in)
                      : k == 1 ? (int32_t)pick(g, 16)
                      : i32_special[pick(g, sizeof i32_special / sizeof *i32_special)]);
    } else {
        op(g, 0x42);
        fz_sleb(g->b, k == 0 ? (int64_t)fz_u64(g->in)
                      : k == 1 ? (int64_t)pick(g, 16)
                      : i64_special[pick(g, sizeof i64_special / sizeof *i64_special)]);
    }
}

static uint8_t local_type(const gfunc *f, uint32_t i) {
    return i < f->np ? f->params[i] : f->locals[i - f->np];
}

/* A local of type t, or -1. */
static int find_local(gen *g, uint8_t t) {
    uint32_t n = g->cur->np + g->cur->nl, start = pick(g, 8);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = (start + k) % n;
        if (local_type(g->cur, i) == t) return (int)i;
    }
    return -1;
}

static void gen_leaf(gen *g, uint8_t t) {
    switch (pick(g, 3)) {
    case 0: {
        int l = find_local(g, t);
        if (l >= 0) { op(g, 0x20); fz_uleb(g->b, (uint32_t)l); return; }
        break;
    }
    case 1: op(g, 0x23); fz_uleb(g->b, t == T_I32 ? (pick(g, 2) ? 0 : 2) : 1); return;
    }
    gen_const(g, t);
}

/* The values a branch to a label of kind lk carries. */
static void gen_label_vals(gen *g, uint8_t lk) {
    if (lk == L_I32) gen_value(g, T_I32);
    else if (lk == L_I64) gen_value(g, T_I64);
    else if (lk == L_I32I32) { gen_value(g, T_I32); gen_value(g, T_I32); }
}

static uint8_t lk_of(uint8_t t) { return t == T_I32 ? L_I32 : t == T_I64 ? L_I64 : L_NONE; }

/* An enclosing label (relative depth) of kind lk, or -1. */
static int find_label(gen *g, int lk) {
    int start = pick(g, MAX_LABELS);
    for (int k = 0; k < g->nlabels; k++) {
        int d = (start + k) % g->nlabels;
        if (lk < 0 || g->labels[g->nlabels - 1 - d] == lk) return d;
    }
    return -1;
}

static void push_label(gen *g, uint8_t lk) {
    g->labels[g->nlabels++] = lk;
    g->depth++;
}
static void pop_label(gen *g) {
    g->nlabels--;
    g->depth--;
}

/* br / br_if / br_table to some label of kind lk (-1: any); leaves the
 * stack as it was plus, for br_if, the label's values.  Returns the
 * label's kind, or -1 if it emitted nothing. */
static int gen_branch(gen *g, int kind, int lk) {
    int d = find_label(g, lk);
    if (d < 0) return -1;
    uint8_t k = g->labels[g->nlabels - 1 - d];
    gen_label_vals(g, k);
    if (kind == 0) {
        op(g, 0x0c);
        fz_uleb(g->b, (uint32_t)d);
    } else if (kind == 1) {
        gen_value(g, T_I32);
        op(g, 0x0d);
        fz_uleb(g->b, (uint32_t)d);
    } else {
        /* the index: mostly small */
        if (pick(g, 2)) { op(g, 0x41); fz_sleb(g->b, pick(g, 6)); }
        else gen_value(g, T_I32);
        uint32_t n = pick(g, 5);
        op(g, 0x0e);
        fz_uleb(g->b, n);
        for (uint32_t i = 0; i <= n; i++) {  /* n targets, then the default */
            int e = find_label(g, k);
            fz_uleb(g->b, (uint32_t)(e < 0 ? d : e));
        }
    }
    return k;
}

static void gen_memarg(gen *g, uint32_t natural_log2) {
    fz_uleb(g->b, pick(g, natural_log2 + 1));
    static const uint32_t offs[] = { 0, 0, 1, 4, 7, 100, 65535, 65536, 0xfffffff0u, 0xffffffffu };
    fz_uleb(g->b, offs[pick(g, sizeof offs / sizeof *offs)]);
}

static void gen_addr(gen *g) {
    switch (pick(g, 4)) {
    case 0: gen_value(g, T_I32); break;
    case 1: op(g, 0x41); fz_sleb(g->b, (int32_t)(fz_u8(g->in) * 257u)); break;
    default: op(g, 0x41); fz_sleb(g->b, pick(g, 64)); break;
    }
}

static void gen_load(gen *g, uint8_t t) {
    static const uint8_t l32[][2] = { { 0x28, 2 }, { 0x2c, 0 }, { 0x2d, 0 }, { 0x2e, 1 }, { 0x2f, 1 } };
    static const uint8_t l64[][2] = { { 0x29, 3 }, { 0x30, 0 }, { 0x31, 0 }, { 0x32, 1 },
                                      { 0x33, 1 }, { 0x34, 2 }, { 0x35, 2 } };
    gen_addr(g);
    const uint8_t *o = t == T_I32 ? l32[pick(g, 5)] : l64[pick(g, 7)];
    op(g, o[0]);
    gen_memarg(g, o[1]);
}

static void gen_store(gen *g) {
    static const uint8_t s32[][2] = { { 0x36, 2 }, { 0x3a, 0 }, { 0x3b, 1 } };
    static const uint8_t s64[][2] = { { 0x37, 3 }, { 0x3c, 0 }, { 0x3d, 1 }, { 0x3e, 2 } };
    uint8_t t = pick(g, 2) ? T_I32 : T_I64;
    gen_addr(g);
    gen_value(g, t);
    const uint8_t *o = t == T_I32 ? s32[pick(g, 3)] : s64[pick(g, 4)];
    op(g, o[0]);
    gen_memarg(g, o[1]);
}

/* A call to a function (index 1..nfns) with result t, or the host. */
static bool gen_call(gen *g, uint8_t t, bool indirect) {
    if (!indirect && t == T_I32 && pick(g, 4) == 0) {
        gen_value(g, T_I32);
        gen_value(g, T_I64);
        op(g, 0x10);
        fz_uleb(g->b, 0);
        return true;
    }
    int start = pick(g, MAX_FUNCS);
    for (int k = 0; k < g->nfns; k++) {
        int i = (start + k) % g->nfns;
        const gfunc *f = &g->fns[i];
        if (f->result != t) continue;
        for (int p = 0; p < f->np; p++) gen_value(g, f->params[p]);
        if (indirect) {
            /* table slot: mostly in range (slot i holds function i+1) */
            op(g, 0x41);
            fz_sleb(g->b, pick(g, 4) ? i : pick(g, MAX_FUNCS + 2));
            op(g, 0x11);
            fz_uleb(g->b, TY_FIRST_FUNC + (uint32_t)i);
            fz_byte(g->b, 0);
        } else {
            op(g, 0x10);
            fz_uleb(g->b, 1 + (uint32_t)i);
        }
        return true;
    }
    return false;
}

/* block/loop/if producing a value of type t (or, with t == T_NONE, a
 * statement).  Sometimes uses a block type with parameters. */
static void gen_block(gen *g, uint8_t t, uint8_t kind /* 0x02 block, 0x03 loop, 0x04 if */) {
    bool params = kind != 0x04 && t != T_NONE && pick(g, 3) == 0;
    if (params) {
        /* [t] -> [t], or [i32] -> [i32 i32] combined by an i32 op after
         * the end; a loop's label takes the parameters */
        bool two = t == T_I32 && pick(g, 2);
        gen_value(g, t);
        op(g, kind);
        fz_sleb(g->b, two ? BT_I32_I32I32 : t == T_I32 ? BT_I32_I32 : BT_I64_I64);
        push_label(g, kind == 0x03 || !two ? lk_of(t) : L_I32I32);
        gen_stmts(g, 3);
        gen_value(g, t);
        if (!two) op(g, t == T_I32 ? 0x6a + pick(g, 15) : 0x7c + pick(g, 15));
        pop_label(g);
        op(g, 0x0b);
        if (two) op(g, 0x6a + pick(g, 15));
        return;
    }
    if (kind == 0x04) gen_value(g, T_I32);
    op(g, kind);
    fz_byte(g->b, t);
    push_label(g, kind == 0x03 ? L_NONE : lk_of(t));
    gen_stmts(g, 3);
    if (t != T_NONE) gen_value(g, t);
    if (kind == 0x04 && (t != T_NONE || pick(g, 2))) {
        op(g, 0x05);
        gen_stmts(g, 2);
        if (t != T_NONE) gen_value(g, t);
    }
    pop_label(g);
    op(g, 0x0b);
}

static void gen_value(gen *g, uint8_t t) {
    if (leaf_only(g)) { gen_leaf(g, t); return; }
    g->depth++;
    uint8_t c = pick(g, 24);
    switch (c) {
    case 0: case 1: gen_leaf(g, t); break;
    case 2: case 3: /* binary */
        gen_value(g, t);
        gen_value(g, t);
        op(g, t == T_I32 ? 0x6a + pick(g, 15) : 0x7c + pick(g, 15));
        break;
    case 4: /* unary */
        if (t == T_I32) {
            static const uint8_t u[] = { 0x45, 0x67, 0x68, 0x69, 0xc0, 0xc1 };
            switch (pick(g, 3)) {
            case 0: gen_value(g, T_I64); op(g, pick(g, 2) ? 0x50 : 0xa7); break;
            default: gen_value(g, T_I32); op(g, u[pick(g, 6)]); break;
            }
        } else {
            static const uint8_t u[] = { 0x79, 0x7a, 0x7b, 0xc2, 0xc3, 0xc4 };
            if (pick(g, 3) == 0) { gen_value(g, T_I32); op(g, pick(g, 2) ? 0xac : 0xad); }
            else { gen_value(g, T_I64); op(g, u[pick(g, 6)]); }
        }
        break;
    case 5: /* compare */
        if (t != T_I32) goto leaf;
        if (pick(g, 2)) { gen_value(g, T_I32); gen_value(g, T_I32); op(g, 0x46 + pick(g, 10)); }
        else { gen_value(g, T_I64); gen_value(g, T_I64); op(g, 0x51 + pick(g, 10)); }
        break;
    case 6: gen_load(g, t); break;
    case 7: /* memory.size / memory.grow */
        if (pick(g, 2)) { op(g, 0x3f); fz_byte(g->b, 0); }
        else { gen_value(g, T_I32); op(g, 0x40); fz_byte(g->b, 0); }
        if (t == T_I64) op(g, 0xad);
        break;
    case 8: if (!gen_call(g, t, false)) gen_leaf(g, t); break;
    case 9: if (!gen_call(g, t, true)) gen_leaf(g, t); break;
    case 10: /* select, untyped or typed */
        gen_value(g, t);
        gen_value(g, t);
        gen_value(g, T_I32);
        if (pick(g, 2)) op(g, 0x1b);
        else { op(g, 0x1c); fz_byte(g->b, 1); fz_byte(g->b, t); }
        break;
    case 11: gen_block(g, t, 0x02); break;
    case 12: gen_block(g, t, 0x03); break;
    case 13: gen_block(g, t, 0x04); break;
    case 14: { /* local.tee */
        int l = find_local(g, t);
        if (l < 0) goto leaf;
        gen_value(g, t);
        op(g, 0x22);
        fz_uleb(g->b, (uint32_t)l);
        break;
    }
    /* unconditional branches make the rest dead code: not too often */
    case 15: if (pick(g, 3) || gen_branch(g, 0, -1) < 0) goto leaf; break; /* br: then anything */
    case 16: if (gen_branch(g, 1, lk_of(t)) < 0) goto leaf; break; /* br_if */
    case 17: if (pick(g, 2) || gen_branch(g, 2, -1) < 0) goto leaf; break; /* br_table */
    case 18: if (pick(g, 8) == 0) op(g, 0x00); else goto leaf; break; /* unreachable */
    case 19: case 20: { /* float detour */
        uint8_t ft = pick(g, 2) ? T_F32 : T_F64;
        if (pick(g, 4) == 0 && t == T_I32) {
            gen_float(g, ft);
            gen_float(g, ft);
            op(g, ft == T_F32 ? 0x5b + pick(g, 6) : 0x61 + pick(g, 6));
            break;
        }
        gen_float(g, ft);
        uint8_t k = pick(g, 3);
        if (k == 0) { /* trapping trunc */
            if (t == T_I32) op(g, (ft == T_F32 ? 0xa8 : 0xaa) + pick(g, 2));
            else op(g, (ft == T_F32 ? 0xae : 0xb0) + pick(g, 2));
        } else if (k == 1) { /* trunc_sat */
            op(g, 0xfc);
            fz_uleb(g->b, (t == T_I32 ? 0 : 4) + (ft == T_F32 ? 0 : 2) + pick(g, 2));
        } else { /* reinterpret, converting the float's width as needed */
            if (t == T_I32) { if (ft == T_F64) op(g, 0xb6); op(g, 0xbc); }
            else { if (ft == T_F32) op(g, 0xbb); op(g, 0xbd); }
        }
        break;
    }
    case 21: { /* statements, then the value */
        op(g, 0x02);
        fz_byte(g->b, t);
        push_label(g, lk_of(t));
        gen_stmts(g, 4);
        gen_value(g, t);
        pop_label(g);
        op(g, 0x0b);
        break;
    }
    case 22: /* a value through a global or local.set + local.get */
        if (pick(g, 2)) {
            uint32_t gi = t == T_I32 ? 0 : 1;
            gen_value(g, t);
            op(g, 0x24); fz_uleb(g->b, gi);
            op(g, 0x23); fz_uleb(g->b, gi);
        } else {
            int l = find_local(g, t);
            if (l < 0) goto leaf;
            gen_value(g, t);
            op(g, 0x21); fz_uleb(g->b, (uint32_t)l);
            op(g, 0x20); fz_uleb(g->b, (uint32_t)l);
        }
        break;
    default:
    leaf:
        gen_leaf(g, t);
        break;
    }
    g->depth--;
}

static void gen_float(gen *g, uint8_t ft) {
    bool f32 = ft == T_F32;
    if (leaf_only(g)) goto leaf;
    g->depth++;
    switch (pick(g, 7)) {
    case 0: case 1: { /* from an integer */
        uint8_t k = pick(g, 5);
        if (k == 4) {
            gen_value(g, f32 ? T_I32 : T_I64);
            op(g, f32 ? 0xbe : 0xbf);
        } else {
            gen_value(g, k < 2 ? T_I32 : T_I64);
            op(g, (f32 ? 0xb2 : 0xb7) + k);
        }
        break;
    }
    case 2: gen_float(g, ft); op(g, (f32 ? 0x8b : 0x99) + pick(g, 7)); break;
    case 3: case 4:
        gen_float(g, ft);
        gen_float(g, ft);
        op(g, (f32 ? 0x92 : 0xa0) + pick(g, 7));
        break;
    case 5: gen_float(g, f32 ? T_F64 : T_F32); op(g, f32 ? 0xb6 : 0xbb); break;
    default: g->depth--; goto leaf;
    }
    g->depth--;
    return;
leaf:
    if (f32) {
        static const uint32_t c[] = { 0, 0x80000000u, 0x3f800000u, 0x7f800000u, 0xff800000u,
                                      0x7fc00000u, 0x7fa00001u, 0x4f000000u, 0xcf000000u, 0x00000001u };
        uint32_t v = pick(g, 2) ? c[pick(g, 10)] : fz_u32(g->in);
        op(g, 0x43);
        fz_put(g->b, &v, 4);  /* little-endian hosts only (x86-64, aarch64) */
    } else {
        static const uint64_t c[] = { 0, 0x8000000000000000ull, 0x3ff0000000000000ull,
                                      0x7ff0000000000000ull, 0xfff0000000000000ull,
                                      0x7ff8000000000000ull, 0x7ff4000000000001ull,
                                      0x41e0000000000000ull, 0xc3e0000000000000ull, 1 };
        uint64_t v = pick(g, 2) ? c[pick(g, 10)] : fz_u64(g->in);
        op(g, 0x44);
        fz_put(g->b, &v, 8);
    }
}

static void gen_stmt(gen *g) {
    if (leaf_only(g)) return;
    g->depth++;
    switch (pick(g, 16)) {
    case 0: case 1: { /* local.set */
        uint32_t n = g->cur->np + g->cur->nl;
        if (!n) break;
        uint32_t l = pick(g, n);
        gen_value(g, local_type(g->cur, l));
        op(g, 0x21);
        fz_uleb(g->b, l);
        break;
    }
    case 2: { /* global.set */
        uint32_t gi = pick(g, 2);
        gen_value(g, gi ? T_I64 : T_I32);
        op(g, 0x24);
        fz_uleb(g->b, gi);
        break;
    }
    case 3: case 4: gen_store(g); break;
    case 5: gen_value(g, pick(g, 2) ? T_I32 : T_I64); op(g, 0x1a); break; /* drop */
    case 6: gen_block(g, T_NONE, 0x04); break;
    case 7: gen_block(g, T_NONE, 0x02); break;
    case 8: { /* loop that runs a few times on a counter local, or until fuel runs out */
        int l = find_local(g, T_I32);
        op(g, 0x03);
        fz_byte(g->b, T_NONE);
        push_label(g, L_NONE);
        gen_stmts(g, 3);
        if (l >= 0 && pick(g, 4)) {
            /* local = local - 1; br_if 0 (local > 0) -- a compare folded into br_if */
            op(g, 0x20); fz_uleb(g->b, (uint32_t)l);
            op(g, 0x41); fz_sleb(g->b, 1);
            op(g, 0x6b);
            op(g, 0x22); fz_uleb(g->b, (uint32_t)l);
            op(g, 0x41); fz_sleb(g->b, 0);
            op(g, 0x4a);
            op(g, 0x0d); fz_uleb(g->b, 0);
        } else {
            gen_value(g, T_I32);
            op(g, 0x0d); fz_uleb(g->b, 0);
        }
        pop_label(g);
        op(g, 0x0b);
        break;
    }
    case 9: { /* a branch; br_if's values are dropped */
        int kind = pick(g, 3), k = gen_branch(g, kind, -1);
        if (kind == 1 && k != L_NONE && k >= 0) op(g, 0x1a);
        if (kind == 1 && k == L_I32I32) op(g, 0x1a);
        break;
    }
    case 10: { /* call for effect */
        uint8_t t = (uint8_t[]){ T_NONE, T_I32, T_I64 }[pick(g, 3)];
        if (gen_call(g, t, pick(g, 3) == 0) && t != T_NONE) op(g, 0x1a);
        break;
    }
    case 11: /* memory.fill / memory.copy */
        gen_addr(g);
        if (pick(g, 2)) {
            gen_value(g, T_I32);
            op(g, 0x41); fz_sleb(g->b, pick(g, 200));
            op(g, 0xfc); fz_uleb(g->b, 11); fz_byte(g->b, 0);
        } else {
            gen_addr(g);
            op(g, 0x41); fz_sleb(g->b, pick(g, 200));
            op(g, 0xfc); fz_uleb(g->b, 10); fz_byte(g->b, 0); fz_byte(g->b, 0);
        }
        break;
    case 12: /* memory.init / data.drop on the passive segment 1 */
        if (pick(g, 3)) {
            gen_addr(g);
            op(g, 0x41); fz_sleb(g->b, pick(g, 12));
            op(g, 0x41); fz_sleb(g->b, pick(g, 12));
            op(g, 0xfc); fz_uleb(g->b, 8); fz_uleb(g->b, 1); fz_byte(g->b, 0);
        } else {
            op(g, 0xfc); fz_uleb(g->b, 9); fz_uleb(g->b, 1);
        }
        break;
    case 13: /* return */
        if (pick(g, 3)) break;
        if (g->cur->result != T_NONE) gen_value(g, g->cur->result);
        op(g, 0x0f);
        break;
    case 14: gen_block(g, T_NONE, 0x03); break;
    default: op(g, 0x01); break;
    }
    g->depth--;
}

static void gen_stmts(gen *g, int max) {
    int n = pick(g, (uint32_t)max + 1);
    for (int i = 0; i < n; i++) gen_stmt(g);
}

static uint8_t gen_valtype(gen *g) { return pick(g, 2) ? T_I32 : T_I64; }

static void put_functype(fz_buf *b, int np, const uint8_t *p, int nr, const uint8_t *r) {
    fz_byte(b, 0x60);
    fz_uleb(b, (uint32_t)np);
    fz_put(b, p, (size_t)np);
    fz_uleb(b, (uint32_t)nr);
    fz_put(b, r, (size_t)nr);
}

/* Builds a valid module from the fuzzer's bytes into *mod. */
static void gen_module(fz_input *in, fz_buf *mod) {
    gen g;
    memset(&g, 0, sizeof g);
    g.in = in;
    g.nfns = 1 + (int)fz_below(in, MAX_FUNCS);
    for (int i = 0; i < g.nfns; i++) {
        gfunc *f = &g.fns[i];
        f->np = (uint8_t)fz_below(in, MAX_PARAMS + 1);
        for (int k = 0; k < f->np; k++) f->params[k] = gen_valtype(&g);
        f->nl = (uint8_t)fz_below(in, MAX_LOCALS + 1);
        for (int k = 0; k < f->nl; k++) f->locals[k] = gen_valtype(&g);
        f->result = (uint8_t[]){ T_NONE, T_I32, T_I64 }[fz_below(in, 3)];
    }
    fz_buf sec = { 0 };
    fz_module_header(mod);

    /* types: block types, the host import, one per function */
    fz_uleb(&sec, TY_FIRST_FUNC + (uint32_t)g.nfns);
    put_functype(&sec, 1, (uint8_t[]){ T_I32 }, 1, (uint8_t[]){ T_I32 });
    put_functype(&sec, 1, (uint8_t[]){ T_I64 }, 1, (uint8_t[]){ T_I64 });
    put_functype(&sec, 1, (uint8_t[]){ T_I32 }, 2, (uint8_t[]){ T_I32, T_I32 });
    put_functype(&sec, 2, (uint8_t[]){ T_I32, T_I64 }, 1, (uint8_t[]){ T_I32 });
    for (int i = 0; i < g.nfns; i++)
        put_functype(&sec, g.fns[i].np, g.fns[i].params, g.fns[i].result != T_NONE, &g.fns[i].result);
    fz_section(mod, 1, &sec);

    fz_uleb(&sec, 1);
    fz_name(&sec, "env");
    fz_name(&sec, "host");
    fz_byte(&sec, 0);
    fz_uleb(&sec, TY_HOST);
    fz_section(mod, 2, &sec);

    fz_uleb(&sec, (uint32_t)g.nfns);
    for (int i = 0; i < g.nfns; i++) fz_uleb(&sec, TY_FIRST_FUNC + (uint32_t)i);
    fz_section(mod, 3, &sec);

    /* table: one slot per function and a null one */
    fz_uleb(&sec, 1);
    fz_byte(&sec, 0x70);
    fz_byte(&sec, 0);
    fz_uleb(&sec, (uint32_t)g.nfns + 1);
    fz_section(mod, 4, &sec);

    fz_uleb(&sec, 1);
    fz_byte(&sec, 1);
    fz_uleb(&sec, 1);                     /* min: the active data segment fits */
    fz_uleb(&sec, 1 + fz_below(in, 4));   /* max */
    fz_section(mod, 5, &sec);

    /* globals: 0 mutable i32, 1 mutable i64, 2 immutable i32 */
    fz_uleb(&sec, 3);
    fz_byte(&sec, T_I32); fz_byte(&sec, 1); fz_byte(&sec, 0x41); fz_sleb(&sec, (int32_t)fz_u32(in)); fz_byte(&sec, 0x0b);
    fz_byte(&sec, T_I64); fz_byte(&sec, 1); fz_byte(&sec, 0x42); fz_sleb(&sec, (int64_t)fz_u64(in)); fz_byte(&sec, 0x0b);
    fz_byte(&sec, T_I32); fz_byte(&sec, 0); fz_byte(&sec, 0x41); fz_sleb(&sec, fz_u8(in)); fz_byte(&sec, 0x0b);
    fz_section(mod, 6, &sec);

    fz_uleb(&sec, (uint32_t)g.nfns + 1);
    for (int i = 0; i < g.nfns; i++) {
        char name[8];
        snprintf(name, sizeof name, "f%d", i);
        fz_name(&sec, name);
        fz_byte(&sec, 0);
        fz_uleb(&sec, 1 + (uint32_t)i);
    }
    fz_name(&sec, "mem");
    fz_byte(&sec, 2);
    fz_uleb(&sec, 0);
    fz_section(mod, 7, &sec);

    fz_uleb(&sec, 1);
    fz_byte(&sec, 0);
    fz_byte(&sec, 0x41); fz_sleb(&sec, 0); fz_byte(&sec, 0x0b);
    fz_uleb(&sec, (uint32_t)g.nfns);
    for (int i = 0; i < g.nfns; i++) fz_uleb(&sec, 1 + (uint32_t)i);
    fz_section(mod, 9, &sec);

    fz_uleb(&sec, 2);
    fz_section(mod, 12, &sec);

    fz_uleb(&sec, (uint32_t)g.nfns);
    fz_buf body = { 0 };
    for (int i = 0; i < g.nfns; i++) {
        const gfunc *f = &g.fns[i];
        g.cur = f;
        g.budget = 60 + fz_u8(in);
        g.nlabels = 0;
        g.depth = 0;
        g.b = &body;
        fz_uleb(&body, f->nl);
        for (int k = 0; k < f->nl; k++) { fz_uleb(&body, 1); fz_byte(&body, f->locals[k]); }
        push_label(&g, lk_of(f->result));
        gen_stmts(&g, 6);
        if (f->result != T_NONE) gen_value(&g, f->result);
        pop_label(&g);
        fz_code_entry(&sec, &body);
    }
    fz_buf_free(&body);
    fz_section(mod, 10, &sec);

    /* data: an active segment at 0 and a passive one, from the input */
    fz_uleb(&sec, 2);
    uint8_t bytes[16];
    for (int k = 0; k < 16; k++) bytes[k] = fz_u8(in);
    fz_byte(&sec, 0); fz_byte(&sec, 0x41); fz_sleb(&sec, 0); fz_byte(&sec, 0x0b);
    fz_uleb(&sec, 16); fz_put(&sec, bytes, 16);
    fz_byte(&sec, 1);
    fz_uleb(&sec, 8); fz_put(&sec, bytes + 4, 8);
    fz_section(mod, 11, &sec);
    fz_buf_free(&sec);
}

/* ---- running ---- */

static wvm_status host_fn(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c; (void)user;
    results[0] = wvm_i32(args[0].of.i32 ^ (int32_t)args[1].of.i64);
    return WVM_OK;
}

enum { MAX_CALLS = 16 };
#ifndef FUEL
#define FUEL 100000
#endif

typedef struct run_log {
    int ncalls;
    bool timed_out;
    wvm_status st[MAX_CALLS];
    uint64_t fuel[MAX_CALLS];
    int64_t res[MAX_CALLS];
    uint8_t *mem;                 /* copy of memory 0 at the end (malloc'd) */
    uint64_t mem_size;
    wvm_status inst_st;
} run_log;

static void run(wvm_engine *e, const wvm_module *m, const uint8_t *wasm, size_t len, bool generated,
                run_log *log) {
    memset(log, 0, sizeof *log);
    wvm_store *s = NULL;
    if (wvm_store_new(e, &s) != WVM_OK) abort();
    wvm_store_set_fuel(s, FUEL);
    wvm_store_set_timeout(s, 100);
    wvm_extern *ext = NULL;
    fz_imports im = { 0 };
    uint32_t nimp = wvm_module_import_count(m);
    wvm_status st;
    if (generated) {
        static const wvm_valtype p[] = { WVM_I32, WVM_I64 }, r[] = { WVM_I32 };
        wvm_functype t = { 2, 1, p, r };
        wvm_func *f;
        if (wvm_func_new_host(s, &t, host_fn, NULL, &f) != WVM_OK) abort();
        ext = malloc(sizeof *ext);
        if (!ext) abort();
        ext[0] = (wvm_extern){ WVM_EXTERN_FUNC, f };
        st = WVM_OK;
    } else if (fz_read_imports(wasm, len, &im) == 0 && im.nimports == nimp) {
        st = fz_make_imports(s, &im, &ext);
    } else {
        st = WVM_ERR_ARG;
    }
    log->inst_st = st;
    wvm_instance *inst = NULL;
    if (st == WVM_OK) {
        st = log->inst_st = wvm_instance_new(s, m, ext, nimp, &inst);
        if (st == WVM_TRAP_TIMEOUT) log->timed_out = true;
        if (generated && st != WVM_OK) fprintf(stderr, "instantiation: %s\n", wvm_store_errmsg(s));
        if (generated) FZ_ASSERT(st == WVM_OK || st == WVM_TRAP_TIMEOUT);
        else FZ_ASSERT(st == WVM_OK || st == WVM_ERR_RESOURCE || st == WVM_ERR_NOMEM || wvm_status_is_trap(st));
    }
    if (inst) {
        uint32_t n = wvm_module_export_count(m);
        for (uint32_t i = 0; i < n && log->ncalls < MAX_CALLS; i++) {
            wvm_func *f = fz_export_func(m, inst, i);
            if (!f) continue;
            const wvm_functype *t = wvm_func_type(f);
            if (!t || t->nparams > FZ_MAX_VALS || t->nresults > FZ_MAX_VALS) continue;
            wvm_val args[FZ_MAX_VALS], res[FZ_MAX_VALS];
            for (uint32_t k = 0; k < t->nparams; k++) args[k] = fz_zero(t->params[k]);
            wvm_store_set_fuel(s, FUEL);
            st = wvm_func_call(s, f, args, t->nparams, res, t->nresults);
            FZ_ASSERT(st == WVM_OK || wvm_status_is_trap(st));
            FZ_ASSERT(wvm_store_fuel_used(s) <= FUEL);
            if (st == WVM_TRAP_TIMEOUT) log->timed_out = true;
            int c = log->ncalls++;
            log->st[c] = st;
            log->fuel[c] = wvm_store_fuel_used(s);
            if (st == WVM_OK) {
                uint64_t h = 0;
                for (uint32_t k = 0; k < t->nresults; k++) {
                    FZ_ASSERT(res[k].type == t->results[k]);
                    bool narrow = t->results[k] == WVM_I32 || t->results[k] == WVM_F32;
                    h = h * 31 + (narrow ? res[k].of.f32_bits : res[k].of.f64_bits);
                }
                log->res[c] = (int64_t)h;
            }
        }
        uint64_t size = wvm_instance_memory_size(inst);
        FZ_ASSERT(size <= 16 * 65536);
        log->mem = malloc(size ? size : 1);
        if (!log->mem) abort();
        log->mem_size = size;
        FZ_ASSERT(wvm_instance_memory_read(inst, 0, log->mem, (uint32_t)size) == WVM_OK);
    }
    free(ext);
    fz_imports_free(&im);
    wvm_store_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static wvm_engine *engines[2];  /* immutable after creation: shared by all inputs */
    if (!engines[0]) {
        engines[0] = fz_engine(true, WVM_FLOAT_ALLOW);
        engines[1] = fz_engine(true, WVM_FLOAT_CANONICAL_NAN);
    }
    bool raw = size >= 4 && memcmp(data, "\0asm", 4) == 0;
    fz_buf gen_buf = { 0 };
    const uint8_t *wasm = data;
    size_t len = size;
    wvm_engine *e = engines[0];
    if (!raw) {
        if (size == 0) return 0;
        e = engines[data[0] & 1];
        fz_input in = { data + 1, size - 1, 0 };
        gen_module(&in, &gen_buf);
        wasm = gen_buf.p;
        len = gen_buf.n;
    }
    /* FUZZ_EXEC_DUMP=FILE: write the module (generated or not) there,
     * for turning a crash into a .wasm regression case */
    const char *dump = getenv("FUZZ_EXEC_DUMP");
    if (dump) {
        FILE *f = fopen(dump, "wb");
        if (f) { fwrite(wasm, 1, len, f); fclose(f); }
    }
    wvm_module *m = NULL;
    wvm_status st = wvm_module_new(e, wasm, len, &m);
    if (!raw && st != WVM_OK) {
        fprintf(stderr, "generated module rejected: %s: %s\n", wvm_status_str(st),
                m ? wvm_module_errmsg(m) : "");
        FILE *f = fopen("fuzz_exec-rejected.wasm", "wb");
        if (f) { fwrite(wasm, 1, len, f); fclose(f); }
        abort();
    }
    if (st == WVM_OK) {
        run_log a, b;
        run(e, m, wasm, len, !raw, &a);
        run(e, m, wasm, len, !raw, &b);
        if (!a.timed_out && !b.timed_out) {
            FZ_ASSERT(a.inst_st == b.inst_st);
            FZ_ASSERT(a.ncalls == b.ncalls);
            for (int i = 0; i < a.ncalls; i++) {
                FZ_ASSERT(a.st[i] == b.st[i]);
                FZ_ASSERT(a.fuel[i] == b.fuel[i]);
                FZ_ASSERT(a.res[i] == b.res[i]);
            }
            FZ_ASSERT(a.mem_size == b.mem_size);
            FZ_ASSERT(a.mem_size == 0 || memcmp(a.mem, b.mem, a.mem_size) == 0);
        }
        free(a.mem);
        free(b.mem);
    }
    wvm_module_free(m);
    fz_buf_free(&gen_buf);
    return 0;
}
