/*
 * client.c -- `wvm build --client SRC.c|ADDR`: writes NAME_client.h,
 * typed stubs for calling that contract from another one
 * (src/toolchain/client.c, docs/calls.md).  The ABI comes from building
 * the source, or from the metadata of the contract deployed at ADDR.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "toolchain/toolchain.h"

int build_run(const char *src, tc_options *o, bool wasm_opt, tc_output *out);
int build_write_file(const char *path, const void *data, size_t len);

/* The ABI JSON of the contract at addr (malloc'd), or NULL after a
 * message. */
static char *deployed_abi(const char *addr_text) {
    wvm_address addr;
    if (wvm_address_parse(addr_text, &addr)) {
        fprintf(stderr, "wvm build --client: '%s' is neither a .c file nor an address\n", addr_text);
        return NULL;
    }
    wvm_chain *c = cli_chain_open("build --client");
    if (!c) return NULL;
    char *meta = NULL, *abi = NULL;
    if (wvm_chain_contract(c, &addr, NULL, &meta)) {
        fprintf(stderr, "wvm build --client: %s\n", wvm_chain_errmsg(c));
    } else {
        json_object *m = json_tokener_parse(meta), *a;
        if (m && json_object_object_get_ex(m, "abi", &a) && json_object_is_type(a, json_type_object))
            abi = strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
        else
            fprintf(stderr, "wvm build --client: the contract at %s has no ABI in its metadata "
                            "(not built by wvm build)\n", addr_text);
        json_object_put(m);
    }
    free(meta);
    wvm_chain_close(c);
    return abi;
}

/* NAME from SRC: its file name without directories and ".c"/".c.gz". */
static char *name_of(const char *src) {
    const char *b = strrchr(src, '/');
    b = b ? b + 1 : src;
    size_t n = strlen(b);
    if (n > 5 && !strcmp(b + n - 5, ".c.gz")) n -= 5;
    else if (n > 2 && !strcmp(b + n - 2, ".c")) n -= 2;
    return strndup(b, n);
}

int build_client(const char *what, const char *name, const char *out_path, tc_options *o,
                 bool wasm_opt) {
    char *abi = NULL, *own_name = NULL, *own_out = NULL;
    int rc = 1;
    if (build_is_source(what)) {
        tc_output out;
        if (build_run(what, o, wasm_opt, &out) != 0) return 1;
        abi = strdup(out.abi_json);
        toolchain_output_free(&out);
        if (!name) name = own_name = name_of(what);
    } else {
        if (!name) {
            fprintf(stderr, "wvm build --client ADDR needs --name NAME (the stubs' prefix)\n");
            return 2;
        }
        abi = deployed_abi(what);
    }
    if (!abi || !name) goto done;
    if (!out_path) {
        own_out = malloc(strlen(name) + sizeof "_client.h");
        if (!own_out) goto done;
        sprintf(own_out, "%s_client.h", name);
        out_path = own_out;
    }
    tc_buf h = {0};
    o->diag = stderr;
    if (client_generate(o, name, abi, &h) && build_write_file(out_path, h.data, h.len) == 0) rc = 0;
    tcbuf_free(&h);
done:
    free(abi);
    free(own_name);
    free(own_out);
    return rc;
}
