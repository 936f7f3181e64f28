;; event_too_big -- WVM_HOST_EMIT_EVENT whose attributes are
;; WVM_MAX_EVENT_LEN + 1 bytes.  Expected: resource_exhausted (or
;; execution_failed) naming the event limit; no event recorded.
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
    ;; fields: name "E" (1 byte), attributes: {"a":"xxx...x"} of 16385 bytes
    (i32.store (i32.const 0) (i32.const 1))
    (i32.store8 (i32.const 4) (i32.const 0x45))
    (i32.store (i32.const 5) (i32.const 16385))
    (i32.store (i32.const 9) (i32.const 0x2261227b))    ;; {"a
    (i32.store8 (i32.const 13) (i32.const 0x22))        ;; "
    (i32.store8 (i32.const 14) (i32.const 0x3a))        ;; :
    (i32.store8 (i32.const 15) (i32.const 0x22))        ;; "
    (memory.fill (i32.const 16) (i32.const 0x78) (i32.const 16376))
    (i32.store8 (i32.const 16392) (i32.const 0x22))     ;; "
    (i32.store8 (i32.const 16393) (i32.const 0x7d))     ;; }
    (drop (call $host (i32.const 30) (i32.const 0) (i32.const 16394)))
    (i32.const 0))
)
