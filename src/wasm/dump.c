/*
 * dump.c -- the translated code as text, for debugging the translator
 * (wvm_config.dump makes wvm_module_new pass it to the embedder; `wvm run
 * --dump` prints it).  Formats into a buffer: the library writes to no
 * stream itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include "wasm/runtime.h"

static const char *const op_names[OP_COUNT] = {
#define OP_X(name) [OP_##name] = #name,
    ALL_OPS
#undef OP_X
};

static int op_of(const void *const *labels, const void *h) {
    for (int i = 0; i < OP_COUNT; i++)
        if (labels[i] == h) return i;
    return -1;
}

typedef void dump_fn(void *user, const char *text, size_t len);

/* Formats one line and passes it on; the longest line is about 110 bytes. */
__attribute__((format(printf, 3, 4)))
static void line(dump_fn *out, void *user, const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    out(user, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void dump_module(const wasm_module *m, dump_fn *out, void *user) {
    const void *const *labels = interp_labels();
    for (uint32_t f = 0; f < m->nfuncs - m->nfunc_imports; f++) {
        const compiled_func *cf = &m->compiled[f];
        line(out, user, "func %u: locals %u frame %u\n", f + m->nfunc_imports, cf->nlocals, cf->frame_slots);
        /* the caller translated every function (dump_module in runtime.h) */
        const xlat *x = compile_xlat(cf);
        for (uint32_t i = 0; x && i < x->ncells; i++) {
            int op = op_of(labels, x->code[i].h);
            uint64_t u = x->code[i].u;
            if (op >= 0)
                line(out, user, "  %4u %-20s\n", i, op_names[op]);
            else
                line(out, user, "  %4u   A=%u B=%u C=%u D=%u HI=%d (%lld)\n", i, OPA(u), OPB(u), OPC(u), OPD(u),
                     (int32_t)OPHI(u), (long long)u);
        }
    }
}
