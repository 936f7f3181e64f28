;; len_near_4g -- call_host_set with a length near 2^32, so ptr + len
;; wraps around in 32 bits.  Expected: execution_failed naming the
;; argument; the host must not wrap.
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (import "env" "call_host_get_buffer" (func $get_buffer (param i32 i32) (result i32)))
  (import "env" "object_get_field" (func $field_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "object_set_field" (func $field_set (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 4096))
  ;; a plain bump allocator: the host's name and params land at 4096...
  (func (export "allocate") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (global.get $next) (local.get $n)))
    (local.get $p))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (drop (call $host (i32.const 31) (i32.const 16) (i32.const 0xfffffff8)))
    (i32.const 0))
)
