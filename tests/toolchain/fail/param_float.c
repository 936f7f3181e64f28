/* expect: param_float.c:5:36: error: parameter ratio of exported function 'Scale' has unsupported type 'float' (supported: int32_t, uint32_t, int64_t, uint64_t, bool, const char *, wvm_bytes, wvm_address or wvm_object_id) */
#include <wvm/contract.h>

/* Floats are allowed inside (default policy) but are no parameter type. */
uint64_t Scale(wvm_ctx *ctx, float ratio) { (void)ctx; return (uint64_t)(ratio * 2); }
