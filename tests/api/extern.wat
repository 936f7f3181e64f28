;; extern.wat -- a guest for the extern API tests (tests/unit/test_extern.c):
;; an exported memory and globals the embedder reads and changes, host
;; functions whose results are checked, funcref arguments, and an export
;; whose name holds a NUL byte.
(module
  (import "env" "h" (func $h (result i32)))
  (import "env" "r" (func $r (result funcref)))
  (import "m\00x" "g" (global $g (mut i64)))
  (memory (export "mem") 1 3)
  (global $cnt (export "cnt") (mut i32) (i32.const 5))
  (global (export "k") f64 (f64.const 1.5))
  (func (export "get_cnt") (result i32) global.get $cnt)
  (func (export "get_g") (result i64) global.get $g)
  (func (export "load") (param i32) (result i32)
    local.get 0
    i32.load)
  (func (export "size") (result i32) memory.size)
  (func (export "call_h") (result i32) call $h)
  (func (export "call_r") (result i32)
    call $r
    ref.is_null)
  (func (export "is_null") (param funcref) (result i32)
    local.get 0
    ref.is_null)
  (func (export "a\00b") (result i32) i32.const 42)
  (func (export "a") (result i32) i32.const 1)
)
