/*
 * policy.c -- function policies from a contract's ABI section
 * (docs/calls.md).  wvm build writes them from the source markers
 * (WVM_VIEW, WVM_NONREENTRANT, WVM_PAYABLE: annotate attributes that its
 * libclang scan reads) into "wvm.abi":
 *   {"functions":[{"name":"F", ..., "policies":["view", ...]}, ...]}
 * Deploy has checked that the section is JSON; a module without it (a
 * contract not built by wvm build) declares no policies.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "chain.h"
#include "wvm/abi.h"

static uint32_t flags_of(json_object *list) {
    uint32_t fl = 0;
    size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = json_object_get_string(json_object_array_get_idx(list, i));
        if (!p) continue;
        if (!strcmp(p, "view")) fl |= POLICY_VIEW;
        else if (!strcmp(p, "nonreentrant")) fl |= POLICY_NONREENTRANT;
        else if (!strcmp(p, "payable")) fl |= POLICY_PAYABLE;
    }
    return fl;
}

wvm_status policy_load(const uint8_t *wasm, size_t len, policy_set *out) {
    memset(out, 0, sizeof *out);
    scan_module m;
    memset(&m, 0, sizeof m);
    m.want[0] = WVM_ABI_SECTION;
    char msg[256];
    bool ok = scan_run(&m, wasm, len, msg, sizeof msg);
    if (!ok || !m.custom[0].present) {
        scan_free(&m);
        return WVM_OK;
    }
    json_tokener *tk = json_tokener_new();
    json_object *root = tk ? json_tokener_parse_ex(tk, m.custom[0].body.ptr, (int)m.custom[0].body.len)
                           : NULL;
    json_tokener_free(tk);
    scan_free(&m);
    json_object *fns;
    wvm_status st = WVM_OK;
    if (root && json_object_object_get_ex(root, "functions", &fns) &&
        json_object_is_type(fns, json_type_array)) {
        size_t n = json_object_array_length(fns);
        out->fns = calloc(n ? n : 1, sizeof *out->fns);
        if (!out->fns) st = WVM_ERR_NOMEM;
        for (size_t i = 0; !st && i < n; i++) {
            json_object *f = json_object_array_get_idx(fns, i), *name, *pol;
            if (!json_object_object_get_ex(f, "name", &name) ||
                !json_object_object_get_ex(f, "policies", &pol))
                continue;
            uint32_t fl = flags_of(pol);
            if (!fl) continue;
            char *s = strdup(json_object_get_string(name) ? json_object_get_string(name) : "");
            if (!s) {
                st = WVM_ERR_NOMEM;
                break;
            }
            out->fns[out->n++] = (policy_fn){ s, fl };
        }
    }
    json_object_put(root);
    if (st) policy_set_free(out);
    return st;
}

uint32_t policy_of(const policy_set *p, const char *fn, uint32_t fn_len) {
    for (uint32_t i = 0; i < p->n; i++)
        if (strlen(p->fns[i].name) == fn_len && !memcmp(p->fns[i].name, fn, fn_len))
            return p->fns[i].flags;
    return 0;
}

void policy_set_free(policy_set *p) {
    if (!p) return;
    for (uint32_t i = 0; i < p->n; i++) free(p->fns[i].name);
    free(p->fns);
    memset(p, 0, sizeof *p);
}
