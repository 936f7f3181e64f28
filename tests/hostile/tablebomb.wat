;; tablebomb.wat -- table.grow by the argument; returns the old size or -1.
(module
  (table 1 funcref)
  (func (export "tgrow") (param i32) (result i32)
    ref.null func
    local.get 0
    table.grow 0)
  (func (export "ok") (result i32)
    i32.const 42)
)
