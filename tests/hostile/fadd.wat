;; fadd.wat -- integer signatures only; the second function adds two
;; floats loaded from memory, so the first float instruction that the
;; translator meets is the f32.load in function 1.
(module
  (memory 1)
  (func (export "ok") (result i32)
    i32.const 42)
  (func $sum_fn (export "sum") (result i32)
    i32.const 0
    f32.load
    i32.const 4
    f32.load
    f32.add
    drop
    i32.const 0)
)
