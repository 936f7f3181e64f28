/*
 * dump.c -- prints translated code, for debugging the translator
 * (WVM_DUMP=1 in the environment makes wvm_module_new print it).
 */
#include <stdio.h>
#include "wasm/runtime.h"

static const char *const op_names[OP_COUNT] = {
#define X_NUM(code, name, r, a, b) [OP_##name] = #name,
#define X_MEM(code, name, t, n) [OP_##name] = #name,
#define X_CTL(name) [OP_##name] = #name,
#define X_IMM(name) [OP_##name##_I] = #name "_I",
#define X_CMP(name, op, f, neg) [OP_BR_##name] = "BR_" #name, [OP_BRI_##name] = "BRI_" #name, \
    [OP_BR_##name##_L] = "BR_" #name "_L", [OP_BRI_##name##_L] = "BRI_" #name "_L",
    NUMERIC_OPS(X_NUM) LOAD_OPS(X_MEM) STORE_OPS(X_MEM) CONTROL_OPS(X_CTL)
    IMM_OPS(X_IMM) CMP_OPS(X_CMP)
#undef X_IMM
#undef X_CMP
#undef X_NUM
#undef X_MEM
#undef X_CTL
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
