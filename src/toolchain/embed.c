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

static bool read_leb(const uint8_t **p, const uint8_t *end, size_t *out) {
    size_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        if (*p >= end) return false;
        uint8_t b = *(*p)++;
        v |= (size_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* The payload of custom section `name` in the module (already checked by
 * the runtime), or NULL. */
static const uint8_t *find_custom(const tc_buf *wasm, const char *name, size_t *len) {
    const uint8_t *p = wasm->data + 8, *end = wasm->data + wasm->len;
    size_t want = strlen(name);
    while (p < end) {
        uint8_t id = *p++;
        size_t size;
        if (!read_leb(&p, end, &size) || size > (size_t)(end - p)) return NULL;
        const uint8_t *next = p + size;
        size_t nlen;
        if (id == 0 && read_leb(&p, next, &nlen) && nlen <= (size_t)(next - p) &&
            nlen == want && memcmp(p, name, want) == 0) {
            *len = (size_t)(next - p) - nlen;
            return p + nlen;
        }
        p = next;
    }
    return NULL;
}

bool embed_abi(const tc_options *o, const tc_exports *ex, tc_buf *wasm, char **json_out) {
    tc_buf j = {0};
    char version[16];
    snprintf(version, sizeof version, "%d", WVM_ABI_VERSION);
    size_t have_len;
    /* The SDK may declare the version itself; it must be ours. */
    const uint8_t *have = find_custom(wasm, WVM_ABI_VERSION_SECTION, &have_len);
    if (have && (have_len != strlen(version) || memcmp(have, version, have_len) != 0)) {
        fprintf(o->diag, "wvm build: the SDK library declares ABI version '%.*s'; this wvm "
                         "speaks %s\n", (int)(have_len < 16 ? have_len : 16), (const char *)have,
                version);
        return false;
    }
    if (find_custom(wasm, WVM_ABI_SECTION, &have_len)) {
        fprintf(o->diag, "wvm build: the module already has a \"%s\" section\n", WVM_ABI_SECTION);
        return false;
    }
    bool ok = abi_json(o, ex, &j) &&
              (have || custom_section(wasm, WVM_ABI_VERSION_SECTION, version, strlen(version))) &&
              custom_section(wasm, WVM_ABI_SECTION, (const char *)j.data, j.len);
    if (!ok) {
        fprintf(o->diag, "wvm build: out of memory writing the ABI\n");
        tcbuf_free(&j);
        return false;
    }
    *json_out = (char *)j.data;
    return true;
}
