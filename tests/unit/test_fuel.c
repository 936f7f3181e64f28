/*
 * test_fuel.c -- fuel metering against the conformance vectors of
 * tests/fuel/vectors.txt (format at its top; each figure derived by hand
 * in the .wat files next to it), plus properties of the cost table.
 *
 * Paths are relative to the repository root: the unit tests run from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"
#include "test.h"

#define FUEL_DIR "tests/fuel/"


/* Loads tests/fuel/NAME.wasm with engine e; NULL (and a failure) if it
 * cannot. */
static wvm_module *load(wvm_engine *e, const char *name) {
    char path[256];
    snprintf(path, sizeof path, FUEL_DIR "%s.wasm", name);
    size_t len = 0;
    uint8_t *bytes = test_read_file(path, &len);
    if (!bytes) {
        test_fail(__FILE__, __LINE__, "cannot read %s", path);
        return NULL;
    }
    wvm_module *m = NULL;
    wvm_status st = wvm_module_new(e, bytes, len, &m);
    free(bytes);
    if (st) {
        test_fail(__FILE__, __LINE__, "%s: %s: %s", path, wvm_status_str(st),
                  m ? wvm_module_errmsg(m) : "");
        wvm_module_free(m);
        return NULL;
    }
    return m;
}

/* env.charge(i32): charges its argument. */
static wvm_status host_charge(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)user;
    (void)results;
    return wvm_caller_charge(c, (uint32_t)args[0].of.i32);
}

/* env.nop(): does nothing, charges nothing. */
static wvm_status host_nop(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)c;
    (void)user;
    (void)args;
    (void)results;
    return WVM_OK;
}

/* Instantiates m in s, linking env.charge and env.nop by name. */
static wvm_status instantiate(wvm_store *s, wvm_module *m, wvm_instance **out) {
    static const wvm_valtype i32[] = { WVM_I32 };
    const wvm_functype charge_t = { 1, 0, i32, NULL }, nop_t = { 0, 0, NULL, NULL };
    wvm_extern imports[8];
    uint32_t n = wvm_module_import_count(m);
    if (n > 8) return WVM_ERR_ARG;
    for (uint32_t i = 0; i < n; i++) {
        const char *mod, *name;
        uint32_t mod_len, name_len;
        wvm_externkind kind;
        wvm_module_import(m, i, &mod, &mod_len, &name, &name_len, &kind);
        wvm_func *f = NULL;
        wvm_status st = strcmp(name, "charge") == 0
            ? wvm_func_new_host(s, &charge_t, host_charge, NULL, &f)
            : wvm_func_new_host(s, &nop_t, host_nop, NULL, &f);
        if (st) return st;
        imports[i] = (wvm_extern){ WVM_EXTERN_FUNC, f };
    }
    return wvm_instance_new(s, m, imports, n, out);
}

static const struct { const char *name; wvm_status st; } trap_kinds[] = {
    { "unreachable", WVM_TRAP_UNREACHABLE },     { "memory_oob", WVM_TRAP_MEMORY_OOB },
    { "table_oob", WVM_TRAP_TABLE_OOB },         { "indirect_null", WVM_TRAP_INDIRECT_NULL },
    { "indirect_type", WVM_TRAP_INDIRECT_TYPE }, { "div_zero", WVM_TRAP_DIV_ZERO },
    { "int_overflow", WVM_TRAP_INT_OVERFLOW },   { "stack_exhausted", WVM_TRAP_STACK_EXHAUSTED },
    { "out_of_fuel", WVM_TRAP_OUT_OF_FUEL },     { "host", WVM_TRAP_HOST },
};

/* A trap name from vectors.txt -> status; -1 if unknown. */
static int trap_status(const char *name) {
    for (size_t i = 0; i < sizeof trap_kinds / sizeof trap_kinds[0]; i++)
        if (strcmp(trap_kinds[i].name, name) == 0) return trap_kinds[i].st;
    return -1;
}

typedef struct vector {
    char file[64], export_[64];
    wvm_val args[8];
    uint32_t nargs;
    bool has_result;
    int32_t result;
    uint64_t fuel, limit;
    int trap;          /* expected status, WVM_OK for none */
} vector;

/* Parses one line of vectors.txt into *v; false (with a message in err)
 * when it is malformed. */
static bool parse_vector(char *line, vector *v, char *err, size_t errcap) {
    memset(v, 0, sizeof *v);
    v->limit = UINT64_MAX;
    v->fuel = UINT64_MAX;
    char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
    int field = 0;
    bool seen_arrow = false, seen_result = false;
    for (; tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
        if (field == 0) snprintf(v->file, sizeof v->file, "%s", tok);
        else if (field == 1) snprintf(v->export_, sizeof v->export_, "%s", tok);
        else if (!seen_arrow && strcmp(tok, "->") == 0) seen_arrow = true;
        else if (!seen_arrow) {
            if (v->nargs == 8) { snprintf(err, errcap, "too many arguments"); return false; }
            v->args[v->nargs++] = wvm_i32((int32_t)strtoll(tok, NULL, 0));
        } else if (!seen_result) {
            seen_result = true;
            v->has_result = strcmp(tok, "-") != 0;
            if (v->has_result) v->result = (int32_t)strtoll(tok, NULL, 0);
        } else if (strncmp(tok, "fuel=", 5) == 0) {
            v->fuel = strtoull(tok + 5, NULL, 10);
        } else if (strncmp(tok, "limit=", 6) == 0) {
            v->limit = strtoull(tok + 6, NULL, 10);
        } else if (strncmp(tok, "trap=", 5) == 0) {
            v->trap = trap_status(tok + 5);
            if (v->trap < 0) { snprintf(err, errcap, "unknown trap %s", tok + 5); return false; }
        } else {
            snprintf(err, errcap, "unknown field %s", tok);
            return false;
        }
        field++;
    }
    if (!seen_result || v->fuel == UINT64_MAX) {
        snprintf(err, errcap, "needs FILE EXPORT ARGS -> RESULT fuel=N");
        return false;
    }
    if (v->has_result == (v->trap != WVM_OK)) {
        snprintf(err, errcap, "a vector has a result or a trap, not both");
        return false;
    }
    return true;
}

/* Runs one vector in a fresh store; reports mismatches against lineno. */
static void run_vector(wvm_engine *e, const vector *v, int lineno) {
    wvm_module *m = load(e, v->file);
    if (!m) return;
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    wvm_func *f = NULL;
    if (wvm_store_new(e, &s) || instantiate(s, m, &inst) || wvm_instance_func(inst, v->export_, &f)) {
        test_fail(__FILE__, __LINE__, "vectors.txt:%d: cannot set up %s %s: %s", lineno,
                  v->file, v->export_, s ? wvm_store_errmsg(s) : "");
        goto done;
    }
    wvm_store_set_fuel(s, v->limit);
    wvm_val res[1];
    wvm_status st = wvm_func_call(s, f, v->args, v->nargs, res, 1);
    uint64_t used = wvm_store_fuel_used(s);
    if ((int)st != v->trap)
        test_fail(__FILE__, __LINE__, "vectors.txt:%d: %s %s: status %s, expected %s (%s)", lineno,
                  v->file, v->export_, wvm_status_str(st), wvm_status_str((wvm_status)v->trap),
                  wvm_store_errmsg(s));
    else if (v->has_result && res[0].of.i32 != v->result)
        test_fail(__FILE__, __LINE__, "vectors.txt:%d: %s %s: result %d, expected %d", lineno,
                  v->file, v->export_, res[0].of.i32, v->result);
    if (used != v->fuel)
        test_fail(__FILE__, __LINE__, "vectors.txt:%d: %s %s: fuel %llu, expected %llu", lineno,
                  v->file, v->export_, (unsigned long long)used, (unsigned long long)v->fuel);
done:
    wvm_store_free(s);
    wvm_module_free(m);
}

TEST(fuel_vectors) {
    size_t len = 0;
    char *text = (char *)test_read_file(FUEL_DIR "vectors.txt", &len);
    REQUIRE(text != NULL);
    char *z = realloc(text, len + 1);
    if (!z) { free(text); REQUIRE(z != NULL); }
    text = z;
    text[len] = 0;
    wvm_engine *e = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    int lineno = 0, nvectors = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        char *p = line + strspn(line, " \t");
        if (*p == 0 || *p == '#' || *p == '\r') continue;
        vector v;
        char err[128];
        if (!parse_vector(p, &v, err, sizeof err)) {
            test_fail(__FILE__, __LINE__, "vectors.txt:%d: %s", lineno, err);
            continue;
        }
        run_vector(e, &v, lineno);
        nvectors++;
    }
    CHECK(nvectors >= 50); /* the file was found and read whole */
    wvm_engine_free(e);
    free(text);
}

/* Calls count(k) of loop.wasm n times in one store; every call must use
 * want fuel.  Returns the number of calls that did. */
static int repeated_count(wvm_engine *e, int32_t k, int n, uint64_t want) {
    wvm_module *m = load(e, "loop");
    if (!m) return 0;
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    wvm_func *f = NULL;
    int good = 0;
    if (!wvm_store_new(e, &s) && !instantiate(s, m, &inst) && !wvm_instance_func(inst, "count", &f)) {
        wvm_store_set_fuel(s, 1000000);
        for (int i = 0; i < n; i++) {
            wvm_val arg = wvm_i32(k), res;
            wvm_status st = wvm_func_call(s, f, &arg, 1, &res, 1);
            if (st == WVM_OK && res.of.i32 == k && wvm_store_fuel_used(s) == want) good++;
        }
    }
    wvm_store_free(s);
    wvm_module_free(m);
    return good;
}

TEST(fuel_repeated_calls_identical) {
    wvm_engine *e = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    /* 9k + 8 each time, with the limit reset per call */
    CHECK_EQ_INT(repeated_count(e, 10, 100, 98), 100);
    CHECK_EQ_INT(repeated_count(e, 3000, 100, 27008), 100);
    wvm_engine_free(e);
}

/* Fuel of count(10) under engine e. */
static uint64_t count10_fuel(wvm_engine *e, uint64_t *module_hash) {
    wvm_module *m = load(e, "loop");
    if (!m) return 0;
    *module_hash = wvm_module_cost_hash(m);
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    wvm_func *f = NULL;
    uint64_t used = 0;
    if (!wvm_store_new(e, &s) && !instantiate(s, m, &inst) && !wvm_instance_func(inst, "count", &f)) {
        wvm_val arg = wvm_i32(10), res;
        if (wvm_func_call(s, f, &arg, 1, &res, 1) == WVM_OK) used = wvm_store_fuel_used(s);
    }
    wvm_store_free(s);
    wvm_module_free(m);
    return used;
}

TEST(fuel_cost_table_changes_fuel_and_hash) {
    wvm_cost_table def, two;
    wvm_cost_table_default(&def);
    two = def;
    for (int i = 0; i < 256; i++) two.op[i] = 2;
    for (int i = 0; i < 32; i++) two.op_fc[i] = 2;
    CHECK(wvm_cost_table_hash(&def) != wvm_cost_table_hash(&two));
    CHECK(wvm_cost_table_hash(&def) == wvm_cost_table_hash(&def));

    wvm_config cfg;
    wvm_config_default(&cfg);
    wvm_engine *e1 = NULL, *e2 = NULL;
    REQUIRE(wvm_engine_new(&cfg, &e1) == WVM_OK);
    cfg.costs = &two;
    REQUIRE(wvm_engine_new(&cfg, &e2) == WVM_OK);
    uint64_t h1 = 0, h2 = 0;
    CHECK_EQ_INT(count10_fuel(e1, &h1), 98);
    CHECK_EQ_INT(count10_fuel(e2, &h2), 196); /* every opcode twice as dear */
    CHECK(h1 == wvm_cost_table_hash(&def));
    CHECK(h2 == wvm_cost_table_hash(&two));
    CHECK(h1 != h2);
    CHECK(wvm_cost_table_hash(wvm_engine_costs(e2)) == h2);
    wvm_engine_free(e1);
    wvm_engine_free(e2);
}

TEST(fuel_cost_table_hash_covers_every_field) {
    wvm_cost_table def, t;
    wvm_cost_table_default(&def);
    uint64_t h = wvm_cost_table_hash(&def);
    t = def; t.version++;            CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.op[0x6a] = 3;         CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.op_fc[31] = 3;        CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.memory_grow_page = 7; CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.bulk_64_bytes = 7;    CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.host_call = 7;        CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.host_byte = 7;        CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.call = 7;             CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.transfer = 7;         CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.storage_read = 7;     CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.storage_write = 7;    CHECK(wvm_cost_table_hash(&t) != h);
    t = def; t.log = 7;              CHECK(wvm_cost_table_hash(&t) != h);
}

TEST(fuel_cost_table_defaults) {
    wvm_cost_table t;
    wvm_cost_table_default(&t);
    CHECK_EQ_INT(t.version, WVM_COST_TABLE_VERSION);
    CHECK_EQ_INT(t.op[0x00], 1);
    CHECK_EQ_INT(t.op[0xff], 1);
    CHECK_EQ_INT(t.op_fc[0], 1);
    CHECK_EQ_INT(t.memory_grow_page, 50);
    CHECK_EQ_INT(t.host_call, 50);
    CHECK_EQ_INT(t.host_byte, 1);
    CHECK_EQ_INT(t.call, 500);
    CHECK_EQ_INT(t.transfer, 200);
    CHECK_EQ_INT(t.storage_read, 100);
    CHECK_EQ_INT(t.storage_write, 200);
    CHECK_EQ_INT(t.log, 50);
}

/* A dearer opcode shows up in exactly the blocks that contain it. */
TEST(fuel_single_opcode_cost) {
    wvm_cost_table t;
    wvm_cost_table_default(&t);
    t.op[0x6a] = 10; /* i32.add: once per loop iteration in count() */
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.costs = &t;
    wvm_engine *e = NULL;
    REQUIRE(wvm_engine_new(&cfg, &e) == WVM_OK);
    uint64_t h = 0;
    CHECK_EQ_INT(count10_fuel(e, &h), 98 + 10 * 9);
    wvm_engine_free(e);
}

/* Without metering no fuel is counted and a fuel limit does not apply
 * (wvm.h, wvm_config.metering). */
TEST(fuel_metering_off) {
    wvm_config cfg;
    wvm_config_default(&cfg);
    cfg.metering = false;
    wvm_engine *e = NULL;
    REQUIRE(wvm_engine_new(&cfg, &e) == WVM_OK);
    wvm_module *m = load(e, "loop");
    REQUIRE(m != NULL);
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    wvm_func *f = NULL;
    REQUIRE(wvm_store_new(e, &s) == WVM_OK);
    REQUIRE(instantiate(s, m, &inst) == WVM_OK);
    REQUIRE(wvm_instance_func(inst, "count", &f) == WVM_OK);
    wvm_store_set_fuel(s, 10);
    wvm_val arg = wvm_i32(100), res;
    CHECK_EQ_INT(wvm_func_call(s, f, &arg, 1, &res, 1), WVM_OK);
    CHECK_EQ_INT(res.of.i32, 100);
    CHECK_EQ_INT(wvm_store_fuel_used(s), 0);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}

/* env.reenter(): calls the guest function passed as user. */
static wvm_status host_reenter(wvm_caller *c, void *user, const wvm_val *args, wvm_val *results) {
    (void)args;
    (void)results;
    wvm_func **inner = user;
    wvm_val r;
    return wvm_func_call(wvm_caller_store(c), *inner, NULL, 0, &r, 1);
}

/* The fuel of a guest call made from a host function counts in the
 * outer call (derivation in tests/fuel/reenter.wat). */
TEST(fuel_host_reentry_counted) {
    wvm_engine *e = NULL;
    REQUIRE(wvm_engine_new(NULL, &e) == WVM_OK);
    wvm_module *m = load(e, "reenter");
    wvm_store *s = NULL;
    REQUIRE(m && wvm_store_new(e, &s) == WVM_OK);
    wvm_func *inner = NULL, *outer = NULL, *host = NULL;
    const wvm_functype t = { 0, 0, NULL, NULL };
    REQUIRE(wvm_func_new_host(s, &t, host_reenter, &inner, &host) == WVM_OK);
    wvm_extern imp = { WVM_EXTERN_FUNC, host };
    wvm_instance *inst = NULL;
    REQUIRE(wvm_instance_new(s, m, &imp, 1, &inst) == WVM_OK);
    REQUIRE(wvm_instance_func(inst, "inner", &inner) == WVM_OK);
    REQUIRE(wvm_instance_func(inst, "outer", &outer) == WVM_OK);
    wvm_val r;
    CHECK_EQ_INT(wvm_func_call(s, outer, NULL, 0, &r, 1), WVM_OK);
    CHECK_EQ_INT(r.of.i32, 1);
    CHECK_EQ_INT(wvm_store_fuel_used(s), 12);
    /* under a limit: 11 pays the outer block (4) and one inner call (4),
     * the second inner call's block (4) does not fit */
    wvm_store_set_fuel(s, 11);
    CHECK_EQ_INT(wvm_func_call(s, outer, NULL, 0, &r, 1), WVM_TRAP_OUT_OF_FUEL);
    CHECK_EQ_INT(wvm_store_fuel_used(s), 8);
    wvm_store_set_fuel(s, 12);
    CHECK_EQ_INT(wvm_func_call(s, outer, NULL, 0, &r, 1), WVM_OK);
    CHECK_EQ_INT(wvm_store_fuel_used(s), 12);
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}

/* wvm_store_instructions leaves out what hosts charge: host(1000) uses
 * fuel 1005 of which 1000 is the host's (vectors.txt). */
TEST(fuel_instructions_exclude_host_and_grow) {
    wvm_engine *e = NULL;
    CHECK_EQ_INT(wvm_engine_new(NULL, &e), WVM_OK);
    wvm_module *m = load(e, "host");
    wvm_store *s = NULL;
    wvm_instance *inst = NULL;
    wvm_func *f = NULL;
    CHECK_EQ_INT(wvm_store_new(e, &s), WVM_OK);
    if (m && s && instantiate(s, m, &inst) == WVM_OK && wvm_instance_func(inst, "host", &f) == WVM_OK) {
        wvm_val arg = wvm_i32(1000), res;
        CHECK_EQ_INT(wvm_func_call(s, f, &arg, 1, &res, 1), WVM_OK);
        CHECK_EQ_INT(wvm_store_fuel_used(s), 1005);
        CHECK_EQ_INT(wvm_store_instructions(s), 5);
    } else {
        CHECK(!"host.wasm did not instantiate");
    }
    wvm_store_free(s);
    wvm_module_free(m);
    wvm_engine_free(e);
}
