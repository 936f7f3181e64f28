;; backtrace.wat -- a trap three calls deep.  Built with
;;   wat2wasm --debug-names backtrace.wat -o backtrace.wasm
;; so the name section carries the function names.
(module
  (func $inner_fn (param i32) (result i32)
    local.get 0
    i32.const 0
    i32.div_u)
  (func $middle_fn (param i32) (result i32)
    local.get 0
    call $inner_fn)
  (func $outer_fn (export "outer") (param i32) (result i32)
    local.get 0
    call $middle_fn)
)
