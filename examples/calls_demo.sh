# calls_demo.sh -- cross-contract calls in `make demo` (docs/calls.md),
# sourced by examples/demo.sh after its story: uses its run, say, addr,
# $B, $W, $ALICE, $BOB and $TOKEN (Alice's DMO token).
#
# An exchange swaps DMO for a second token through typed client stubs
# (TransferFrom on one token, Transfer on the other), traced; a swap the
# exchange cannot pay is undone whole; then a three-level chain
# dapp -> logic -> ledger where the ledger checks the call chain.

say "9. Cross-contract calls: an exchange between two tokens"
run 0 deploy $B/examples/token.wasm --salt 02 --sender $ALICE --init '{"name":"Bravo","symbol":"BRV","supply":1000}'
BRAVO=$(addr)
run 0 deploy $B/examples/exchange.wasm --sender $ALICE \
    --init "{\"token_a\":\"$TOKEN\",\"token_b\":\"$BRAVO\",\"rate_num\":2,\"rate_den\":1}"
EXCHANGE=$(addr)
echo "    exchange contract: $EXCHANGE (2 BRV for 1 DMO)"
say "   Alice stocks the exchange with 300 BRV; Bob lets it take 100 of his DMO"
run 0 call $BRAVO Transfer "{\"to\":\"$EXCHANGE\",\"amount\":300}" --sender $ALICE
run 0 call $TOKEN Approve "{\"spender\":\"$EXCHANGE\",\"amount\":100}" --sender $BOB
say "   Bob swaps 100 DMO: the trace shows each contract entered, the calls and the fuel"
run 0 call $EXCHANGE Swap '{"amount_in":100}' --sender $BOB --trace
run 0 query $BRAVO BalanceOf "{\"owner\":\"$BOB\"}"
run 0 query $EXCHANGE Reserve
say "   a swap the exchange cannot pay (150 DMO for 300 BRV, it has 100): the TransferFrom it made is undone too"
run 0 call $TOKEN Approve "{\"spender\":\"$EXCHANGE\",\"amount\":150}" --sender $BOB
run 1 call $EXCHANGE Swap '{"amount_in":150}' --sender $BOB
run 0 query $TOKEN BalanceOf "{\"owner\":\"$BOB\"}"
run 0 query $TOKEN BalanceOf "{\"owner\":\"$EXCHANGE\"}"

say "10. Three levels: dapp -> logic -> ledger; the ledger credits only through logic"
run 0 deploy $B/examples/logic.wasm --sender $ALICE
LOGIC=$(addr)
run 0 deploy $B/examples/ledger.wasm --sender $ALICE --init "{\"logic\":\"$LOGIC\"}"
LEDGER=$(addr)
run 0 deploy $B/examples/dapp.wasm --sender $ALICE
DAPP=$(addr)
run 0 call $DAPP Reward "{\"logic\":\"$LOGIC\",\"ledger\":\"$LEDGER\",\"to\":\"$BOB\",\"amount\":42}" \
    --sender $ALICE --trace=json --no-wall-time
run 0 query $LEDGER BalanceOf "{\"owner\":\"$BOB\"}"
say "   going around logic is refused by the ledger, which reads the call chain"
run 1 call $DAPP Bypass "{\"ledger\":\"$LEDGER\",\"to\":\"$BOB\",\"amount\":1000}" --sender $ALICE
run 1 call $LEDGER Credit "{\"to\":\"$BOB\",\"amount\":1000}" --sender $BOB
