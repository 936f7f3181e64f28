;; reset_iglobal.wat -- imports a mutable global: an instance of it
;; cannot be snapshot (tests/unit/test_reset.c).
(module
  (import "env" "g" (global (mut i32)))
  (memory 1)
)
