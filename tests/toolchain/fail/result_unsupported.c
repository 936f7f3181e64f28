/* expect: result_unsupported.c:4:7: error: result of exported function 'Ratio' has unsupported type 'short' (supported: int32_t, uint32_t, int64_t, uint64_t, bool, const char *, wvm_bytes, wvm_address or wvm_object_id, or void) */
#include <wvm/contract.h>

short Ratio(wvm_ctx *ctx) { (void)ctx; return 1; }
