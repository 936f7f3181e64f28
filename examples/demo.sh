#!/bin/sh
# demo.sh BUILD -- `make demo`: the contract system's story, told through
# the wvm command line on a fresh state directory (BUILD/demo-state):
# native coins minted, a token deployed and its supply minted by
# Initialize, transfers, a failed transfer and the unchanged balances
# after it, an NFT changing hands, a contract giving its default object
# away and the permission error after.  Every step prints the result, the
# fuel used and the events; the script stops if a step does not end the
# way the story says.
set -u
B=${1:-build}
W="$B/wvm --state $B/demo-state"
ALICE=0x00000000000000000000000000000000000a11ce
BOB=0x0000000000000000000000000000000000000b0b
CAROL=0x00000000000000000000000000000000000ca201

rm -rf "$B/demo-state"
n=0
if [ -t 1 ]; then bold=$(printf '\033[1m'); plain=$(printf '\033[0m'); else bold=; plain=; fi
say() { printf '\n%s%s%s\n' "$bold" "$*" "$plain"; }
run() {   # run WANT_EXIT COMMAND...: shows and runs one wvm command
    want=$1; shift
    n=$((n + 1))
    printf '$ wvm'
    for a in "$@"; do
        case $a in *[{\ \"]*) printf " '%s'" "$a" ;; *) printf ' %s' "$a" ;; esac
    done
    printf '\n'
    $W "$@" > "$B/demo.out" 2>&1
    got=$?
    sed 's/^/    /' "$B/demo.out"
    if [ "$got" -ne "$want" ]; then
        echo "demo: step $n ended with exit status $got, the story wants $want" >&2
        exit 1
    fi
}
addr() { sed -n 's/.*"address":"\(0x[0-9a-f]*\)".*/\1/p' "$B/demo.out"; }

say "1. Alice gets native coins"
run 0 mint $ALICE 1000000
run 0 state balance $ALICE

say "2. Alice deploys a token; its Initialize mints the whole supply to her"
run 0 deploy $B/examples/token.wasm --sender $ALICE --init '{"name":"Demo Token","symbol":"DMO","supply":1000}'
TOKEN=$(addr)
echo "    token contract: $TOKEN"

say "3. Alice sends Bob 250 DMO"
run 0 call $TOKEN Transfer "{\"to\":\"$BOB\",\"amount\":250}" --sender $ALICE
run 0 query $TOKEN BalanceOf "{\"owner\":\"$ALICE\"}"
run 0 query $TOKEN BalanceOf "{\"owner\":\"$BOB\"}"

say "4. A dry run: what would Bob sending Carol 100 cost? (wvm query commits nothing)"
run 0 query $TOKEN Transfer "{\"to\":\"$CAROL\",\"amount\":100}" --sender $BOB

say "5. Bob tries to send Carol 999 DMO: he has 250, so the call fails"
run 1 call $TOKEN Transfer "{\"to\":\"$CAROL\",\"amount\":999}" --sender $BOB --json
say "   ... and nothing changed"
run 0 query $TOKEN BalanceOf "{\"owner\":\"$BOB\"}"
run 0 query $TOKEN BalanceOf "{\"owner\":\"$CAROL\"}"

say "6. An NFT: Alice mints one to herself and gives it to Bob"
run 0 deploy $B/examples/nft.wasm --sender $ALICE --init '{}'
NFT=$(addr)
run 0 call $NFT Mint "{\"to\":\"$ALICE\",\"uri\":\"ipfs://a-cat-picture\"}" --sender $ALICE --json
CAT=$(sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p' "$B/demo.out")
run 0 call $NFT Transfer "{\"token\":\"$CAT\",\"to\":\"$BOB\"}" --sender $ALICE
run 0 query $NFT OwnerOf "{\"token\":\"$CAT\"}"
say "   Alice no longer holds it"
run 1 call $NFT Transfer "{\"token\":\"$CAT\",\"to\":\"$CAROL\"}" --sender $ALICE

say "7. A contract gives its default object away"
run 0 deploy $B/examples/ownership.wasm --sender $ALICE --init '{}'
OWN=$(addr)
run 0 call $OWN SetNote '{"note":"written by the contract"}' --sender $ALICE
run 0 call $OWN GiveAway "{\"to\":\"$BOB\"}" --sender $ALICE
run 0 query $OWN Owner
say "   now the contract may not write it: permission_denied"
run 1 call $OWN SetNote '{"note":"still mine?"}' --sender $ALICE
run 0 query $OWN Note
say "   but its new owner, Bob, may, through a transaction he sends"
run 0 call $OWN SetNote '{"note":"Bob was here"}' --sender $BOB
run 0 query $OWN Note

say "8. The state root after the story (the same on every machine)"
run 0 state root
. "$(dirname "$0")/calls_demo.sh"   # 9., 10.: cross-contract calls
echo
echo "demo: all $n steps ended as the story says (state in $B/demo-state)"
