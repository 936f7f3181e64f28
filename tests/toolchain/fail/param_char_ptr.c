/* expect: param_char_ptr.c:4:33: error: parameter name of exported function 'Rename' has unsupported type 'char *' (supported: int32_t, uint32_t, int64_t, uint64_t, bool, const char *, wvm_bytes, wvm_address or wvm_object_id) */
#include <wvm/contract.h>

void Rename(wvm_ctx *ctx, char *name) { (void)ctx; (void)name; }
