/*
 * agree.c -- the load-time validator (src/wasm/validate.c) against the
 * translator's checks (src/wasm/compile.c), module by module:
 *
 *   validate-agree FILE.wasm...
 *
 * Each module is loaded twice.  Once lazily, with a dump callback, so
 * validate.c validates it and then every function is translated, each
 * translation checking its frame against the one validate.c computed
 * (an "internal error" when they differ).  Once eagerly, so the
 * translator validates and translates in one pass.  Both must accept or
 * refuse alike, with the same message; both float policies.  Exit 1 on
 * any disagreement.  `make test` runs it over the spec suite's modules;
 * random and mutated modules can be given by hand (docs/interpreter.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "wvm.h"

static void no_dump(void *user, const char *text, size_t len) {
    (void)user;
    (void)text;
    (void)len;
}

static unsigned char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            unsigned char *b = realloc(buf, cap);
            if (!b) { free(buf); fclose(f); return NULL; }
            buf = b;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got);
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv) {
    unsigned loaded = 0, refused = 0, disagree = 0;
    for (int policy = 0; policy < 2; policy++) {
        wvm_config lazy_cfg, eager_cfg;
        wvm_config_default(&lazy_cfg);
        lazy_cfg.dump = no_dump;
        lazy_cfg.float_policy = policy ? WVM_FLOAT_REJECT : lazy_cfg.float_policy;
        eager_cfg = lazy_cfg;
        eager_cfg.dump = NULL;
        eager_cfg.eager_translation = true;
        wvm_engine *lazy, *eager;
        if (wvm_engine_new(&lazy_cfg, &lazy) || wvm_engine_new(&eager_cfg, &eager)) return 2;
        for (int i = 1; i < argc; i++) {
            size_t len = 0;
            unsigned char *w = read_all(argv[i], &len);
            if (!w) { fprintf(stderr, "validate-agree: cannot read %s\n", argv[i]); return 2; }
            wvm_module *a = NULL, *b = NULL;
            wvm_status sa = wvm_module_new(lazy, w, len, &a);
            wvm_status sb = wvm_module_new(eager, w, len, &b);
            const char *ma = a ? wvm_module_errmsg(a) : "", *mb = b ? wvm_module_errmsg(b) : "";
            if (sa != sb || (sa && strcmp(ma, mb))) {
                disagree++;
                printf("%s (%s floats): validated then translated: %s %s; translated at once: %s %s\n",
                       argv[i], policy ? "rejected" : "allowed", wvm_status_str(sa), ma,
                       wvm_status_str(sb), mb);
            } else if (sa) {
                refused++;
            } else {
                loaded++;
            }
            wvm_module_free(a);
            wvm_module_free(b);
            free(w);
        }
        wvm_engine_free(lazy);
        wvm_engine_free(eager);
    }
    printf("validate-agree: %u loads, %u refused alike, %u disagreements\n", loaded, refused, disagree);
    return disagree ? 1 : 0;
}
