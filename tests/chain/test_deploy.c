/*
 * test_deploy.c -- wvm_deploy: code checks (gzip, size, module, exports,
 * imports, ABI version), addresses and salts, duplicates, metadata, the
 * default object and its event.  Each refusal leaves the root as it was.
 */
#include <openssl/evp.h>
#include <zlib.h>
#include "chaintest.h"

/* Deploys in its own block at the next height; returns the receipt. */
static wvm_receipt *deploy(wvm_chain *c, const uint8_t *code, size_t len, const char *salt,
                           wvm_address *addr) {
    wvm_block *b;
    if (wvm_block_begin(c, wvm_chain_height(c) + 1, 100, &b)) return NULL;
    wvm_deploy_args a;
    memset(&a, 0, sizeof a);
    a.code = code;
    a.code_len = len;
    a.salt = (const uint8_t *)salt;
    a.salt_len = salt ? strlen(salt) : 0;
    a.deployer = ct_addr(7);
    wvm_receipt *r = NULL;
    if (wvm_deploy(b, &a, addr, &r)) {
        wvm_block_abort(b);
        return NULL;
    }
    if (wvm_block_commit(b, NULL)) {
        wvm_receipt_free(r);
        return NULL;
    }
    return r;
}

/* Deploying code must fail with kind and a message containing text, and
 * leave the state root unchanged. */
static void refused(wvm_chain *c, const uint8_t *code, size_t len, wvm_error_kind kind,
                    const char *text, int line) {
    wvm_hash before, after;
    wvm_chain_root(c, &before);
    wvm_address addr;
    memset(&addr, 0xee, sizeof addr);
    wvm_receipt *r = deploy(c, code, len, NULL, &addr);
    if (!r) {
        test_fail(__FILE__, line, "deploy did not run");
        return;
    }
    if (r->kind != kind || !strstr(r->message, text))
        test_fail(__FILE__, line, "got %s \"%s\", wanted %s containing \"%s\"",
                  wvm_error_kind_str(r->kind), r->message, wvm_error_kind_str(kind), text);
    if (r->nevents != 0) test_fail(__FILE__, line, "a failed deploy kept events");
    if (addr.b[0] != 0xee) test_fail(__FILE__, line, "address set on failure");
    wvm_chain_root(c, &after);
    if (memcmp(&before, &after, 32)) test_fail(__FILE__, line, "root changed");
    wvm_receipt_free(r);
}
#define REFUSED(c, code, len, kind, text) refused(c, code, len, kind, text, __LINE__)

static unsigned char *gz(const uint8_t *p, size_t n, size_t *out_len) {
    uLong cap = compressBound(n) + 64;
    unsigned char *out = malloc(cap);
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

TEST(deploy_good_and_metadata) {
    wvm_chain *c = ct_chain("deploy_good", 0);
    REQUIRE(c);
    size_t n;
    unsigned char *w = ct_wasm("good", &n);
    REQUIRE(w);
    wvm_address addr;
    wvm_receipt *r = deploy(c, w, n, NULL, &addr);
    REQUIRE(r);
    CHECK_EQ_STR(wvm_error_kind_str(r->kind), "ok");
    /* address = first 20 bytes of SHA-256(wasm) */
    unsigned char h[32];
    unsigned int hl;
    EVP_Digest(w, n, h, &hl, EVP_sha256(), NULL);
    CHECK(!memcmp(addr.b, h, 20));
    /* the default object, owned by the contract, and its event */
    wvm_object_id def;
    wvm_default_object_id(&addr, &def);
    wvm_object_info oi;
    CHECK_EQ_INT(wvm_chain_object(c, &def, &oi), WVM_OK);
    CHECK(!memcmp(&oi.owner, &addr, 20) && !memcmp(&oi.creator, &addr, 20));
    REQUIRE(r->nevents == 1);
    CHECK_EQ_STR(r->events[0].name, "default_object_created");
    char ah[43], oh[67], want[200];
    wvm_address_hex(&addr, ah);
    wvm_hash_hex((const wvm_hash *)&def, oh);
    snprintf(want, sizeof want, "{\"contract\":\"%s\",\"object_id\":\"%s\"}", ah, oh);
    CHECK_EQ_STR(r->events[0].attributes, want);
    /* metadata */
    wvm_contract_info info;
    char *meta = NULL;
    CHECK_EQ_INT(wvm_chain_contract(c, &addr, &info, &meta), WVM_OK);
    CHECK_EQ_INT(info.code_size, n);
    CHECK_EQ_INT(info.abi_version, 1);
    CHECK_EQ_INT(info.height, 1);
    CHECK(!memcmp(info.code_hash.b, h, 32));
    REQUIRE(meta);
    CHECK(strstr(meta, "\"abi_version\":1"));
    CHECK(strstr(meta, "\"salt\":null"));
    CHECK(strstr(meta, "\"deployer\":\"0xa0000000"));
    free(meta);
    wvm_receipt_free(r);
    /* the same code again: refused, names the address, suggests a salt */
    char msg[100];
    snprintf(msg, sizeof msg, "already exists at %s", ah);
    REFUSED(c, w, n, WVM_KIND_ALREADY_EXISTS, msg);
    REFUSED(c, w, n, WVM_KIND_ALREADY_EXISTS, "--salt");
    /* with a salt: another address, the same code hash */
    wvm_address a2, a3;
    r = deploy(c, w, n, "token-2", &a2);
    REQUIRE(r && r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    CHECK(memcmp(&a2, &addr, 20) != 0);
    wvm_contract_info i2;
    meta = NULL;
    CHECK_EQ_INT(wvm_chain_contract(c, &a2, &i2, &meta), WVM_OK);
    CHECK(!memcmp(&i2.code_hash, &info.code_hash, 32));
    CHECK(meta && strstr(meta, "\"salt\":\"0x746f6b656e2d32\""));
    free(meta);
    /* address = SHA-256(wasm || salt) */
    unsigned char *ws = malloc(n + 7);
    memcpy(ws, w, n);
    memcpy(ws + n, "token-2", 7);
    EVP_Digest(ws, n + 7, h, &hl, EVP_sha256(), NULL);
    CHECK(!memcmp(a2.b, h, 20));
    free(ws);
    /* the same salt twice: refused; another salt: fine */
    wvm_receipt *rr = deploy(c, w, n, "token-2", &a3);
    CHECK(rr && rr->kind == WVM_KIND_ALREADY_EXISTS);
    wvm_receipt_free(rr);
    rr = deploy(c, w, n, "token-3", &a3);
    CHECK(rr && rr->kind == WVM_KIND_NONE);
    wvm_receipt_free(rr);
    wvm_address list[8];
    uint32_t cnt;
    CHECK_EQ_INT(wvm_chain_contracts(c, NULL, 8, list, &cnt), WVM_OK);
    CHECK_EQ_INT(cnt, 3);
    wvm_hash inc, full;
    wvm_chain_root(c, &inc);
    CHECK_EQ_INT(wvm_chain_verify_root(c, &full), WVM_OK);
    CHECK(!memcmp(&inc, &full, 32));
    free(w);
    wvm_chain_close(c);
}

TEST(deploy_gzip) {
    wvm_chain *c = ct_chain("deploy_gzip", 0);
    REQUIRE(c);
    size_t n, zn;
    unsigned char *w = ct_wasm("good", &n);
    REQUIRE(w);
    unsigned char *z = gz(w, n, &zn);
    wvm_address addr, plain;
    wvm_receipt *r = deploy(c, z, zn, NULL, &addr);
    REQUIRE(r);
    CHECK_EQ_STR(r->message, "");
    CHECK(r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    /* the address is the decompressed wasm's: the plain code collides */
    r = deploy(c, w, n, NULL, &plain);
    CHECK(r && r->kind == WVM_KIND_ALREADY_EXISTS);
    wvm_receipt_free(r);
    /* trailing bytes after the stream, a corrupt stream, a cut stream */
    unsigned char *t = malloc(zn + 3);
    memcpy(t, z, zn);
    memcpy(t + zn, "xyz", 3);
    REFUSED(c, t, zn + 3, WVM_KIND_INVALID_ARGUMENT, "after the end of the gzip stream");
    memcpy(t, z, zn);
    for (size_t i = 12; i < zn - 8; i++) t[i] ^= 0x5a;
    REFUSED(c, t, zn, WVM_KIND_INVALID_ARGUMENT, "gzip");
    REFUSED(c, z, zn / 2, WVM_KIND_INVALID_ARGUMENT, "gzip stream ends early");
    free(t);
    free(z);
    free(w);
    wvm_chain_close(c);
}

TEST(deploy_gzip_bomb) {
    wvm_chain *c = ct_chain("deploy_bomb", 0);
    REQUIRE(c);
    /* 64 MiB of zeros: about 64 KiB compressed, 64 times the limit */
    size_t big = 64u << 20, zn;
    unsigned char *zeros = calloc(1, big);
    REQUIRE(zeros);
    memcpy(zeros, "\0asm\1\0\0\0", 8);
    unsigned char *z = gz(zeros, big, &zn);
    free(zeros);
    CHECK(zn < 200000);
    REFUSED(c, z, zn, WVM_KIND_INVALID_ARGUMENT, "over the limit of 1048576 bytes");
    free(z);
    /* exactly at the limit is not over it: 1 MiB inflates, then fails to
     * load as wasm (it is not a module), not on size */
    unsigned char *at = calloc(1, 1u << 20);
    memcpy(at, "\0asm\1\0\0\0", 8);
    z = gz(at, 1u << 20, &zn);
    REFUSED(c, z, zn, WVM_KIND_COMPILATION_FAILED, "does not load");
    free(z);
    /* one byte more is over */
    unsigned char *over = realloc(at, (1u << 20) + 1);
    over[1u << 20] = 0;
    z = gz(over, (1u << 20) + 1, &zn);
    REFUSED(c, z, zn, WVM_KIND_INVALID_ARGUMENT, "over the limit");
    free(z);
    free(over);
    wvm_chain_close(c);
}

TEST(deploy_oversize) {
    wvm_chain *c = ct_chain("deploy_oversize", 100);
    REQUIRE(c);
    size_t n;
    unsigned char *w = ct_wasm("good", &n);
    REQUIRE(w && n > 100);
    REFUSED(c, w, n, WVM_KIND_INVALID_ARGUMENT, "over the limit of 100 bytes");
    free(w);
    wvm_chain_close(c);
}

TEST(deploy_bad_modules) {
    wvm_chain *c = ct_chain("deploy_bad", 0);
    REQUIRE(c);
    static const uint8_t junk[] = "this is not wasm at all";
    REFUSED(c, junk, sizeof junk, WVM_KIND_COMPILATION_FAILED, "does not load");
    REFUSED(c, junk, 0, WVM_KIND_INVALID_ARGUMENT, "empty code");
    static const struct { const char *file, *kind_text; } cases[] = {
        { "no_allocate", "missing export 'allocate', a function (i32) -> i32" },
        { "no_memory", "missing export 'memory'" },
        { "bad_handler_type", "export 'handle_contract_call' has type (i32, i32, i32) -> i32; "
                              "it must be (i32, i32, i32, i32) -> i32" },
        { "foreign_import", "'wasi_snapshot_preview1.fd_write': contracts may import only from "
                            "module \"env\"" },
        { "unknown_host", "'env.read_wall_clock' is not a host function" },
        { "bad_import_type", "import 'env.get_block_height' has type () -> i32; the ABI says () -> i64" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n;
        unsigned char *w = ct_wasm(cases[i].file, &n);
        if (!w) {
            test_fail(__FILE__, __LINE__, "missing %s.wasm", cases[i].file);
            continue;
        }
        REFUSED(c, w, n, WVM_KIND_COMPILATION_FAILED, cases[i].kind_text);
        free(w);
    }
    wvm_chain_close(c);
}

/* good.wasm with a custom section appended (valid anywhere after the
 * header). */
static unsigned char *with_custom(const char *name, const char *body, size_t *len) {
    size_t n;
    unsigned char *w = ct_wasm("good", &n);
    if (!w) return NULL;
    size_t nl = strlen(name), bl = strlen(body), size = 1 + nl + bl;
    unsigned char *o = malloc(n + 16 + size);
    memcpy(o, w, n);
    free(w);
    size_t k = n;
    o[k++] = 0;
    for (size_t v = size;; v >>= 7) {   /* LEB128 */
        o[k++] = (uint8_t)((v & 0x7f) | (v >> 7 ? 0x80 : 0));
        if (!(v >> 7)) break;
    }
    o[k++] = (uint8_t)nl;
    memcpy(o + k, name, nl), k += nl;
    memcpy(o + k, body, bl), k += bl;
    *len = k;
    return o;
}

TEST(deploy_abi_sections) {
    wvm_chain *c = ct_chain("deploy_abi", 0);
    REQUIRE(c);
    size_t n;
    unsigned char *w = with_custom("wvm.abi_version", "2", &n);
    REQUIRE(w);
    REFUSED(c, w, n, WVM_KIND_COMPILATION_FAILED, "speaks ABI version 2; this host speaks version 1");
    free(w);
    w = with_custom("wvm.abi_version", "one", &n);
    REFUSED(c, w, n, WVM_KIND_COMPILATION_FAILED, "decimal version number");
    free(w);
    w = with_custom("wvm.abi", "{not json", &n);
    REFUSED(c, w, n, WVM_KIND_COMPILATION_FAILED, "'wvm.abi' is not valid JSON");
    free(w);
    w = with_custom("wvm.abi_version", "1", &n);
    wvm_address addr;
    wvm_receipt *r = deploy(c, w, n, NULL, &addr);
    CHECK(r && r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    free(w);
    w = with_custom("wvm.abi", "{\"functions\":[{\"name\":\"Get\"}]}", &n);
    r = deploy(c, w, n, NULL, &addr);
    REQUIRE(r && r->kind == WVM_KIND_NONE);
    wvm_receipt_free(r);
    char *meta = NULL;
    CHECK_EQ_INT(wvm_chain_contract(c, &addr, NULL, &meta), WVM_OK);
    CHECK(meta && strstr(meta, "\"abi\":{\"functions\":[{\"name\":\"Get\"}]}"));
    free(meta);
    free(w);
    wvm_chain_close(c);
}
