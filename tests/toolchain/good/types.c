/* Every parameter and result type of an exported function, for the
 * generated dispatch's tests (tests/toolchain/run.sh). */
#include <wvm/contract.h>
#include <string.h>

int32_t EchoI32(wvm_ctx *ctx, int32_t v) { (void)ctx; return v; }
uint32_t EchoU32(wvm_ctx *ctx, uint32_t v) { (void)ctx; return v; }
int64_t EchoI64(wvm_ctx *ctx, int64_t v) { (void)ctx; return v; }
uint64_t EchoU64(wvm_ctx *ctx, uint64_t v) { (void)ctx; return v; }
bool Not(wvm_ctx *ctx, bool v) { (void)ctx; return !v; }
const char *EchoStr(wvm_ctx *ctx, const char *s) { (void)ctx; return s; }
wvm_bytes EchoBytes(wvm_ctx *ctx, wvm_bytes b) { (void)ctx; return b; }
wvm_address EchoAddress(wvm_ctx *ctx, wvm_address a) { (void)ctx; return a; }
wvm_object_id EchoObject(wvm_ctx *ctx, wvm_object_id id) { (void)ctx; return id; }

/* Two parameters, in an order unlike the JSON's. */
uint64_t Add(wvm_ctx *ctx, uint64_t a, uint64_t b) {
    if (a > UINT64_MAX - b) {
        wvm_error(ctx, "overflow adding %llu and %llu", (unsigned long long)a,
                  (unsigned long long)b);
        return 0;
    }
    return a + b;
}

/* A void function with an early return and a failing way out. */
void Check(wvm_ctx *ctx, const char *word) {
    if (strcmp(word, "good") == 0) return;
    wvm_error(ctx, "bad word: %s", word);
}

/* Not exported: static, or no context first. */
static uint32_t helper(wvm_ctx *ctx) { (void)ctx; return 7; }
uint32_t plain(uint32_t x) { return x + 1; }
uint32_t Seven(wvm_ctx *ctx) { return plain(helper(ctx)) - 1; }

/* Floats inside a contract under the default policy (canonical NaN). */
uint64_t Halve(wvm_ctx *ctx, uint64_t x) {
    (void)ctx;
    double h = (double)(x & 0xffffffffu) / 2.0;
    return (uint64_t)h;
}

__attribute__((annotate("wvm.view"))) uint32_t Version(wvm_ctx *ctx) { (void)ctx; return 1; }

/* Library names are fine as the contract's own parameters, locals,
 * fields and enum constants: only global uses are refused. */
struct window { uint64_t open, close; };
enum side { read, write };
bool Open(wvm_ctx *ctx, uint64_t time, uint64_t clock) {
    (void)ctx;
    struct window w = {10, 20};
    uint64_t rand = time + clock;
    enum side s = read;
    return s == read && rand >= w.open && rand < w.close;
}
