;; result_too_big -- WVM_HOST_SET_RESULT with WVM_MAX_RESULT_LEN + 1
;; bytes (one field: length 65537).  Expected: resource_exhausted (or
;; execution_failed) naming the result limit; no result.
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
    (drop (memory.grow (i32.const 1)))         ;; room for 4 + 65537 bytes
    (i32.store (i32.const 0) (i32.const 65537))
    (memory.fill (i32.const 4) (i32.const 0x31) (i32.const 65537))  ;; "111...": a JSON number
    (drop (call $host (i32.const 32) (i32.const 0) (i32.const 65541)))
    (i32.const 0))
)
