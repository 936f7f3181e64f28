/*
 * test_decode.c -- decode_module() on hand-written binaries: one test per
 * rule, each written so that it fails if that rule's check is removed.
 */
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "wasm/module.h"

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00

static const decode_limits big = {64u << 20, 100000, 50000, 8u << 20, 100000, 100000};

static char msg[512]; /* message of the last failed decode, for checks */

/* Decodes, releases, and returns the status: for the many tests that only
 * care whether a binary is accepted. */
static wvm_status run(const uint8_t *b, size_t n, const decode_limits *lim) {
    wasm_module m;
    memset(&m, 0, sizeof m);
    wvm_status st = decode_module(&m, b, n, lim, msg, sizeof msg);
    decode_release(&m);
    return st;
}

#define RUN(arr) run((arr), sizeof(arr), &big)

/* (i32, i32) -> i32, one function exported as "add" */
static const uint8_t add_module[] = {
    HDR,
    0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,      /* type    @8  */
    0x03, 0x02, 0x01, 0x00,                                    /* func    @17 */
    0x07, 0x07, 0x01, 0x03, 'a', 'd', 'd', 0x00, 0x00,         /* export  @21 */
    0x0a, 0x0b, 0x01, 0x09, 0x01, 0x01, 0x7f,                  /* code    @30 */
    0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
};

TEST(decode_empty_module) {
    static const uint8_t b[] = {HDR};
    wasm_module m;
    memset(&m, 0, sizeof m);
    CHECK_EQ_INT(decode_module(&m, b, sizeof b, &big, msg, sizeof msg), WVM_OK);
    CHECK_EQ_INT(m.nfuncs, 0);
    CHECK_EQ_INT(m.ntypes, 0);
    CHECK_EQ_INT(m.len, 8);
    CHECK(m.bytes != NULL && m.bytes != b);
    decode_release(&m);
    decode_release(&m); /* releasing twice is harmless */
}

TEST(decode_bad_header) {
    static const uint8_t magic[] = {0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00};
    static const uint8_t version[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
    static const uint8_t short_version[] = {0x00, 0x61, 0x73, 0x6d, 0x02};
    CHECK_EQ_INT(RUN(magic), WVM_ERR_MALFORMED);
    CHECK_EQ_STR(msg, "header at offset 0: magic header not detected");
    CHECK_EQ_INT(RUN(version), WVM_ERR_MALFORMED);
    CHECK_EQ_STR(msg, "header at offset 4: unknown binary version");
    CHECK_EQ_INT(RUN(short_version), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(run(magic, 0, &big), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(run(add_module, 3, &big), WVM_ERR_MALFORMED);
}

TEST(decode_add_module_fields) {
    wasm_module m;
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, add_module, sizeof add_module, &big, msg, sizeof msg) == WVM_OK);
    CHECK_EQ_INT(m.ntypes, 1);
    CHECK_EQ_INT(m.types[0].nparams, 2);
    CHECK_EQ_INT(m.types[0].nresults, 1);
    CHECK_EQ_INT(m.types[0].types[0], VT_I32);
    CHECK_EQ_INT(m.types[0].types[2], VT_I32);
    CHECK_EQ_INT(m.nfuncs, 1);
    CHECK_EQ_INT(m.nfunc_imports, 0);
    CHECK_EQ_INT(m.func_types[0], 0);
    CHECK_EQ_INT(m.nexports, 1);
    CHECK_EQ_INT(m.exports[0].name.len, 3);
    CHECK_EQ_STR(m.exports[0].name.ptr, "add");
    CHECK_EQ_INT(m.exports[0].kind, EXT_FUNC);
    CHECK_EQ_INT(m.exports[0].index, 0);
    REQUIRE(m.ncodes == 1);
    const wasm_code *c = &m.codes[0];
    CHECK_EQ_INT(c->nlocals, 1);
    CHECK_EQ_INT(c->ngroups, 1);
    CHECK_EQ_INT(c->groups[0].type, VT_I32);
    CHECK_EQ_INT(c->body_len, 6);
    CHECK_EQ_INT(c->body_offset, 37);
    /* the body points into the module's own copy, not the caller's bytes */
    CHECK(c->body == m.bytes + 37);
    CHECK_EQ_INT(c->body[0], 0x20);
    CHECK_EQ_INT(c->body[c->body_len - 1], 0x0b);
    CHECK(!m.has_start && !m.has_datacount && m.func_names == NULL);
    decode_release(&m);
}

TEST(decode_truncated_prefixes) {
    /* every prefix fails cleanly, except those ending on a section
     * boundary before the function section (they are whole modules) */
    for (size_t n = 0; n < sizeof add_module; n++) {
        wvm_status st = run(add_module, n, &big);
        if (n == 8 || n == 17) CHECK_EQ_INT(st, WVM_OK);
        else CHECK_EQ_INT(st, WVM_ERR_MALFORMED);
    }
    CHECK_EQ_INT(RUN(add_module), WVM_OK);
}

TEST(decode_leb128) {
    static const uint8_t ok5[] = {HDR, 0x01, 0x05, 0x80, 0x80, 0x80, 0x80, 0x00};
    static const uint8_t long6[] = {HDR, 0x01, 0x06, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    static const uint8_t large[] = {HDR, 0x01, 0x05, 0x80, 0x80, 0x80, 0x80, 0x70};
    static const uint8_t size_long[] = {HDR, 0x01, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00};
    CHECK_EQ_INT(RUN(ok5), WVM_OK);
    CHECK_EQ_INT(RUN(long6), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "integer representation too long") != NULL);
    CHECK_EQ_INT(RUN(large), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "integer too large") != NULL);
    CHECK_EQ_INT(RUN(size_long), WVM_ERR_MALFORMED);
}

TEST(decode_section_order) {
    static const uint8_t swapped[] = {HDR, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00};
    static const uint8_t twice[] = {HDR, 0x01, 0x01, 0x00, 0x01, 0x01, 0x00};
    static const uint8_t dc_after_code[] = {HDR, 0x0a, 0x01, 0x00, 0x0c, 0x01, 0x00};
    static const uint8_t dc_before_code[] = {HDR, 0x0c, 0x01, 0x00, 0x0a, 0x01, 0x00};
    static const uint8_t customs[] = {HDR, 0x00, 0x02, 0x01, 'x', 0x01, 0x01, 0x00,
                                      0x00, 0x03, 0x01, 'y', 0xff};
    static const uint8_t bad_id[] = {HDR, 0x0d, 0x00};
    CHECK_EQ_INT(RUN(swapped), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(twice), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(dc_after_code), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(dc_before_code), WVM_OK);
    CHECK_EQ_INT(RUN(bad_id), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "malformed section id") != NULL);

    wasm_module m;
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, customs, sizeof customs, &big, msg, sizeof msg) == WVM_OK);
    CHECK_EQ_INT(m.ncustoms, 2);
    CHECK_EQ_STR(m.customs[1].name.ptr, "y");
    CHECK_EQ_INT(m.customs[1].len, 1);
    CHECK(m.customs[1].bytes == m.bytes + sizeof customs - 1);
    decode_release(&m);
}

TEST(decode_section_size) {
    static const uint8_t extra[] = {HDR, 0x01, 0x02, 0x00, 0x00};
    static const uint8_t past_end[] = {HDR, 0x01, 0x05, 0x00};
    static const uint8_t short_type[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x01, 0x7f, 0x00};
    CHECK_EQ_INT(RUN(extra), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "section size mismatch") != NULL);
    CHECK(strstr(msg, "section type at offset 11") != NULL);
    CHECK_EQ_INT(RUN(past_end), WVM_ERR_MALFORMED);
    /* the function type's result vector runs past the section's end */
    CHECK_EQ_INT(RUN(short_type), WVM_ERR_MALFORMED);
}

TEST(decode_function_code_mismatch) {
    static const uint8_t no_code[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                      0x03, 0x02, 0x01, 0x00};
    static const uint8_t no_func[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                      0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
    static const uint8_t two_one[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                      0x03, 0x03, 0x02, 0x00, 0x00,
                                      0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
    static const uint8_t zero_zero[] = {HDR, 0x03, 0x01, 0x00, 0x0a, 0x01, 0x00};
    CHECK_EQ_INT(RUN(no_code), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "function and code section have inconsistent lengths") != NULL);
    CHECK_EQ_INT(RUN(no_func), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(two_one), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(zero_zero), WVM_OK);
}

TEST(decode_body_end) {
    static const uint8_t no_end[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                     0x03, 0x02, 0x01, 0x00,
                                     0x0a, 0x04, 0x01, 0x02, 0x00, 0x01};
    static const uint8_t empty_body[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                         0x03, 0x02, 0x01, 0x00,
                                         0x0a, 0x03, 0x01, 0x01, 0x00};
    CHECK_EQ_INT(RUN(no_end), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(empty_body), WVM_ERR_MALFORMED);
}

/* type () -> (), one function whose locals are group1 and group2 */
#define LOCALS_MODULE(a1, a2, a3, a4, a5, b1, b2, b3, b4, b5) \
    {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, \
     0x0a, 0x10, 0x01, 0x0e, 0x02, a1, a2, a3, a4, a5, 0x7f, \
     b1, b2, b3, b4, b5, 0x7e, 0x0b}

TEST(decode_locals) {
    static const uint8_t huge[] = LOCALS_MODULE(0xff, 0xff, 0xff, 0xff, 0x0f,
                                                0xff, 0xff, 0xff, 0xff, 0x0f);
    static const uint8_t max[] = LOCALS_MODULE(0xff, 0xff, 0xff, 0xff, 0x0f,
                                               0x80, 0x80, 0x80, 0x80, 0x00);
    static const uint8_t eleven[] = LOCALS_MODULE(0x86, 0x80, 0x80, 0x80, 0x00,
                                                  0x85, 0x80, 0x80, 0x80, 0x00);
    CHECK_EQ_INT(RUN(huge), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "too many locals") != NULL);
    /* 2^32 - 1 in total is well-formed; only our limit refuses it */
    CHECK_EQ_INT(RUN(max), WVM_ERR_LIMIT);
    CHECK(strstr(msg, "limit: 4294967295 locals exceeds max_locals 50000") != NULL);
    CHECK_EQ_INT(RUN(eleven), WVM_OK);
    decode_limits lim = big;
    lim.max_locals = 10;
    CHECK_EQ_INT(run(eleven, sizeof eleven, &lim), WVM_ERR_LIMIT);
    CHECK(strstr(msg, "max_locals 10") != NULL);
    lim.max_locals = 11;
    wasm_module m;
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, eleven, sizeof eleven, &lim, msg, sizeof msg) == WVM_OK);
    CHECK_EQ_INT(m.codes[0].nlocals, 11);
    CHECK_EQ_INT(m.codes[0].ngroups, 2);
    CHECK_EQ_INT(m.codes[0].groups[1].type, VT_I64);
    CHECK_EQ_INT(m.codes[0].body_len, 1);
    decode_release(&m);
}

/* a custom section whose name is the n bytes given */
static wvm_status custom_named(const char *name, uint8_t n) {
    uint8_t b[32] = {HDR, 0x00, (uint8_t)(n + 1), n};
    memcpy(b + 11, name, n);
    return run(b, 11 + (size_t)n, &big);
}

TEST(decode_utf8_names) {
    CHECK_EQ_INT(custom_named("\xe2\x82\xac", 3), WVM_OK);        /* euro sign */
    CHECK_EQ_INT(custom_named("\xf4\x8f\xbf\xbf", 4), WVM_OK);    /* U+10FFFF */
    CHECK_EQ_INT(custom_named("a\0b", 3), WVM_OK);                /* NUL is a character */
    CHECK_EQ_INT(custom_named("\xc0\x80", 2), WVM_ERR_MALFORMED); /* overlong */
    CHECK(strstr(msg, "malformed UTF-8 encoding") != NULL);
    CHECK_EQ_INT(custom_named("\xe0\x9f\xbf", 3), WVM_ERR_MALFORMED);     /* overlong */
    CHECK_EQ_INT(custom_named("\xed\xa0\x80", 3), WVM_ERR_MALFORMED);     /* surrogate */
    CHECK_EQ_INT(custom_named("\xf4\x90\x80\x80", 4), WVM_ERR_MALFORMED); /* > 10FFFF */
    CHECK_EQ_INT(custom_named("\xe2\x82", 2), WVM_ERR_MALFORMED);         /* truncated */
    CHECK_EQ_INT(custom_named("\x80", 1), WVM_ERR_MALFORMED);             /* stray */
    CHECK_EQ_INT(custom_named("\xf8\x88\x80\x80\x80", 5), WVM_ERR_MALFORMED);
}

/* two functions; a "name" section naming function 1 "foo" */
static const uint8_t named_module[] = {
    HDR,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, 0x03, 0x02, 0x00, 0x00,
    0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b,
    0x00, 0x0d, 0x04, 'n', 'a', 'm', 'e',
    0x01, 0x06, 0x01, 0x01, 0x03, 'f', 'o', 'o',
};

TEST(decode_name_section) {
    wasm_module m;
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, named_module, sizeof named_module, &big, msg, sizeof msg) == WVM_OK);
    REQUIRE(m.func_names != NULL);
    CHECK(m.func_names[0].ptr == NULL);
    CHECK_EQ_STR(m.func_names[1].ptr, "foo");
    CHECK_EQ_INT(m.func_names[1].len, 3);
    decode_release(&m);

    /* a broken name section is ignored, not an error */
    uint8_t broken[sizeof named_module];
    memcpy(broken, named_module, sizeof broken);
    broken[sizeof broken - 7] = 0x07; /* subsection size past the end */
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, broken, sizeof broken, &big, msg, sizeof msg) == WVM_OK);
    CHECK(m.func_names == NULL);
    decode_release(&m);
    memcpy(broken, named_module, sizeof broken);
    broken[sizeof broken - 3] = 0xff; /* bad UTF-8 in the function name */
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, broken, sizeof broken, &big, msg, sizeof msg) == WVM_OK);
    CHECK(m.func_names == NULL);
    decode_release(&m);
}

TEST(decode_datacount) {
    static const uint8_t mismatch[] = {HDR, 0x0c, 0x01, 0x01, 0x0b, 0x01, 0x00};
    static const uint8_t missing[] = {HDR, 0x0c, 0x01, 0x01};
    static const uint8_t zero[] = {HDR, 0x0c, 0x01, 0x00};
    static const uint8_t match[] = {HDR, 0x0c, 0x01, 0x01, 0x0b, 0x03, 0x01, 0x01, 0x00};
    CHECK_EQ_INT(RUN(mismatch), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "data count and data section have inconsistent lengths") != NULL);
    CHECK_EQ_INT(RUN(missing), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(zero), WVM_OK);
    CHECK_EQ_INT(RUN(match), WVM_OK);
}

TEST(decode_data_segments) {
    static const uint8_t b[] = {HDR, 0x0b, 0x11, 0x03,
                                0x00, 0x41, 0x10, 0x0b, 0x02, 'h', 'i',  /* active mem 0 */
                                0x01, 0x01, 'x',                          /* passive */
                                0x02, 0x01, 0x41, 0x00, 0x0b, 0x00};      /* active mem 1 */
    static const uint8_t bad_kind[] = {HDR, 0x0b, 0x03, 0x01, 0x03, 0x00};
    static const uint8_t too_long[] = {HDR, 0x0b, 0x04, 0x01, 0x01, 0x05, 'x'};
    wasm_module m;
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, b, sizeof b, &big, msg, sizeof msg) == WVM_OK);
    REQUIRE(m.ndatas == 3);
    CHECK_EQ_INT(m.datas[0].mode, SEG_ACTIVE);
    CHECK_EQ_INT(m.datas[0].offset.op, 0x41);
    CHECK_EQ_INT(m.datas[0].offset.value, 16);
    CHECK_EQ_INT(m.datas[0].len, 2);
    CHECK(m.datas[0].bytes == m.bytes + 16);
    CHECK_EQ_INT(m.datas[1].mode, SEG_PASSIVE);
    CHECK_EQ_INT(m.datas[2].memory, 1);
    CHECK_EQ_INT(m.datas[2].len, 0);
    decode_release(&m);
    CHECK_EQ_INT(RUN(bad_kind), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(too_long), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "length out of bounds") != NULL);
}

TEST(decode_element_segments) {
    static const uint8_t b[] = {HDR, 0x09, 0x18, 0x04,
                                0x00, 0x41, 0x00, 0x0b, 0x01, 0x07,        /* active funcs */
                                0x03, 0x00, 0x01, 0x02,                    /* declarative */
                                0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,        /* passive exprs */
                                0x06, 0x02, 0x41, 0x01, 0x0b, 0x70, 0x00}; /* table 2 */
    static const uint8_t bad_kind[] = {HDR, 0x09, 0x04, 0x01, 0x01, 0x01, 0x00};
    static const uint8_t bad_flags[] = {HDR, 0x09, 0x04, 0x01, 0x08, 0x00, 0x00};
    wasm_module m;
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, b, sizeof b, &big, msg, sizeof msg) == WVM_OK);
    REQUIRE(m.nelems == 4);
    CHECK_EQ_INT(m.elems[0].mode, SEG_ACTIVE);
    CHECK_EQ_INT(m.elems[0].type, VT_FUNCREF);
    CHECK_EQ_INT(m.elems[0].count, 1);
    CHECK_EQ_INT(m.elems[0].items[0].op, 0xd2);
    CHECK_EQ_INT(m.elems[0].items[0].value, 7);
    CHECK_EQ_INT(m.elems[1].mode, SEG_DECLARATIVE);
    CHECK_EQ_INT(m.elems[1].items[0].value, 2);
    CHECK_EQ_INT(m.elems[2].mode, SEG_PASSIVE);
    CHECK_EQ_INT(m.elems[2].type, VT_EXTERNREF);
    CHECK_EQ_INT(m.elems[2].items[0].op, 0xd0);
    CHECK_EQ_INT(m.elems[2].items[0].value, VT_EXTERNREF);
    CHECK_EQ_INT(m.elems[3].table, 2);
    CHECK_EQ_INT(m.elems[3].offset.value, 1);
    CHECK_EQ_INT(m.elems[3].count, 0);
    decode_release(&m);
    CHECK_EQ_INT(RUN(bad_kind), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(bad_flags), WVM_ERR_MALFORMED);
}

TEST(decode_imports_and_index_spaces) {
    static const uint8_t b[] = {
        HDR,
        0x02, 0x1c, 0x04,
        0x01, 'm', 0x01, 'f', 0x00, 0x05,                 /* func, type 5 */
        0x01, 'm', 0x01, 'g', 0x03, 0x7e, 0x01,           /* global mut i64 */
        0x01, 'm', 0x01, 't', 0x01, 0x6f, 0x01, 0x01, 0x02, /* table externref 1..2 */
        0x00, 0x00, 0x02, 0x00, 0x03,                     /* memory 3.. */
        0x03, 0x02, 0x01, 0x09,                           /* one function, type 9 */
        0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x7f, 0x0b,   /* global i32 = -1 */
        0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
    };
    wasm_module m;
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, b, sizeof b, &big, msg, sizeof msg) == WVM_OK);
    CHECK_EQ_INT(m.nimports, 4);
    CHECK_EQ_STR(m.imports[1].name.ptr, "g");
    CHECK_EQ_INT(m.imports[3].name.len, 0);
    CHECK_EQ_INT(m.nfuncs, 2);
    CHECK_EQ_INT(m.nfunc_imports, 1);
    CHECK_EQ_INT(m.func_types[0], 5);
    CHECK_EQ_INT(m.func_types[1], 9);
    CHECK_EQ_INT(m.nglobals, 2);
    CHECK_EQ_INT(m.nglobal_imports, 1);
    CHECK_EQ_INT(m.globals[0].type.type, VT_I64);
    CHECK(m.globals[0].type.mut);
    CHECK(!m.globals[1].type.mut);
    CHECK_EQ_INT((uint32_t)m.globals[1].init.value, 0xffffffffu);
    CHECK_EQ_INT(m.ntables, 1);
    CHECK_EQ_INT(m.tables[0].elem, VT_EXTERNREF);
    CHECK_EQ_INT(m.tables[0].lim.max, 2);
    CHECK_EQ_INT(m.nmems, 1);
    CHECK_EQ_INT(m.mems[0].min, 3);
    CHECK(!m.mems[0].has_max);
    decode_release(&m);
}

TEST(decode_type_bytes) {
    static const uint8_t v128[] = {HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7b, 0x00};
    static const uint8_t not_func[] = {HDR, 0x01, 0x04, 0x01, 0x61, 0x00, 0x00};
    static const uint8_t bad_mut[] = {HDR, 0x06, 0x06, 0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b};
    static const uint8_t bad_limits[] = {HDR, 0x05, 0x03, 0x01, 0x02, 0x00};
    static const uint8_t bad_import[] = {HDR, 0x02, 0x05, 0x01, 0x00, 0x00, 0x04, 0x00};
    static const uint8_t bad_export[] = {HDR, 0x07, 0x04, 0x01, 0x00, 0x04, 0x00};
    static const uint8_t mem_max[] = {HDR, 0x05, 0x08, 0x01, 0x01, 0x00,
                                      0xff, 0xff, 0xff, 0xff, 0x0f};
    static const uint8_t mem_over[] = {HDR, 0x05, 0x08, 0x01, 0x01, 0x00,
                                       0xff, 0xff, 0xff, 0xff, 0x1f};
    CHECK_EQ_INT(RUN(v128), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(not_func), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(bad_mut), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "malformed mutability") != NULL);
    CHECK_EQ_INT(RUN(bad_limits), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(bad_import), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "malformed import kind") != NULL);
    CHECK_EQ_INT(RUN(bad_export), WVM_ERR_MALFORMED);
    /* any u32 maximum decodes (the validator bounds memories); 2^32 does not */
    CHECK_EQ_INT(RUN(mem_max), WVM_OK);
    CHECK_EQ_INT(RUN(mem_over), WVM_ERR_MALFORMED);
}

/* a global of type t initialised by the given expression bytes */
#define GLOBAL(t, ...) {HDR, 0x06, (uint8_t)(3 + sizeof((uint8_t[]){__VA_ARGS__})), \
                        0x01, t, 0x00, __VA_ARGS__}

TEST(decode_constant_expressions) {
    static const uint8_t i64[] = GLOBAL(0x7e, 0x42, 0x7f, 0x0b);
    static const uint8_t f64[] = GLOBAL(0x7c, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x0b);
    static const uint8_t get[] = GLOBAL(0x7f, 0x23, 0x00, 0x0b);
    static const uint8_t add[] = GLOBAL(0x7f, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b);
    static const uint8_t nop[] = GLOBAL(0x7f, 0x01, 0x0b);
    static const uint8_t empty[] = GLOBAL(0x7f, 0x0b);
    static const uint8_t illegal[] = GLOBAL(0x7f, 0xff, 0x0b);
    static const uint8_t no_end[] = GLOBAL(0x7f, 0x41, 0x00);
    static const uint8_t bad_ref[] = GLOBAL(0x70, 0xd0, 0x7f, 0x0b);
    wasm_module m;
    memset(&m, 0, sizeof m);
    REQUIRE(decode_module(&m, i64, sizeof i64, &big, msg, sizeof msg) == WVM_OK);
    CHECK(m.globals[0].init.value == UINT64_MAX);
    CHECK_EQ_INT(m.globals[0].init.offset, 13);
    decode_release(&m);
    REQUIRE(decode_module(&m, f64, sizeof f64, &big, msg, sizeof msg) == WVM_OK);
    CHECK(m.globals[0].init.value == 0x3ff0000000000000ull);
    decode_release(&m);
    CHECK_EQ_INT(RUN(get), WVM_OK);
    CHECK_EQ_INT(RUN(add), WVM_ERR_INVALID);
    CHECK(strstr(msg, "constant expression required") != NULL);
    CHECK_EQ_INT(RUN(nop), WVM_ERR_INVALID);
    CHECK_EQ_INT(RUN(empty), WVM_ERR_INVALID);
    CHECK_EQ_INT(RUN(illegal), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(no_end), WVM_ERR_MALFORMED);
    CHECK_EQ_INT(RUN(bad_ref), WVM_ERR_MALFORMED);
}

TEST(decode_limits_exceeded) {
    decode_limits lim = big;
    lim.max_functions = 1;
    CHECK_EQ_INT(run(named_module, sizeof named_module, &lim), WVM_ERR_LIMIT);
    CHECK(strstr(msg, "limit: 2 functions exceeds max_functions 1") != NULL);
    lim = big;
    lim.max_module_bytes = sizeof add_module - 1;
    CHECK_EQ_INT(run(add_module, sizeof add_module, &lim), WVM_ERR_LIMIT);
    CHECK(strstr(msg, "max_module_bytes") != NULL);
    lim = big;
    lim.max_body_bytes = 2;
    CHECK_EQ_INT(run(named_module, sizeof named_module, &lim), WVM_OK);
    lim.max_body_bytes = 1;
    CHECK_EQ_INT(run(named_module, sizeof named_module, &lim), WVM_ERR_LIMIT);
    lim = big;
    lim.max_globals = 0;
    static const uint8_t global[] = GLOBAL(0x7f, 0x41, 0x00, 0x0b);
    CHECK_EQ_INT(run(global, sizeof global, &lim), WVM_ERR_LIMIT);
    lim = big;
    lim.max_segments = 1;
    static const uint8_t two_data[] = {HDR, 0x0b, 0x05, 0x02, 0x01, 0x00, 0x01, 0x00};
    CHECK_EQ_INT(run(two_data, sizeof two_data, &lim), WVM_ERR_LIMIT);
    lim.max_segments = 2;
    CHECK_EQ_INT(run(two_data, sizeof two_data, &lim), WVM_OK);
}

TEST(decode_hostile_counts) {
    /* counts far beyond the bytes present fail before any allocation */
    static const uint8_t types[] = {HDR, 0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f};
    static const uint8_t locals[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                     0x03, 0x02, 0x01, 0x00, 0x0a, 0x08, 0x01, 0x06,
                                     0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b};
    CHECK_EQ_INT(RUN(types), WVM_ERR_MALFORMED);
    CHECK(strstr(msg, "unexpected end") != NULL);
    CHECK_EQ_INT(RUN(locals), WVM_ERR_MALFORMED);
}

TEST(decode_mutations_do_not_crash) {
    /* deterministic byte flips of valid modules: any status is fine, a
     * crash or a sanitizer report is not */
    const uint8_t *srcs[] = {add_module, named_module};
    size_t lens[] = {sizeof add_module, sizeof named_module};
    uint32_t seed = 12345;
    for (int s = 0; s < 2; s++) {
        uint8_t buf[64];
        for (int iter = 0; iter < 3000; iter++) {
            memcpy(buf, srcs[s], lens[s]);
            for (int k = 0; k < 1 + iter % 3; k++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = 8 + (seed >> 8) % (lens[s] - 8);
                buf[at] = (uint8_t)(seed >> 20);
            }
            wvm_status st = run(buf, lens[s], &big);
            CHECK(st == WVM_OK || st == WVM_ERR_MALFORMED || st == WVM_ERR_INVALID ||
                  st == WVM_ERR_LIMIT);
        }
    }
}
