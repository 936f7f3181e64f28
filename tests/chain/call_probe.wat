;; call_probe -- a contract for the call path's tests, by hand in wat so
;; that it can misbehave on purpose.  handle_contract_call picks what to
;; do from the first byte of the function name:
;;   o ok: result {"ok":true}, event hello {"a":1}
;;   w write: default object field "k" = "v" (direct import), event hello
;;   r read: result "<value of k>" (a JSON string), or null
;;   c counter: default object field "n" (u64) + 1, result: the new value
;;   e contract error "boom"; p invalid parameters; (others) function not found
;;   t write k, emit hello, then trap (unreachable)
;;   l loop forever; s recurse forever (stack)
;;   b call_host_set with args at 0xfffffff0 (past memory)
;;   h call_host_get_buffer with a length near 2^32
;;   H call_host_set with args_len 0xffffffff
;;   G object_get_field with out_cap near 2^32
;;   O object_get_field whose output overlaps its name (allowed)
;;   R a result of 66000 bytes (over WVM_MAX_RESULT_LEN)
;;   E an event of 20000 bytes of attributes (over WVM_MAX_EVENT_LEN)
;;   F events until the limit; f field writes until fuel runs out
;;   g give the default object to the sender; u unknown host function id
;;   x call self "o" and return its result
;;   d call self "d" until the depth limit; the failure travels back up
;;   y call self "t" (fails, rolled back), then write field "y", result ok
;;   z set result {"ok":true} but return 1 without an error
;;   P a result that is not JSON
;;   argument buffers that break the encoding (each traps):
;;   a a field past the end; L bytes left over; S a field of the wrong
;;   size; M a missing field; N a name with a NUL; A an empty name;
;;   C set_error with an unknown code; K a call with a fuel cap
(module
  (import "env" "call_host_set" (func $host (param i32 i32 i32) (result i32)))
  (import "env" "call_host_get_buffer" (func $getbuf (param i32 i32) (result i32)))
  (import "env" "object_get_field" (func $fget (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "object_set_field" (func $fset (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 4)
  (global $top (mut i32) (i32.const 0x30000))

  ;; 0x100: the all-zero object id (memory starts zeroed)
  (data (i32.const 0x200) "k")
  (data (i32.const 0x208) "n")
  (data (i32.const 0x20c) "y")
  (data (i32.const 0x210) "v")
  ;; set_result {"ok":true}
  (data (i32.const 0x300) "\0b\00\00\00{\"ok\":true}")
  ;; emit_event hello {"a":1}
  (data (i32.const 0x340) "\05\00\00\00hello\07\00\00\00{\"a\":1}")
  ;; set_error 0 "boom"
  (data (i32.const 0x380) "\04\00\00\00\00\00\00\00\04\00\00\00boom")
  ;; set_error 1 "x: expected an unsigned integer" (31 bytes)
  (data (i32.const 0x3c0) "\04\00\00\00\01\00\00\00\1f\00\00\00x: expected an unsigned integer")
  ;; set_error 2 "function not found; functions: o w r c e p" (42 bytes)
  (data (i32.const 0x400) "\04\00\00\00\02\00\00\00\2a\00\00\00function not found; functions: o w r c e p")
  ;; set_result "not json" (8 bytes)
  (data (i32.const 0x440) "\08\00\00\00not json")
  ;; set_owner: [32][id 0x504..0x524][20][address 0x528..0x53c]
  (data (i32.const 0x500) "\20\00\00\00")
  (data (i32.const 0x524) "\14\00\00\00")
  ;; emit_event with the name "\00"; set_error code 7; field_get name ""
  (data (i32.const 0xb00) "\01\00\00\00\00\02\00\00\00{}")
  (data (i32.const 0xb20) "\04\00\00\00\07\00\00\00\01\00\00\00x")
  (data (i32.const 0xb60) "\20\00\00\00")
  ;; call: [20][target 0x804..0x818][1][name 0x81c][2]{}[8][cap 0]
  (data (i32.const 0x800) "\14\00\00\00")
  (data (i32.const 0x818) "\01\00\00\00o\02\00\00\00{}\08\00\00\00")

  (func (export "allocate") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (local.get $n)))
    (local.get $p))

  (func $ok (drop (call $host (i32.const 32) (i32.const 0x300) (i32.const 15))))
  (func $hello (drop (call $host (i32.const 30) (i32.const 0x340) (i32.const 20))))
  (func $write_k (drop (call $fset (i32.const 0x100) (i32.const 0x200) (i32.const 1) (i32.const 0x210) (i32.const 1))))
  (func $recurse (param i32) (result i32)
    (call $recurse (i32.add (local.get 0) (i32.const 1))))

  ;; calls self's function named by byte $f; returns call_host_set's value
  (func $call_self (param $f i32) (result i32)
    (drop (call $host (i32.const 2) (i32.const 0) (i32.const 0)))
    (drop (call $getbuf (i32.const 0x804) (i32.const 20)))
    (i32.store8 (i32.const 0x81c) (local.get $f))
    (call $host (i32.const 40) (i32.const 0x800) (i32.const 47)))

  ;; the decimal digits of v as a result
  (func $result_u64 (param $v i64)
    (local $p i32)
    (local.set $p (i32.const 0x720))
    (loop $d
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $d (i64.ne (local.get $v) (i64.const 0))))
    (i32.store (i32.sub (local.get $p) (i32.const 4)) (i32.sub (i32.const 0x720) (local.get $p)))
    (drop (call $host (i32.const 32) (i32.sub (local.get $p) (i32.const 4))
                (i32.add (i32.const 4) (i32.sub (i32.const 0x720) (local.get $p))))))

  (func (export "handle_contract_call") (param $np i32) (param $nl i32) (param $pp i32) (param $pl i32) (result i32)
    (local $c i32) (local $n i32) (local $i i32)
    (local.set $c (i32.load8_u (local.get $np)))
    (if (i32.eq (local.get $c) (i32.const 0x6f)) (then ;; o
      (call $ok) (call $hello) (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x77)) (then ;; w
      (call $write_k) (call $hello) (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x72)) (then ;; r
      (local.set $n (call $fget (i32.const 0x100) (i32.const 0x200) (i32.const 1) (i32.const 0x601) (i32.const 200)))
      (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (i32.const 0))))
      (i32.store8 (i32.const 0x600) (i32.const 34))
      (i32.store8 (i32.add (i32.const 0x601) (local.get $n)) (i32.const 34))
      (i32.store (i32.const 0x5fc) (i32.add (local.get $n) (i32.const 2)))
      (drop (call $host (i32.const 32) (i32.const 0x5fc) (i32.add (local.get $n) (i32.const 6))))
      (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x63)) (then ;; c
      (i64.store (i32.const 0x700) (i64.const 0))
      (drop (call $fget (i32.const 0x100) (i32.const 0x208) (i32.const 1) (i32.const 0x700) (i32.const 8)))
      (i64.store (i32.const 0x700) (i64.add (i64.load (i32.const 0x700)) (i64.const 1)))
      (drop (call $fset (i32.const 0x100) (i32.const 0x208) (i32.const 1) (i32.const 0x700) (i32.const 8)))
      (call $result_u64 (i64.load (i32.const 0x700)))
      (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x65)) (then ;; e
      (drop (call $host (i32.const 33) (i32.const 0x380) (i32.const 16))) (return (i32.const 1))))
    (if (i32.eq (local.get $c) (i32.const 0x70)) (then ;; p
      (drop (call $host (i32.const 33) (i32.const 0x3c0) (i32.const 43))) (return (i32.const 1))))
    (if (i32.eq (local.get $c) (i32.const 0x74)) (then ;; t
      (call $write_k) (call $hello) (unreachable)))
    (if (i32.eq (local.get $c) (i32.const 0x6c)) (then ;; l
      (loop $forever (br $forever))))
    (if (i32.eq (local.get $c) (i32.const 0x73)) (then ;; s
      (return (call $recurse (i32.const 0)))))
    (if (i32.eq (local.get $c) (i32.const 0x62)) (then ;; b
      (return (call $host (i32.const 32) (i32.const 0xfffffff0) (i32.const 32)))))
    (if (i32.eq (local.get $c) (i32.const 0x68)) (then ;; h
      (drop (call $host (i32.const 1) (i32.const 0) (i32.const 0)))
      (return (call $getbuf (i32.const 16) (i32.const 0xfffffff0)))))
    (if (i32.eq (local.get $c) (i32.const 0x48)) (then ;; H
      (return (call $host (i32.const 32) (i32.const 16) (i32.const 0xffffffff)))))
    (if (i32.eq (local.get $c) (i32.const 0x47)) (then ;; G
      (call $write_k)
      (return (call $fget (i32.const 0x100) (i32.const 0x200) (i32.const 1) (i32.const 0x20) (i32.const 0xfffffff0)))))
    (if (i32.eq (local.get $c) (i32.const 0x4f)) (then ;; O
      (call $write_k)
      (drop (call $fget (i32.const 0x100) (i32.const 0x200) (i32.const 1) (i32.const 0x200) (i32.const 16)))
      (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x52)) (then ;; R
      (i32.store (i32.const 0x10000) (i32.const 66000))
      (return (call $host (i32.const 32) (i32.const 0x10000) (i32.const 66004)))))
    (if (i32.eq (local.get $c) (i32.const 0x45)) (then ;; E
      (i32.store (i32.const 0x10000) (i32.const 5))
      (i32.store (i32.const 0x10004) (i32.const 0x6c6c6568)) ;; "hell"
      (i32.store8 (i32.const 0x10008) (i32.const 0x6f))      ;; "o"
      (i32.store (i32.const 0x10009) (i32.const 20000))
      (return (call $host (i32.const 30) (i32.const 0x10000) (i32.const 20013)))))
    (if (i32.eq (local.get $c) (i32.const 0x46)) (then ;; F
      (loop $ev (call $hello) (br $ev))))
    (if (i32.eq (local.get $c) (i32.const 0x66)) (then ;; f
      (loop $fl
        (i32.store (i32.const 0xa00) (i32.or (local.get $i) (i32.const 0x01010101)))
        (drop (call $fset (i32.const 0x100) (i32.const 0xa00) (i32.const 4) (i32.const 0x210) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fl))))
    (if (i32.eq (local.get $c) (i32.const 0x67)) (then ;; g
      (drop (call $host (i32.const 1) (i32.const 0) (i32.const 0)))
      (drop (call $getbuf (i32.const 0x528) (i32.const 20)))
      (drop (call $host (i32.const 16) (i32.const 0x500) (i32.const 60)))
      (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x75)) (then ;; u
      (return (call $host (i32.const 99) (i32.const 0) (i32.const 0)))))
    (if (i32.eq (local.get $c) (i32.const 0x78)) (then ;; x
      (local.set $n (call $call_self (i32.const 0x6f)))
      (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (i32.const 1))))
      (i32.store (i32.const 0x8fc) (local.get $n))
      (drop (call $getbuf (i32.const 0x900) (local.get $n)))
      (drop (call $host (i32.const 32) (i32.const 0x8fc) (i32.add (local.get $n) (i32.const 4))))
      (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x64)) (then ;; d
      (local.set $n (call $call_self (i32.const 0x64)))
      (if (i32.ne (local.get $n) (i32.const -4)) (then (return (i32.const 0))))
      ;; the buffer is fields (u32 kind, message): make it set_error's
      ;; (u32 code 0, message) and fail with the callee's message
      (local.set $n (call $getbuf (i32.const 0x900) (i32.const 0x8000)))
      (i32.store (i32.const 0x904) (i32.const 0))
      (drop (call $host (i32.const 33) (i32.const 0x900) (local.get $n)))
      (return (i32.const 1))))
    (if (i32.eq (local.get $c) (i32.const 0x79)) (then ;; y
      (local.set $n (call $call_self (i32.const 0x74)))
      (if (i32.ne (local.get $n) (i32.const -4)) (then (return (i32.const 1))))
      (drop (call $fset (i32.const 0x100) (i32.const 0x20c) (i32.const 1) (i32.const 0x210) (i32.const 1)))
      (call $ok)
      (return (i32.const 0))))
    (if (i32.eq (local.get $c) (i32.const 0x7a)) (then ;; z
      (call $ok) (return (i32.const 1))))
    (if (i32.eq (local.get $c) (i32.const 0x50)) (then ;; P
      (return (call $host (i32.const 32) (i32.const 0x440) (i32.const 12)))))
    (if (i32.eq (local.get $c) (i32.const 0x61)) (then ;; a
      (return (call $host (i32.const 32) (i32.const 0x300) (i32.const 10)))))
    (if (i32.eq (local.get $c) (i32.const 0x4c)) (then ;; L
      (return (call $host (i32.const 1) (i32.const 0x300) (i32.const 15)))))
    (if (i32.eq (local.get $c) (i32.const 0x53)) (then ;; S
      (return (call $host (i32.const 20) (i32.const 0x300) (i32.const 15)))))
    (if (i32.eq (local.get $c) (i32.const 0x4d)) (then ;; M
      (return (call $host (i32.const 20) (i32.const 0x300) (i32.const 0)))))
    (if (i32.eq (local.get $c) (i32.const 0x4e)) (then ;; N
      (return (call $host (i32.const 30) (i32.const 0xb00) (i32.const 11)))))
    (if (i32.eq (local.get $c) (i32.const 0x41)) (then ;; A
      (return (call $host (i32.const 11) (i32.const 0xb60) (i32.const 40)))))
    (if (i32.eq (local.get $c) (i32.const 0x43)) (then ;; C
      (return (call $host (i32.const 33) (i32.const 0xb20) (i32.const 13)))))
    (if (i32.eq (local.get $c) (i32.const 0x4b)) (then ;; K
      (i32.store8 (i32.const 0x827) (i32.const 1))
      (return (call $call_self (i32.const 0x6f)))))
    (drop (call $host (i32.const 33) (i32.const 0x400) (i32.const 54)))
    (i32.const 1)))
