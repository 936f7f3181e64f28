;; import.wat -- imports a function no host provides.
(module
  (import "env" "missing" (func $missing))
  (func (export "_start") (call $missing)))
