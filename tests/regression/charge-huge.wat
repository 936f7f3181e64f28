;; charge-huge.wat -- a guest that calls a host function which charges
;; fuel (issue 11).  wvm_caller_charge(c, 2^63 + 1) computed the counter
;; minus the cost in int64_t before its range check: signed overflow
;; (UBSan).  Any charge, however large, must end as WVM_TRAP_OUT_OF_FUEL.
(module
  (import "env" "charge" (func $charge))
  (func (export "run") (result i32)
    call $charge
    i32.const 7)
)
