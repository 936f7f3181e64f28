#!/bin/sh
# tests/cli/run.sh -- the wvm command line: help, usage errors and one
# test per exit status of `wvm run` (see `wvm help run`).
#
#   sh tests/cli/run.sh BUILD_DIR
#
# Converts tests/cli/*.wat with wat2wasm (wabt) into BUILD_DIR/cli/, runs
# BUILD_DIR/wvm on them and prints "cli: N passed, N failed"; exits 1 on
# any failure.  WVM_SANITIZED=1 (set by `make asan`) runs the
# out-of-memory case under ASan's allocation limit instead of ulimit -v,
# which ASan's shadow memory does not survive.
set -u
build=${1:?usage: sh tests/cli/run.sh BUILD_DIR}
wvm=$build/wvm
dir=$(dirname "$0")
out=$build/cli
mkdir -p "$out"
passed=0
failed=0

for wat in "$dir"/*.wat; do
    name=$(basename "$wat" .wat)
    wat2wasm "$wat" -o "$out/$name.wasm" || { echo "cli: wat2wasm failed on $wat"; exit 1; }
done

# expect STATUS TEXT CMD [ARGS...]: CMD exits with STATUS and TEXT (if
# not empty) is a line part of its stdout or stderr.
expect() {
    want=$1 text=$2
    shift 2
    "$@" > "$out/stdout" 2> "$out/stderr"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $* exited $got, expected $want"; sed 's/^/  | /' "$out/stderr"
        failed=$((failed + 1)); return
    fi
    if [ -n "$text" ] && ! cat "$out/stdout" "$out/stderr" | grep -qF -- "$text"; then
        echo "FAIL: $*: no \"$text\" in its output:"; cat "$out/stdout" "$out/stderr" | sed 's/^/  | /'
        failed=$((failed + 1)); return
    fi
    passed=$((passed + 1))
}

# -- help and usage errors
expect 0 "usage: wvm <command>" "$wvm" help
expect 0 "usage: wvm <command>" "$wvm" help help
expect 0 "usage: wvm spectest" "$wvm" help spectest
expect 0 "usage: wvm run" "$wvm" help run
expect 0 "207    the program exited with a code outside 0-125" "$wvm" help run
expect 2 "wvm: unknown command 'nosuch'" "$wvm" help nosuch
expect 2 "wvm: unknown command 'nosuch'" "$wvm" nosuch
expect 2 "wvm: unknown option '--foo'" "$wvm" --foo
expect 2 "wvm spectest: unknown option '--foo'" "$wvm" spectest --foo x.json
expect 2 "wvm spectest: no FILE.json given" "$wvm" spectest -v

# -- wvm run: the program's own exit code passes through in 0..125
expect 0 "" "$wvm" run "$out/exit.wasm"
expect 0 "" "$wvm" run "$out/exit.wasm" 0
expect 3 "" "$wvm" run "$out/exit.wasm" 3
expect 125 "" "$wvm" run "$out/exit.wasm" 125
# 200: usage error
expect 200 "wvm run: unknown option '--foo'" "$wvm" run --foo "$out/exit.wasm"
expect 200 "wvm run: bad --fuel value 'lots'" "$wvm" run --fuel lots "$out/exit.wasm"
expect 200 "wvm run: --fuel needs a value" "$wvm" run --fuel
expect 200 "wvm run: no FILE.wasm given" "$wvm" run
# 201: FILE cannot be read
expect 201 "wvm: cannot read $out/nosuch.wasm" "$wvm" run "$out/nosuch.wasm"
# 202: not a valid module
expect 202 "wvm: $dir/exit.wat: malformed module" "$wvm" run "$dir/exit.wat"
# 203: cannot link, instantiate or call
expect 203 "unknown import env.missing" "$wvm" run "$out/import.wasm"
expect 203 "exceeds max_table_elems" "$wvm" run "$out/bigtable.wasm"
expect 203 "no exported function 'nosuch'" "$wvm" run --invoke nosuch "$out/trap.wasm"
expect 203 "'add' takes 2 parameters" "$wvm" run --invoke add "$out/trap.wasm"
# 204: trap
expect 204 "wvm: trap: unreachable" "$wvm" run "$out/trap.wasm"
# 205: out of fuel
expect 205 "wvm: out of fuel (--fuel 1000)" "$wvm" run --fuel 1000 "$out/spin.wasm"
# 206: timeout (spin.wasm never ends, so it is the only possible outcome)
expect 206 "wvm: timeout after 50 ms" "$wvm" run --timeout 50 "$out/spin.wasm"
# 207: the program's exit code outside 0..125 (not taken for one of
# wvm's codes, nor cut to its low byte: 256 once exited 0)
expect 207 "exited with code 126, outside 0-125" "$wvm" run "$out/exit.wasm" 126
expect 207 "exited with code 205, outside 0-125" "$wvm" run "$out/exit.wasm" 205
expect 207 "exited with code 256, outside 0-125" "$wvm" run "$out/exit.wasm" 256
expect 207 "exited with code 4294967295, outside 0-125" "$wvm" run "$out/exit.wasm" -1
# 208: wvm out of host memory (3.75 GiB of linear memory in 1 GB)
if [ "${WVM_SANITIZED:-}" = 1 ]; then
    expect 208 "out of memory" env ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=1000 \
        "$wvm" run "$out/bigmem.wasm"
else
    expect 208 "out of memory" sh -c 'ulimit -v 1000000 && exec "$@"' sh "$wvm" run "$out/bigmem.wasm"
fi

# -- --fuel bounds the whole run: reactor.wasm's start function,
# _initialize and run each fit in TOTAL-1 alone, but not together.
"$wvm" run --stats --invoke run "$out/reactor.wasm" > "$out/stdout" 2> "$out/stderr"
total=$(sed -n 's/^fuel used: //p' "$out/stderr")
if [ -z "$total" ] || [ "$total" -lt 2100 ]; then
    echo "FAIL: reactor.wasm used '$total' fuel, expected at least 2100 (3 loops)"
    failed=$((failed + 1))
else
    expect 0 "2100" "$wvm" run --fuel "$total" --invoke run "$out/reactor.wasm"
    expect 205 "out of fuel (--fuel $((total - 1)))" \
        "$wvm" run --fuel $((total - 1)) --invoke run "$out/reactor.wasm"
    # the start function and _initialize alone fit in TOTAL-1 (and run
    # alone, about half of TOTAL, too)
    expect 0 "" "$wvm" run --fuel $((total - 1)) --invoke _initialize "$out/reactor.wasm"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
