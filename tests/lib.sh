# tests/lib.sh -- what the shell tests of the wvm binary share; sourced
# after setting T (a scratch directory for the last command's output).
# Counts into pass and fails; `report NAME` prints them and is the
# script's exit status.
fails=0
pass=0
expect() {   # expect STATUS DESCRIPTION -- COMMAND...
    want=$1; what=$2; shift 3
    "$@" > $T/out 2> $T/err
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL $what: exit $got, wanted $want"; cat $T/out $T/err | head -5
        fails=$((fails + 1))
    else
        pass=$((pass + 1))
    fi
}
has() {      # has TEXT DESCRIPTION: the last command's output contains TEXT
    if grep -qF -- "$1" $T/out $T/err; then pass=$((pass + 1)); else
        echo "FAIL $2: output lacks '$1'"; cat $T/out $T/err | head -5; fails=$((fails + 1)); fi
}
same() {     # same FILE1 FILE2 DESCRIPTION
    if cmp -s "$1" "$2"; then pass=$((pass + 1)); else
        echo "FAIL $3: $1 and $2 differ"; diff "$1" "$2" | head -5; fails=$((fails + 1)); fi
}
report() {   # report NAME: the counts; fails if anything did
    echo "$1: $pass passed, $fails failed"
    [ "$fails" -eq 0 ]
}
