;; floats.wat -- float results as their bit patterns.
(module
  ;; 0/0: a NaN made from nothing (x86 gives 0xffc00000, sign set)
  (func (export "div0") (result i32)
    f32.const 0
    f32.const 0
    f32.div
    i32.reinterpret_f32)
  ;; a NaN with payload 0x200000 plus 1: hardware propagates the payload
  (func (export "payload") (result i32)
    i32.const 0x7fa00000
    f32.reinterpret_i32
    f32.const 1
    f32.add
    i32.reinterpret_f32)
  ;; f32.neg is a bit operation: the payload survives, sign flipped
  (func (export "neg") (result i32)
    i32.const 0x7fa00000
    f32.reinterpret_i32
    f32.neg
    i32.reinterpret_f32)
  ;; same in f64: 0/0
  (func (export "div0_64") (result i64)
    f64.const 0
    f64.const 0
    f64.div
    i64.reinterpret_f64)
  (func (export "ok") (result i32)
    i32.const 42)
)
