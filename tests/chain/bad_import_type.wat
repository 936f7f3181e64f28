;; env.get_block_height imported with the wrong type (i32, not i64).
(module
  (import "env" "get_block_height" (func (result i32)))
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (i32.const 0))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32)
    (i32.const 0)))
