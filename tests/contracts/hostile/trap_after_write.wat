;; trap_after_write -- handle_contract_call writes a field of its
;; default object, emits an event, then traps.  Expected: execution_failed
;; (unreachable, with the backtrace); the field and the event are
;; discarded, the state root unchanged.
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
  (data (i32.const 0) "written")
  (data (i32.const 16) "\01\00\00\00E\02\00\00\00{}")
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (drop (call $field_set (i32.const 64) (i32.const 0) (i32.const 7) (i32.const 0) (i32.const 7)))
    (drop (call $host (i32.const 30) (i32.const 16) (i32.const 11)))
    (unreachable))
)
