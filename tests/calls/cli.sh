#!/bin/sh
# cli.sh BUILD -- cross-contract calls through the wvm binary
# (docs/calls.md): client stubs from a source and from a deployed
# address, the rules a client header is held to, the exchange and the
# three-level chain, --trace / --trace=json with and without wall times
# (the same bytes on every run without them), and wvm profile (the
# folded profile the same bytes on every run), and --value to payable
# and other functions.
set -u
B=${1:-build}
W=$B/wvm
T=$B/callscli
. "$(dirname "$0")/../lib.sh"
rm -rf $T; mkdir -p $T/src
S="--state $T/s"
ALICE=0x00000000000000000000000000000000000a11ce
BOB=0x0000000000000000000000000000000000000b0b

# --- client stubs ---
expect 0 "client from source" -- $W build --client examples/token/token.c -o $T/src/token_client.h
[ -s $T/src/token_client.h ] && pass=$((pass + 1)) || { echo "FAIL client written"; fails=$((fails + 1)); }
grep -q 'static inline bool token_TransferFrom(wvm_ctx \*ctx, wvm_address contract, wvm_address from, wvm_address to, uint64_t amount)' $T/src/token_client.h \
    && pass=$((pass + 1)) || { echo "FAIL typed TransferFrom stub"; fails=$((fails + 1)); }
grep -q 'wvm_client_u64(&token__last, "token.BalanceOf", out)' $T/src/token_client.h \
    && pass=$((pass + 1)) || { echo "FAIL BalanceOf decodes a uint64"; fails=$((fails + 1)); }
expect 2 "client of an address needs a name" -- $W $S build --client 0x0000000000000000000000000000000000000001
has "needs --name NAME" "name needed"
expect 1 "client of no contract" -- $W $S build --client 0x0000000000000000000000000000000000000001 --name x
expect 1 "client name must be an identifier" -- $W build --client examples/token/token.c --name 9bad -o $T/bad.h
has "must be a C identifier" "identifier message"

# a contract using them builds; the header is checked like the source
cp examples/exchange/exchange.c $T/src/
expect 0 "exchange builds with its stubs" -- $W build $T/src/exchange.c -o $T/exchange.wasm
mkdir -p $T/alone && cp $T/src/exchange.c $T/alone/
expect 1 "a missing client header" -- $W build $T/alone/exchange.c -o $T/x.wasm
has "token_client.h" "missing header named"
printf '#include <wvm/contract.h>\nstatic inline int evil_now(void) { return (int)time(0); }\n' > $T/src/evil_client.h
printf '#include <wvm/contract.h>\n#include "evil_client.h"\nvoid F(wvm_ctx *ctx) { (void)ctx; evil_now(); }\n' > $T/src/usesevil.c
expect 1 "a client header is held to the contract rules" -- $W build $T/src/usesevil.c -o $T/x.wasm
has "'time' is not allowed" "banned name in a client header"
printf '#include <wvm/contract.h>\n#include "stdio_client.h"\nvoid F(wvm_ctx *ctx) { (void)ctx; }\n' > $T/src/usesio.c
printf '#include <stdio.h>\n' > $T/src/stdio_client.h
expect 1 "a client header includes only allowed headers" -- $W build $T/src/usesio.c -o $T/x.wasm
has "header 'stdio.h' is not allowed" "header rule in a client header"
mkdir -p $T/many
{ echo '#include <wvm/contract.h>'
  for i in $(seq 1 17); do echo "#include \"h${i}_client.h\""; : > $T/many/h${i}_client.h; done
  echo 'void F(wvm_ctx *ctx) { (void)ctx; }'; } > $T/many/many.c
expect 1 "at most 16 client headers" -- $W build $T/many/many.c -o $T/x.wasm
has "more than 16 client headers" "client header limit"
expect 0 "a contract without an ABI" -- $W $S deploy $B/chain-wasm/call_probe.wasm --json
NOABI=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' $T/out)
expect 1 "client of a contract without an ABI" -- $W $S build --client $NOABI --name p -o $T/p.h
has "has no ABI in its metadata" "no ABI named"

# --- the exchange, traced ---
expect 0 deploy-a -- $W $S deploy $B/examples/token.wasm --sender $ALICE --init '{"name":"A","symbol":"A","supply":1000}' --json
TA=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' $T/out)
expect 0 deploy-b -- $W $S deploy $B/examples/token.wasm --salt 02 --sender $ALICE --init '{"name":"B","symbol":"B","supply":1000}' --json
TB=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' $T/out)
expect 0 deploy-ex -- $W $S deploy $T/exchange.wasm --sender $ALICE --init "{\"token_a\":\"$TA\",\"token_b\":\"$TB\",\"rate_num\":3,\"rate_den\":2}" --json
EX=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' $T/out)
expect 0 "client from a deployed address" -- $W $S build --client $EX --name exchange -o $T/exchange_client.h
grep -q 'static inline bool exchange_Swap(wvm_ctx \*ctx, wvm_address contract, uint64_t amount_in, uint64_t \*out)' $T/exchange_client.h \
    && pass=$((pass + 1)) || { echo "FAIL stub from the deployed ABI"; fails=$((fails + 1)); }
grep -q 'Swap(amount_in uint64) -> uint64 \[nonreentrant\]' $T/exchange_client.h \
    && pass=$((pass + 1)) || { echo "FAIL policies in the stub's comment"; fails=$((fails + 1)); }
expect 0 stock -- $W $S call $TB Transfer "{\"to\":\"$EX\",\"amount\":500}" --sender $ALICE
expect 0 approve -- $W $S call $TA Approve "{\"spender\":\"$EX\",\"amount\":1000}" --sender $ALICE
for i in 1 2; do
    expect 0 "query swap traced $i" -- $W $S query $EX Swap '{"amount_in":10}' --sender $ALICE --trace --no-wall-time
    cp $T/out $T/trace$i
    expect 0 "query swap json $i" -- $W $S query $EX Swap '{"amount_in":10}' --sender $ALICE --trace=json --no-wall-time
    cp $T/out $T/json$i
    expect 0 "profile folded $i" -- $W $S profile $EX Swap '{"amount_in":10}' --sender $ALICE --profile=folded
    cp $T/out $T/folded$i
done
same $T/trace1 $T/trace2 "trace without wall times"
same $T/json1 $T/json2 "trace json without wall times"
same $T/folded1 $T/folded2 "folded profile"
has "$EX.Swap;handle_contract_call" "folded stacks start at the contract"
grep -q "^\[ENTER\] Contract: $EX Function: Swap Fuel: " $T/trace1 && pass=$((pass + 1)) || { echo "FAIL ENTER line"; fails=$((fails + 1)); }
grep -q "^  \[CALL\]  From: $EX Func: Swap To: $TA Func: TransferFrom$" $T/trace1 && pass=$((pass + 1)) || { echo "FAIL CALL line"; fails=$((fails + 1)); }
grep -q "^  \[EXIT\]  Contract: $TB Function: Transfer Fuel: [0-9]* Status: ok$" $T/trace1 && pass=$((pass + 1)) || { echo "FAIL EXIT line"; fails=$((fails + 1)); }
grep -q '"function":"TransferFrom","params":"{\\"from\\"' $T/json1 && pass=$((pass + 1)) || { echo "FAIL json child"; fails=$((fails + 1)); }
expect 0 "traced with wall times" -- $W $S query $EX Swap '{"amount_in":10}' --sender $ALICE --trace
has "Duration: " "wall times by default"
sed 's/ Duration: [0-9]*µs//' $T/out > $T/trace3
same $T/trace1 $T/trace3 "trace apart from wall times"
expect 0 "swap" -- $W $S call $EX Swap '{"amount_in":10}' --sender $ALICE
has "result: 15" "3/2 rate"

# --- wvm profile ---
expect 0 "profile table" -- $W $S profile $EX Quote '{"amount_in":7}' --repeat 3 --no-wall-time
awk -v a=$EX '$1 == a && $2 == "Quote" && $3 == 3 { ok = 1 } END { exit !ok }' $T/out \
    && pass=$((pass + 1)) || { echo "FAIL count of three"; fails=$((fails + 1)); }
printf '# calls\n%s Swap {"amount_in":2}\n\n%s BalanceOf {"owner":"%s"}\n' $EX $TA $ALICE > $T/calls
expect 0 "profile --calls" -- $W $S profile --calls $T/calls --sender $ALICE
has "TransferFrom" "callee in the table"
has "BalanceOf" "second call in the table"
printf 'nonsense\n' > $T/badcalls
expect 2 "profile bad calls file" -- $W $S profile --calls $T/badcalls
has "expected ADDR FUNCTION [JSON]" "bad calls line named"
expect 2 "profile needs a call" -- $W $S profile
expect 2 "profile --repeat 0" -- $W $S profile $EX Quote --repeat 0
has "--repeat needs a number from 1 to 1000000" "repeat range"
expect 2 "profile calls and a call" -- $W $S profile $EX Quote --calls $T/calls
has "either --calls FILE or ADDR FUNCTION" "one source of calls"

# --- value: --value to a payable function (docs/calls.md) ---
SV="--state $T/sv"
expect 0 "deploy probe" -- $W $SV deploy $B/calls-wasm/probe.wasm --json
PR=$(sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' $T/out)
expect 0 "mint for value" -- $W $SV mint $ALICE 100
balances() {  # balances ALICE-WANTED PROBE-WANTED DESCRIPTION
    $W $SV state balance $ALICE > $T/ba 2>&1; $W $SV state balance $PR > $T/bp 2>&1
    if [ "$(cat $T/ba)" = "$1" ] && [ "$(cat $T/bp)" = "$2" ]; then pass=$((pass + 1)); else
        echo "FAIL $3: balances $(cat $T/ba) $(cat $T/bp), wanted $1 $2"; fails=$((fails + 1)); fi
}
expect 0 "value to a payable function" -- $W $SV call $PR Deposit '{"fail":false}' --sender $ALICE --value 40
has "result: 40" "wvm_value sees the value"
balances 60 40 "value moved"
expect 1 "value to a function not payable" -- $W $SV call $PR Mark --sender $ALICE --value 1
has "permission_denied: function Mark of $PR is not payable" "not payable named"
balances 60 40 "refused value moves nothing"
expect 1 "value over the balance" -- $W $SV call $PR Deposit '{"fail":false}' --sender $ALICE --value 61
has "insufficient_funds: value 61 for Deposit" "insufficient funds named"
balances 60 40 "insufficient funds moves nothing"
expect 1 "payable call that fails" -- $W $SV call $PR Deposit '{"fail":true}' --sender $ALICE --value 10
has "contract_error: deposit of 10 refused" "the contract's error"
balances 60 40 "a failed call undoes the value"
expect 0 "query with value" -- $W $SV query $PR Deposit '{"fail":false}' --sender $ALICE --value 7 --json
has '"result":7' "query result"
has "{\"op\":\"transfer\",\"from\":\"$ALICE\",\"to\":\"$PR\",\"amount\":7}" "query shows the transfer"
balances 60 40 "a query commits nothing"
expect 2 "bad --value" -- $W $SV call $PR Deposit --value x
has "--value needs a number" "bad value named"

report "calls cli"
