/* expect: wvm build: the module breaks the contract ABI: it imports wasi_snapshot_preview1.fd_write, which is not a host function of the ABI (a function the contract declares but does not define, or one of libc that needs WASI) */
#include <wvm/contract.h>

/* Reaching the host around the SDK: passes the source rules (no banned
 * name), caught when the built module is loaded and checked. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write")))
int32_t put(int32_t fd, int32_t iovs, int32_t n, int32_t written);

uint32_t Shout(wvm_ctx *ctx) { (void)ctx; return (uint32_t)put(1, 0, 0, 0); }
