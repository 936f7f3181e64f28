;; alloc_oob -- allocate returns a pointer past the end of memory.
;; Expected: the call fails before handle_contract_call runs (the host's
;; write of the name is out of bounds): execution_failed naming allocate's
;; result; state unchanged.
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (import "env" "call_host_get_buffer" (func $get_buffer (param i32 i32) (result i32)))
  (import "env" "object_get_field" (func $field_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "object_set_field" (func $field_set (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 4096))
  (func (export "allocate") (param i32) (result i32) (i32.const 0xfffffff0))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32) (i32.const 0))
)
