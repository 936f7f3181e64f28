/*
 * compile.c -- validates each function body with the spec's algorithm
 * and, in the same pass, translates it to the register code that
 * interp.c runs (layout in runtime.h).  The fusion passes, which rewrite
 * the cells just emitted into the fused handlers of ops.h, are in fuse.c;
 * the state both share is in compile.h.
 *
 * Stack entries carry a type (0 = unknown, after unreachable code) and
 * the frame slot holding the value.  An entry made by local.get is lazy:
 * it names the local's own slot instead of copying it, so most operands
 * are read straight from locals.  Lazy entries are copied into their own
 * slots ("materialized") before the local is overwritten, at block
 * boundaries and where an instruction needs values in place (calls).
 * local.set/tee right after an instruction that produced the value
 * rewrite that instruction's destination instead of copying.
 *
 * Fuel: each basic block starts with a FUEL instruction whose cost is
 * the sum of the costs of the wasm instructions between it and the next
 * block start.  Blocks start at function entry, after loop, if, else
 * and br_if, and after an end that a branch lands on (docs/fuel.md):
 * points defined by the wasm code, not by this translation, so the fuel
 * figures never depend on how we translate.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wasm/compile.h"
#include "wasm/read.h"
#include "wasm/mem.h"

static const uint8_t one_type[256 + 1] = {
    [VT_I32] = VT_I32, [VT_I64] = VT_I64, [VT_F32] = VT_F32, [VT_F64] = VT_F64,
    [VT_FUNCREF] = VT_FUNCREF, [VT_EXTERNREF] = VT_EXTERNREF,
};

const char *compile_valtype_name(int t) {
    switch (t) {
    case VT_I32: return "i32";
    case VT_I64: return "i64";
    case VT_F32: return "f32";
    case VT_F64: return "f64";
    case VT_FUNCREF: return "funcref";
    case VT_EXTERNREF: return "externref";
    case 0: return "unknown";
    }
    return "?";
}

/* Records the first error; later ones are ignored.  Returns false so
 * callers can write `return fail(...)`. */
__attribute__((format(printf, 3, 4)))
bool compile_fail(comp *c, wvm_status st, const char *fmt, ...) {
    if (c->st) return false;
    c->st = st;
    size_t at = (size_t)((c->insn ? c->insn : c->p) - c->start);
    int k = c->in_code
        ? snprintf(c->err, c->errcap, "code section, function %u at offset %zu: ", c->func_index, at)
        : snprintf(c->err, c->errcap, "module at offset %zu: ", at);
    if (k < 0 || (size_t)k >= c->errcap) return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + k, c->errcap - (size_t)k, fmt, ap);
    va_end(ap);
    return false;
}
#define INVALID(...) compile_fail(c, WVM_ERR_INVALID, __VA_ARGS__)
#define MALFORMED(...) compile_fail(c, WVM_ERR_MALFORMED, __VA_ARGS__)

bool compile_grow(comp *c, void **arr, uint32_t *cap, uint32_t need, size_t elem) {
    if (need <= *cap) return true;
    uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 16;
    while (ncap < need) ncap *= 2;
    if (ncap > UINT32_MAX || ncap * elem > SIZE_MAX / 2) return compile_fail(c, WVM_ERR_NOMEM, "out of memory");
    void *q = mem_realloc(c->m->alloc, *arr, (size_t)ncap * elem);
    if (!q) return compile_fail(c, WVM_ERR_NOMEM, "out of memory");
    *arr = q;
    *cap = (uint32_t)ncap;
    return true;
}
#define GROW(arr, cap, need) compile_grow(c, (void **)&(arr), &(cap), (need), sizeof *(arr))

/* ---- reading immediates ---- */

static bool rd_u32(comp *c, uint32_t *v) {
    if (c->p < c->end && *c->p < 0x80) { /* most immediates are one byte */
        *v = *c->p++;
        return true;
    }
    read_result r = read_u32(&c->p, c->end, v);
    return r ? MALFORMED("%s", read_result_str(r)) : true;
}
static bool rd_u8(comp *c, uint8_t *v) {
    read_result r = read_u8(&c->p, c->end, v);
    return r ? MALFORMED("%s", read_result_str(r)) : true;
}
static bool rd_zero(comp *c) {
    uint8_t b = 0;
    if (!rd_u8(c, &b)) return false;
    return b ? MALFORMED("zero byte expected") : true;
}

/* ---- emitting ---- */

static void emit_kind(comp *c, cell v, uint8_t kind) {
    if (c->st || (c->n >= c->cap && !GROW(c->code, c->cap, c->n + 1))) return;
    if (c->kinds) {
        if (c->n >= c->capkinds && !GROW(c->kinds, c->capkinds, c->n + 1)) return;
        c->kinds[c->n] = kind;
    }
    c->code[c->n++] = v;
}
void compile_emit_cell(comp *c, cell v) { emit_kind(c, v, CELL_RAW); }
static void emit_op(comp *c, int op) {
    if (dead(c)) return;
    if (c->npc == 0 || c->pcmap[c->npc - 1].offset != (uint32_t)(c->insn - c->start)) {
        if (!GROW(c->pcmap, c->cappc, c->npc + 1)) return;
        c->pcmap[c->npc++] = (pc_entry){ c->n, (uint32_t)(c->insn - c->start) };
    }
    emit_kind(c, (cell){ .h = c->labels[op] }, CELL_HANDLER);
    c->fold_at = NONE;
    c->last_at = NONE;
}
void compile_emit_u(comp *c, uint64_t u) {
    if (!dead(c)) compile_emit_cell(c, (cell){ .u = u });
}
/* An instruction whose operand cell has its destination in field A. */
static void emit_result(comp *c, int op, uint64_t operands) {
    if (dead(c)) return;
    uint32_t prev = c->last_at != NONE && c->last_n == c->n ? c->last_at : NONE;
    int prev_op = c->last_op;
    c->prev2_at = prev != NONE ? c->prev_at : NONE;
    c->prev2_op = c->prev_op;
    emit_op(c, op);
    c->prev_at = prev;
    c->prev_op = prev_op;
    compile_emit_u(c, operands);
    c->fold_at = c->last_at = c->n - 1;
    c->fold_n = c->last_n = c->n;
    c->fold_op = c->last_op = op;
}

/* slot dst = slot src.  Up to four moves in a row become one MOV2, MOV3
 * or MOV4 (sequential, so the same as the single MOVs) unless a jump
 * lands between them: copies come in runs, as locals are shuffled at the
 * end of a loop body. */
static void emit_mov(comp *c, uint16_t dst, uint16_t src) {
    if (dead(c) || c->st) return;
    uint32_t len = c->mov_n <= 2 ? 2 : 3; /* cells of the instruction at mov_at */
    if (c->mov_at != NONE && c->mov_at + len == c->n && c->label_n != c->n && c->mov_n < 4) {
        static const int grown[] = { 0, OP_MOV2, OP_MOV3, OP_MOV4 };
        uint32_t ops = c->mov_at + 1;
        cell_set_op(c, c->mov_at, grown[c->mov_n]);
        if (c->mov_n == 1) cell_set_u(c, ops, c->code[ops].u | PACK4(0, 0, dst, src));
        else if (c->mov_n == 2) compile_emit_u(c, PACK4(dst, src, 0, 0));
        else cell_set_u(c, ops + 1, c->code[ops + 1].u | PACK4(0, 0, dst, src));
        c->mov_n++;
        c->fold_at = NONE;
        return;
    }
    emit_op(c, OP_MOV);
    compile_emit_u(c, PACK4(dst, src, 0, 0));
    c->mov_at = c->n - 2;
    c->mov_n = 1;
}

/* Writes constant v into slot dst. */
static void emit_const(comp *c, uint16_t dst, uint64_t v) {
    if (v <= UINT32_MAX) {
        emit_result(c, OP_CONST32, PACK2I(dst, 0, v));
    } else {
        emit_result(c, OP_CONST64, dst);
        compile_emit_u(c, v);
        c->fold_n = c->n;
    }
}

/* ---- fuel ---- */

static uint32_t op_cost(comp *c, uint32_t op) {
    return op >= 0x100 ? c->e->fuel.op_fc[(op - 0x100) & 31] : c->e->fuel.op[op & 255];
}

/* Closes the open basic block: its FUEL gets the summed cost. */
static void fuel_close(comp *c) {
    if (c->fuel_at != NONE && !c->st) cell_set_u(c, c->fuel_at, c->fuel_acc);
    c->fuel_at = NONE;
    c->fuel_acc = 0;
}

/* Where a FUEL is put (fuel_point). */
enum { AT_JOIN, AT_LOOP_HEAD, AFTER_COND_BRANCH };

/* Closes the open basic block and opens one here.  Without metering
 * only loop heads and function entries keep a FUEL (cost 1), for the
 * deadline and cancel checks, and a conditional branch is still followed
 * by one (cost 0): the branch handlers charge the block they go to, taken
 * or not (ENTER_BLOCK in interp.c), so they count on finding it there. */
static void fuel_point(comp *c, int at) {
    fuel_close(c);
    if (dead(c) || (!c->e->cfg.metering && at == AT_JOIN)) return;
    emit_op(c, OP_FUEL);
    compile_emit_u(c, c->e->cfg.metering || at != AT_LOOP_HEAD ? 0 : 1);
    if (c->e->cfg.metering) c->fuel_at = c->n - 1;
    /* a FUEL right after another: nothing runs between them, so one
     * dispatch can charge both (FUEL2 in interp.c) */
    if (c->fuel_last != NONE && c->fuel_last + 2 == c->n - 2 && !c->st)
        cell_set_op(c, c->fuel_last, OP_FUEL2);
    c->fuel_last = c->n - 2;
}

/* ---- the operand stack ---- */

bool compile_push(comp *c, uint8_t type) {
    if (c->nvs >= c->capvs && !GROW(c->vs, c->capvs, c->nvs + 1)) return false;
    if (c->nlocals + c->nvs + 1 > MAX_FRAME_SLOTS)
        return compile_fail(c, WVM_ERR_LIMIT, "limit: function frame needs more than %u slots", MAX_FRAME_SLOTS);
    c->vs[c->nvs] = (vsval){ .type = type, .loc = own_slot(c, c->nvs) };
    c->nvs++;
    if (c->nvs > c->max_height) c->max_height = c->nvs;
    return true;
}

/* Pops any value; returns an unknown one in unreachable code. */
static vsval pop_any(comp *c) {
    ctrl *f = &c->cs[c->ncs - 1];
    if (c->nvs == f->height) {
        if (!f->unreachable) INVALID("type mismatch: operand stack is empty");
        return (vsval){ .type = 0, .loc = own_slot(c, c->nvs) };
    }
    return c->vs[--c->nvs];
}

/* A popped constant that the consumer cannot take as an immediate is
 * written to its own slot, just before the consumer. */
static vsval unconst(comp *c, vsval v) {
    if (!v.is_k) return v;
    emit_const(c, v.loc, v.k);
    v.is_k = false;
    return v;
}

static vsval pop_k(comp *c, uint8_t want) {
    vsval v = pop_any(c);
    if (v.type && want && v.type != want)
        INVALID("type mismatch: expected %s, found %s", compile_valtype_name(want), compile_valtype_name(v.type));
    return v;
}

static vsval pop(comp *c, uint8_t want) { return unconst(c, pop_k(c, want)); }

static bool is_num(uint8_t t) { return t == VT_I32 || t == VT_I64 || t == VT_F32 || t == VT_F64; }
static bool is_ref(uint8_t t) { return t == VT_FUNCREF || t == VT_EXTERNREF; }

/* Copies a lazy entry into its own slot. */
static void materialize(comp *c, uint32_t i) {
    if (c->st || i >= c->capvs) return; /* after an error: nothing to do */
    uint16_t own = own_slot(c, i);
    if (c->vs[i].is_k) {
        emit_const(c, own, c->vs[i].k);
        c->vs[i].is_k = false;
        c->fold_at = NONE;
        return;
    }
    if (c->vs[i].loc == own) return;
    emit_mov(c, own, c->vs[i].loc);
    c->vs[i].loc = own;
}
static void materialize_all(comp *c) {
    for (uint32_t i = 0; i < c->nvs; i++) materialize(c, i);
}
/* Before local x is overwritten: entries that still read it get copies. */
static bool has_ref_to(comp *c, uint16_t x) {
    for (uint32_t i = 0; i < c->nvs; i++)
        if (c->vs[i].loc == x && x < c->nlocals) return true;
    return false;
}
static void materialize_refs(comp *c, uint16_t x) {
    for (uint32_t i = 0; i < c->nvs; i++)
        if (c->vs[i].loc == x) materialize(c, i);
}

/* ---- control frames ---- */

static bool push_ctrl(comp *c, uint8_t kind, uint32_t np, const uint8_t *pt,
                      uint32_t nr, const uint8_t *rt) {
    if (c->ncs > c->e->cfg.limits.max_block_depth)
        return compile_fail(c, WVM_ERR_LIMIT, "limit: block nesting deeper than max_block_depth %u",
                    c->e->cfg.limits.max_block_depth);
    if (!GROW(c->cs, c->capcs, c->ncs + 1)) return false;
    bool d = c->ncs ? dead(c) : false;
    c->cs[c->ncs++] = (ctrl){ .kind = kind, .dead = d, .height = c->nvs - np,
                              .nparams = np, .params = pt, .nresults = nr, .results = rt,
                              .label = NONE, .fixups = NONE, .else_fixup = NONE };
    return true;
}

/* Marks the rest of the block unreachable and drops its operands. */
static void set_unreachable(comp *c) {
    ctrl *f = &c->cs[c->ncs - 1];
    c->nvs = f->height;
    f->unreachable = true;
    c->fold_at = NONE;
}

static uint32_t label_arity(const ctrl *f, const uint8_t **types) {
    if (f->kind == K_LOOP) { *types = f->params; return f->nparams; }
    *types = f->results;
    return f->nresults;
}

static void add_fixup(comp *c, ctrl *f, uint32_t at, uint32_t base, bool hi) {
    if (dead(c) || !GROW(c->fx, c->capfx, c->nfx + 1)) return;
    c->fx[c->nfx] = (fixup){ at, base, f->fixups, hi };
    f->fixups = c->nfx++;
}

static void patch(comp *c, uint32_t at, uint32_t base, bool hi, uint32_t target) {
    if (c->st) return;
    if (target == c->n) c->label_n = c->n;
    int64_t off = (int64_t)target - (int64_t)base;
    if (hi) cell_set_u(c, at, (c->code[at].u & 0xffffffffu) | (uint64_t)(uint32_t)(int32_t)off << 32);
    else cell_set_u(c, at, (uint64_t)off);
}

/* Points the block's forward branches here; true if there were any. */
static bool bind_fixups(comp *c, ctrl *f) {
    bool any = f->fixups != NONE;
    for (uint32_t i = f->fixups; i != NONE; i = c->fx[i].next)
        patch(c, c->fx[i].at, c->fx[i].base, c->fx[i].hi, c->n);
    f->fixups = NONE;
    return any;
}

/* Checks the top values against types (without popping). */
static bool check_top(comp *c, uint32_t n, const uint8_t *types) {
    ctrl *f = &c->cs[c->ncs - 1];
    for (uint32_t i = 0; i < n; i++) {
        uint32_t depth = n - 1 - i;
        if (c->nvs - f->height <= depth) {
            if (!f->unreachable) return INVALID("type mismatch: missing operand");
            continue;
        }
        uint8_t t = c->vs[c->nvs - 1 - depth].type;
        if (t && t != types[i])
            return INVALID("type mismatch: expected %s, found %s", compile_valtype_name(types[i]),
                           compile_valtype_name(t));
    }
    return true;
}

/* Copies the top n values into the slots starting at dst (a label's or
 * the function's result slots), in increasing order: a stack value never
 * sits below its destination.  Only a lazy local can be overwritten
 * before it is read (returning into the parameter slots); such values go
 * through their own slots first.  Branch paths are alternatives, so this
 * emits code but never changes the translator's view of the stack. */
static bool copy_hazard(comp *c, uint32_t i, uint16_t loc, uint16_t dst) {
    return loc < c->nlocals && loc >= dst && loc < dst + i;
}
static void copy_top(comp *c, uint32_t n, uint16_t dst) {
    if (dead(c) || n == 0) return;
    uint32_t first = c->nvs - n;
    for (uint32_t i = 0; i < n; i++) {
        uint16_t loc = c->vs[first + i].loc;
        if (!c->vs[first + i].is_k && copy_hazard(c, i, loc, dst))
            emit_mov(c, own_slot(c, first + i), loc);
    }
    for (uint32_t i = 0; i < n; i++) {
        uint16_t loc = c->vs[first + i].loc;
        if (c->vs[first + i].is_k) {
            emit_const(c, dst + i, c->vs[first + i].k);
            continue;
        }
        if (copy_hazard(c, i, loc, dst)) loc = own_slot(c, first + i);
        if (loc == dst + i) continue;
        if (n == 1 && c->fold_at != NONE && c->fold_n == c->n && loc == own_slot(c, first) &&
            OPA(c->code[c->fold_at].u) == loc) {
            /* the instruction just emitted writes the destination itself */
            cell_set_u(c, c->fold_at, (c->code[c->fold_at].u & ~(uint64_t)0xffff) | dst);
            c->fold_at = NONE;
            continue;
        }
        emit_mov(c, (uint16_t)(dst + i), loc);
    }
}

/* Checks the top n values against types and leaves them typed so (pop
 * then push of the same types, keeping where the values live).  In
 * unreachable code missing values are made up. */
static bool retype_top(comp *c, uint32_t n, const uint8_t *types) {
    if (!check_top(c, n, types)) return false;
    ctrl *f = &c->cs[c->ncs - 1];
    if (c->nvs - f->height < n) {
        c->nvs = f->height;
        for (uint32_t i = 0; i < n; i++)
            if (!compile_push(c, types[i])) return false;
    }
    for (uint32_t i = 0; i < n; i++) c->vs[c->nvs - n + i].type = types[i];
    return true;
}

static void emit_return(comp *c) {
    ctrl *f = &c->cs[0];
    copy_top(c, f->nresults, 0);
    emit_op(c, OP_RETURN);
}

/* The variant of a branch handler that enters a loop head (op_L), or -1. */
static int loop_variant(int op) {
    static const int to_loop[OP_COUNT] = {
        [OP_BR] = OP_BR_L + 1, [OP_BR_IF] = OP_BR_IF_L + 1, [OP_BR_UNLESS] = OP_BR_UNLESS_L + 1,
#define X(name, o, f, neg) [OP_BR_##name] = OP_BR_##name##_L + 1, [OP_BRI_##name] = OP_BRI_##name##_L + 1,
        CMP_OPS(X)
#undef X
    };
    return to_loop[op] - 1;
}

/* Remembers a jump for enter_blocks. */
static void note_branch(comp *c, uint32_t base, uint32_t at, bool hi, int op) {
    if (dead(c) || c->st || !GROW(c->brs, c->capbrs, c->nbrs + 1)) return;
    c->brs[c->nbrs++] = (cond_branch){ at, base, hi, op };
}

/* After translation: a jump that lands on a FUEL instruction (a loop
 * head, an else-arm, a label after end, the block after br_if) pays that
 * block itself and skips the FUEL -- one dispatch less per taken jump.
 * Fuel is charged exactly as before, at the same point. */
static bool starts_block(comp *c, uint64_t target) {
    return target < c->n && (c->code[target].h == c->labels[OP_FUEL] || c->code[target].h == c->labels[OP_FUEL2]);
}

static void enter_blocks(comp *c) {
    for (uint32_t i = 0; i < c->nbrs && !c->st; i++) {
        cond_branch *b = &c->brs[i];
        if (b->op == OP_BR_TABLE) { /* [h][A=index HI=n][offset 0]...[offset n] */
            uint32_t n = OPHI(c->code[b->at].u);
            bool all = true;
            for (uint32_t k = 0; k <= n && all; k++) all = starts_block(c, b->base + c->code[b->at + 1 + k].i);
            if (all) cell_set_op(c, b->base, OP_BR_TABLE_L);
            continue;
        }
        uint64_t w = c->code[b->at].u;
        int64_t off = b->hi ? (int32_t)OPHI(w) : (int64_t)w;
        if (starts_block(c, b->base + off)) cell_set_op(c, b->base, loop_variant(b->op));
    }
}

/* Emits the copies and jump of a branch to label `depth` (validated). */
static void emit_branch(comp *c, uint32_t depth) {
    ctrl *f = &c->cs[c->ncs - 1 - depth];
    if (f->kind == K_FUNC) { emit_return(c); return; }
    const uint8_t *t;
    uint32_t n = label_arity(f, &t);
    copy_top(c, n, own_slot(c, f->height));
    if (dead(c)) return;
    emit_op(c, OP_BR);
    uint32_t base = c->n - 1;
    compile_emit_u(c, 0);
    note_branch(c, base, c->n - 1, false, OP_BR);
    if (f->kind == K_LOOP) patch(c, c->n - 1, base, false, f->label);
    else add_fixup(c, f, c->n - 1, base, false);
}

/* True when a branch to label `depth` needs no copies. */
static bool branch_is_plain(comp *c, uint32_t depth) {
    ctrl *f = &c->cs[c->ncs - 1 - depth];
    if (f->kind == K_FUNC) return false;
    const uint8_t *t;
    uint32_t n = label_arity(f, &t);
    uint16_t dst = own_slot(c, f->height);
    for (uint32_t i = 0; i < n; i++)
        if (c->vs[c->nvs - n + i].is_k || c->vs[c->nvs - n + i].loc != dst + i) return false;
    return true;
}

/* Emits a branch taken when cond is true (when_true) or false.  When
 * cond is the result of the comparison just emitted, that comparison
 * becomes a compare-and-branch instead. */
static cond_branch emit_cond_branch(comp *c, vsval cond, bool when_true) {
    static const int fused[2][OP_COUNT] = {
#define X(name, op, f, neg) [OP_I32_##name] = OP_BR_##neg + 1, [OP_I32_##name##_I] = OP_BRI_##neg + 1,
        { CMP_OPS(X) [OP_I32_EQZ] = OP_BR_IF + 1 },
#undef X
#define X(name, op, f, neg) [OP_I32_##name] = OP_BR_##name + 1, [OP_I32_##name##_I] = OP_BRI_##name + 1,
        { CMP_OPS(X) [OP_I32_EQZ] = OP_BR_UNLESS + 1 },
#undef X
    };
    cond_branch b = { NONE, NONE, true, -1 };
    if (dead(c)) return b;
    int f = c->fold_at != NONE && c->fold_n == c->n && cond.loc == own_slot(c, c->nvs) &&
            OPA(c->code[c->fold_at].u) == cond.loc ? fused[when_true][c->fold_op] - 1 : -1;
    if (f < 0) {
        emit_op(c, when_true ? OP_BR_IF : OP_BR_UNLESS);
        compile_emit_u(c, PACK2I(cond.loc, 0, 0));
        return (cond_branch){ c->n - 1, c->n - 2, true, when_true ? OP_BR_IF : OP_BR_UNLESS };
    }
    uint64_t old = c->code[c->fold_at].u;
    b.base = c->fold_at - 1;
    b.at = c->fold_at;
    cell_set_op(c, b.base, f);
    if (f == OP_BR_IF || f == OP_BR_UNLESS) { /* eqz */
        cell_set_u(c, b.at, PACK2I(OPB(old), 0, 0));
    } else if (c->fold_op >= OP_I32_ADD_I && c->fold_op <= OP_I64_GE_U_I) { /* immediate */
        cell_set_u(c, b.at, PACK2I(OPB(old), 0, OPHI(old)));
        compile_emit_u(c, 0);
        b.at = c->n - 1;
        b.hi = false;
    } else {
        cell_set_u(c, b.at, PACK2I(OPB(old), OPC(old), 0));
    }
    c->fold_at = NONE;
    b.op = f;
    return b;
}

static bool label_depth(comp *c, uint32_t *depth) {
    if (!rd_u32(c, depth)) return false;
    if (*depth >= c->ncs) return INVALID("unknown label %u", *depth);
    return true;
}

/* ---- block types ---- */

bool compile_blocktype(comp *c, uint32_t *np, const uint8_t **pt, uint32_t *nr, const uint8_t **rt) {
    if (c->p < c->end && *c->p == 0x40) {
        c->p++;
        *np = *nr = 0;
        *pt = *rt = NULL;
        return true;
    }
    if (c->p < c->end && one_type[*c->p]) {
        *np = 0;
        *pt = NULL;
        *nr = 1;
        *rt = &one_type[*c->p];
        c->p++;
        return true;
    }
    int64_t idx;
    read_result r = read_sleb(&c->p, c->end, 33, &idx);
    if (r) return MALFORMED("%s", read_result_str(r));
    if (idx < 0) return MALFORMED("malformed value type");
    if ((uint64_t)idx >= c->m->ntypes) return INVALID("unknown type %lld", (long long)idx);
    wasm_functype *ft = &c->m->types[idx];
    *np = ft->nparams;
    *pt = ft->types;
    *nr = ft->nresults;
    *rt = ft->nresults ? ft->types + ft->nparams : NULL;
    return true;
}

/* ---- instruction groups ---- */

static bool op_block(comp *c, uint8_t kind) {
    uint32_t np = 0, nr = 0;
    const uint8_t *pt = NULL, *rt = NULL;
    if (!compile_blocktype(c, &np, &pt, &nr, &rt)) return false;
    vsval cond = { .type = VT_I32 };
    if (kind == K_IF) cond = pop(c, VT_I32);
    /* the params stay where they are and become the block's */
    if (!retype_top(c, np, pt)) return false;
    materialize_all(c);
    if (!push_ctrl(c, kind, np, pt, nr, rt)) return false;
    ctrl *f = &c->cs[c->ncs - 1];
    if (kind == K_LOOP) {
        /* the loop head is its FUEL instruction, so each iteration pays */
        f->label = c->label_n = c->n;
        fuel_point(c, AT_LOOP_HEAD);
    } else if (kind == K_IF) {
        cond_branch b = emit_cond_branch(c, cond, false);
        note_branch(c, b.base, b.at, b.hi, b.op);
        f->else_fixup = b.at;
        f->else_base = b.base;
        f->else_hi = b.hi;
        fuel_point(c, AFTER_COND_BRANCH);
    }
    c->fold_at = NONE;
    return true;
}

static bool op_else(comp *c) {
    ctrl *f = &c->cs[c->ncs - 1];
    if (f->kind != K_IF) return INVALID("else without if");
    check_top(c, f->nresults, f->results);
    if (c->nvs - f->height > f->nresults || (c->nvs - f->height < f->nresults && !f->unreachable))
        return INVALID("type mismatch: block leaves %u values, expected %u", c->nvs - f->height, f->nresults);
    if (!dead(c)) {
        copy_top(c, f->nresults, own_slot(c, f->height));
        emit_op(c, OP_BR);
        compile_emit_u(c, 0);
        note_branch(c, c->n - 2, c->n - 1, false, OP_BR);
        add_fixup(c, f, c->n - 1, c->n - 2, false);
    }
    fuel_close(c);
    uint32_t ef = f->else_fixup;
    c->nvs = f->height;
    f->unreachable = false;
    f->kind = K_ELSE;
    if (ef != NONE) patch(c, ef, f->else_base, f->else_hi, c->n);
    f->else_fixup = NONE;
    for (uint32_t i = 0; i < f->nparams; i++) compile_push(c, f->params[i]);
    fuel_point(c, AT_JOIN);
    return true;
}

/* `end`: returns true when it ends the function. */
static bool op_end(comp *c, bool *func_end) {
    ctrl *f = &c->cs[c->ncs - 1];
    check_top(c, f->nresults, f->results);
    if (c->nvs - f->height > f->nresults || (c->nvs - f->height < f->nresults && !f->unreachable))
        return INVALID("type mismatch: block leaves %u values, expected %u", c->nvs - f->height, f->nresults);
    if (f->kind == K_IF) {
        /* no else: the implicit else passes the params through */
        if (f->nparams != f->nresults || (f->nparams && memcmp(f->params, f->results, f->nparams) != 0))
            return INVALID("type mismatch: if without else must not change the stack types");
    }
    if (f->kind == K_FUNC) {
        if (!dead(c)) emit_return(c);
        fuel_point(c, AT_JOIN);
        *func_end = true;
        return true;
    }
    if (!dead(c))
        for (uint32_t i = 0; i < f->nresults; i++) materialize(c, f->height + i);
    c->fold_at = NONE;
    uint32_t ef = f->else_fixup;
    uint32_t height = f->height, nr = f->nresults;
    const uint8_t *rt = f->results;
    /* Where a branch lands, a new basic block starts; where only the
     * code before falls through, the open block simply goes on. */
    bool falls = !dead(c);
    bool landed = bind_fixups(c, f);
    if (ef != NONE) {
        patch(c, ef, f->else_base, f->else_hi, c->n);
        landed = true;
    }
    c->ncs--;
    c->nvs = height;
    for (uint32_t i = 0; i < nr; i++) compile_push(c, rt[i]);
    if (landed || !falls || c->fuel_at == NONE) fuel_point(c, AT_JOIN);
    return true;
}

static bool op_br(comp *c, uint8_t op) {
    uint32_t depth;
    if (op == 0x0c) {
        if (!label_depth(c, &depth)) return false;
        const uint8_t *t;
        uint32_t n = label_arity(&c->cs[c->ncs - 1 - depth], &t);
        if (!check_top(c, n, t)) return false;
        emit_branch(c, depth);
        set_unreachable(c);
        return true;
    }
    if (op == 0x0d) { /* br_if */
        if (!label_depth(c, &depth)) return false;
        vsval cond = pop(c, VT_I32);
        const uint8_t *t;
        uint32_t n = label_arity(&c->cs[c->ncs - 1 - depth], &t);
        if (!check_top(c, n, t)) return false;
        if (!retype_top(c, n, t)) return false;
        if (!dead(c)) {
            if (branch_is_plain(c, depth)) {
                ctrl *f = &c->cs[c->ncs - 1 - depth];
                uint32_t last_at = c->last_at, last_n = c->last_n;
                int last_op = c->last_op;
                cond_branch b = emit_cond_branch(c, cond, true);
                if (f->kind == K_LOOP && fuse_step(c, b, f->label, last_at, last_n, last_op)) {
                    /* one instruction, its offset already set */
                } else {
                    note_branch(c, b.base, b.at, b.hi, b.op);
                    if (f->kind == K_LOOP) patch(c, b.at, b.base, b.hi, f->label);
                    else add_fixup(c, f, b.at, b.base, b.hi);
                }
            } else {
                emit_op(c, OP_BR_UNLESS);
                uint32_t skip = c->n - 1;
                compile_emit_u(c, PACK2I(cond.loc, 0, 0));
                note_branch(c, skip, skip + 1, true, OP_BR_UNLESS);
                /* not taken, it goes on to the copies, still in this
                 * block: an empty FUEL for it to skip */
                emit_op(c, OP_FUEL);
                compile_emit_u(c, 0);
                emit_branch(c, depth);
                patch(c, skip + 1, skip, true, c->n);
            }
        }
        fuel_point(c, AFTER_COND_BRANCH);
        return true;
    }
    /* br_table */
    uint32_t count;
    if (!rd_u32(c, &count)) return false;
    if (count > (uint32_t)(c->end - c->p)) return MALFORMED("unexpected end");
    uint32_t *targets = mem_calloc(c->m->alloc, (size_t)count + 1, sizeof *targets);
    if (!targets) return compile_fail(c, WVM_ERR_NOMEM, "out of memory");
    bool ok = true;
    for (uint32_t i = 0; i <= count && ok; i++) ok = label_depth(c, &targets[i]);
    vsval idx = ok ? pop(c, VT_I32) : (vsval){ .type = 0 };
    const uint8_t *t0;
    uint32_t arity = ok ? label_arity(&c->cs[c->ncs - 1 - targets[count]], &t0) : 0;
    for (uint32_t i = 0; i <= count && ok; i++) {
        const uint8_t *t;
        uint32_t n = label_arity(&c->cs[c->ncs - 1 - targets[i]], &t);
        if (n != arity) ok = INVALID("type mismatch: br_table targets have different arities");
        else ok = check_top(c, n, t);
    }
    if (ok && !dead(c) && c->nvs - c->cs[c->ncs - 1].height >= arity) {
        emit_op(c, OP_BR_TABLE);
        uint32_t base = c->n - 1;
        compile_emit_u(c, PACK2I(idx.loc, 0, count));
        note_branch(c, base, base + 1, true, OP_BR_TABLE);
        uint32_t table = c->n;
        for (uint32_t i = 0; i <= count; i++) compile_emit_u(c, 0);
        for (uint32_t i = 0; i <= count && !c->st; i++) {
            ctrl *f = &c->cs[c->ncs - 1 - targets[i]];
            if (branch_is_plain(c, targets[i])) {
                if (f->kind == K_LOOP) patch(c, table + i, base, false, f->label);
                else add_fixup(c, f, table + i, base, false);
            } else {
                /* a stub after the table does the copies and jumps */
                patch(c, table + i, base, false, c->n);
                emit_branch(c, targets[i]);
            }
        }
    }
    mem_free(c->m->alloc, targets);
    set_unreachable(c);
    return ok;
}

static const wasm_functype *func_type(comp *c, uint32_t f) {
    return &c->m->types[c->m->func_types[f]];
}

/* Arguments must sit in consecutive own slots: the callee's frame starts
 * at the first one. */
static uint16_t call_args(comp *c, const wasm_functype *t) {
    for (uint32_t i = t->nparams; i-- > 0;) pop_k(c, t->types[i]);
    uint32_t base = c->nvs;
    /* popped entries are still in the array: materialize them in place */
    if (!dead(c))
        for (uint32_t i = 0; i < t->nparams; i++) materialize(c, base + i);
    return own_slot(c, base);
}

static void call_results(comp *c, const wasm_functype *t) {
    for (uint32_t i = 0; i < t->nresults; i++) compile_push(c, t->types[t->nparams + i]);
    /* the callee frame must fit in this one's slot numbering too */
    if (c->nvs + t->nparams > c->max_height) c->max_height = c->nvs + t->nparams;
}

static bool op_call(comp *c) {
    uint32_t f;
    if (!rd_u32(c, &f)) return false;
    if (f >= c->m->nfuncs) return INVALID("unknown function %u", f);
    const wasm_functype *t = func_type(c, f);
    uint16_t base = call_args(c, t);
    bool import = f < c->m->nfunc_imports;
    emit_op(c, import ? OP_CALL_IMPORT : OP_CALL);
    compile_emit_u(c, PACK2I(base, 0, f));
    if (!import && !dead(c)) emit_kind(c, (cell){ .p = &c->m->compiled[f - c->m->nfunc_imports] }, CELL_FUNC);
    call_results(c, t);
    return true;
}

static bool op_call_indirect(comp *c) {
    uint32_t ti, table;
    if (!rd_u32(c, &ti) || !rd_u32(c, &table)) return false;
    if (table >= c->m->ntables) return INVALID("unknown table %u", table);
    if (c->m->tables[table].elem != VT_FUNCREF) return INVALID("type mismatch: call_indirect on a table of externref");
    if (ti >= c->m->ntypes) return INVALID("unknown type %u", ti);
    const wasm_functype *t = &c->m->types[ti];
    vsval idx = pop(c, VT_I32);
    uint16_t base = call_args(c, t);
    emit_op(c, OP_CALL_INDIRECT);
    compile_emit_u(c, PACK2I(base, idx.loc, table));
    compile_emit_u(c, ti);
    call_results(c, t);
    return true;
}

static bool op_local(comp *c, uint8_t op) {
    uint32_t x;
    if (!rd_u32(c, &x)) return false;
    if (x >= c->nlocals) return INVALID("unknown local %u", x);
    uint8_t t = c->local_types[x];
    if (op == 0x20) { /* local.get: a lazy entry naming the local */
        if (!compile_push(c, t)) return false;
        c->vs[c->nvs - 1].loc = (uint16_t)x;
        c->fold_at = NONE;
        return true;
    }
    vsval v = pop(c, t);
    if (dead(c)) {
        if (op == 0x22) compile_push(c, t);
        return true;
    }
    bool foldable = c->fold_at != NONE && c->fold_n == c->n && v.loc == own_slot(c, c->nvs) &&
                    OPA(c->code[c->fold_at].u) == v.loc && !has_ref_to(c, (uint16_t)x);
    if (foldable) {
        cell_set_u(c, c->fold_at, (c->code[c->fold_at].u & ~(uint64_t)0xffff) | x);
    } else if (v.loc != x) {
        materialize_refs(c, (uint16_t)x);
        emit_mov(c, (uint16_t)x, v.loc);
    }
    c->fold_at = NONE;
    if (op == 0x22) { /* local.tee: the value stays, read from the local */
        compile_push(c, t);
        c->vs[c->nvs - 1].loc = (uint16_t)x;
    }
    return true;
}

static bool op_global(comp *c, uint8_t op) {
    uint32_t g;
    if (!rd_u32(c, &g)) return false;
    if (g >= c->m->nglobals) return INVALID("unknown global %u", g);
    wasm_globaltype *gt = &c->m->globals[g].type;
    if (op == 0x23) {
        if (!compile_push(c, gt->type)) return false;
        emit_result(c, OP_GLOBAL_GET, PACK2I(own_slot(c, c->nvs - 1), 0, g));
        return true;
    }
    if (!gt->mut) return INVALID("global is immutable");
    vsval v = pop(c, gt->type);
    emit_op(c, OP_GLOBAL_SET);
    compile_emit_u(c, PACK2I(v.loc, 0, g));
    return true;
}

static bool need_memory(comp *c) {
    return c->m->nmems ? true : INVALID("unknown memory 0");
}

static bool memarg(comp *c, uint32_t natural, uint32_t *offset) {
    uint32_t align;
    if (!rd_u32(c, &align) || !rd_u32(c, offset)) return false;
    if (!need_memory(c)) return false;
    if (align >= 32 || (1u << align) > natural) return INVALID("alignment must not be larger than natural");
    return true;
}

static bool float_refused(comp *c, uint8_t type) {
    return c->e->cfg.float_policy == WVM_FLOAT_REJECT && (type == VT_F32 || type == VT_F64);
}

/* The _A form of a load or store (ops.h) when its address is a constant
 * and the effective address fits 32 bits, or -1.  (One past 2^32 is out
 * of bounds whatever the memory; the plain form traps there.) */
static int absolute_form(int op, vsval a, uint32_t off, uint64_t *ea) {
    static const int forms[OP_COUNT] = {
#define X(code, name, t, n) [OP_##name] = OP_##name##_A + 1,
        LOAD_OPS(X) STORE_OPS(X)
#undef X
    };
    *ea = (uint64_t)(uint32_t)a.k + off;
    return a.is_k && *ea <= UINT32_MAX ? forms[op] - 1 : -1;
}

static bool op_load(comp *c, int op, uint8_t type, uint32_t bytes) {
    uint32_t off;
    uint64_t ea;
    if (float_refused(c, type)) return INVALID("float load refused by the float policy");
    if (!memarg(c, bytes, &off)) return false;
    vsval a = pop_k(c, VT_I32);
    int absolute = absolute_form(op, a, off, &ea);
    if (absolute < 0) a = unconst(c, a);
    uint16_t dst = own_slot(c, c->nvs); /* the address's slot, now the result's */
    if (!compile_push(c, type)) return false;
    if (absolute >= 0) emit_result(c, absolute, PACK2I(dst, 0, ea));
    else if (!fuse_address(c, op, true, a, dst, off, dst)) emit_result(c, op, PACK2I(dst, a.loc, off));
    return true;
}

/* A constant the _K store forms can take in their A field, or -1. */
static int32_t store_imm(vsval v, uint32_t bytes) {
    if (!v.is_k) return -1;
    int16_t k = (int16_t)v.k;
    bool fits = bytes <= 2 || (bytes == 4 ? (uint32_t)v.k == (uint32_t)(int32_t)k : v.k == (uint64_t)(int64_t)k);
    return fits ? (uint16_t)k : -1;
}

static bool op_store(comp *c, int op, uint8_t type, uint32_t bytes) {
    static const struct { int k, ka; } k_form[OP_COUNT] = {
#define X(code, name, t, n) [OP_##name] = { OP_##name##_K, OP_##name##_KA },
        STORE_OPS(X)
#undef X
    };
    uint32_t off;
    if (float_refused(c, type)) return INVALID("float store refused by the float policy");
    if (!memarg(c, bytes, &off)) return false;
    vsval v = pop_k(c, type);
    int32_t k = store_imm(v, bytes);
    if (k < 0) v = unconst(c, v);
    vsval a = pop_k(c, VT_I32);
    uint64_t ea;
    int absolute = absolute_form(op, a, off, &ea);
    if (absolute < 0) a = unconst(c, a);
    if (k >= 0 && absolute >= 0) {
        emit_op(c, k_form[op].ka);
        compile_emit_u(c, PACK2I(k, 0, ea));
    } else if (k >= 0) {
        if (!fuse_address(c, k_form[op].k, false, a, own_slot(c, c->nvs), off, (uint16_t)k)) {
            emit_op(c, k_form[op].k);
            compile_emit_u(c, PACK2I(k, a.loc, off));
        }
    } else if (absolute >= 0) {
        emit_op(c, absolute);
        compile_emit_u(c, PACK2I(v.loc, 0, ea));
    } else if (!fuse_store(c, op, v, a, off) && !fuse_address(c, op, false, a, own_slot(c, c->nvs), off, v.loc)) {
        emit_op(c, op);
        compile_emit_u(c, PACK2I(v.loc, a.loc, off));
    }
    return true;
}

static bool is_float_op(uint8_t r, uint8_t a, uint8_t b) {
    return r == VT_F32 || r == VT_F64 || a == VT_F32 || a == VT_F64 || b == VT_F32 || b == VT_F64;
}

/* The register-immediate handler for `op` when its second operand is a
 * constant that fits 32 bits (sign-extended for i64), or -1.  A constant
 * first operand of a commutative op is swapped into second place;
 * subtraction of a constant becomes addition of its negation. */
static int immediate_form(int op, vsval *a, vsval *b) {
    static const int imm[OP_COUNT] = {
#define X(name) [OP_##name] = OP_##name##_I + 1,
        IMM_OPS(X)
#undef X
        [OP_I32_SUB] = OP_I32_ADD_I + 1, [OP_I64_SUB] = OP_I64_ADD_I + 1,
    };
    bool commutative = op == OP_I32_ADD || op == OP_I32_MUL || op == OP_I32_AND || op == OP_I32_OR ||
                       op == OP_I32_XOR || op == OP_I32_EQ || op == OP_I32_NE || op == OP_I64_ADD ||
                       op == OP_I64_MUL || op == OP_I64_AND || op == OP_I64_OR || op == OP_I64_XOR ||
                       op == OP_I64_EQ || op == OP_I64_NE;
    if (!imm[op] || a->type == 0 || b->type == 0) return -1;
    if (!b->is_k && a->is_k && commutative) {
        vsval t = *a;
        *a = *b;
        *b = t;
    }
    if (!b->is_k || a->is_k) return -1;
    bool is64 = b->type == VT_I64;
    uint64_t k = b->k;
    if (op == OP_I32_SUB) k = (uint32_t)(0u - (uint32_t)k);
    if (op == OP_I64_SUB) k = 0 - k;
    if (is64 && (int64_t)k != (int64_t)(int32_t)k) return -1;
    b->k = k;
    return imm[op] - 1;
}

/* A float constant that is a NaN: the operand order of a float add or
 * multiply decides which NaN comes out, so such a constant is not moved
 * to the other side. */
static bool is_nan_const(vsval v) {
    if (v.type == VT_F32) return ((uint32_t)v.k & 0x7fffffffu) > 0x7f800000u;
    if (v.type == VT_F64) return (v.k & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
    return false;
}

/* A _W or _WR handler: its constant has a cell of its own. */
static bool is_wide(int op) {
    static const bool wide[OP_COUNT] = {
#define X(name) [OP_##name##_W] = true,
        WIDE_OPS(X)
#undef X
#define X(name) [OP_##name##_WR] = true,
        WIDE_REV_OPS(X)
#undef X
    };
    return wide[op];
}

/* When immediate_form found no _I form: the _W, _WR or _IR handler for
 * `op` with a constant operand (ops.h), or -1.  *a becomes the register
 * operand and *b the constant. */
static int wide_form(int op, vsval *a, vsval *b) {
    static const int x_k[OP_COUNT] = { /* x op constant */
#define X(name) [OP_##name] = OP_##name##_W + 1,
        WIDE_OPS(X)
#undef X
    };
    static const int k_x[OP_COUNT] = { /* constant op x */
        [OP_I64_ADD] = OP_I64_ADD_W + 1, [OP_I64_MUL] = OP_I64_MUL_W + 1, [OP_I64_AND] = OP_I64_AND_W + 1,
        [OP_I64_OR] = OP_I64_OR_W + 1, [OP_I64_XOR] = OP_I64_XOR_W + 1,
        [OP_F32_ADD] = OP_F32_ADD_W + 1, [OP_F32_MUL] = OP_F32_MUL_W + 1,
        [OP_F64_ADD] = OP_F64_ADD_W + 1, [OP_F64_MUL] = OP_F64_MUL_W + 1,
#define X(name) [OP_##name] = OP_##name##_WR + 1,
        WIDE_REV_OPS(X)
#undef X
        [OP_I32_SUB] = OP_I32_SUB_IR + 1, [OP_I64_SUB] = OP_I64_SUB_IR + 1,
    };
    if (a->type == 0 || b->type == 0 || a->is_k == b->is_k) return -1;
    if (b->is_k) return x_k[op] - 1;
    int h = k_x[op] - 1;
    bool commutes = h == x_k[op] - 1;
    if (h < 0 || (commutes && is_nan_const(*a)) ||
        (h == OP_I64_SUB_IR && (int64_t)a->k != (int64_t)(int32_t)a->k))
        return -1;
    vsval t = *a;
    *a = *b;
    *b = t;
    return h;
}

static bool op_numeric(comp *c, int op, uint32_t wasm_op, uint8_t r, uint8_t a, uint8_t b) {
    if (c->e->cfg.float_policy == WVM_FLOAT_REJECT && is_float_op(r, a, b))
        return INVALID("float instruction 0x%x refused by the float policy", wasm_op);
    vsval vb = { 0 }, va;
    if (b) vb = pop_k(c, b);
    va = pop_k(c, a);
    if (fuse_not(c, op, va) || fuse_pair(c, op, r, va, vb)) return true;
    int imm_op = immediate_form(op, &va, &vb);
    if (imm_op >= 0 && fuse_add_and(c, imm_op, va, vb)) return true;
    if (imm_op < 0) imm_op = wide_form(op, &va, &vb);
    if (imm_op < 0) {
        vb = unconst(c, vb);
        va = unconst(c, va);
    }
    if (!compile_push(c, r)) return false;
    uint16_t dst = own_slot(c, c->nvs - 1);
    if (imm_op < 0) {
        emit_result(c, op, PACK4(dst, va.loc, vb.loc, 0));
    } else if (!is_wide(imm_op)) { /* the constant in HI */
        emit_result(c, imm_op, PACK2I(dst, va.loc, (uint32_t)vb.k));
    } else { /* in a cell of its own */
        emit_result(c, imm_op, PACK2I(dst, va.loc, 0));
        compile_emit_u(c, vb.k);
        c->fold_n = c->last_n = c->n;
    }
    /* canonical-NaN policy: float results that can be NaN get fixed up */
    if (c->e->cfg.float_policy == WVM_FLOAT_CANONICAL_NAN && (r == VT_F32 || r == VT_F64) &&
        !(wasm_op == 0x8b || wasm_op == 0x8c || wasm_op == 0x98 || wasm_op == 0x99 ||
          wasm_op == 0x9a || wasm_op == 0xa6 || (wasm_op >= 0xb2 && wasm_op <= 0xb5) ||
          (wasm_op >= 0xb7 && wasm_op <= 0xba))) {
        emit_op(c, r == VT_F32 ? OP_CANON_F32 : OP_CANON_F64);
        compile_emit_u(c, dst);
    }
    return true;
}

/* op_numeric's checks alone, for validating only: most of a body is
 * numeric instructions, and their translation is what costs. */
static bool check_numeric(comp *c, uint32_t wasm_op, uint8_t r, uint8_t a, uint8_t b) {
    if (c->e->cfg.float_policy == WVM_FLOAT_REJECT && is_float_op(r, a, b))
        return INVALID("float instruction 0x%x refused by the float policy", wasm_op);
    /* the usual case inline: the operands are there with the right
     * types (0: unknown, in unreachable code); the result takes the
     * first one's place, so no room or frame limit is needed */
    uint32_t n = b ? 2 : 1;
    if (c->nvs - c->cs[c->ncs - 1].height >= n) {
        vsval *v = &c->vs[c->nvs - n];
        if ((v[0].type == a || !v[0].type) && (!b || v[1].type == b || !v[1].type)) {
            c->nvs -= n;
            v[0] = (vsval){ .type = r, .loc = own_slot(c, c->nvs) };
            c->nvs++;
            return true;
        }
    }
    if (b) pop_k(c, b);
    pop_k(c, a);
    return compile_push(c, r);
}

static bool op_const(comp *c, uint8_t op) {
    uint64_t v = 0;
    read_result r = READ_OK;
    uint8_t type = VT_I32;
    if (op == 0x41) {
        int64_t x;
        r = read_sleb(&c->p, c->end, 32, &x);
        v = (uint32_t)x;
    } else if (op == 0x42) {
        int64_t x;
        r = read_sleb(&c->p, c->end, 64, &x);
        v = (uint64_t)x;
        type = VT_I64;
    } else if (op == 0x43) {
        uint32_t x;
        r = read_fixed32(&c->p, c->end, &x);
        v = x;
        type = VT_F32;
    } else {
        r = read_fixed64(&c->p, c->end, &v);
        type = VT_F64;
    }
    if (r) return MALFORMED("%s", read_result_str(r));
    if (c->e->cfg.float_policy == WVM_FLOAT_REJECT && (type == VT_F32 || type == VT_F64))
        return INVALID("float constant refused by the float policy");
    if (!compile_push(c, type)) return false;
    /* nothing emitted yet: consumers may take it as an immediate */
    c->vs[c->nvs - 1].is_k = true;
    c->vs[c->nvs - 1].k = v;
    c->fold_at = NONE;
    return true;
}

/* select's condition, the temporary result of the instruction just
 * emitted: x == 0 (i32.eqz) or x != 0.  That instruction goes, select
 * tests x itself, and for x == 0 its operands trade places (returns true).
 * x is the instruction's operand in the same or a lower slot, which no
 * constant select's operands may need written later touches. */
static bool select_on_source(comp *c, vsval *cond) {
    if (dead(c) || c->st || c->fold_at == NONE || c->fold_n != c->n || c->label_n == c->n ||
        cond->is_k || cond->loc != own_slot(c, c->nvs) || c->last_at != c->fold_at ||
        c->npc == 0 || c->pcmap[c->npc - 1].cell != c->fold_at - 1)
        return false;
    uint64_t w = c->code[c->fold_at].u;
    bool eqz = c->fold_op == OP_I32_EQZ || (c->fold_op == OP_I32_EQ_I && OPHI(w) == 0);
    bool nez = c->fold_op == OP_I32_NE_I && OPHI(w) == 0;
    if ((!eqz && !nez) || OPA(w) != cond->loc) return false;
    cond->loc = OPB(w);
    c->n = c->fold_at - 1;
    c->npc--;
    c->fold_at = c->last_at = c->prev_at = NONE;
    return eqz;
}

static bool op_select(comp *c, uint8_t op) {
    uint8_t want = 0;
    if (op == 0x1c) {
        uint32_t n;
        if (!rd_u32(c, &n)) return false;
        if (n != 1) return INVALID("invalid result arity");
        if (!rd_u8(c, &want)) return false;
        if (!one_type[want]) return MALFORMED("malformed value type");
    }
    vsval cond = pop(c, VT_I32);
    bool swap = select_on_source(c, &cond);
    vsval b = pop(c, want);
    vsval a = pop(c, want);
    if (swap) {
        vsval x = a;
        a = b;
        b = x;
    }
    uint8_t t = want ? want : (a.type ? a.type : b.type);
    if (!want) {
        if ((a.type && !is_num(a.type)) || (b.type && !is_num(b.type)))
            return INVALID("type mismatch: select without type needs numeric operands");
        if (a.type && b.type && a.type != b.type)
            return INVALID("type mismatch: select operands differ");
    }
    if (!compile_push(c, t)) return false;
    emit_result(c, OP_SELECT, PACK4(own_slot(c, c->nvs - 1), a.loc, b.loc, cond.loc));
    return true;
}

static bool op_memory_misc(comp *c, uint8_t op) {
    if (!rd_zero(c) || !need_memory(c)) return false;
    if (op == 0x3f) {
        if (!compile_push(c, VT_I32)) return false;
        emit_result(c, OP_MEMORY_SIZE, own_slot(c, c->nvs - 1));
        return true;
    }
    vsval d = pop(c, VT_I32);
    if (!compile_push(c, VT_I32)) return false;
    emit_result(c, OP_MEMORY_GROW, PACK4(own_slot(c, c->nvs - 1), d.loc, 0, 0));
    return true;
}

static bool table_index(comp *c, uint32_t *t) {
    if (!rd_u32(c, t)) return false;
    return *t < c->m->ntables ? true : INVALID("unknown table %u", *t);
}

static bool op_table_getset(comp *c, uint8_t op) {
    uint32_t t;
    if (!table_index(c, &t)) return false;
    uint8_t et = c->m->tables[t].elem;
    if (op == 0x25) {
        vsval i = pop(c, VT_I32);
        if (!compile_push(c, et)) return false;
        emit_result(c, OP_TABLE_GET, PACK2I(own_slot(c, c->nvs - 1), i.loc, t));
        return true;
    }
    vsval v = pop(c, et);
    vsval i = pop(c, VT_I32);
    emit_op(c, OP_TABLE_SET);
    compile_emit_u(c, PACK2I(i.loc, v.loc, t));
    return true;
}

static bool op_ref(comp *c, uint8_t op) {
    if (op == 0xd0) { /* ref.null t */
        uint8_t t = 0;
        if (!rd_u8(c, &t)) return false;
        if (!is_ref(t)) return MALFORMED("malformed reference type");
        if (!compile_push(c, t)) return false;
        emit_result(c, OP_CONST32, PACK2I(own_slot(c, c->nvs - 1), 0, 0));
        return true;
    }
    if (op == 0xd1) { /* ref.is_null */
        vsval v = pop_any(c);
        if (v.type && !is_ref(v.type)) return INVALID("type mismatch: ref.is_null needs a reference");
        if (!compile_push(c, VT_I32)) return false;
        emit_result(c, OP_REF_IS_NULL, PACK4(own_slot(c, c->nvs - 1), v.loc, 0, 0));
        return true;
    }
    uint32_t f; /* ref.func */
    if (!rd_u32(c, &f)) return false;
    if (f >= c->m->nfuncs) return INVALID("unknown function %u", f);
    /* (NULL when translating a function validated at load) */
    if (c->declared_funcs && !c->declared_funcs[f]) return INVALID("undeclared function reference %u", f);
    if (!compile_push(c, VT_FUNCREF)) return false;
    emit_result(c, OP_REF_FUNC, PACK2I(own_slot(c, c->nvs - 1), 0, f));
    return true;
}

static bool op_fc(comp *c, uint32_t sub) {
    static const struct { uint8_t r, a; int op; } sat[8] = {
        { VT_I32, VT_F32, OP_I32_TRUNC_SAT_F32_S }, { VT_I32, VT_F32, OP_I32_TRUNC_SAT_F32_U },
        { VT_I32, VT_F64, OP_I32_TRUNC_SAT_F64_S }, { VT_I32, VT_F64, OP_I32_TRUNC_SAT_F64_U },
        { VT_I64, VT_F32, OP_I64_TRUNC_SAT_F32_S }, { VT_I64, VT_F32, OP_I64_TRUNC_SAT_F32_U },
        { VT_I64, VT_F64, OP_I64_TRUNC_SAT_F64_S }, { VT_I64, VT_F64, OP_I64_TRUNC_SAT_F64_U },
    };
    if (sub < 8) return op_numeric(c, sat[sub].op, 0xfc00 + sub, sat[sub].r, sat[sub].a, 0);
    uint32_t x, y;
    switch (sub) {
    case 8: { /* memory.init */
        if (!rd_u32(c, &x) || !rd_zero(c)) return false;
        if (!c->m->has_datacount) return MALFORMED("data count section required");
        if (!need_memory(c)) return false;
        if (x >= c->m->datacount) return INVALID("unknown data segment %u", x);
        vsval n = pop(c, VT_I32), s = pop(c, VT_I32), d = pop(c, VT_I32);
        emit_op(c, OP_MEMORY_INIT);
        compile_emit_u(c, PACK4(d.loc, s.loc, n.loc, 0));
        compile_emit_u(c, x);
        return true;
    }
    case 9: /* data.drop */
        if (!rd_u32(c, &x)) return false;
        if (!c->m->has_datacount) return MALFORMED("data count section required");
        if (x >= c->m->datacount) return INVALID("unknown data segment %u", x);
        emit_op(c, OP_DATA_DROP);
        compile_emit_u(c, x);
        return true;
    case 10: case 11: { /* memory.copy, memory.fill */
        if (!rd_zero(c) || (sub == 10 && !rd_zero(c)) || !need_memory(c)) return false;
        vsval n = pop(c, VT_I32), s = pop(c, VT_I32), d = pop(c, VT_I32);
        emit_op(c, sub == 10 ? OP_MEMORY_COPY : OP_MEMORY_FILL);
        compile_emit_u(c, PACK4(d.loc, s.loc, n.loc, 0));
        return true;
    }
    case 12: { /* table.init elem table */
        if (!rd_u32(c, &x) || !table_index(c, &y)) return false;
        if (x >= c->m->nelems) return INVALID("unknown elem segment %u", x);
        if (c->m->elems[x].type != c->m->tables[y].elem) return INVALID("type mismatch: table.init element types differ");
        vsval n = pop(c, VT_I32), s = pop(c, VT_I32), d = pop(c, VT_I32);
        emit_op(c, OP_TABLE_INIT);
        compile_emit_u(c, PACK4(d.loc, s.loc, n.loc, 0));
        compile_emit_u(c, (uint64_t)y | (uint64_t)x << 32);
        return true;
    }
    case 13: /* elem.drop */
        if (!rd_u32(c, &x)) return false;
        if (x >= c->m->nelems) return INVALID("unknown elem segment %u", x);
        emit_op(c, OP_ELEM_DROP);
        compile_emit_u(c, x);
        return true;
    case 14: { /* table.copy dst src */
        if (!table_index(c, &x) || !table_index(c, &y)) return false;
        if (c->m->tables[x].elem != c->m->tables[y].elem) return INVALID("type mismatch: table.copy element types differ");
        vsval n = pop(c, VT_I32), s = pop(c, VT_I32), d = pop(c, VT_I32);
        emit_op(c, OP_TABLE_COPY);
        compile_emit_u(c, PACK4(d.loc, s.loc, n.loc, 0));
        compile_emit_u(c, (uint64_t)x | (uint64_t)y << 32);
        return true;
    }
    case 15: { /* table.grow */
        if (!table_index(c, &x)) return false;
        vsval n = pop(c, VT_I32), v = pop(c, c->m->tables[x].elem);
        if (!compile_push(c, VT_I32)) return false;
        emit_result(c, OP_TABLE_GROW, PACK4(own_slot(c, c->nvs - 1), v.loc, n.loc, 0));
        compile_emit_u(c, x);
        c->fold_at = NONE; /* the destination is not in the last cell */
        return true;
    }
    case 16: /* table.size */
        if (!table_index(c, &x)) return false;
        if (!compile_push(c, VT_I32)) return false;
        emit_result(c, OP_TABLE_SIZE, PACK2I(own_slot(c, c->nvs - 1), 0, x));
        return true;
    case 17: { /* table.fill */
        if (!table_index(c, &x)) return false;
        vsval n = pop(c, VT_I32), v = pop(c, c->m->tables[x].elem), i = pop(c, VT_I32);
        emit_op(c, OP_TABLE_FILL);
        compile_emit_u(c, PACK4(i.loc, v.loc, n.loc, 0));
        compile_emit_u(c, x);
        return true;
    }
    }
    return MALFORMED("illegal opcode 0xfc %u", sub);
}

/* wasm opcode -> numeric handler and types, built from NUMERIC_OPS */
typedef struct numinfo { int op; uint8_t r, a, b; } numinfo;
static const numinfo numeric[256] = {
#define X(code, name, r_, a_, b_) [(code) & 0xff] = { OP_##name, r_, a_, b_ },
    NUMERIC_OPS(X)
#undef X
};
typedef struct meminfo { int op; uint8_t t, n; } meminfo;
static const meminfo memops[256] = {
#define X(code, name, t_, n_) [code] = { OP_##name, t_, n_ },
    LOAD_OPS(X) STORE_OPS(X)
#undef X
};

static bool instruction(comp *c, bool *func_end) {
    uint8_t op = 0;
    c->insn = c->p;
    if (!rd_u8(c, &op)) return false;
    uint32_t sub = 0;
    if (op == 0xfc && !rd_u32(c, &sub)) return false;
    /* statically dead instructions are never charged */
    if (!dead(c)) c->fuel_acc += op_cost(c, op == 0xfc ? 0x100 + (sub & 31) : op);
    if (op >= 0x45 && op <= 0xc4 && numeric[op].r && op != 0xa7 && !(op >= 0xbc && op <= 0xbf))
        return c->validating ? check_numeric(c, op, numeric[op].r, numeric[op].a, numeric[op].b)
                             : op_numeric(c, numeric[op].op, op, numeric[op].r, numeric[op].a, numeric[op].b);
    if (op >= 0x28 && op <= 0x35) return op_load(c, memops[op].op, memops[op].t, memops[op].n);
    if (op >= 0x36 && op <= 0x3e) return op_store(c, memops[op].op, memops[op].t, memops[op].n);
    switch (op) {
    case 0x00: emit_op(c, OP_UNREACHABLE); set_unreachable(c); return true;
    case 0x01: return true; /* nop */
    case 0x02: return op_block(c, K_BLOCK);
    case 0x03: return op_block(c, K_LOOP);
    case 0x04: return op_block(c, K_IF);
    case 0x05: return op_else(c);
    case 0x0b: return op_end(c, func_end);
    case 0x0c: case 0x0d: case 0x0e: return op_br(c, op);
    case 0x0f:
        if (!check_top(c, c->cs[0].nresults, c->cs[0].results)) return false;
        emit_return(c);
        set_unreachable(c);
        return true;
    case 0x10: return op_call(c);
    case 0x11: return op_call_indirect(c);
    case 0x1a: pop_any(c); c->fold_at = NONE; return true; /* drop */
    case 0x1b: case 0x1c: return op_select(c, op);
    case 0x20: case 0x21: case 0x22: return op_local(c, op);
    case 0x23: case 0x24: return op_global(c, op);
    case 0x25: case 0x26: return op_table_getset(c, op);
    case 0x3f: case 0x40: return op_memory_misc(c, op);
    case 0x41: case 0x42: case 0x43: case 0x44: return op_const(c, op);
    case 0xa7: case 0xbc: case 0xbd: case 0xbe: case 0xbf: {
        /* wrap and reinterpretations: the slot already holds the bits */
        static const uint8_t from[5] = { VT_I64, VT_F32, VT_F64, VT_I32, VT_I64 };
        static const uint8_t to[5] = { VT_I32, VT_I32, VT_I64, VT_F32, VT_F64 };
        int k = op == 0xa7 ? 0 : op - 0xbc + 1;
        if (c->e->cfg.float_policy == WVM_FLOAT_REJECT && k > 0)
            return INVALID("float instruction 0x%x refused by the float policy", op);
        vsval v = pop(c, from[k]);
        if (!compile_push(c, to[k])) return false;
        c->vs[c->nvs - 1].loc = v.loc;
        c->fold_at = NONE;
        return true;
    }
    case 0xd0: case 0xd1: case 0xd2: return op_ref(c, op);
    case 0xfc: return op_fc(c, sub);
    }
    return MALFORMED("illegal opcode 0x%02x", op);
}

static bool setup_locals(comp *c, const wasm_functype *t, const wasm_code *code) {
    uint64_t n = (uint64_t)t->nparams + code->nlocals;
    if (n + 1 > MAX_FRAME_SLOTS || n > c->e->cfg.limits.max_locals + (uint64_t)t->nparams)
        return compile_fail(c, WVM_ERR_LIMIT, "limit: %llu locals exceed max_locals %u",
                    (unsigned long long)n, c->e->cfg.limits.max_locals);
    c->nlocals = (uint32_t)n;
    mem_free(c->m->alloc, c->local_types);
    c->local_types = mem_alloc(c->m->alloc, n);
    if (!c->local_types) return compile_fail(c, WVM_ERR_NOMEM, "out of memory");
    if (t->nparams) memcpy(c->local_types, t->types, t->nparams);
    uint32_t k = t->nparams;
    for (uint32_t g = 0; g < code->ngroups; g++) {
        uint8_t lt = code->groups[g].type;
        if (c->e->cfg.float_policy == WVM_FLOAT_REJECT && (lt == VT_F32 || lt == VT_F64))
            return INVALID("float local refused by the float policy");
        memset(c->local_types + k, lt, code->groups[g].count);
        k += code->groups[g].count;
    }
    return true;
}

/* Validates defined function `defined` and, when tr is not NULL,
 * translates it into a new *tr (owned by the caller).  Validating only,
 * the function's control frame is marked dead: nothing is emitted, and
 * since emitting never decides validity (stack heights and types are
 * the wasm code's), the result and c->nlocals + c->max_height -- the
 * frame -- are those of a translation. */
static bool compile_func(comp *c, uint32_t defined, xlat **tr) {
    wasm_module *m = c->m;
    uint32_t fidx = m->nfunc_imports + defined;
    const wasm_functype *t = func_type(c, fidx);
    const wasm_code *code = &m->codes[defined];
    c->func_index = fidx;
    c->in_code = true;
    c->p = code->body;
    c->end = code->body + code->body_len;
    c->insn = c->p;
    c->nvs = c->ncs = c->nfx = c->n = c->npc = c->max_height = c->nbrs = 0;
    c->fuel_at = c->fold_at = c->mov_at = c->label_n = c->last_at = c->prev_at = c->prev2_at = c->fuel_last = NONE;
    c->fuel_acc = 0;
    if (c->e->cfg.float_policy == WVM_FLOAT_REJECT)
        for (uint32_t i = 0; i < t->nparams + t->nresults; i++)
            if (t->types[i] == VT_F32 || t->types[i] == VT_F64)
                return INVALID("float type in signature refused by the float policy");
    if (!setup_locals(c, t, code)) return false;
    c->validating = !tr;
    if (!tr) {
        /* types only (validate.c), with the same errors and frame */
        if (!validate_body(c, t)) return false;
    } else {
        if (!push_ctrl(c, K_FUNC, 0, NULL, t->nresults, t->nresults ? t->types + t->nparams : NULL)) return false;
        fuel_point(c, AT_LOOP_HEAD);
        bool func_end = false;
        while (!func_end && !c->st) {
            if (c->p >= c->end) return MALFORMED("END opcode expected");
            instruction(c, &func_end);
        }
        if (c->st) return false;
    }
    if (c->p != c->end) return MALFORMED("section size mismatch: operators after the function's end");
    uint64_t slots = (uint64_t)c->nlocals + c->max_height;
    if (slots > MAX_FRAME_SLOTS)
        return compile_fail(c, WVM_ERR_LIMIT, "limit: function frame needs %llu slots, more than %u",
                    (unsigned long long)slots, MAX_FRAME_SLOTS);
    if (!tr) return true;
    enter_blocks(c);
    size_t cells = (size_t)c->n * sizeof(cell), map = ((size_t)c->npc + 1) * sizeof(pc_entry);
    if (cells > SIZE_MAX / 4 || map > SIZE_MAX / 4) return compile_fail(c, WVM_ERR_NOMEM, "out of memory");
    xlat *x = mem_alloc(m->alloc, sizeof(xlat) + cells + map);
    if (!x) return compile_fail(c, WVM_ERR_NOMEM, "out of memory");
    x->ncells = c->n;
    x->npcmap = c->npc;
    x->pcmap = (pc_entry *)((char *)x->code + cells);
    memcpy(x->code, c->code, cells);
    memcpy(x->pcmap, c->pcmap, (size_t)c->npc * sizeof(pc_entry));
    x->pcmap[c->npc] = (pc_entry){ 0, 0 };
    *tr = x;
    return true;
}

/* What a call needs of a function, known once it is validated; its code
 * is the stub that translates it (runtime.h). */
static void set_func(comp *c, const wvm_module *owner, uint32_t defined) {
    compiled_func *cf = &c->m->compiled[defined];
    const wasm_functype *t = func_type(c, c->m->nfunc_imports + defined);
    cf->nparams = t->nparams;
    cf->nresults = t->nresults;
    cf->nlocals = c->nlocals;
    cf->frame_slots = c->nlocals + c->max_height;
    cf->type = t;
    cf->owner = owner;
    cf->defined = defined;
    cf->stub[0].h = c->labels[OP_FUEL];
    cf->stub[1].u = 0;
    cf->stub[2].h = c->labels[OP_TRANSLATE];
    cf->stub[3].p = cf;
    atomic_init(&cf->code, cf->stub);
}

/* ---- module-level validation ---- */

static bool check_limits(comp *c, const wasm_limits *l, uint64_t cap, const char *what) {
    if (l->min > cap || (l->has_max && l->max > cap))
        return INVALID("%s size must be at most %llu", what, (unsigned long long)cap);
    if (l->has_max && l->min > l->max) return INVALID("size minimum must not be greater than maximum");
    return true;
}

/* Type of a constant expression; 0 when invalid. */
static uint8_t constexpr_type(comp *c, const wasm_constexpr *e) {
    switch (e->op) {
    case 0x41: return VT_I32;
    case 0x42: return VT_I64;
    case 0x43: return VT_F32;
    case 0x44: return VT_F64;
    case 0xd0: return (uint8_t)e->value;
    case 0xd2:
        if (e->value >= c->m->nfuncs) { INVALID("unknown function %llu", (unsigned long long)e->value); return 0; }
        return VT_FUNCREF;
    case 0x23:
        if (e->value >= c->m->nglobal_imports) {
            INVALID("unknown global %llu: constant expressions may only read imported globals", (unsigned long long)e->value);
            return 0;
        }
        if (c->m->globals[e->value].type.mut) { INVALID("constant expression required: global is mutable"); return 0; }
        return c->m->globals[e->value].type.type;
    }
    INVALID("constant expression required");
    return 0;
}

static bool check_constexpr(comp *c, const wasm_constexpr *e, uint8_t want) {
    c->insn = c->start + e->offset;
    uint8_t t = constexpr_type(c, e);
    if (!t) return false;
    if (t != want)
        return INVALID("type mismatch: constant expression is %s, expected %s", compile_valtype_name(t),
                       compile_valtype_name(want));
    return true;
}

static bool validate_module(comp *c) {
    wasm_module *m = c->m;
    c->func_index = 0;
    c->insn = c->start;
    for (uint32_t i = 0; i < m->nfuncs; i++)
        if (m->func_types[i] >= m->ntypes) return INVALID("unknown type %u", m->func_types[i]);
    for (uint32_t i = 0; i < m->ntables; i++)
        if (!check_limits(c, &m->tables[i].lim, UINT32_MAX, "table")) return false;
    if (m->nmems > 1) return INVALID("multiple memories");
    for (uint32_t i = 0; i < m->nmems; i++)
        if (!check_limits(c, &m->mems[i], 65536, "memory")) return false;
    for (uint32_t i = 0; i < m->nglobals; i++) {
        uint8_t gt = m->globals[i].type.type;
        if (c->e->cfg.float_policy == WVM_FLOAT_REJECT && (gt == VT_F32 || gt == VT_F64))
            return INVALID("float global refused by the float policy");
        if (i >= m->nglobal_imports && !check_constexpr(c, &m->globals[i].init, gt)) return false;
    }
    /* C.refs: functions named outside function bodies */
    for (uint32_t i = 0; i < m->nglobals; i++)
        if (i >= m->nglobal_imports && m->globals[i].init.op == 0xd2 && m->globals[i].init.value < m->nfuncs)
            c->declared_funcs[m->globals[i].init.value] = true;
    for (uint32_t i = 0; i < m->nelems; i++) {
        wasm_elem *el = &m->elems[i];
        for (uint32_t k = 0; k < el->count; k++) {
            if (!check_constexpr(c, &el->items[k], el->type)) return false;
            if (el->items[k].op == 0xd2) c->declared_funcs[el->items[k].value] = true;
        }
        if (el->mode == SEG_ACTIVE) {
            if (el->table >= m->ntables) return INVALID("unknown table %u", el->table);
            if (m->tables[el->table].elem != el->type) return INVALID("type mismatch: element segment type differs from its table");
            if (!check_constexpr(c, &el->offset, VT_I32)) return false;
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        wasm_data *d = &m->datas[i];
        if (d->mode == SEG_ACTIVE) {
            if (d->memory >= m->nmems) return INVALID("unknown memory %u", d->memory);
            if (!check_constexpr(c, &d->offset, VT_I32)) return false;
        }
    }
    for (uint32_t i = 0; i < m->nexports; i++) {
        wasm_export *x = &m->exports[i];
        uint32_t lim = x->kind == EXT_FUNC ? m->nfuncs : x->kind == EXT_TABLE ? m->ntables
                     : x->kind == EXT_MEMORY ? m->nmems : m->nglobals;
        if (x->index >= lim) return INVALID("unknown export index %u", x->index);
        if (x->kind == EXT_FUNC) c->declared_funcs[x->index] = true;
        for (uint32_t k = 0; k < i; k++)
            if (m->exports[k].name.len == x->name.len && memcmp(m->exports[k].name.ptr, x->name.ptr, x->name.len) == 0)
                return INVALID("duplicate export name");
    }
    if (m->has_start) {
        if (m->start >= m->nfuncs) return INVALID("unknown function %u (start)", m->start);
        const wasm_functype *t = func_type(c, m->start);
        if (t->nparams || t->nresults) return INVALID("start function must have type [] -> []");
    }
    if (c->e->cfg.float_policy == WVM_FLOAT_REJECT)
        for (uint32_t i = 0; i < m->nfuncs; i++) {
            const wasm_functype *t = func_type(c, i);
            for (uint32_t k = 0; k < t->nparams + t->nresults; k++)
                if (t->types[k] == VT_F32 || t->types[k] == VT_F64)
                    return INVALID("function %u: float type refused by the float policy", i);
        }
    return true;
}

static void comp_free(comp *c) {
    const wvm_allocator *a = c->m->alloc;
    mem_free(a, c->declared_funcs);
    mem_free(a, c->local_types);
    mem_free(a, c->vs);
    mem_free(a, c->vt);
    mem_free(a, c->vf);
    mem_free(a, c->cs);
    mem_free(a, c->fx);
    mem_free(a, c->code);
    mem_free(a, c->pcmap);
    mem_free(a, c->brs);
    mem_free(a, c->kinds);
}

/* The module-level checks, then each function set up: validated (and,
 * eager, translated), or, with nlocals and frame_slots given, taken as
 * vouched for (compile_module_trusted). */
static wvm_status setup_module(wvm_module *mod, const uint32_t *nlocals, const uint32_t *frame_slots,
                               char *err, size_t errcap) {
    wasm_module *m = &mod->m;
    wvm_engine *e = mod->engine;
    comp c0 = { .e = e, .m = m, .labels = interp_labels(), .err = err, .errcap = errcap,
                .start = m->bytes };
    comp *c = &c0;
    c->declared_funcs = mem_calloc(m->alloc, m->nfuncs, sizeof(bool));
    uint32_t ndef = m->nfuncs - m->nfunc_imports;
    m->compiled = mem_calloc(m->alloc, ndef, sizeof(compiled_func));
    if (!c->declared_funcs || !m->compiled) {
        compile_fail(c, WVM_ERR_NOMEM, "out of memory");
    } else if (validate_module(c)) {
        /* eager: one pass validates and translates; the module is not
         * shared yet, so the code is simply set */
        bool eager = e->cfg.eager_translation && !nlocals;
        for (uint32_t i = 0; i < ndef && !c->st; i++) {
            xlat *x = NULL;
            if (nlocals) {
                c->nlocals = nlocals[i];
                c->max_height = frame_slots[i] - nlocals[i];
            } else if (!compile_func(c, i, eager ? &x : NULL)) {
                break;
            }
            set_func(c, mod, i);
            if (x) atomic_store_explicit(&m->compiled[i].code, x->code, memory_order_relaxed);
        }
    }
    comp_free(c);
    return c->st;
}

wvm_status compile_module(wvm_module *mod, char *err, size_t errcap) {
    return setup_module(mod, NULL, NULL, err, errcap);
}

wvm_status compile_module_trusted(wvm_module *mod, const uint32_t *nlocals, const uint32_t *frame_slots,
                                  char *err, size_t errcap) {
    return setup_module(mod, nlocals, frame_slots, err, errcap);
}

static const cell *publish(compiled_func *cf, xlat *x, const wvm_allocator *a) {
    const cell *expect = cf->stub;
    if (atomic_compare_exchange_strong_explicit(&cf->code, &expect, x->code, memory_order_acq_rel,
                                                memory_order_acquire))
        return x->code;
    mem_free(a, x); /* another thread's translation, identical, came first */
    return expect;
}

/* compile.h; kinds may be NULL (compile_lazy: none kept). */
wvm_status compile_func_kinds(const wvm_module *mod, uint32_t defined, xlat **x, uint8_t **kinds,
                              char *err, size_t errcap) {
    /* the module is only read, and a function's code only changed by publish() */
    comp c0 = { .e = mod->engine, .m = (wasm_module *)&mod->m, .labels = interp_labels(), .err = err,
                .errcap = errcap, .start = mod->m.bytes };
    const compiled_func *cf = &mod->m.compiled[defined];
    *x = NULL;
    if (kinds && !(c0.kinds = mem_alloc(mod->m.alloc, 64)))
        compile_fail(&c0, WVM_ERR_NOMEM, "out of memory");
    c0.capkinds = 64;
    if (!c0.st) compile_func(&c0, defined, x);
    if (!c0.st && c0.nlocals + c0.max_height != cf->frame_slots)
        compile_fail(&c0, WVM_ERR_INVALID, "internal error: function %u translated with a frame of %u slots, validated with %u",
             c0.func_index, c0.nlocals + c0.max_height, cf->frame_slots);
    if (!c0.st && kinds) {
        *kinds = c0.kinds;
        c0.kinds = NULL;
    }
    comp_free(&c0);
    if (c0.st) {
        mem_free(mod->m.alloc, *x);
        *x = NULL;
    }
    return c0.st;
}

wvm_status compile_lazy(compiled_func *cf, const cell **code, char *err, size_t errcap) {
    *code = compile_code(cf);
    if (*code != cf->stub) return WVM_OK;
    const wvm_module *mod = cf->owner;
    xlat *x;
    wvm_status st = compile_func_kinds(mod, cf->defined, &x, NULL, err, errcap);
    if (st) return st;
    *code = publish(cf, x, mod->m.alloc);
    return WVM_OK;
}

wvm_status compile_all(const wvm_module *mod, char *err, size_t errcap) {
    uint32_t ndef = mod->m.nfuncs - mod->m.nfunc_imports;
    for (uint32_t i = 0; i < ndef; i++) {
        const cell *code;
        wvm_status st = compile_lazy(&mod->m.compiled[i], &code, err, errcap);
        if (st) return st;
    }
    return WVM_OK;
}

void compile_release(wasm_module *m) {
    if (!m->compiled) return;
    uint32_t ndef = m->nfuncs - m->nfunc_imports;
    for (uint32_t i = 0; i < ndef; i++) {
        const xlat *x = m->compiled[i].owner ? compile_xlat(&m->compiled[i]) : NULL;
        mem_free(m->alloc, (void *)x);
    }
    mem_free(m->alloc, m->compiled);
    m->compiled = NULL;
}
