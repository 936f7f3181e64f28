;; overlap -- buffers that overlap: object_get_field writes its output over
;; its own id and name, object_set_field's value overlaps its name, and
;; call_host_get_buffer copies onto the argument buffer it was given.
;; Expected: no crash and the same outcome on every run (the host reads
;; its inputs before it writes): the call succeeds, and the default
;; object's field "field-name" holds "field-name".
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
  (data (i32.const 0) "field-name")   ;; the id at 64 is all zero (default object)
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    ;; set "field-name" = "field-name" (value and name the same bytes)
    (drop (call $field_set (i32.const 64) (i32.const 0) (i32.const 10) (i32.const 0) (i32.const 10)))
    ;; read it back over the id and the name themselves: out = 60 covers
    ;; the id (64..96) and the output runs across it
    (drop (call $field_get (i32.const 64) (i32.const 0) (i32.const 10) (i32.const 60) (i32.const 10)))
    ;; call_host_set(SELF) then copy its 20 bytes onto the same region
    (drop (call $host (i32.const 2) (i32.const 0) (i32.const 0)))
    (drop (call $get_buffer (i32.const 0) (i32.const 20)))
    (i32.const 0))
)
