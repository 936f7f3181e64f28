;; field_ptr_oob -- object_get_field whose output buffer runs past memory
;; (a value is stored first so there is something to copy), and whose name
;; length is near 2^32.  Expected: execution_failed naming
;; object_get_field and the argument.
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
  (data (i32.const 0) "k")          ;; the field name; the id at 64 is all zero
  (data (i32.const 8) "value")
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (drop (call $field_set (i32.const 64) (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 5)))
    (drop (call $field_get (i32.const 64) (i32.const 0) (i32.const 1) (i32.const 65534) (i32.const 5)))
    (i32.const 0))
)
