/*
 * compile.h -- what the translator (compile.c) and its fusion passes
 * (fuse.c) share: the translation state and the emitters fuse.c calls.
 * Private to src/wasm/.
 */
#ifndef WVM_COMPILE_H
#define WVM_COMPILE_H

#include "wasm/runtime.h"

enum { K_BLOCK, K_LOOP, K_IF, K_ELSE, K_FUNC };
#define NONE UINT32_MAX

typedef struct vsval {
    uint8_t type;  /* VT_*, or 0: unknown */
    bool is_k;     /* a constant not yet written anywhere: value in k */
    uint16_t loc;  /* slot holding the value (own slot when is_k) */
    uint64_t k;
} vsval;

typedef struct fixup {
    uint32_t at;   /* cell to patch */
    uint32_t base; /* first cell of the branching instruction */
    uint32_t next;
    bool hi;       /* offset lives in the high 32 bits of `at` */
} fixup;

typedef struct ctrl {
    uint8_t kind;
    bool unreachable;            /* validation: the stack is polymorphic */
    bool dead;                   /* the block's code can never run */
    uint32_t height;             /* stack height at entry, params excluded */
    uint32_t nparams, nresults;
    const uint8_t *params, *results;
    uint32_t label;              /* loop: cell of the loop head */
    uint32_t fixups;             /* forward branches to the end */
    uint32_t else_fixup;         /* if: the branch to patch at else/end... */
    uint32_t else_base;          /* ...its first cell... */
    bool else_hi;                /* ...and whether the offset is in HI */
} ctrl;

typedef struct comp {
    wvm_engine *e;
    wasm_module *m;
    const void *const *labels;
    char *err;
    size_t errcap;
    wvm_status st;
    const uint8_t *start;        /* module bytes, for offsets */
    const uint8_t *p, *end, *insn;

    uint32_t nlocals;
    uint8_t *local_types;
    vsval *vs; uint32_t nvs, capvs, max_height;
    ctrl *cs; uint32_t ncs, capcs;
    fixup *fx; uint32_t nfx, capfx;
    cell *code; uint32_t n, cap;
    pc_entry *pcmap; uint32_t npc, cappc;
    struct cond_branch *brs; uint32_t nbrs, capbrs; /* every jump, for enter_blocks */

    uint32_t fuel_at;            /* cost cell of the open FUEL, or NONE */
    uint64_t fuel_acc;
    uint32_t fold_at, fold_n;    /* last result-producing operand cell */
    int fold_op;                 /* ... and its handler */
    uint32_t mov_at;             /* a MOV..MOV4 just emitted, or NONE */
    uint32_t mov_n;              /* how many moves it has */
    uint32_t last_at, last_n;    /* operand cell of the last result-producing */
    int last_op;                 /* ... instruction, even after local.set/get */
    uint32_t prev_at;            /* the one just before it, or NONE */
    int prev_op;
    uint32_t prev2_at;           /* and the one before that (checked where used) */
    int prev2_op;
    uint32_t fuel_last;          /* the last FUEL emitted, or NONE */
    uint32_t label_n;            /* the last position a jump lands on */
    bool *declared_funcs;        /* C.refs: functions ref.func may name */
    uint32_t func_index;
    bool in_code;
    bool validating;             /* validating only: nothing is emitted */
    uint8_t *vt; uint32_t capvt; /* validate.c: the operand types (nvs of them)... */
    struct vframe *vf; uint32_t nvf, capvf; /* ...and its block frames */
    uint8_t *kinds; uint32_t capkinds; /* persist.c: each cell's CELL_* (NULL: not kept) */
} comp;

/* What a cell of translated code holds, for writing it out (persist.c):
 * a handler address and a compiled_func pointer differ from process to
 * process, and are stored as an op and a function index. */
enum { CELL_RAW, CELL_HANDLER, CELL_FUNC };

/* A conditional branch whose offset is still to be set. */
typedef struct cond_branch {
    uint32_t at, base;
    bool hi;
    int op;
} cond_branch;

/* True while the code being translated can never run: nothing is emitted.
 * (Validating only, every frame is dead; the flag says so at once.) */
static inline bool dead(comp *c) {
    return c->validating || c->cs[c->ncs - 1].unreachable || c->cs[c->ncs - 1].dead;
}

/* The frame slot of the operand stack entry at `height`. */
static inline uint16_t own_slot(comp *c, uint32_t height) { return (uint16_t)(c->nlocals + height); }

/* Rewrites of cells already emitted: an instruction's handler, an
 * operand.  Every rewrite goes through these, so that c->kinds stays
 * exact (a fusion may turn a handler cell into an operand). */
static inline void cell_set_op(comp *c, uint32_t at, int op) {
    c->code[at].h = c->labels[op];
    if (c->kinds) c->kinds[at] = CELL_HANDLER;
}
static inline void cell_set_u(comp *c, uint32_t at, uint64_t u) {
    c->code[at].u = u;
    if (c->kinds) c->kinds[at] = CELL_RAW;
}

/* compile.c */
/* Records the first error (later ones are ignored); returns false. */
__attribute__((format(printf, 3, 4)))
bool compile_fail(comp *c, wvm_status st, const char *fmt, ...);
/* *arr (of *cap elements of elem bytes) made room for need; false (after
 * compile_fail) when memory is short. */
bool compile_grow(comp *c, void **arr, uint32_t *cap, uint32_t need, size_t elem);
/* A block type at c->p: its params and results. */
bool compile_blocktype(comp *c, uint32_t *np, const uint8_t **pt, uint32_t *nr, const uint8_t **rt);
void compile_emit_cell(comp *c, cell v);             /* a CELL_RAW cell */
void compile_emit_u(comp *c, uint64_t u);          /* an operand cell */
bool compile_push(comp *c, uint8_t type);           /* false on a limit or no memory */

/* fuse.c: peephole rewrites of the cells just emitted (rules and their
 * invariants at the top of fuse.c).  Each returns true when it rewrote
 * the code (then the caller emits nothing more for the instruction),
 * false when no rule applies (nothing was changed). */
bool fuse_step(comp *c, cond_branch b, uint32_t target, uint32_t last_at, uint32_t last_n, int last_op);
bool fuse_address(comp *c, int op, bool load, vsval a, uint16_t own, uint32_t off, uint16_t first);
bool fuse_store(comp *c, int op, vsval v, vsval a, uint32_t off);
bool fuse_pair(comp *c, int op, uint8_t r, vsval va, vsval vb);
bool fuse_add_and(comp *c, int imm_op, vsval va, vsval vb);
bool fuse_not(comp *c, int op, vsval v);

/* Translates defined function `defined` of mod, as compile_lazy would,
 * into *tr with each cell's CELL_* in *kinds unless kinds is NULL (both
 * allocated with mod's allocator, the caller's).  WVM_OK, or an error
 * with a message in err. */
wvm_status compile_func_kinds(const wvm_module *mod, uint32_t defined, xlat **tr, uint8_t **kinds,
                              char *err, size_t errcap);
/* Validates mod's decoded module (module-level checks only: not the
 * function bodies) and sets up its functions with the frames given,
 * untranslated; for a module whose bodies a translation written out by
 * this build has vouched for (persist.c). */
wvm_status compile_module_trusted(wvm_module *mod, const uint32_t *nlocals, const uint32_t *frame_slots,
                                  char *err, size_t errcap);

/* validate.c: the body at c->p (its locals set up) validated for types
 * only; sets c->max_height as a translation would.  False after
 * compile_fail. */
bool validate_body(comp *c, const wasm_functype *t);

#endif
