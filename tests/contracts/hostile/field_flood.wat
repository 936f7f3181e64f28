;; field_flood -- writes ever new fields (names f0000, f0001, ... as a
;; counter in the name's bytes) to the default object, endlessly.
;; Expected: resource_exhausted (out of fuel); none of the fields kept.
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
  (data (i32.const 0) "f")
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (local $i i32)
    (loop $l
      (i32.store (i32.const 1) (local.get $i))
      (drop (call $field_set (i32.const 64) (i32.const 0) (i32.const 5) (i32.const 1) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))
    (i32.const 0))
)
