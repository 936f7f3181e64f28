;; A contract that validates but cannot be instantiated: its data segment
;; lies past its one page of memory (instance_creation_failed).
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 70000) "x")
  (func (export "allocate") (param i32) (result i32) (i32.const 1024))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32) (i32.const 0)))
