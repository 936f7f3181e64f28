;; reset_itable.wat -- imports a table (and has its own memory): an
;; instance of it cannot be snapshot (tests/unit/test_reset.c).
(module
  (import "env" "tab" (table 1 funcref))
  (memory 1)
)
