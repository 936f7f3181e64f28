/*
 * fuse.c -- the fusion passes: peephole rewrites of the cells compile.c
 * has just emitted, turning a run of wasm instructions into one handler
 * of ops.h.  compile.c calls each rule where the instruction that could
 * end such a run is translated; a rule either rewrites the code and
 * returns true (the caller then emits nothing more for it) or changes
 * nothing and returns false.
 *
 * The rules (each explained again above its function):
 *   fuse_step       i32.add (ADD, ADD_I) + br_if on the sum (plain, or a
 *                   compare-and-branch) to a loop head -> STEPI_* / STEPR_*
 *   fuse_address    the i32.add (ADD_I, ADD, SHLI_ADD; or shl + add for a
 *                   scaled index) that made a load or store's address
 *                   -> the access's _RI _RIT _RR _RRT _SI _SR _SRI _SRT
 *                   forms (_KRI _KRR for stores of a constant)
 *   fuse_store      a value stored right after the instruction that made
 *                   it (STORE_RESULT_OPS) -> that instruction's _ST form;
 *                   a MADD_LOAD stored back where it loaded -> MADD_RMW
 *   fuse_axpy       y[i] += a * x[i] as clang emits it -> AXPY_R _RI _RRT,
 *                   then fold_y_address: y's address add -> AXPY_*_Y
 *   fuse_pair       producer + consumer of its only result (the table in
 *                   fuse_pair: MADD, ADD3, XOR_ADD, XOR3, AND_XOR,
 *                   ANDI_XOR, ROTLI_XOR, SHRUI_XOR, ROTLI_ADD, SHLI_ADD,
 *                   ANDN); then fuse_rotations: ROT2_XOR, ROT3_XOR,
 *                   ROT2_SHR_XOR; and, tried first, fuse_madd_load:
 *                   mul + plain load + add -> MADD_LOAD
 *   fuse_add_and    ADD_I + AND_I, both constants 16 bits -> ADDI_ANDI
 *   fuse_not        an i32 comparison + i32.eqz -> the opposite comparison
 * Other forms are chosen while emitting, in compile.c, not by rewriting:
 * compare-and-branch (emit_cond_branch), MOV2..MOV4 runs (emit_mov), the
 * _I, _W/_WR and _A operand forms, local.set retargeting the destination
 * of the instruction just emitted, and the _L branch variants that skip a
 * FUEL they land on (enter_blocks, after the function).
 *
 * The invariants every rule relies on, and checks before it rewrites:
 *  - Adjacency: the instructions fused are the last ones emitted, in
 *    order (c->last_at / last_n == c->n, prev_at, prev2_at, the cell
 *    positions compared exactly); local.get and constants emit nothing,
 *    so they may sit between them in the wasm code.
 *  - No jump lands inside: c->label_n, the last position a jump lands on,
 *    is not after the first fused instruction (a jump there would skip
 *    half of the fused handler).
 *  - The intermediate value dies: a result folded into its consumer is a
 *    temporary (the popped height's own slot, own_slot), never a local,
 *    and nothing else reads it; forms that keep a local up to date (_RIT,
 *    _RRT, _SRT, AXPY_RRT) still write it.
 *  - Same results: float operations keep their operand order (which NaN
 *    comes out depends on it; NaN constants are not moved); shift and
 *    rotate counts are taken mod the width as wasm does; an immediate
 *    form is used only when the constant fits its field.
 *  - Same traps: a fused access reports the wasm offset of the access
 *    that traps first in wasm order (the pcmap entries are moved with it:
 *    AXPY has one at pc and one at pc + 1).
 *  - Same fuel: FUEL cells and block boundaries are never touched; a rule
 *    never crosses a block start (they are jump targets: label_n), so the
 *    fuel charged, which counts wasm instructions, is unchanged.
 *  - Afterwards the bookkeeping (last_at, prev_at, fold_at, mov_at) names
 *    the fused instruction or NONE, so no later rule fuses into a stale
 *    position.
 * tests/wast/wvm_fused_*.wast check the rules' results against the spec.
 */
#include "wasm/compile.h"

/* A br_if to a loop head just emitted (b) that tests the result of the
 * i32.add right before it, as loops step and test their counters: both
 * become one STEP instruction (ops.h).  `last` is the last result-producing
 * instruction (operand cell, end, handler) as it was before the branch was
 * emitted: the add itself, or the comparison the branch was fused into
 * (then the add is the one before, prev_at). */
bool fuse_step(comp *c, cond_branch b, uint32_t target, uint32_t last_at, uint32_t last_n,
                      int last_op) {
    /* per branch: the STEPI_ handler (+2: STEPR_), and what the branch
     * compares the sum with: 0 nothing (br_if), 1 a slot, 2 an immediate */
    static const struct { int step, with; } forms[OP_COUNT] = {
#define X(name, o, f, neg) [OP_BR_##name] = { OP_STEPI_BR_##name + 1, 1 }, \
                           [OP_BRI_##name] = { OP_STEPI_BRI_##name + 1, 2 },
        CMP_OPS(X)
#undef X
        [OP_BR_IF] = { OP_STEPI_BR_IF + 1, 0 }, [OP_BR_UNLESS] = { OP_STEPI_BR_UNLESS + 1, 0 },
    };
    if (dead(c) || c->st || b.base == NONE || b.op < 0 || !forms[b.op].step || c->label_n == b.base)
        return false;
    uint32_t add_at;
    int add_op;
    if (last_at != NONE && last_n == b.base) { /* the branch follows the add */
        add_at = last_at;
        add_op = last_op;
    } else if (last_at == b.base + 1 && c->prev_at != NONE) { /* it replaced the comparison */
        add_at = c->prev_at;
        add_op = c->prev_op;
    } else {
        return false;
    }
    if (add_at + 1 != b.base || (add_op != OP_I32_ADD && add_op != OP_I32_ADD_I)) return false;
    uint64_t add = c->code[add_at].u, br = c->code[b.base + 1].u;
    if (OPA(br) != OPA(add)) return false;
    int with = forms[b.op].with;
    uint32_t lo = with == 1 ? OPB(br) : with == 2 ? OPHI(br) : 0;
    int h = forms[b.op].step - 1;
    if (add_op == OP_I32_ADD) /* the STEPR_ form */
        h = with ? h + 2 : b.op == OP_BR_IF ? OP_STEPR_BR_IF : OP_STEPR_BR_UNLESS;
    uint32_t start = add_at - 1;
    cell_set_op(c, start, h);
    cell_set_u(c, start + 2, (uint64_t)lo | (uint64_t)(uint32_t)(int32_t)((int64_t)target - start) << 32);
    c->n = start + 3;
    while (c->npc && c->pcmap[c->npc - 1].cell > start) c->npc--;
    c->last_at = c->prev_at = c->fold_at = c->mov_at = NONE;
    return true;
}

/* A load or store whose address a (popped from the height whose own slot
 * is `own`) is the result of the i32.add emitted last: the add (and the
 * shift before it, for a scaled index) becomes the access, in one of the
 * forms of ops.h, with `first` (destination or value) in A.  A load is a
 * result-producing instruction like any other, under its fused name: the
 * fusions that take a plain load (MADD_LOAD) must not take it.  Returns
 * false where no form fits; nothing is emitted then. */
bool fuse_address(comp *c, int op, bool load, vsval a, uint16_t own, uint32_t off, uint16_t first) {
    static const int forms[OP_COUNT] = {
#define X(code, name, t, n) [OP_##name] = OP_##name##_RI + 1,
        LOAD_OPS(X) STORE_OPS(X)
#undef X
    };
    /* stores of a constant (first is the constant, _K): two forms only */
    static const int k_forms[OP_COUNT] = {
#define X(code, name, t, n) [OP_##name##_K] = OP_##name##_KRI + 1,
        STORE_OPS(X)
#undef X
    };
    enum { RI, RIT, RR, RRT, SI, SR, SRI, SRT };
    if (dead(c) || c->st || c->last_at == NONE || c->last_n != c->n || c->label_n == c->n || a.is_k)
        return false;
    uint32_t at = c->last_at;
    uint64_t add = c->code[at].u;
    int add_op = c->last_op;
    if ((add_op != OP_I32_ADD_I && add_op != OP_I32_ADD && add_op != OP_I32_SHLI_ADD) || OPA(add) != a.loc)
        return false;
    bool imm = add_op == OP_I32_ADD_I;
    bool temp = a.loc == own; /* the sum dies here */
    if (!temp && a.loc >= c->nlocals) return false;
    /* (x << k) + imm or (x << k) + y + imm: the shift (or the SHLI_ADD) is
     * the instruction before the add, and its result is the add's
     * operand, a temporary that dies there */
    uint32_t shl_at = c->prev_at;
    bool scaled = temp && imm && shl_at != NONE && shl_at + 2 == at &&
                  (c->prev_op == OP_I32_SHL_I || c->prev_op == OP_I32_SHLI_ADD) &&
                  c->label_n != at - 1 && OPA(c->code[shl_at].u) == OPB(add) && OPB(add) >= c->nlocals &&
                  c->npc >= 2 && c->pcmap[c->npc - 1].cell == at - 1 && c->pcmap[c->npc - 2].cell == shl_at - 1;
    int form;
    uint64_t operands, extra = (uint64_t)off << 32;
    if (scaled && c->prev_op == OP_I32_SHL_I) {
        uint64_t shl = c->code[shl_at].u;
        form = SI, operands = PACK4(first, OPB(shl), 0, OPHI(shl) & 31), extra |= OPHI(add);
    } else if (scaled) {
        uint64_t sa = c->code[shl_at].u;
        form = SRI, operands = PACK4(first, OPB(sa), OPD(sa), OPC(sa)), extra |= OPHI(add);
    } else if (add_op == OP_I32_SHLI_ADD) {
        operands = PACK4(first, OPB(add), OPD(add), OPC(add));
        if (temp) form = SR, extra = off;
        else form = SRT, extra |= a.loc;
    } else if (temp && imm && off == 0) {
        form = RI, operands = PACK2I(first, OPB(add), OPHI(add));
    } else if (!temp && imm && off == 0 && OPB(add) == a.loc) { /* p += k, then p[0] */
        form = RIT, operands = PACK2I(first, a.loc, OPHI(add));
    } else if (temp && !imm && off <= UINT16_MAX) {
        form = RR, operands = PACK4(first, OPB(add), OPC(add), off);
    } else if (!temp && !imm && off == 0) {
        form = RRT, operands = PACK4(first, OPB(add), OPC(add), a.loc);
    } else {
        return false;
    }
    int fused = forms[op] - 1 + form;
    if (k_forms[op]) {
        if (form != RI && form != RR) return false;
        fused = k_forms[op] - 1 + (form == RR);
    }
    if (scaled) { /* three instructions in the shift's place */
        at = shl_at;
        c->n = at + 1;
        c->npc--;
    }
    cell_set_op(c, at - 1, fused);
    cell_set_u(c, at, operands);
    if (form >= SI) compile_emit_u(c, extra);
    /* traps of the fused instruction are the access's */
    if (c->npc && c->pcmap[c->npc - 1].cell == at - 1)
        c->pcmap[c->npc - 1].offset = (uint32_t)(c->insn - c->start);
    if (scaled) c->prev_at = NONE; /* else the access is where the add was, after the same one */
    c->last_at = c->fold_at = NONE;
    if (load) {
        c->fold_at = c->last_at = at;
        c->fold_n = c->last_n = c->n;
        c->fold_op = c->last_op = fused;
    }
    return true;
}

/* y[i] += a * x[i], as clang emits it: the multiply-add stored back
 * where y was loaded, with x loaded by the instruction just before the
 * multiply, plainly (_R), or with an address form that adds a constant to
 * the pointer (_RI) or makes the pointer and keeps it in a local (_RRT).
 * Two orders come out of clang:
 *   x loaded, multiplied, y loaded and added (MADD_LOAD, which would
 *     become MADD_RMW): y's access is the MADD_LOAD's;
 *   y loaded first, x loaded, then the integer MADD: y's load goes into
 *     the AXPY, or if it made its address (_RRT, or _RIT: the pointer
 *     stepped) it becomes that arithmetic alone (ADD, ADD_I).
 * The x load and the rest become one AXPY (ops.h), and then the add that
 * made y's address may go into it too (fold_y_address).  Checked: no jump
 * lands inside; the temporaries die here; the multiply's other operand is
 * not x; for floats x is the multiply's second operand and the add keeps
 * its order (NaNs).  A trap reports the first access in wasm order that is
 * out of bounds: each has its pcmap entry, at pc and pc + 1. */
enum { AXPY_R, AXPY_RI, AXPY_RRT, AXPY_RI_Y, AXPY_RRT_Y }; /* ops.h order */

/* After fuse_axpy made an AXPY at at - 1 (handlers from `axpy`, the
 * type's _R): the add that made y's address just before it goes into it
 * too, the _Y forms -- clang makes the pointer to y[i] first, with an ADD
 * for the first element of an unrolled pair and an ADD_I stepping it for
 * the next.  The add's result must be y's address slot, y's offset 0, and
 * no jump may land on the AXPY. */
static void fold_y_address(comp *c, uint32_t at, int form, int axpy) {
    uint32_t add_at = at - 2;
    if (at < 3 || c->npc < 3 || c->pcmap[c->npc - 3].cell != add_at - 1 ||
        (c->label_n != NONE && c->label_n > add_at - 1))
        return;
    uint64_t add = c->code[add_at].u, w = c->code[at].u, k = c->code[at + 1].u;
    uint16_t y = form == AXPY_RRT ? (uint16_t)k : OPC(w);
    if (OPA(add) != y || k >> 32 != 0) return;
    if (form == AXPY_RRT) { /* [h][A=t B=a C=p D=q][y | py << 16 | qy << 32] */
        if (c->code[add_at - 1].h != c->labels[OP_I32_ADD] || OPA(w) == y) return;
        cell_set_u(c, add_at + 1, y | (uint64_t)OPB(add) << 16 | (uint64_t)OPC(add) << 32);
        form = AXPY_RRT_Y;
    } else if (form == AXPY_RI) { /* [h][A=p B=a C=y D=s][lo: k, hi: ky] */
        if (c->code[add_at - 1].h != c->labels[OP_I32_ADD_I]) return;
        w |= (uint64_t)OPB(add) << 48; /* D is 0 in _RI */
        cell_set_u(c, add_at + 1, (uint32_t)k | (uint64_t)OPHI(add) << 32);
        form = AXPY_RI_Y;
    } else {
        return;
    }
    cell_set_op(c, add_at - 1, axpy + form);
    cell_set_u(c, add_at, w);
    c->n = add_at + 2;
    /* pcmap: the x access's offset at pc, the y access's at pc + 1 */
    c->pcmap[c->npc - 3] = (pc_entry){ add_at - 1, c->pcmap[c->npc - 2].offset };
    c->pcmap[c->npc - 2] = (pc_entry){ add_at, c->pcmap[c->npc - 1].offset };
    c->npc--;
}

static bool fuse_axpy(comp *c, int op, vsval v, vsval a, uint32_t off) {
    static const struct { int store, madd_load, madd, load, rrt, ri, rit, axpy; bool is_int; } types[] = {
#define X(T, INT, MADD) { OP_##T##_STORE, OP_##T##_MADD_LOAD, MADD, OP_##T##_LOAD, OP_##T##_LOAD_RRT, \
                          OP_##T##_LOAD_RI, OP_##T##_LOAD_RIT, OP_##T##_AXPY_R, INT },
        X(I32, true, OP_I32_MADD) X(I64, true, OP_I64_MADD) X(F32, false, -1) X(F64, false, -1)
#undef X
    };
    if (dead(c) || c->st || c->last_at == NONE || c->last_n != c->n || c->label_n == c->n || v.is_k ||
        a.is_k || c->prev_at == NONE || c->npc < 2)
        return false;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (types[i].store != op) continue;
        bool y_first = c->last_op == types[i].madd;
        if (c->last_op != types[i].madd_load && !y_first) return false;
        uint32_t m_at = c->last_at, x_at = c->prev_at, y_at = y_first ? c->prev2_at : NONE;
        uint64_t m = c->code[m_at].u, x = c->code[x_at].u, y = 0;
        const void *xh = c->code[x_at - 1].h;
        int form = xh == c->labels[types[i].load] ? AXPY_R : xh == c->labels[types[i].ri] ? AXPY_RI :
                   xh == c->labels[types[i].rrt] ? AXPY_RRT : -1;
        if (x_at + 2 != m_at || form < 0) return false;
        uint16_t xv = OPA(x), other = OPC(m) == xv ? OPB(m) : OPB(m) == xv && types[i].is_int ? OPC(m) : xv;
        if (other == xv || xv < c->nlocals || v.loc != OPA(m) || v.loc != own_slot(c, c->nvs + 1) ||
            a.loc == v.loc || a.loc == xv)
            return false;
        uint32_t start = x_at - 1, y_off = off, y_offset;
        const void *yh = NULL;
        if (y_first) {
            /* the y load, at the store's address: plain [A=y B=addr HI=offset],
             * _RRT [A=y B=p C=q D=t] or _RIT [A=y B=t HI=k] */
            if (y_at == NONE || y_at + 2 != x_at || c->npc < 3) return false;
            y = c->code[y_at].u;
            yh = c->code[y_at - 1].h;
            bool plain = yh == c->labels[types[i].load], rrt_y = yh == c->labels[types[i].rrt];
            if (!plain && !rrt_y && yh != c->labels[types[i].rit]) return false;
            uint16_t y_addr = rrt_y ? OPD(y) : OPB(y);
            uint32_t y_load_off = plain ? OPHI(y) : 0;
            if (y_addr != a.loc || y_load_off != off || OPA(y) != OPD(m) || OPA(y) < c->nlocals ||
                OPA(y) == xv || OPA(y) == other || c->pcmap[c->npc - 3].cell != y_at - 1)
                return false;
            start = y_at - 1;
            y_offset = c->pcmap[c->npc - 3].offset;
        } else {
            /* MADD_LOAD [h][A B C D=y address][offset], stored back there */
            y_off = (uint32_t)c->code[m_at + 1].u;
            if (a.loc != OPD(m) || off != y_off) return false;
            y_offset = c->pcmap[c->npc - 1].offset;
        }
        if ((c->label_n != NONE && c->label_n > start) || c->pcmap[c->npc - 2].cell != x_at - 1 ||
            c->pcmap[c->npc - 1].cell != m_at - 1)
            return false;
        uint64_t ops, more;
        if (form == AXPY_RRT) { /* x: [A=x B=p C=q D=t] */
            ops = PACK4(OPD(x), other, OPB(x), OPC(x));
            more = a.loc | (uint64_t)y_off << 32;
        } else {                /* x: [A=x B=p HI=offset or k] */
            ops = PACK4(OPB(x), other, a.loc, 0);
            more = OPHI(x) | (uint64_t)y_off << 32;
        }
        uint32_t at = x_at;
        if (y_first && yh == c->labels[types[i].load]) { /* y's load goes in whole */
            at = y_at;
            c->pcmap[c->npc - 3].offset = c->pcmap[c->npc - 2].offset;
            c->npc--;
        } else if (y_first) { /* y's load becomes its address arithmetic alone */
            bool y_rrt = yh == c->labels[types[i].rrt];
            cell_set_op(c, y_at - 1, y_rrt ? OP_I32_ADD : OP_I32_ADD_I);
            cell_set_u(c, y_at, y_rrt ? PACK4(OPD(y), OPB(y), OPC(y), 0) : PACK2I(OPB(y), OPB(y), OPHI(y)));
        }
        cell_set_op(c, at - 1, types[i].axpy + form);
        cell_set_u(c, at, ops);
        cell_set_u(c, at + 1, more);
        c->n = at + 2;
        /* traps: pc is the x access's, pc + 1 the y access's */
        c->pcmap[c->npc - 1] = (pc_entry){ at, y_offset };
        c->last_at = c->prev_at = c->fold_at = c->mov_at = NONE;
        fold_y_address(c, at, form, types[i].axpy);
        return true;
    }
    return false;
}

/* A store whose value (v, the stack height above the address's) is the
 * result of the instruction just emitted, one of STORE_RESULT_OPS: that
 * instruction stores it itself (its _ST form), with the address slot in
 * A where its destination was.  The value's temporary dies here. */
bool fuse_store(comp *c, int op, vsval v, vsval a, uint32_t off) {
    static const struct { int st, store; } forms[OP_COUNT] = {
#define X(name, store) [OP_##name] = { OP_##name##_ST + 1, OP_##store },
        STORE_RESULT_OPS(X)
#undef X
        /* a MADD_LOAD stored back to the address it loaded: MADD_RMW */
        [OP_I32_MADD_LOAD] = { OP_I32_MADD_RMW + 1, OP_I32_STORE },
        [OP_I64_MADD_LOAD] = { OP_I64_MADD_RMW + 1, OP_I64_STORE },
        [OP_F32_MADD_LOAD] = { OP_F32_MADD_RMW + 1, OP_F32_STORE },
        [OP_F64_MADD_LOAD] = { OP_F64_MADD_RMW + 1, OP_F64_STORE },
    };
    if (fuse_axpy(c, op, v, a, off)) return true;
    if (dead(c) || c->st || c->last_at == NONE || c->last_n != c->n || c->label_n == c->n || v.is_k ||
        !forms[c->last_op].st || forms[c->last_op].store != op)
        return false;
    uint64_t made_by = c->code[c->last_at].u;
    if (v.loc != OPA(made_by) || v.loc != own_slot(c, c->nvs + 1) || a.loc == v.loc) return false;
    bool rmw = c->last_op == OP_I32_MADD_LOAD || c->last_op == OP_I64_MADD_LOAD ||
               c->last_op == OP_F32_MADD_LOAD || c->last_op == OP_F64_MADD_LOAD;
    if (rmw) {
        /* the same bytes: a trap is still the load's, which comes first */
        if (a.loc != OPD(made_by) || off != c->code[c->last_at + 1].u) return false;
        cell_set_op(c, c->last_at - 1, forms[c->last_op].st - 1);
        c->last_at = c->prev_at = c->fold_at = c->mov_at = NONE;
        return true;
    }
    cell_set_op(c, c->last_at - 1, forms[c->last_op].st - 1);
    cell_set_u(c, c->last_at, (made_by & ~(uint64_t)0xffff) | a.loc);
    compile_emit_cell(c, (cell){ .u = off });
    /* traps of the fused instruction are the store's */
    if (c->npc && c->pcmap[c->npc - 1].cell == c->last_at - 1)
        c->pcmap[c->npc - 1].offset = (uint32_t)(c->insn - c->start);
    c->last_at = c->prev_at = c->fold_at = c->mov_at = NONE;
    return true;
}

/* x = a * b; y = load [p + offset]; x + y -- the mul, a plain load just
 * after it and the add become one MADD_LOAD [h][A=dst B=a C=b D=p][offset]
 * (the loaded value may not come first: float adds keep their operand
 * order for NaNs).  The load's temporary may reuse a mul operand's slot;
 * the fused instruction reads everything before it writes, so that is
 * no hazard.  Traps are the load's. */
static bool fuse_madd_load(comp *c, int op, uint8_t r, vsval va, vsval vb) {
    static const struct { int add, mul, load, fused; } forms[] = {
        { OP_I32_ADD, OP_I32_MUL, OP_I32_LOAD, OP_I32_MADD_LOAD },
        { OP_I64_ADD, OP_I64_MUL, OP_I64_LOAD, OP_I64_MADD_LOAD },
        { OP_F32_ADD, OP_F32_MUL, OP_F32_LOAD, OP_F32_MADD_LOAD },
        { OP_F64_ADD, OP_F64_MUL, OP_F64_LOAD, OP_F64_MADD_LOAD },
    };
    uint32_t mul_at = c->prev_at, load_at = c->last_at;
    if (mul_at == NONE || mul_at + 2 != load_at || c->label_n == load_at - 1 ||
        c->npc < 2 || c->pcmap[c->npc - 1].cell != load_at - 1 || c->pcmap[c->npc - 2].cell != mul_at - 1)
        return false;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        if (forms[i].add != op || forms[i].mul != c->prev_op || forms[i].load != c->last_op) continue;
        uint64_t mul = c->code[mul_at].u, load = c->code[load_at].u;
        /* in stack order: the product, then the loaded value, both popped here */
        if (va.loc != OPA(mul) || va.loc != own_slot(c, c->nvs) ||
            vb.loc != OPA(load) || vb.loc != own_slot(c, c->nvs + 1))
            return false;
        if (!compile_push(c, r)) return true;
        uint32_t start = mul_at - 1;
        cell_set_op(c, start, forms[i].fused);
        cell_set_u(c, start + 1, PACK4(own_slot(c, c->nvs - 1), OPB(mul), OPC(mul), OPB(load)));
        cell_set_u(c, start + 2, OPHI(load));
        c->n = start + 3;
        c->pcmap[c->npc - 2].offset = c->pcmap[c->npc - 1].offset;
        c->npc--;
        c->prev_at = c->prev2_at; /* the one before the mul, if any (fuse_axpy) */
        c->prev_op = c->prev2_op;
        c->mov_at = NONE;
        /* a result-producing instruction (a store may take it: MADD_RMW) */
        c->fold_at = c->last_at = start + 1;
        c->fold_n = c->last_n = c->n;
        c->fold_op = c->last_op = forms[i].fused;
        return true;
    }
    return false;
}

/* Pairs of operations where the second consumes the result of the first,
 * the instruction just emitted, as its only use (the temporary it pops):
 * one instruction [h][A=dst B C D=other operand] computes both, and the
 * intermediate never goes through the frame.  `swapped` is the handler
 * for when that result is the consumer's second operand; the integer ops
 * are commutative, so it differs only for float adds, where NaN results
 * must be those of the two separate instructions.  An immediate producer
 * keeps its constant in C: a shift or rotate count mod 32 or 64 (K32,
 * K64; rotr by k is rotl by width - k), or a mask that fits 16 bits. */
enum { REG, K32, K64, K16, KNOT };

/* After fuse_pair made a ROTLI_XOR or SHRUI_XOR (fused, at last_at) whose
 * other operand is the result of the instruction just before it, a
 * rotation of the same value (or two, ROT2_XOR), and a temporary that dies
 * here: the two become one ROT2_XOR, ROT3_XOR or ROT2_SHR_XOR, as SHA-2's
 * sigmas (rotr(x, a) ^ rotr(x, b) ^ rotr(x, c) or x >> c) come out of clang. */
static void fuse_rotations(comp *c, int fused, int width) {
    uint32_t at = c->last_at, prev = c->prev_at;
    if (prev == NONE || prev + 2 != at || c->label_n == at - 1 || c->npc < 2 ||
        c->pcmap[c->npc - 1].cell != at - 1 || c->pcmap[c->npc - 2].cell != prev - 1)
        return;
    bool i32 = width == 32;
    int rotl = i32 ? OP_I32_ROTL_I : OP_I64_ROTL_I, rotr = i32 ? OP_I32_ROTR_I : OP_I64_ROTR_I;
    int rot2 = i32 ? OP_I32_ROT2_XOR : OP_I64_ROT2_XOR;
    int rotli_xor = i32 ? OP_I32_ROTLI_XOR : OP_I64_ROTLI_XOR;
    int shrui_xor = i32 ? OP_I32_SHRUI_XOR : OP_I64_SHRUI_XOR;
    uint64_t me = c->code[at].u, pv = c->code[prev].u;
    uint16_t x = OPB(me), k = OPC(me), other = OPD(me);
    if (OPA(pv) != other || other < c->nlocals || OPB(pv) != x || other == x) return;
    int h;
    uint32_t ks;
    if ((c->prev_op == rotl || c->prev_op == rotr) && fused == rotli_xor) {
        uint32_t k0 = OPHI(pv) & (width - 1);
        if (c->prev_op == rotr) k0 = (width - k0) & (width - 1);
        h = rot2, ks = k0;
    } else if (c->prev_op == rot2 && (fused == rotli_xor || fused == shrui_xor)) {
        h = fused == rotli_xor ? (i32 ? OP_I32_ROT3_XOR : OP_I64_ROT3_XOR)
                               : (i32 ? OP_I32_ROT2_SHR_XOR : OP_I64_ROT2_SHR_XOR);
        ks = OPC(pv) | (uint32_t)OPD(pv) << 8;
    } else {
        return;
    }
    cell_set_op(c, prev - 1, h);
    cell_set_u(c, prev, PACK4(OPA(me), x, ks, k));
    c->n = prev + 1;
    c->pcmap[c->npc - 2].offset = c->pcmap[c->npc - 1].offset;
    c->npc--;
    c->prev_at = NONE;
    c->fold_at = c->last_at = prev;
    c->fold_n = c->last_n = c->n;
    c->fold_op = c->last_op = h;
}
bool fuse_pair(comp *c, int op, uint8_t r, vsval va, vsval vb) {
    static const struct { int consumer, producer, fused, swapped, k; } pairs[] = {
        { OP_I32_ADD, OP_I32_MUL, OP_I32_MADD, OP_I32_MADD, REG },
        { OP_I64_ADD, OP_I64_MUL, OP_I64_MADD, OP_I64_MADD, REG },
        { OP_F32_ADD, OP_F32_MUL, OP_F32_MADD, OP_F32_MADD_R, REG },
        { OP_F64_ADD, OP_F64_MUL, OP_F64_MADD, OP_F64_MADD_R, REG },
#define PAIRS_OF(T, K) \
        { OP_##T##_ADD, OP_##T##_ADD, OP_##T##_ADD3, OP_##T##_ADD3, REG }, \
        { OP_##T##_ADD, OP_##T##_XOR, OP_##T##_XOR_ADD, OP_##T##_XOR_ADD, REG }, \
        { OP_##T##_XOR, OP_##T##_XOR, OP_##T##_XOR3, OP_##T##_XOR3, REG }, \
        { OP_##T##_XOR, OP_##T##_AND, OP_##T##_AND_XOR, OP_##T##_AND_XOR, REG }, \
        { OP_##T##_XOR, OP_##T##_AND_I, OP_##T##_ANDI_XOR, OP_##T##_ANDI_XOR, K16 }, \
        { OP_##T##_XOR, OP_##T##_ROTL_I, OP_##T##_ROTLI_XOR, OP_##T##_ROTLI_XOR, K }, \
        { OP_##T##_XOR, OP_##T##_ROTR_I, OP_##T##_ROTLI_XOR, OP_##T##_ROTLI_XOR, K }, \
        { OP_##T##_XOR, OP_##T##_SHR_U_I, OP_##T##_SHRUI_XOR, OP_##T##_SHRUI_XOR, K }, \
        { OP_##T##_ADD, OP_##T##_ROTL_I, OP_##T##_ROTLI_ADD, OP_##T##_ROTLI_ADD, K }, \
        { OP_##T##_ADD, OP_##T##_ROTR_I, OP_##T##_ROTLI_ADD, OP_##T##_ROTLI_ADD, K }, \
        { OP_##T##_ADD, OP_##T##_SHL_I, OP_##T##_SHLI_ADD, OP_##T##_SHLI_ADD, K }, \
        { OP_##T##_AND, OP_##T##_XOR_I, OP_##T##_ANDN, OP_##T##_ANDN, KNOT },
        PAIRS_OF(I32, K32)
        PAIRS_OF(I64, K64)
#undef PAIRS_OF
    };
    /* the producer is the last instruction, with no jump landing after it
     * (local.get and constants in between emit nothing) */
    if (dead(c) || c->last_at == NONE || c->last_n != c->n || c->label_n == c->n || va.is_k || vb.is_k)
        return false;
    if (fuse_madd_load(c, op, r, va, vb)) return true;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (pairs[i].consumer != op || pairs[i].producer != c->last_op) continue;
        uint64_t made_by = c->code[c->last_at].u;
        uint16_t made = OPA(made_by);
        bool first = va.loc == made && va.loc == own_slot(c, c->nvs);
        bool second = vb.loc == made && vb.loc == own_slot(c, c->nvs + 1);
        if (!first && !second) return false;
        uint16_t other = first ? vb.loc : va.loc;
        if (other == made) return false;
        uint32_t k = OPC(made_by), width = pairs[i].k == K32 ? 32 : 64;
        if (pairs[i].k == K16 && OPHI(made_by) > UINT16_MAX) return false;
        if (pairs[i].k == KNOT && OPHI(made_by) != UINT32_MAX) return false; /* x ^ -1 is ~x */
        if (pairs[i].k == K32 || pairs[i].k == K64) {
            k = OPHI(made_by) & (width - 1);
            if (c->last_op == OP_I32_ROTR_I || c->last_op == OP_I64_ROTR_I) k = (width - k) & (width - 1);
        }
        if (!compile_push(c, r)) return true;
        int h = first ? pairs[i].fused : pairs[i].swapped;
        cell_set_op(c, c->last_at - 1, h);
        cell_set_u(c, c->last_at, PACK4(own_slot(c, c->nvs - 1), OPB(made_by), k, other));
        /* a result-producing instruction like any other */
        c->fold_at = c->last_at;
        c->fold_n = c->n;
        c->fold_op = c->last_op = h;
        if (pairs[i].k == K32 || pairs[i].k == K64) fuse_rotations(c, h, (int)width);
        return true;
    }
    return false;
}

/* (x + k) & mask, both constants 16 bits: the i32.add just emitted and
 * the and become one ADDI_ANDI [h][A=dst B=x C=k D=mask], as a byte class
 * test (c - 'a') & 255 < 26 comes out of clang.  The sum was a temporary
 * that dies here. */
bool fuse_add_and(comp *c, int imm_op, vsval va, vsval vb) {
    if (imm_op != OP_I32_AND_I || dead(c) || c->st || c->last_at == NONE || c->last_n != c->n ||
        c->label_n == c->n || c->last_op != OP_I32_ADD_I ||
        (va.loc != own_slot(c, c->nvs) && va.loc != own_slot(c, c->nvs + 1))) /* the mask came first */
        return false;
    uint64_t add = c->code[c->last_at].u;
    uint32_t k = OPHI(add), mask = (uint32_t)vb.k;
    if (OPA(add) != va.loc || (int32_t)k != (int16_t)k || mask > UINT16_MAX) return false;
    if (!compile_push(c, VT_I32)) return true;
    cell_set_op(c, c->last_at - 1, OP_I32_ADDI_ANDI);
    cell_set_u(c, c->last_at, PACK4(own_slot(c, c->nvs - 1), OPB(add), (uint16_t)k, mask));
    c->fold_at = c->last_at;
    c->fold_n = c->n;
    c->fold_op = c->last_op = OP_I32_ADDI_ANDI;
    return true;
}

/* i32.eqz of the i32 comparison just made (C's `!(a == b)`, and clang's
 * `i32.eq; i32.eqz; if`): the opposite comparison instead, itself open to
 * fusing with a branch after it.  The comparison's result was a
 * temporary that dies here, and no jump lands between the two. */
bool fuse_not(comp *c, int op, vsval v) {
    static const int opposite[OP_COUNT] = {
#define X(name, o, f, neg) [OP_I32_##name] = OP_I32_##neg + 1, [OP_I32_##name##_I] = OP_I32_##neg##_I + 1,
        CMP_OPS(X)
#undef X
        [OP_I32_EQZ] = OP_I32_NE_I + 1, /* [A=dst B=x], as NE_I [A B HI=0] */
    };
    if (op != OP_I32_EQZ || dead(c) || c->st || v.is_k || c->fold_at == NONE || c->fold_n != c->n ||
        c->label_n == c->n || !opposite[c->fold_op] || v.loc != own_slot(c, c->nvs) ||
        OPA(c->code[c->fold_at].u) != v.loc)
        return false;
    int neg = opposite[c->fold_op] - 1;
    cell_set_op(c, c->fold_at - 1, neg);
    if (c->last_at == c->fold_at) c->last_op = neg;
    c->fold_op = neg;
    return compile_push(c, VT_I32); /* in the same slot */
}
