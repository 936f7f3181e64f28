#!/bin/sh
# call_cli.sh BUILD -- wvm call / wvm query / wvm deploy --init through the
# binary, on the probe contract (tests/chain/call_probe.wat): exit
# statuses, the --json object, a query that commits nothing, each error
# kind's name, and the same script replayed giving one root.
set -u
B=${1:-build}
W=$B/wvm
P=$B/chain-wasm/call_probe.wasm
T=$B/callclitest
. "$(dirname "$0")/../lib.sh"
rm -rf $T; mkdir -p $T
S="--state $T/s"
A=0x00000000000000000000000000000000000000aa
expect 0 deploy -- $W $S deploy $P --json
C=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' $T/out)
[ -n "$C" ] && pass=$((pass + 1)) || { echo "FAIL no address"; fails=$((fails + 1)); }

expect 0 "call ok" -- $W $S call $C ok --json
has '{"status":"ok","result":{"ok":true},"error":null,"fuel_used":' "call ok json"
has '"name":"hello","attributes":{"a":1}' "call ok event"
has '"logs":[]}' "call json ends with the log lines"
expect 0 "call with trace" -- $W $S call $C ok --trace --json
has '"logs":[]}' "a wat contract has no trace hooks"
expect 0 "call text" -- $W $S call $C counter
has "result: 1" "counter text"
has "fuel used: " "fuel text"
root1=$($W $S state root)
expect 0 "query" -- $W $S query $C counter --json
has '"result":2' "query result"
has '"changes":[{"op":"field_set","object":"0x' "query reports its state changes"
expect 0 "query again: nothing was committed" -- $W $S query $C counter --json
has '"result":2' "query result again"
root2=$($W $S state root)
[ "$root1" = "$root2" ] && pass=$((pass + 1)) || { echo "FAIL query changed the root"; fails=$((fails + 1)); }
expect 0 "query write, then field absent" -- $W $S query $C write --json
expect 0 "read" -- $W $S call $C read --json
has '"result":null' "a query wrote nothing"

expect 1 "contract error" -- $W $S call $C error --json
has '"error":{"kind":"contract_error","message":"boom"}' "contract error json"
expect 1 "function not found" -- $W $S call $C Unknown --json
has '"kind":"function_not_found"' "function_not_found"
expect 1 "invalid parameters" -- $W $S call $C ok '[1]' --json
has '"kind":"invalid_parameters"' "invalid_parameters"
expect 1 "trap" -- $W $S call $C trap --json
has '"kind":"execution_failed"' "execution_failed"
expect 1 "fuel" -- $W $S call $C loop --fuel 5000 --json
has '"kind":"resource_exhausted","message":"out of fuel' "out of fuel"
has '"fuel_used":5000' "fuel used is the limit"
expect 1 "timeout" -- $W $S call $C loop --fuel 100000000000 --timeout 50 --json
has '"kind":"timeout"' "timeout"
expect 4 "no contract" -- $W $S call $A ok --json
has '"kind":"not_found"' "not_found"
expect 1 "query of a failing call" -- $W $S query $C error
has "contract_error: boom" "query error text"
expect 0 "give the default object to the sender" -- $W $S call $C give --sender $A
expect 1 "another sender may not write it" -- $W $S call $C write --json
has '"kind":"permission_denied"' "permission_denied"
expect 0 "its owner may" -- $W $S call $C write --sender $A
expect 2 "usage: no function" -- $W $S call $C
expect 2 "usage: bad address" -- $W $S call 0x12 ok
expect 2 "usage: bad fuel" -- $W $S call $C ok --fuel x
expect 0 "help" -- $W help call
has "exit status" "help lists exit statuses"

# deploy --init: a failing Initialize undoes the deploy
expect 1 "deploy --init, Initialize missing" -- $W $S deploy $P --salt 01 --init '{}' --json
has '"kind":"function_not_found"' "deploy init kind"
expect 0 "deploy --init" -- $W $S deploy $B/chain-wasm/call_init_ok.wasm --init '{"x":1}' --json
has '"status":"ok"' "deploy init ok"

# the same script in two directories: one root
script() {
    $W --state $1 deploy $P >/dev/null &&
    $W --state $1 call $C write >/dev/null &&
    $W --state $1 call $C counter >/dev/null &&
    $W --state $1 call $C x >/dev/null &&
    { $W --state $1 call $C trap >/dev/null; [ $? -eq 1 ]; } &&
    $W --state $1 state root
}
r1=$(script $T/one) || { echo "FAIL script one"; fails=$((fails + 1)); }
r2=$(script $T/two) || { echo "FAIL script two"; fails=$((fails + 1)); }
if [ "$r1" = "$r2" ] && [ -n "$r1" ]; then pass=$((pass + 1)); else
    echo "FAIL replay: '$r1' != '$r2'"; fails=$((fails + 1)); fi

report "call_cli.sh"
