#!/bin/sh
# cli.sh BUILD -- the state commands through the wvm binary: exit
# statuses, --json output, --state and WVM_STATE, gzip input, and a
# script of commands replayed in two directories giving one state root.
set -u
B=${1:-build}
W=$B/wvm
G=$B/chain-wasm/good.wasm
T=$B/clitest
. "$(dirname "$0")/../lib.sh"
rm -rf $T; mkdir -p $T
A=0x00000000000000000000000000000000000000aa
script() {   # the same commands against state directory $1
    $W --state $1 deploy $G --sender $A >/dev/null &&
    $W --state $1 deploy $G --salt 0xbeef >/dev/null &&
    $W --state $1 mint $A 1000 >/dev/null &&
    WVM_STATE=$1 $W mint $A 5 --json >/dev/null &&
    $W --state $1 state root --json
}
r1=$(script $T/one) || { echo "FAIL script one"; fails=$((fails + 1)); }
r2=$(script $T/two) || { echo "FAIL script two"; fails=$((fails + 1)); }
if [ "$r1" = "$r2" ] && [ -n "$r1" ]; then pass=$((pass + 1)); else
    echo "FAIL replay: '$r1' != '$r2'"; fails=$((fails + 1)); fi
S=$T/one
expect 1 "duplicate deploy" -- $W --state $S deploy $G
has "already exists at 0x" "duplicate names the address"
has "--salt" "duplicate suggests a salt"
expect 1 "mint overflow" -- $W --state $S mint $A 18446744073709551615 --json
has '"kind":"balance_overflow"' "overflow kind in JSON"
expect 2 "bad address" -- $W --state $S mint 0x12 5
expect 2 "bad amount" -- $W --state $S mint $A 18446744073709551616
expect 2 "no file" -- $W --state $S deploy
expect 5 "missing file" -- $W --state $S deploy $T/nonexistent.wasm
gzip -c $G > $T/good.wasm.gz
expect 0 "gzip deploy with salt" -- $W --state $S deploy $T/good.wasm.gz --salt 01 --json
has '"status":"ok"' "gzip deploy ok"
expect 0 "balance" -- $W --state $S state balance $A
has "1005" "balance value"
expect 4 "missing receipt" -- $W --state $S state receipt 99 0
expect 4 "missing contract" -- $W --state $S state contract 0x0000000000000000000000000000000000000001
expect 0 "contracts" -- $W --state $S state contracts --json
expect 0 "events of one contract" -- $W --state $S state events --from 1 --to 2 --json
has '"name":"default_object_created"' "events listed"
expect 0 "explicit height and time" -- $W --state $S mint $A 1 --height 8 --time 12345
expect 3 "height not next" -- $W --state $S mint $A 1 --height 20
has "not the next one" "height message"
expect 0 "root verify" -- $W --state $S state root --verify
mkdir -p $T/foreign && echo x > $T/foreign/notes.txt
expect 3 "foreign directory" -- $W --state $T/foreign state root
has "not a wvm state directory" "foreign message"
expect 0 "help" -- $W help deploy
has "exit status" "help lists exit statuses"
report "cli"
