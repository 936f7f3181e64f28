;; reenter-at-depth.wat -- host re-entry at the frame limit (issue 11).
;;
;; "deep" recurses n levels, then calls env.host.  The test's host calls
;; this instance's "again" through wvm_func_call, which calls env.host
;; again, about 20 levels.  With n = 1023 under the default limit of 1024
;; frames, the frame pushed for each host call used to go unchecked and
;; was written past the end of the store's frame array (SIGSEGV; ASan:
;; heap-buffer-overflow in run()).  Every call must end in
;; WVM_TRAP_STACK_EXHAUSTED instead.
(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (func $deep (export "deep") (param $n i32) (result i32)
    local.get $n
    if (result i32)
      local.get $n
      i32.const 1
      i32.sub
      call $deep
    else
      i32.const 0
      call $host
    end)
  ;; again(level) = host(level): the re-entry path
  (func (export "again") (param i32) (result i32)
    local.get 0
    call $host)
)
