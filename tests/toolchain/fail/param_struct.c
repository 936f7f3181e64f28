/* expect: param_struct.c:5:38: error: parameter p of exported function 'Move' has unsupported type 'struct point' (supported: int32_t, uint32_t, int64_t, uint64_t, bool, const char *, wvm_bytes, wvm_address or wvm_object_id) */
#include <wvm/contract.h>

struct point { int32_t x, y; };
void Move(wvm_ctx *ctx, struct point p) { (void)ctx; (void)p; }
