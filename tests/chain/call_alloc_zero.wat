;; A contract whose allocate returns 0: the host must refuse to copy
;; the call's name and params there (docs/abi.md, hostile contracts).
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (i32.const 0))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32) (i32.const 0)))
