/*
 * runtime.h -- engine, store, instance and the translated code (private).
 *
 * The internal code form
 * ----------------------
 * Each validated function is translated once into an array of 8-byte
 * cells.  An instruction is a handler address (for computed-goto
 * dispatch) followed by operand cells.  Operands name frame slots: a
 * frame is the function's locals (parameters first) followed by its
 * operand-stack slots, every slot 8 bytes.  Because wasm stack heights
 * are static, every stack position has a fixed slot, so instructions
 * read and write slots directly (a register machine) and nothing is
 * pushed or popped at run time.
 *
 * Most instructions take one operand cell packing 16-bit slot numbers
 * (A = bits 0..15, B = 16..31, C = 32..47, D = 48..63) or two slots and
 * a 32-bit immediate (A, B, HI = bits 32..63).  See interp.c for each
 * handler's layout.  Branch targets are cell offsets relative to the
 * branch instruction's first cell.
 */
#ifndef WVM_WASM_RUNTIME_H
#define WVM_WASM_RUNTIME_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include "wvm.h"
#include "wasm/module.h"

typedef union cell {
    const void *h;
    const void *p;
    uint64_t u;
    int64_t i;
} cell;

typedef union slot {
    uint64_t u64;
    int64_t i64;
    uint32_t u32;
    int32_t i32;
    float f32;
    double f64;
    void *ref;
} slot;

/* A slot's value as a wvm_val payload.  32-bit values use only the low
 * half of a slot (the upper half may hold stale bits), so it is cleared
 * before the value leaves the interpreter. */
static inline int64_t slot_to_val_bits(slot v, uint8_t type) {
    return (type == VT_I32 || type == VT_F32) ? (int64_t)v.u32 : v.i64;
}

#define OPA(w) ((uint16_t)(w))
#define OPB(w) ((uint16_t)((w) >> 16))
#define OPC(w) ((uint16_t)((w) >> 32))
#define OPD(w) ((uint16_t)((w) >> 48))
#define OPHI(w) ((uint32_t)((w) >> 32))
#define PACK4(a, b, c, d) ((uint64_t)(a) | (uint64_t)(b) << 16 | (uint64_t)(c) << 32 | (uint64_t)(d) << 48)
#define PACK2I(a, b, hi) ((uint64_t)(a) | (uint64_t)(b) << 16 | (uint64_t)(uint32_t)(hi) << 32)

/* The largest frame (locals + operand stack) a function may have: slot
 * numbers are 16 bits. */
#define MAX_FRAME_SLOTS 65535u

/* code position -> wasm byte offset, for backtraces */
typedef struct pc_entry {
    uint32_t cell, offset;
} pc_entry;

/* A function's translated code: one allocation, published whole. */
typedef struct xlat {
    uint32_t ncells, npcmap;
    pc_entry *pcmap;             /* npcmap entries, after code[] */
    cell code[];
} xlat;

/* One defined function.  Everything but `code` is set when the module
 * is validated and never changes.  `code` starts at `stub`, a FUEL of
 * cost 0 and a TRANSLATE that translates the function at its first call
 * (compile_lazy); it is then pointed, once and atomically, at an
 * xlat's code.  Modules are shared by threads: read code with
 * compile_code() (acquire), never as a plain field. */
typedef struct compiled_func {
    _Atomic(const cell *) code;
    uint32_t nparams, nresults, nlocals; /* nlocals includes params */
    uint32_t frame_slots;
    const wasm_functype *type;
    const struct wvm_module *owner;
    uint32_t defined;            /* index among the defined functions */
    cell stub[4];
} compiled_func;

/* The code a call runs now: the stub or the translation. */
static inline const cell *compile_code(const compiled_func *cf) {
    return atomic_load_explicit(&((compiled_func *)cf)->code, memory_order_acquire);
}
/* The translation, or NULL while the function runs the stub. */
static inline const xlat *compile_xlat(const compiled_func *cf) {
    const cell *code = compile_code(cf);
    if (code == cf->stub) return NULL;
    return (const xlat *)((const char *)code - offsetof(xlat, code));
}
/* Whether pc is in cf's code: its translation or its stub. */
static inline bool compile_holds(const compiled_func *cf, const cell *pc) {
    const xlat *x = compile_xlat(cf);
    return (pc >= cf->stub && pc < cf->stub + 4) || (x && pc >= x->code && pc < x->code + x->ncells);
}

struct wvm_engine {
    wvm_config cfg;         /* limits resolved to defaults; costs -> fuel */
    wvm_cost_table fuel;
    uint64_t fuel_hash;
};

struct wvm_module {
    wvm_engine *engine;
    wasm_module m;
    /* m.types as the public wvm_functype, for wvm_module_import_type
     * and _export_type: made at load, since a module is read from many
     * threads at once and so cannot fill them in on demand */
    wvm_functype *pub_types;
    uint64_t cost_hash;
    wvm_status status;
    char errmsg[512];
};

/* ---- runtime objects, all owned by a store ---- */

/* Every runtime object records its store: an object of one store given
 * to a call on another is refused (extern.c), never used. */
/* A memory's bytes are preceded, in the same block, by its dirty map:
 * one byte per 4 KiB page of the largest size it may grow to, page p's
 * byte at data[-1 - p] (backwards, so that it stays where it is when the
 * memory grows, and the interpreter reaches it from the memory pointer
 * it already has in a register: one byte store per wasm store).  Every
 * write to the memory marks its pages (memory_mark); a wasm store of up
 * to 8 bytes marks only the page it starts in, so the page's byte also
 * stands for the first 7 bytes of the next page.  wvm_instance_reset
 * copies back only the marked pages (snapshot.c). */
#define DIRTY_SHIFT 12u
#define DIRTY_PAGE (1u << DIRTY_SHIFT)
#define DIRTY_SPILL 8u   /* bytes past a marked page a store may reach */

typedef struct memory_obj {
    wvm_store *store;
    uint8_t *data;      /* the block starts map_bytes before it */
    uint64_t size;      /* bytes */
    uint32_t pages, max_pages;
    uint32_t map_bytes; /* of the dirty map; 0 for the empty stand-in */
    bool has_max;
} memory_obj;

/* The wasm store at offset ea (checked in bounds) marks its page. */
#define DIRTY_MARK(data, ea) ((data)[-1 - (int64_t)((uint64_t)(ea) >> DIRTY_SHIFT)] = 1)

/* Marks the pages of [off, off + len), which is inside m. */
static inline void memory_mark(memory_obj *m, uint64_t off, uint64_t len) {
    if (!len) return;
    uint64_t first = off >> DIRTY_SHIFT, last = (off + len - 1) >> DIRTY_SHIFT;
    memset(m->data - 1 - last, 1, (size_t)(last - first + 1));
}

typedef struct table_obj {
    wvm_store *store;
    slot *elems;        /* .ref: wvm_func* or extern pointer */
    uint32_t size, max;
    bool has_max;
    bool written;       /* changed since the last snapshot or reset */
    uint8_t elem;       /* VT_FUNCREF / VT_EXTERNREF */
} table_obj;

typedef struct global_obj {
    wvm_store *store;
    slot val;
    uint8_t type;
    bool mut;
} global_obj;

struct wvm_func {
    const wasm_functype *type;
    wvm_instance *inst;          /* wasm functions */
    const compiled_func *code;   /* NULL for host functions */
    uint32_t index;              /* function index in its module */
    wvm_host_fn host;
    void *user;
    wvm_store *store;
    wvm_functype *pub;           /* public view of type, made on demand */
};

/* What wvm_instance_reset returns an instance to (snapshot.c): copies
 * of the state a call can change.  Imported memories, tables and
 * mutable globals are refused at snapshot, so all of it is the
 * instance's own. */
typedef struct snapshot {
    uint8_t *mem;                /* memory 0's bytes */
    uint64_t mem_size;
    uint32_t mem_pages;
    slot *globals;               /* every global's value, index order */
    slot **table_elems;          /* each table's elements */
    uint32_t *table_sizes;
    bool *elem_dropped, *data_dropped;
} snapshot;

struct wvm_instance {
    wvm_store *store;
    const wvm_module *module;
    wvm_func **funcs;            /* index space, imports first */
    table_obj **tables;
    memory_obj *mem;             /* memory 0, or an empty one (size 0) */
    bool has_memory;             /* false: mem is that empty stand-in */
    global_obj **globals;
    bool *elem_dropped, *data_dropped;
    slot **elem_refs;            /* evaluated element segments */
    wvm_func *self_funcs;        /* storage for the defined functions */
    snapshot *snap;              /* NULL until wvm_instance_snapshot */
};

/* Slots allocated past the end of a store's value stack (stack_end), for
 * the interpreter's zero_locals. */
#define STACK_PAD 4

/* one call frame of the interpreter's own stack (no C recursion) */
typedef struct frame {
    const cell *ret_pc;
    slot *fp;
    wvm_instance *inst;          /* the caller's (interp.c, func_at) */
} frame;

/* Something the store frees when it is freed: with sfn(store, p), or
 * (without one) by giving p back to the allocator. */
typedef struct defer_node {
    struct defer_node *next;
    void (*sfn)(wvm_store *, void *);
    void *p;
} defer_node;

/* a name given to an extern with wvm_store_define */
typedef struct definition {
    struct definition *next;
    char *module, *name;         /* copies (NUL appended; may hold NULs) */
    uint32_t module_len, name_len;
    wvm_extern x;
} definition;

struct wvm_store {
    wvm_engine *engine;
    definition *defs;            /* newest first; nodes owned via store_alloc */
    defer_node *owned;           /* freed with the store, newest first */
    slot *stack, *stack_end;     /* value stack */
    slot *stack_top;             /* first free slot (for nested calls) */
    frame *frames;
    uint32_t nframes, max_frames;
    /* fuel: remaining = fuel_reserve + the interpreter's counter */
    uint64_t fuel_limit, fuel_reserve;
    uint64_t fuel_used;
    uint64_t fuel_extra;         /* charged by hosts and memory.grow pages */
    int64_t fuel_chunk;          /* counter handed to the interpreter */
    uint32_t timeout_ms;
    /* 0 = none.  While deadline_pending, the timeout in ns, which the
     * first clock reading turns into the deadline (interp.c) */
    uint64_t deadline_ns;
    bool deadline_pending;
    atomic_int cancel;
    int32_t exit_code;
    int depth;                   /* nested wvm_func_call depth */
    /* the fuel profile (profile.c): NULL when off */
    wvm_profile_fn prof_fn;
    void *prof_user;
    wvm_prof_frame *prof_stack;  /* max_frames + 1, store-owned */
    char errmsg[2048];
};

struct wvm_caller {
    wvm_store *store;
    wvm_instance *inst;
};

/* store.c */
wvm_status store_own(wvm_store *s, void (*sfn)(wvm_store *, void *), void *p);
const wvm_allocator *store_allocator(const wvm_store *s);
void *store_alloc(wvm_store *s, size_t size); /* zeroed, freed with s */
wvm_status store_error(wvm_store *s, wvm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* extern.c: ownership checks at the API boundary.  WVM_ERR_ARG, with a
 * message naming `what` and the problem, when x is not an object of
 * kind `want` owned by s (want -1: any kind). */
wvm_status extern_check(wvm_store *s, wvm_extern x, int want, const char *what);
/* The store that owns x; NULL when x.ptr is NULL or x.kind is no kind. */
wvm_store *extern_owner(wvm_extern x);
/* Fills mod->pub_types from mod->m.types; WVM_ERR_NOMEM. */
wvm_status extern_module_types(wvm_module *mod);
/* The same for a reference value: NULL, or a function of s. */
wvm_status extern_check_ref(wvm_store *s, wvm_val v, const char *what);

/* engine.c: the two ends of loading a module.  module_decode makes a
 * module of wasm decoded (NULL when out of memory; else its status says
 * how decoding went); module_finish, once its functions are set up
 * (compile.c or persist.c), makes what the public API reads of it. */
wvm_module *module_decode(wvm_engine *e, const uint8_t *wasm, size_t len);
wvm_status module_finish(wvm_module *mod);

/* persist.c, for tests: the checksum of a blob (len bytes) made anew. */
void persist_resign(uint8_t *blob, size_t len);

/* compile.c: validates every function of mod's decoded module and, with
 * cfg.eager_translation, translates them all; otherwise each is
 * translated at its first call (compile_lazy). */
wvm_status compile_module(wvm_module *mod, char *err, size_t errcap);
/* Translates cf, unless a call (of any thread) has, points cf->code at
 * the translation and sets *code to the code to run.  WVM_OK, or
 * WVM_ERR_NOMEM with a message in err (cf stays untranslated, so a
 * later call tries again).  Thread-safe: translations are made apart,
 * the first published wins and the others are freed (translation is
 * deterministic: they are the same code). */
wvm_status compile_lazy(compiled_func *cf, const cell **code, char *err, size_t errcap);
/* compile_lazy for every function of mod: WVM_OK or WVM_ERR_NOMEM. */
wvm_status compile_all(const wvm_module *mod, char *err, size_t errcap);
void compile_release(wasm_module *m);
const char *compile_valtype_name(int t); /* "i32", ... for messages */

/* instance.c: runtime objects */
int64_t instance_memory_grow(wvm_store *s, memory_obj *m, uint32_t delta); /* old pages or -1 */
wvm_status instance_memory_init(wvm_instance *inst, uint32_t seg, uint32_t dst, uint32_t src, uint32_t n);
int64_t instance_table_grow(wvm_store *s, table_obj *t, uint32_t delta, slot init); /* old size or -1 */
wvm_status instance_table_init(wvm_instance *inst, uint32_t table, uint32_t seg,
                               uint32_t dst, uint32_t src, uint32_t n);
/* "name" from the name section, else "func[index]" */
void instance_func_display_name(const wvm_func *f, char *buf, size_t cap);
/* wasm byte offset (within the code section body) of a code position */
uint32_t instance_func_code_offset(const wvm_func *f, const cell *pc);

/* The interpreter checks deadline and cancel at least this often (fuel units). */
#define FUEL_CHUNK 10000

/* dump.c: translated code as text, a line at a time to out (debugging);
 * every function must be translated (compile_all) */
void dump_module(const wasm_module *m, void (*out)(void *user, const char *text, size_t len), void *user);

/* profile.c: reports a charge of cost made at (inst, pc), or by a host
 * function when inst is NULL, to s->prof_fn */
void profile_report(wvm_store *s, const wvm_instance *inst, const cell *pc, uint64_t cost);

/* interp.c */
wvm_status interp_charge(wvm_store *s, uint64_t cost);
const void *const *interp_labels(void);
wvm_status interp_call(wvm_store *s, wvm_func *f, slot *args);
bool interp_functype_eq(const wasm_functype *a, const wasm_functype *b);

/* Handler indices into interp_labels(); the translator emits these. */
#include "wasm/ops.h"

#endif
