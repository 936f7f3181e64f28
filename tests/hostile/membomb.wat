;; membomb.wat -- grows memory one page at a time until memory.grow
;; returns -1, then returns the number of pages it got.
(module
  (memory 1)
  (func (export "bomb") (result i32)
    loop
      i32.const 1
      memory.grow
      i32.const -1
      i32.ne
      br_if 0
    end
    memory.size)
  ;; one enormous request
  (func (export "huge") (result i32)
    i32.const 0x7fffffff
    memory.grow)
  (func (export "ok") (result i32)
    i32.const 42)
)
