/*
 * embed.c -- the smallest embedding program: built against an installed
 * wvm with `pkg-config --cflags --libs wvm` (tests/install/run.sh).
 * Loads a module that adds two i32, calls it, prints the sum.
 */
#include <stdio.h>
#include <wvm.h>

/* (module (func (export "add") (param i32 i32) (result i32)
 *   local.get 0 local.get 1 i32.add)) */
static const uint8_t add_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60,
    0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01,
    0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20,
    0x00, 0x20, 0x01, 0x6a, 0x0b,
};

int main(void) {
    wvm_engine *e = NULL;
    wvm_module *m = NULL;
    wvm_store *s = NULL;
    wvm_instance *inst;
    wvm_func *add;
    int rc = 1;
    wvm_status st = wvm_engine_new(NULL, &e);
    if (st == WVM_OK) st = wvm_module_new(e, add_wasm, sizeof add_wasm, &m);
    if (st == WVM_OK) st = wvm_store_new(e, &s);
    if (st == WVM_OK) st = wvm_instance_new(s, m, NULL, 0, &inst);
    if (st == WVM_OK) st = wvm_instance_func(inst, "add", &add);
    if (st == WVM_OK) {
        wvm_val args[2] = {wvm_i32(40), wvm_i32(2)}, r;
        st = wvm_func_call(s, add, args, 2, &r, 1);
        if (st == WVM_OK) {
            printf("add(40, 2) = %d\n", r.of.i32);
            rc = 0;
        }
    }
    if (st != WVM_OK) fprintf(stderr, "embed: %s\n", wvm_status_str(st));
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
    return rc;
}
