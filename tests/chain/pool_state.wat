;; The instance pool's reset (tests/chain/test_pool.c): _initialize sets
;; global $g to 5 and memory[0x300] to 7 after a loop that costs fuel;
;; every call checks it sees exactly that image (one page, $g 5, 7 at
;; 0x300, $top 4096) and returns 1 if not, then changes all of it (grows
;; memory, writes, bumps the globals) for the next call to find undone.
(module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (global $top (mut i32) (i32.const 4096))
  (func (export "_initialize")
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 50))))
    (global.set $g (i32.const 5))
    (i32.store (i32.const 0x300) (i32.const 7)))
  (func (export "allocate") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (local.get $n)))
    (local.get $p))
  (func (export "handle_contract_call") (param $np i32) (param $nl i32) (param $pp i32) (param $pl i32) (result i32)
    (if (i32.ne (memory.size) (i32.const 1)) (then (return (i32.const 1))))
    (if (i32.ne (global.get $g) (i32.const 5)) (then (return (i32.const 1))))
    (if (i32.ne (i32.load (i32.const 0x300)) (i32.const 7)) (then (return (i32.const 1))))
    (if (i32.ne (local.get $np) (i32.const 4096)) (then (return (i32.const 1))))
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.const 0x300) (i32.const 8))
    (i32.store (i32.const 0x10000) (i32.const 9))
    (global.set $g (i32.const 6))
    (i32.const 0)))
