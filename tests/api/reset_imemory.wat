;; reset_imemory.wat -- imports its memory: an instance of it cannot be
;; snapshot (tests/unit/test_reset.c).
(module
  (import "env" "mem" (memory 1))
)
