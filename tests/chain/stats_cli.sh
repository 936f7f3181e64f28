#!/bin/sh
# stats_cli.sh BUILD -- wvm stats: the metrics in Prometheus text after
# queries through the binary (counts, one translation for N queries, a
# failure counted by its kind, the on-disk cache), and its usage errors.
set -u
B=${1:-build}
W=$B/wvm
P=$B/chain-wasm/call_probe.wasm
T=$B/statsclitest
fails=0
pass=0
check() {    # check DESCRIPTION -- COMMAND...: exits 0
    what=$1; shift 2
    if "$@"; then pass=$((pass + 1)); else echo "FAIL $what"; fails=$((fails + 1)); fi
}
has() {      # has LINE: $T/out has this exact line
    check "stats shows '$1'" -- grep -qxF -- "$1" $T/out
}
rm -rf $T; mkdir -p $T
S="--state $T/s"
$W $S deploy $P --json > $T/out 2>&1
C=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' $T/out)
check "deploy" -- test -n "$C"

$W $S stats $C ok --repeat 5 > $T/out 2> $T/err
check "stats exits 0" -- test $? -eq 0
has "# TYPE wvm_cache_hits_total counter"
has "wvm_queries_total 5"
has "wvm_translations_total 1"
has "wvm_cache_hits_total 4"
has "wvm_cache_misses_total 1"
has "wvm_call_seconds_count 5"
has 'wvm_call_seconds_bucket{le="+Inf"} 5'
has 'wvm_call_errors_total{kind="function_not_found"} 0'
has "wvm_disk_cache_writes_total 1"

# a later process reads the translation back from the state directory's
# on-disk cache instead of translating; with the cache off, it translates
$W $S stats $C ok > $T/out 2> $T/err
has "wvm_translations_total 0"
has "wvm_disk_cache_reads_total 1"
check "the translation is kept in the state directory" -- test -n "$(ls $T/s/translations)"
WVM_TRANSLATION_CACHE=off $W $S stats $C ok > $T/out 2> $T/err
has "wvm_translations_total 1"
has "wvm_disk_cache_reads_total 0"

$W $S stats $C no_such_function > $T/out 2> $T/err
check "stats after a failing query exits 0" -- test $? -eq 0
has 'wvm_call_errors_total{kind="function_not_found"} 1'

$W $S stats > $T/out 2> $T/err
has "wvm_calls_total 0"

$W $S stats $C > $T/out 2> $T/err
check "ADDR without FUNCTION is a usage error" -- test $? -eq 2
$W $S stats $C ok --repeat 0 > $T/out 2> $T/err
check "--repeat 0 is a usage error" -- test $? -eq 2
$W $S stats nothex ok > $T/out 2> $T/err
check "a bad address is a usage error" -- test $? -eq 2

echo "stats_cli.sh: $pass passed, $fails failed"
[ $fails -eq 0 ]
