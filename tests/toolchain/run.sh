#!/bin/sh
# tests/toolchain/run.sh BUILD -- tests of `wvm build` and `wvm verify`
# (make test runs it).  Prints one line per check and "toolchain: N
# passed, N failed"; exits 1 on any failure.
#
#   - every fixture in fail/ fails with exactly the errors its
#     "expect:" lines give (options from its "options:" line), exit
#     status 1, and no output file;
#   - size limit (plain, gzip, a gzip bomb), corrupt gzip, NUL bytes,
#     usage errors;
# and, when the SDK library BUILD/sdk/libwvmsdk.a exists:
#   - good/*.c and every example contract build; the modules of check/
#     fail the runtime's ABI check; gzip input gives the
#     same module; building in two directories gives the same bytes;
#   - wvm verify against the file, the code hash and the address;
#   - the generated dispatch, run by BUILD/toolchain-harness: results of
#     every type, wrong JSON types, missing and extra parameters,
#     out-of-range integers -> invalid_parameters; trace records on
#     every way out.
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WVM=$ROOT/$BUILD/wvm
HARNESS=$ROOT/$BUILD/toolchain-harness
HERE=$ROOT/tests/toolchain
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wvm-tc-test-XXXXXX")
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# --- libclang is loaded by wvm build only (src/toolchain/libclang.h) --
if ldd "$WVM" 2>/dev/null | grep -q libclang; then
    bad "wvm links libclang: every command would pay for loading it"
else
    ok "wvm does not link libclang (wvm build loads it)"
fi

# --- failing fixtures ------------------------------------------------
for f in "$HERE"/fail/*.c; do
    name=$(basename "$f")
    opts=$(sed -n 's/.*options: \(.*\)$/\1/p' "$f")
    sed -n 's/.*expect: \(.*\)$/\1/p' "$f" | sed 's/ \*\/$//' > "$TMP/expected"
    rm -f "$TMP/out.wasm"
    # shellcheck disable=SC2086
    (cd "$HERE/fail" && "$WVM" build $opts "$name" -o "$TMP/out.wasm") > "$TMP/stdout" 2> "$TMP/stderr"
    rc=$?
    grep ': error: ' "$TMP/stderr" > "$TMP/got"
    if [ $rc -eq 1 ] && [ ! -e "$TMP/out.wasm" ] && cmp -s "$TMP/expected" "$TMP/got"; then
        ok "fail/$name"
    else
        bad "fail/$name (exit $rc)"; diff "$TMP/expected" "$TMP/got"; cat "$TMP/stderr"
    fi
done

# expect NAME STATUS LINE CMD...: CMD exits with STATUS and prints LINE
# (exactly, as one line of stderr).
expect() {
    what=$1 status=$2 line=$3
    shift 3
    "$@" > "$TMP/stdout" 2> "$TMP/stderr"
    rc=$?
    if [ $rc -eq "$status" ] && grep -qxF -- "$line" "$TMP/stderr"; then
        ok "$what"
    else
        bad "$what (exit $rc)"; echo "  wanted: $line"; sed 's/^/  got: /' "$TMP/stderr"
    fi
}

# --- size, gzip, bytes -----------------------------------------------
cd "$TMP" || exit 1
{ echo '#include <wvm/contract.h>'; echo 'uint32_t Get(wvm_ctx *ctx) { (void)ctx; return 1; }'
  i=0; while [ $i -lt 5000 ]; do echo "/* padding padding padding padding padding padding */"; i=$((i + 1)); done; } > big.c
expect "oversize source" 1 "big.c:1:1: error: source is larger than 262144 bytes (the limit of a contract's source)" \
    "$WVM" build big.c -o big.wasm
expect "--max-source" 1 "header.c.gz:1:1: error: source is larger than 100 bytes (the limit of a contract's source)" \
    sh -c "cp '$HERE/fail/header_stdio.c' header.c && gzip -n -f header.c && '$WVM' build --max-source 100 header.c.gz -o h.wasm"
cp "$HERE/fail/header_stdio.c" header_stdio.c && gzip -n -f header_stdio.c
expect "gzip input is validated" 1 "header_stdio.c.gz:3:1: error: header 'stdio.h' is not allowed in a contract (allowed: wvm/contract.h, wvm/abi.h, stdint.h, stdbool.h, stddef.h, stdalign.h, stdnoreturn.h, limits.h, string.h, and NAME_client.h files of wvm build --client beside the source)" \
    "$WVM" build header_stdio.c.gz -o h.wasm
# 4 MiB of spaces compress to a few KiB: inflation stops at the limit.
head -c 4194304 /dev/zero | tr '\0' ' ' | gzip -n > bomb.c.gz
expect "gzip bomb" 1 "bomb.c.gz:1:1: error: source is larger than 262144 bytes (the limit of a contract's source)" \
    "$WVM" build bomb.c.gz -o b.wasm
head -c 40 header_stdio.c.gz > cut.c.gz
expect "truncated gzip" 1 "cut.c.gz:1:1: error: gzip input is truncated or corrupt" \
    "$WVM" build cut.c.gz -o c.wasm
printf 'uint32_t a;\nab\0\n' > nul.c
expect "NUL byte" 1 "nul.c:2:3: error: source contains a NUL byte (not C text)" \
    "$WVM" build nul.c -o n.wasm
expect "missing file" 1 "wvm build: cannot open nothing.c: No such file or directory" \
    "$WVM" build nothing.c
expect "usage: no source" 2 "wvm build: no source file" "$WVM" build
expect "usage: bad --float" 2 "wvm build: --float takes canonical or reject, not fast" \
    "$WVM" build --float fast x.c
expect "usage: verify arguments" 2 "wvm verify: needs TARGET and SRC.c" "$WVM" verify x.c
for f in big.wasm h.wasm b.wasm c.wasm n.wasm; do
    [ -e "$f" ] && bad "a failed build wrote $f"
done

# --- builds (need the SDK library) -----------------------------------
if [ ! -f "$ROOT/$BUILD/sdk/libwvmsdk.a" ]; then
    echo "SKIP builds, verify and the dispatch: no SDK library ($BUILD/sdk/libwvmsdk.a)"
else
    for f in "$HERE"/good/*.c; do
        if "$WVM" build "$f" -o "$TMP/$(basename "$f" .c).wasm" 2> "$TMP/stderr"; then
            ok "builds good/$(basename "$f")"
        else
            bad "builds good/$(basename "$f")"; cat "$TMP/stderr"
        fi
    done
    for f in "$ROOT"/examples/*/*.c; do
        [ -e "$f" ] || continue
        # an example's contract is examples/NAME/NAME.c; the rest is its
        # hand-written dispatch, which wvm build generates instead
        [ "$(basename "$f" .c)" = "$(basename "$(dirname "$f")")" ] || continue
        # examples calling others through generated stubs (NAME_client.h)
        # build with their stubs beside them: the Makefile's build/xsrc/
        # and tests/calls/cli.sh
        grep -q '_client\.h"' "$f" && continue
        if "$WVM" build "$f" -o "$TMP/example-$(basename "$f" .c).wasm" 2> "$TMP/stderr"; then
            ok "builds example $(basename "$f")"
        else
            bad "builds example $(basename "$f")"; cat "$TMP/stderr"
        fi
    done

    # The built module checked by our runtime: imports outside the ABI,
    # or ABI imports of the wrong type.
    for f in "$HERE"/check/*.c; do
        line=$(sed -n 's/.*expect: \(.*\) \*\/$/\1/p' "$f")
        expect "check/$(basename "$f")" 1 "$line" "$WVM" build "$f" -o "$TMP/check.wasm"
        [ -e "$TMP/check.wasm" ] && bad "check/$(basename "$f") wrote its output"
    done

    # Reproducible: two directories, two names for the output, relative
    # and absolute source paths.
    mkdir -p one two/deeper/still
    cp "$HERE/good/types.c" one/types.c
    cp "$HERE/good/types.c" two/deeper/still/types.c
    (cd one && "$WVM" build types.c) &&
    (cd two && "$WVM" build "$TMP/two/deeper/still/types.c" -o elsewhere.wasm)
    if cmp -s one/types.wasm two/elsewhere.wasm; then ok "same bytes from two directories"
    else bad "same bytes from two directories"; fi
    gzip -n -c one/types.c > one/z.c.gz
    (cd one && "$WVM" build z.c.gz -o z.wasm)
    if cmp -s one/types.wasm one/z.wasm; then ok "gzip input builds the same module"
    else bad "gzip input builds the same module"; fi
    if strings -a one/types.wasm | grep -q -e "$TMP" -e wvm-build- -e "$ROOT"; then
        bad "no paths in the module"; else ok "no paths in the module"; fi

    # wvm deploy SRC.c and wvm verify
    hash=$(sha256sum one/types.wasm | cut -c1-64)
    expect_out() {
        what=$1 status=$2 pattern=$3
        shift 3
        "$@" > "$TMP/stdout" 2> "$TMP/stderr"
        rc=$?
        if [ $rc -eq "$status" ] && grep -q -- "$pattern" "$TMP/stdout" "$TMP/stderr"; then ok "$what"
        else bad "$what (exit $rc)"; cat "$TMP/stdout" "$TMP/stderr"; fi
    }
    ST=$TMP/state
    expect_out "wvm deploy SRC.c builds and deploys" 0 "\"code_hash\":\"0x$hash\"" \
        "$WVM" --state "$ST" deploy one/types.c --json
    addr=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' "$TMP/stdout")
    expect_out "wvm deploy SRC.c --salt" 0 "\"code_hash\":\"0x$hash\"" \
        "$WVM" --state "$ST" deploy one/types.c --salt 01 --json
    salted=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' "$TMP/stdout")
    expect_out "wvm deploy of a source with errors deploys nothing" 5 "does not build; nothing deployed" \
        "$WVM" --state "$ST" deploy "$HERE/fail/banned_rand.c"
    expect_out "verify against the module" 0 "^verified: " "$WVM" verify one/types.wasm one/types.c
    expect_out "verify against the code hash" 0 "^verified: " "$WVM" verify "$hash" one/types.c
    expect_out "verify against the code hash as deploy prints it" 0 "^verified: " "$WVM" verify "0x$hash" one/types.c
    expect_out "verify against a deployed address" 0 "^verified: " "$WVM" --state "$ST" verify "$addr" one/types.c
    expect_out "verify against a salted address" 0 "^verified: " "$WVM" --state "$ST" verify "$salted" one/types.c
    sed 's/return 7;/return 8;/' one/types.c > one/changed.c
    expect_out "verify: a changed source does not match" 1 "^MISMATCH: " "$WVM" --state "$ST" verify "$addr" one/changed.c
    expect_out "verify: other build options do not match" 1 "^MISMATCH: " \
        "$WVM" verify --no-wasm-opt one/types.wasm one/types.c
    head -c 400000 /dev/zero > one/big.wasm
    expect_out "verify: a module bigger than any source is read whole" 1 "^MISMATCH: " \
        "$WVM" verify one/big.wasm one/types.c
    expect_out "verify: no contract at the address" 4 "no contract at 0x00000000000000000000000000000000000000ff" \
        "$WVM" --state "$ST" verify 0x00000000000000000000000000000000000000ff one/types.c

    # End to end through the node: the token example deployed from its
    # source, called through the host, its generated dispatch checking
    # parameters; then verified from the state.
    TOKEN=$ROOT/examples/token/token.c
    if [ -f "$TOKEN" ]; then
        A=0x00000000000000000000000000000000000000aa
        B=0x00000000000000000000000000000000000000bb
        ST2=$TMP/state2
        expect_out "token: deploy token.c with Initialize" 0 '"status":"ok"' \
            "$WVM" --state "$ST2" deploy "$TOKEN" --sender $A --json \
            --init '{"name":"Coin","symbol":"C","supply":1000}'
        T=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' "$TMP/stdout")
        expect_out "token: Transfer" 0 '"status":"ok"' \
            "$WVM" --state "$ST2" call "$T" Transfer "{\"to\":\"$B\",\"amount\":250}" --sender $A --json
        expect_out "token: BalanceOf" 0 '"result":250' \
            "$WVM" --state "$ST2" call "$T" BalanceOf "{\"owner\":\"$B\"}" --json
        expect_out "token: out-of-range amount" 1 '"kind":"invalid_parameters"' \
            "$WVM" --state "$ST2" call "$T" Transfer "{\"to\":\"$B\",\"amount\":-1}" --sender $A --json
        expect_out "token: missing parameter" 1 'missing parameter \\"amount\\"' \
            "$WVM" --state "$ST2" call "$T" Transfer "{\"to\":\"$B\"}" --sender $A --json
        expect_out "token: extra parameter" 1 'unexpected parameter \\"memo\\"' \
            "$WVM" --state "$ST2" call "$T" Transfer "{\"to\":\"$B\",\"amount\":1,\"memo\":\"x\"}" --sender $A --json
        expect_out "token: wrong JSON type" 1 '"kind":"invalid_parameters"' \
            "$WVM" --state "$ST2" call "$T" BalanceOf '{"owner":42}' --json
        expect_out "token: verify the deployed token" 0 "^verified: " \
            "$WVM" --state "$ST2" verify "$T" "$TOKEN"
    fi

    # ABI embedded and written
    "$WVM" build one/types.c -o one/t.wasm --abi one/t.json
    if grep -q '"name":"Add","params":\[{"name":"a","type":"uint64"},{"name":"b","type":"uint64"}\],"result":"uint64","policies":\[\]' one/t.json &&
       grep -q '"name":"Version","params":\[\],"result":"uint32","policies":\["view"\]' one/t.json &&
       grep -q '"float_policy":"canonical_nan"' one/t.json &&
       ! grep -q '"name":"helper"' one/t.json && ! grep -q '"name":"plain"' one/t.json &&
       strings -a one/t.wasm | grep -qF "$(cat one/t.json)"; then
        ok "ABI written and embedded"
    else bad "ABI written and embedded"; cat one/t.json; fi
    # a float under --float reject that only the SDK or libc brings in is
    # caught by the runtime check; the contract's own are caught earlier
    expect "float policy reject in the contract" 1 \
        "types.c:40:12: error: floating-point type 'double' is not allowed (float policy: reject)" \
        sh -c "cd one && '$WVM' build --float reject types.c -o r.wasm"

    # The generated dispatch
    W=one/types.wasm
    call() {
        what=$1 want=$2
        shift 2
        out=$("$HARNESS" "$W" "$@" 2>&1 | tail -n 1)
        case "$out" in
        "$want"*) ok "dispatch: $what" ;;
        *) bad "dispatch: $what"; echo "  wanted: $want..."; echo "  got:    $out" ;;
        esac
    }
    call "uint64 max" "ok 18446744073709551615" EchoU64 '{"v":18446744073709551615}'
    call "uint64 as a decimal string" "ok 18446744073709551615" EchoU64 '{"v":"18446744073709551615"}'
    call "uint64 over max" "error invalid_parameters parameter \"v\"" EchoU64 '{"v":18446744073709551616}'
    call "uint64 negative" "error invalid_parameters parameter \"v\"" EchoU64 '{"v":-1}'
    call "int64 min" "ok -9223372036854775808" EchoI64 '{"v":-9223372036854775808}'
    call "int64 under min" "error invalid_parameters parameter \"v\"" EchoI64 '{"v":-9223372036854775809}'
    call "int32 max" "ok 2147483647" EchoI32 '{"v":2147483647}'
    call "int32 over max" "error invalid_parameters parameter \"v\"" EchoI32 '{"v":2147483648}'
    call "uint32 over max" "error invalid_parameters parameter \"v\"" EchoU32 '{"v":4294967296}'
    call "integer given a string" "error invalid_parameters parameter \"v\"" EchoU32 '{"v":"seven"}'
    call "integer given a float" "error invalid_parameters parameter \"v\"" EchoU32 '{"v":1.5}'
    call "bool" "ok false" Not '{"v":true}'
    call "bool given 1" "error invalid_parameters parameter \"v\"" Not '{"v":1}'
    call "string" 'ok "hé \"q\""' EchoStr '{"s":"h\u00e9 \"q\""}'
    call "string given a number" "error invalid_parameters parameter \"s\"" EchoStr '{"s":5}'
    call "bytes" 'ok "0x00ff10"' EchoBytes '{"b":"0x00ff10"}'
    call "bytes given odd hex" "error invalid_parameters parameter \"b\"" EchoBytes '{"b":"0x0"}'
    call "address" 'ok "0x00112233445566778899aabbccddeeff00112233"' EchoAddress '{"a":"0x00112233445566778899aabbccddeeff00112233"}'
    call "address too short" "error invalid_parameters parameter \"a\"" EchoAddress '{"a":"0x0011"}'
    call "object id" 'ok "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"' EchoObject '{"id":"0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}'
    call "object id given an address" "error invalid_parameters parameter \"id\"" EchoObject '{"id":"0x00112233445566778899aabbccddeeff00112233"}'
    call "parameters by name" "ok 3" Add '{"b":1,"a":2}'
    call "missing parameter" "error invalid_parameters missing parameter \"b\"" Add '{"a":2}'
    call "extra parameter" "error invalid_parameters unexpected parameter \"c\"" Add '{"a":2,"b":1,"c":0}'
    call "parameters not an object" "error invalid_parameters parameters must be a JSON object" Add '[1,2]'
    call "no parameters at all" "ok 7" Seven
    call "contract error" "error contract_error overflow adding 18446744073709551615 and 1" Add '{"a":18446744073709551615,"b":1}'
    call "void result" "ok null" Check '{"word":"good"}'
    call "unknown function" "error function_not_found function \"Nope\" not found" Nope '{}'
    call "floats inside (canonical policy)" "ok 4" Halve '{"x":9}'
    call "library names as parameters, locals, fields" "ok true" Open '{"time":5,"clock":6}'
    # Enter and exit records on every way out: success, early return,
    # the contract's error, and a parameter error before the call.
    for c in 'Check {"word":"good"} 0' 'Check {"word":"bad"} 1' 'Add {"a":1,"b":2} 0' 'Add {"a":1} 1'; do
        set -- $c
        "$HARNESS" "$W" "$1" "$2" > "$TMP/trace" 2>&1
        if [ "$(head -n 1 "$TMP/trace")" = "enter $1" ] && [ "$(sed -n 2p "$TMP/trace")" = "exit $1 $3" ]; then
            ok "trace enter/exit: $1 $2"
        else bad "trace enter/exit: $1 $2"; cat "$TMP/trace"; fi
    done
fi

echo "toolchain: $pass passed, $fail failed"
[ $fail -eq 0 ]
