;; A contract whose allocate traps: the call ends in execution_failed.
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (unreachable))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32) (i32.const 0)))
