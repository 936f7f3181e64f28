;; alloc_trap -- allocate traps (unreachable).
;; Expected: execution_failed (the trap, in allocate); state unchanged.
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (import "env" "call_host_get_buffer" (func $get_buffer (param i32 i32) (result i32)))
  (import "env" "object_get_field" (func $field_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "object_set_field" (func $field_set (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 4096))
  (func (export "allocate") (param i32) (result i32) (unreachable))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32) (i32.const 0))
)
