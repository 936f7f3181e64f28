/*
 * dump.c -- prints translated code, for debugging the translator
 * (WVM_DUMP=1 in the environment makes wvm_module_new print it).
 */
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

void dump_module(const wasm_module *m, FILE *out) {
    const void *const *labels = interp_labels();
    for (uint32_t f = 0; f < m->nfuncs - m->nfunc_imports; f++) {
        const compiled_func *cf = &m->compiled[f];
        fprintf(out, "func %u: locals %u frame %u\n", f + m->nfunc_imports, cf->nlocals, cf->frame_slots);
        for (uint32_t i = 0; i < cf->ncells; i++) {
            int op = op_of(labels, cf->code[i].h);
            uint64_t u = cf->code[i].u;
            if (op >= 0)
                fprintf(out, "  %4u %-20s\n", i, op_names[op]);
            else
                fprintf(out, "  %4u   A=%u B=%u C=%u D=%u HI=%d (%lld)\n", i, OPA(u), OPB(u), OPC(u), OPD(u),
                        (int32_t)OPHI(u), (long long)u);
        }
    }
}
