/*
 * deploy.c -- wvm_deploy: one transaction that turns wasm (or gzip'd
 * wasm) into a contract.  The steps, in order:
 *
 *   code    gunzip when the gzip magic is there, bounded while it runs;
 *           the size limit either way
 *   load    the runtime, under the chain's contract configuration
 *   ABI     imports only from "env" with the names and types of
 *           sdk/include/wvm/abi.h; exports memory, allocate,
 *           handle_contract_call with their types; ABI version section
 *   store   code once under its hash; the contract record and metadata;
 *           the default object and its event
 *
 * Anything refused ends the transaction with a receipt naming what was
 * wrong, and changes nothing else.  docs/state.md describes the result.
 */
#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "chain.h"
#include "wvm/abi.h"

#define DEPLOY_MAX_SALT 64

typedef struct deploy_job {
    wvm_chain *chain;
    const wvm_deploy_args *args;
    uint8_t *inflated;          /* owned: the gunzipped code */
    const uint8_t *wasm;        /* the code (args->code or inflated) */
    size_t len;
    wvm_hash code_hash;
    wvm_address addr;
    uint32_t abi_version;
    char *abi_json;             /* owned: the wvm.abi section, if any */
    wvm_error_kind kind;
    char msg[CHAIN_MSG];
    uint64_t fuel_used;         /* by Initialize */
} deploy_job;

static bool refuse(deploy_job *j, wvm_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool refuse(deploy_job *j, wvm_error_kind kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->msg, sizeof j->msg, fmt, ap);
    va_end(ap);
    j->kind = kind;
    return false;
}

/* ------------------------------------------------------------------ */
/* code: gunzip, bounded */

static bool is_gzip(const uint8_t *p, size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }

/* Inflates into a buffer that never grows past max: when it is full and
 * the stream has not ended, one more byte of output into a scratch byte
 * proves the code too big, and it is refused without allocating more. */
static bool gunzip(deploy_job *j, size_t max) {
    const wvm_deploy_args *a = j->args;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return refuse(j, WVM_KIND_RESOURCE_EXHAUSTED, "cannot start zlib");
    size_t cap = a->code_len * 4 < 65536 ? 65536 : a->code_len * 4;
    if (cap > max || a->code_len * 4 / 4 != a->code_len) cap = max;
    uint8_t *buf = malloc(cap ? cap : 1);
    if (!buf) {
        inflateEnd(&z);
        return refuse(j, WVM_KIND_RESOURCE_EXHAUSTED, "out of memory");
    }
    z.next_in = (Bytef *)a->code;
    size_t left_in = a->code_len;
    size_t have = 0;
    int rc = Z_OK;
    bool ok = true;
    while (rc != Z_STREAM_END) {
        if (have == cap) {
            if (cap == max) {
                /* Full at the limit: is there more? */
                uint8_t scratch;
                z.next_out = &scratch;
                z.avail_out = 1;
                if (z.avail_in == 0) {
                    uInt take = left_in > UINT32_MAX ? UINT32_MAX : (uInt)left_in;
                    z.avail_in = take;
                    left_in -= take;
                }
                rc = inflate(&z, Z_NO_FLUSH);
                if (z.avail_out == 0) {
                    ok = refuse(j, WVM_KIND_INVALID_ARGUMENT,
                                "decompressed code is over the limit of %zu bytes (refused while "
                                "inflating; a gzip bomb?)", max);
                    break;
                }
                if (rc == Z_STREAM_END) break;
                if (rc != Z_OK && rc != Z_BUF_ERROR) {
                    ok = refuse(j, WVM_KIND_INVALID_ARGUMENT, "not a valid gzip stream: %s",
                                z.msg ? z.msg : "corrupt data");
                    break;
                }
                if (z.avail_in == 0 && left_in == 0) {
                    ok = refuse(j, WVM_KIND_INVALID_ARGUMENT, "gzip stream ends early");
                    break;
                }
                continue;
            }
            size_t ncap = cap * 2 > max || cap * 2 < cap ? max : cap * 2;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                ok = refuse(j, WVM_KIND_RESOURCE_EXHAUSTED, "out of memory");
                break;
            }
            buf = nb;
            cap = ncap;
        }
        if (z.avail_in == 0) {
            if (left_in == 0) {
                ok = refuse(j, WVM_KIND_INVALID_ARGUMENT, "gzip stream ends early");
                break;
            }
            uInt take = left_in > UINT32_MAX ? UINT32_MAX : (uInt)left_in;
            z.avail_in = take;
            left_in -= take;
        }
        size_t room = cap - have;
        z.next_out = buf + have;
        z.avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        have += before - z.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            ok = refuse(j, WVM_KIND_INVALID_ARGUMENT, "not a valid gzip stream: %s",
                        z.msg ? z.msg : "corrupt data");
            break;
        }
    }
    if (ok && (z.avail_in != 0 || left_in != 0))
        ok = refuse(j, WVM_KIND_INVALID_ARGUMENT, "%zu bytes after the end of the gzip stream",
                    (size_t)z.avail_in + left_in);
    inflateEnd(&z);
    if (!ok) {
        free(buf);
        return false;
    }
    j->inflated = buf;
    j->wasm = buf;
    j->len = have;
    return true;
}

static bool take_code(deploy_job *j) {
    size_t max = j->chain->max_code_bytes;
    if (is_gzip(j->args->code, j->args->code_len)) {
        if (!gunzip(j, max)) return false;
    } else {
        j->wasm = j->args->code;
        j->len = j->args->code_len;
    }
    if (j->len > max)
        return refuse(j, WVM_KIND_INVALID_ARGUMENT, "code of %zu bytes is over the limit of %zu bytes",
                      j->len, max);
    if (j->len == 0) return refuse(j, WVM_KIND_INVALID_ARGUMENT, "empty code");
    return true;
}

/* ------------------------------------------------------------------ */
/* ABI checks */

typedef struct sig { const char *name; const char *type; } sig;

/* The imports abi.h allows, with their types as scan_type_str writes them. */
static const sig allowed_imports[] = {
    { WVM_IMPORT_CALL_HOST_SET, "(i32, i32, i32) -> i32" },
    { WVM_IMPORT_GET_BUFFER, "(i32, i32) -> i32" },
    { WVM_IMPORT_BLOCK_HEIGHT, "() -> i64" },
    { WVM_IMPORT_BLOCK_TIME, "() -> i64" },
    { WVM_IMPORT_BALANCE, "(i32) -> i64" },
    { WVM_IMPORT_FIELD_GET, "(i32, i32, i32, i32, i32) -> i32" },
    { WVM_IMPORT_FIELD_SET, "(i32, i32, i32, i32, i32) -> i32" },
};

static const sig required_exports[] = {
    { "allocate", "(i32) -> i32" },
    { "handle_contract_call", "(i32, i32, i32, i32) -> i32" },
};

static bool name_is(scan_name n, const char *s) { return strlen(s) == n.len && !memcmp(s, n.ptr, n.len); }

static bool check_imports(deploy_job *j, const scan_module *m) {
    for (uint32_t i = 0; i < m->nimports; i++) {
        const scan_import *im = &m->imports[i];
        if (!name_is(im->module, "env"))
            return refuse(j, WVM_KIND_COMPILATION_FAILED,
                          "import %u '%.*s.%.*s': contracts may import only from module \"env\" "
                          "(the host ABI)", i, (int)im->module.len, im->module.ptr,
                          (int)im->name.len, im->name.ptr);
        const sig *want = NULL;
        for (size_t k = 0; k < sizeof allowed_imports / sizeof *allowed_imports; k++)
            if (name_is(im->name, allowed_imports[k].name)) want = &allowed_imports[k];
        if (!want)
            return refuse(j, WVM_KIND_COMPILATION_FAILED,
                          "import %u 'env.%.*s' is not a host function of ABI version %d",
                          i, (int)im->name.len, im->name.ptr, WVM_ABI_VERSION);
        char got[256] = "not a function";
        const scan_type *t = im->kind == 0 && im->type < m->ntypes ? &m->types[im->type] : NULL;
        if (t) scan_type_str(t, got, sizeof got);
        if (!t || strcmp(got, want->type))
            return refuse(j, WVM_KIND_COMPILATION_FAILED, "import 'env.%s' has type %s; the ABI "
                          "says %s", want->name, got, want->type);
    }
    return true;
}

static bool check_exports(deploy_job *j, const scan_module *m) {
    bool memory = false;
    for (uint32_t i = 0; i < m->nexports; i++)
        if (name_is(m->exports[i].name, "memory")) {
            if (m->exports[i].kind != 2)
                return refuse(j, WVM_KIND_COMPILATION_FAILED, "export 'memory' is not a memory");
            memory = true;
        }
    if (!memory)
        return refuse(j, WVM_KIND_COMPILATION_FAILED, "missing export 'memory' (the contract's "
                      "linear memory)");
    for (size_t k = 0; k < sizeof required_exports / sizeof *required_exports; k++) {
        const sig *want = &required_exports[k];
        const scan_export *e = NULL;
        for (uint32_t i = 0; i < m->nexports; i++)
            if (name_is(m->exports[i].name, want->name)) e = &m->exports[i];
        if (!e)
            return refuse(j, WVM_KIND_COMPILATION_FAILED, "missing export '%s', a function %s",
                          want->name, want->type);
        char got[256] = "not a function";
        const scan_type *t = e->kind == 0 ? scan_func_type(m, e->index) : NULL;
        if (t) scan_type_str(t, got, sizeof got);
        if (!t || strcmp(got, want->type))
            return refuse(j, WVM_KIND_COMPILATION_FAILED, "export '%s' has type %s; it must be %s",
                          want->name, got, want->type);
    }
    return true;
}

/* "wvm.abi_version": the version in decimal ASCII; absent = 1. */
static bool check_version(deploy_job *j, const scan_custom *c) {
    j->abi_version = 1;
    if (!c->present) return true;
    uint64_t v = 0;
    bool ok = c->body.len > 0 && c->body.len <= 9;
    for (uint32_t i = 0; ok && i < c->body.len; i++) {
        char d = c->body.ptr[i];
        if (d < '0' || d > '9') ok = false;
        else v = v * 10 + (uint64_t)(d - '0');
    }
    if (!ok)
        return refuse(j, WVM_KIND_COMPILATION_FAILED, "custom section '%s' must hold a decimal "
                      "version number", WVM_ABI_VERSION_SECTION);
    if (v != WVM_ABI_VERSION)
        return refuse(j, WVM_KIND_COMPILATION_FAILED, "the contract speaks ABI version %llu; this "
                      "host speaks version %d", (unsigned long long)v, WVM_ABI_VERSION);
    j->abi_version = (uint32_t)v;
    return true;
}

static bool check_abi_json(deploy_job *j, const scan_custom *c) {
    if (!c->present) return true;
    j->abi_json = malloc((size_t)c->body.len + 1);
    if (!j->abi_json) return refuse(j, WVM_KIND_RESOURCE_EXHAUSTED, "out of memory");
    memcpy(j->abi_json, c->body.ptr, c->body.len);
    j->abi_json[c->body.len] = 0;
    return true;
}

static bool check_module(deploy_job *j) {
    wvm_module *mod = NULL;
    wvm_status st = wvm_module_new(j->chain->engine, j->wasm, j->len, &mod);
    if (st) {
        refuse(j, st == WVM_ERR_NOMEM ? WVM_KIND_RESOURCE_EXHAUSTED : WVM_KIND_COMPILATION_FAILED,
               "the module does not load: %s: %s", wvm_status_str(st),
               mod ? wvm_module_errmsg(mod) : "out of memory");
        wvm_module_free(mod);
        return false;
    }
    wvm_module_free(mod);
    scan_module m;
    memset(&m, 0, sizeof m);
    m.want[0] = WVM_ABI_VERSION_SECTION;
    m.want[1] = WVM_ABI_SECTION;
    char msg[256];
    bool ok = scan_run(&m, j->wasm, j->len, msg, sizeof msg)
                  ? check_imports(j, &m) && check_exports(j, &m) &&
                        check_version(j, &m.custom[0]) && check_abi_json(j, &m.custom[1])
                  : refuse(j, WVM_KIND_COMPILATION_FAILED, "%s", msg);
    scan_free(&m);
    return ok;
}

/* ------------------------------------------------------------------ */
/* store */

static void sha256_parts(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, uint8_t out[32]) {
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned int n = 32;
    bool ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) && EVP_DigestUpdate(c, a, an) &&
              (!bn || EVP_DigestUpdate(c, b, bn)) && EVP_DigestFinal_ex(c, out, &n);
    EVP_MD_CTX_free(c);
    if (!ok) memset(out, 0, 32);
}

static char *metadata(deploy_job *j, const wvm_object_id *def, uint64_t height, uint64_t time) {
    const wvm_deploy_args *a = j->args;
    char h[67], dep[43], obj[67];
    json_object *o = json_object_new_object();
    if (!o) return NULL;
    json_object_object_add(o, "abi_version", json_object_new_int64(j->abi_version));
    wvm_hash_hex(&j->code_hash, h);
    json_object_object_add(o, "code_hash", json_object_new_string(h));
    json_object_object_add(o, "code_size", json_object_new_uint64(j->len));
    wvm_address_hex(&a->deployer, dep);
    json_object_object_add(o, "deployer", json_object_new_string(dep));
    json_object_object_add(o, "height", json_object_new_uint64(height));
    json_object_object_add(o, "time", json_object_new_uint64(time));
    if (a->salt && a->salt_len) {
        char salt[2 * DEPLOY_MAX_SALT + 3];
        static const char d[] = "0123456789abcdef";
        salt[0] = '0';
        salt[1] = 'x';
        for (size_t i = 0; i < a->salt_len; i++) {
            salt[2 + 2 * i] = d[a->salt[i] >> 4];
            salt[3 + 2 * i] = d[a->salt[i] & 15];
        }
        salt[2 + 2 * a->salt_len] = 0;
        json_object_object_add(o, "salt", json_object_new_string(salt));
    } else {
        json_object_object_add(o, "salt", NULL);
    }
    wvm_hash_hex((const wvm_hash *)def, obj);
    json_object_object_add(o, "default_object", json_object_new_string(obj));
    json_object *abi = NULL;
    if (j->abi_json) {
        abi = json_tokener_parse(j->abi_json);
        if (!abi) {
            json_object_put(o);
            refuse(j, WVM_KIND_COMPILATION_FAILED, "custom section '%s' is not valid JSON",
                   WVM_ABI_SECTION);
            return NULL;
        }
    }
    json_object_object_add(o, "abi", abi);
    char *s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    if (!s) refuse(j, WVM_KIND_RESOURCE_EXHAUSTED, "out of memory");
    return s;
}

/* Whether the wvm.abi section's "functions" has one named Initialize. */
static bool abi_lists_initialize(const char *abi_json) {
    if (!abi_json) return false;
    json_object *abi = json_tokener_parse(abi_json), *fns, *name;
    bool found = false;
    if (abi && json_object_object_get_ex(abi, "functions", &fns) &&
        json_object_is_type(fns, json_type_array)) {
        for (size_t i = 0; !found && i < json_object_array_length(fns); i++) {
            json_object *f = json_object_array_get_idx(fns, i);
            found = json_object_object_get_ex(f, "name", &name) &&
                    json_object_is_type(name, json_type_string) &&
                    strcmp(json_object_get_string(name), "Initialize") == 0;
        }
    }
    json_object_put(abi);
    return found;
}

static wvm_error_kind store(deploy_job *j, wvm_block *b, st_txn *tx, char **result) {
    const wvm_deploy_args *a = j->args;
    wvm_contract_info info;
    const char *m;
    size_t mn;
    char addr[43];
    wvm_address_hex(&j->addr, addr);
    if (st_contract_get(tx, &j->addr, &info, &m, &mn) == WVM_OK) {
        refuse(j, WVM_KIND_ALREADY_EXISTS, "a contract already exists at %s (the same code%s); "
               "deploy with a --salt to make another instance of this code", addr,
               a->salt_len ? " and salt" : "");
        return j->kind;
    }
    wvm_object_id def;
    st_default_object_id(&j->addr, &def);
    char *meta = metadata(j, &def, b->height, b->time);
    if (!meta) return j->kind ? j->kind : (refuse(j, WVM_KIND_RESOURCE_EXHAUSTED, "out of memory"), j->kind);
    memset(&info, 0, sizeof info);
    info.code_hash = j->code_hash;
    info.code_size = (uint32_t)j->len;
    info.abi_version = j->abi_version;
    info.deployer = a->deployer;
    info.height = b->height;
    info.time = b->time;
    wvm_status st = st_code_put(tx, &j->code_hash, j->wasm, j->len);
    if (!st) st = st_contract_put(tx, &j->addr, &info, meta, strlen(meta));
    free(meta);
    if (!st) st = st_object_create(tx, &def, &j->addr, &j->addr);
    char obj[67], attrs[160];
    wvm_hash_hex((const wvm_hash *)&def, obj);
    snprintf(attrs, sizeof attrs, "{\"contract\":\"%s\",\"object_id\":\"%s\"}", addr, obj);
    if (!st) st = st_event_put(tx, &j->addr, "default_object_created", attrs, strlen(attrs));
    if (st) {
        refuse(j, chain_kind_of(st), "%s", st_txn_errmsg(tx));
        return j->kind;
    }
    /* Initialize runs inside tx when init params are given or the
     * contract's ABI section lists a function "Initialize"
     * (docs/abi.md); its failure fails the deploy, and the caller aborts
     * tx, undoing all of it. */
    if (a->init_params || abi_lists_initialize(j->abi_json)) {
        char m[CHAIN_MSG - 64];
        wvm_error_kind k = chain_deploy_initialize(b, tx, &j->addr, a, &j->fuel_used, m, sizeof m);
        if (k != WVM_KIND_NONE) {
            refuse(j, k, "Initialize of %s failed: %s", addr, m);
            return j->kind;
        }
    }
    char h[67];
    wvm_hash_hex(&j->code_hash, h);
    if (asprintf(result, "{\"address\":\"%s\",\"code_hash\":\"%s\",\"default_object\":\"%s\"}",
                 addr, h, obj) < 0) {
        *result = NULL;
        refuse(j, WVM_KIND_RESOURCE_EXHAUSTED, "out of memory");
        return j->kind;
    }
    return WVM_KIND_NONE;
}

wvm_status wvm_deploy(wvm_block *b, const wvm_deploy_args *args, wvm_address *addr,
                      wvm_receipt **receipt) {
    if (receipt) *receipt = NULL;
    if (!args || !args->code)
        return block_fail(b, WVM_ERR_ARG, "deploy: no code given");
    deploy_job j;
    memset(&j, 0, sizeof j);
    j.chain = b->chain;
    j.args = args;
    st_txn *tx;
    wvm_status st = chain_tx_begin(b, &tx);
    if (st) return st;
    char *result = NULL;
    if (args->salt_len > DEPLOY_MAX_SALT || (args->salt_len && !args->salt))
        refuse(&j, WVM_KIND_INVALID_ARGUMENT, "a salt is 1 to %d bytes", DEPLOY_MAX_SALT);
    else if (take_code(&j) && check_module(&j)) {
        sha256_parts(j.wasm, j.len, NULL, 0, j.code_hash.b);
        uint8_t a[32];
        sha256_parts(j.wasm, j.len, args->salt, args->salt_len, a);
        memcpy(j.addr.b, a, 20);
        j.kind = store(&j, b, tx, &result);
    }
    st = chain_tx_end(b, tx, j.kind, j.msg, result, j.fuel_used, receipt);
    if (!st && j.kind == WVM_KIND_NONE && addr) *addr = j.addr;
    free(result);
    free(j.inflated);
    free(j.abi_json);
    return st;
}
