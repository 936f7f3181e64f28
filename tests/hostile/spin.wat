;; spin.wat -- runs forever; "ok" checks the store still works afterwards.
(module
  (func (export "spin")
    loop
      br 0
    end)
  (func (export "ok") (result i32)
    i32.const 42)
)
