;; spin.wat -- a WASI command that never ends (until out of fuel or time).
(module
  (func (export "_start")
    (loop $forever (br $forever))))
