;; recurse.wat -- unbounded recursion.
(module
  (func $r (export "recurse") (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add
    call $r)
  (func (export "ok") (result i32)
    i32.const 42)
)
