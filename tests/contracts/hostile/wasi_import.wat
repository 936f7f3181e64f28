;; wasi_import -- imports a WASI function (fd_write).  Contracts may import
;; only module "env".  Expected: deploy refuses it (compilation_failed or
;; instance_creation_failed naming the import); nothing stored.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "allocate") (param i32) (result i32) (i32.const 1024))
  (func (export "handle_contract_call") (param i32 i32 i32 i32) (result i32) (i32.const 0)))
