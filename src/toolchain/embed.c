/*
 * embed.c -- step 8: the ABI appended to the module as two custom
 * sections (a custom section is only bytes after the others, so
 * appending changes nothing the runtime executes):
 *   "wvm.abi_version"  "1"
 *   "wvm.abi"          JSON, written here in a fixed order:
 *     {"abi_version":1,
 *      "functions":[{"name":"Transfer",
 *                    "params":[{"name":"to","type":"address"}, ...],
 *                    "result":"void", "policies":["view", ...]}, ...],
 *      "float_policy":"canonical_nan"|"reject"}
 * Deploy copies "wvm.abi" into the contract's metadata.
 */
#include <stdlib.h>
#include <string.h>
#include "toolchain.h"
#include "wvm/abi.h"

static bool leb128(tc_buf *b, size_t v) {
    bool ok = true;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        if (v) byte |= 0x80;
        ok = ok && tcbuf_append(b, &byte, 1);
    } while (v);
    return ok;
}

static bool custom_section(tc_buf *wasm, const char *name, const char *payload, size_t len) {
    size_t name_len = strlen(name);
    tc_buf name_size = {0};
    bool ok = leb128(&name_size, name_len);
    uint8_t id = 0;
    ok = ok && tcbuf_append(wasm, &id, 1) && leb128(wasm, name_size.len + name_len + len) &&
         tcbuf_append(wasm, name_size.data, name_size.len) &&
         tcbuf_append(wasm, name, name_len) && tcbuf_append(wasm, payload, len);
    tcbuf_free(&name_size);
    return ok;
}

/* Names are C identifiers, so they need no escaping. */
static bool abi_json(const tc_options *o, const tc_exports *ex, tc_buf *j) {
    static const char *const policy_names[] = {"view", "nonreentrant", "payable"};
    bool ok = tcbuf_printf(j, "{\"abi_version\":%d,\"functions\":[", WVM_ABI_VERSION);
    for (uint32_t i = 0; i < ex->n; i++) {
        const tc_func *f = &ex->funcs[i];
        ok = ok && tcbuf_printf(j, "%s{\"name\":\"%s\",\"params\":[", i ? "," : "", f->name);
        for (uint32_t k = 0; k < f->nparams; k++)
            ok = ok && tcbuf_printf(j, "%s{\"name\":\"%s\",\"type\":\"%s\"}", k ? "," : "",
                                    f->params[k].name, toolchain_type_name(f->params[k].type));
        ok = ok && tcbuf_printf(j, "],\"result\":\"%s\",\"policies\":[",
                                toolchain_type_name(f->result));
        bool first = true;
        for (unsigned p = 0; p < 3; p++) {
            if (!(f->policies & (1u << p))) continue;
            ok = ok && tcbuf_printf(j, "%s\"%s\"", first ? "" : ",", policy_names[p]);
            first = false;
        }
        ok = ok && tcbuf_printf(j, "]}");
    }
    return ok && tcbuf_printf(j, "],\"float_policy\":\"%s\"}",
                              o->float_policy == WVM_FLOAT_REJECT ? "reject" : "canonical_nan");
}

bool embed_abi(const tc_options *o, const tc_exports *ex, tc_buf *wasm, char **json_out) {
    tc_buf j = {0};
    char version[16];
    snprintf(version, sizeof version, "%d", WVM_ABI_VERSION);
    bool ok = abi_json(o, ex, &j) &&
              custom_section(wasm, WVM_ABI_VERSION_SECTION, version, strlen(version)) &&
              custom_section(wasm, WVM_ABI_SECTION, (const char *)j.data, j.len);
    if (!ok) {
        fprintf(o->diag, "wvm build: out of memory writing the ABI\n");
        tcbuf_free(&j);
        return false;
    }
    *json_out = (char *)j.data;
    return true;
}
