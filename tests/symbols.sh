#!/bin/sh
# tests/symbols.sh -- libwvm exports the public API and nothing else.
#
#   sh tests/symbols.sh build/libwvm.so build/libwvm.a
#
# Lists the defined global symbols of the shared library (its dynamic
# symbol table: what a program linked against it can see) and of the
# static archive (what the linker resolves against an embedder's own
# names), and fails on any that does not start with wvm_.  An internal
# name such as memory_init or store_error would otherwise clash with a
# function of the same name in the program that embeds wvm.
set -u
NM=${NM:-nm}

if [ $# -ne 2 ]; then
    echo "usage: sh tests/symbols.sh LIBWVM.so LIBWVM.a" >&2
    exit 2
fi
so=$1
ar=$2

# Names the toolchain itself defines in a shared object: older GNU ld
# exports the section-boundary symbols; _init/_fini come with the crt
# files.  Nothing else that is not wvm_ may appear.
toolchain_so='_init _fini __bss_start _edata _end'

failed=0

# check WHAT FILE NAMES: NAMES is one defined global symbol a line.
check() {
    what=$1 file=$2 names=$3 allowed=$4
    total=$(printf '%s\n' "$names" | grep -c .)
    public=$(printf '%s\n' "$names" | grep -c '^wvm_')
    if [ "$public" -eq 0 ]; then
        # no wvm_ symbol at all: the listing itself went wrong
        echo "symbols: $file: no wvm_ symbol found ($what); is it a libwvm build?"
        failed=1
        return
    fi
    leaked=$(printf '%s\n' "$names" | grep -v '^wvm_' | grep -vxF -e '' $(for n in $allowed; do printf ' -e %s' "$n"; done))
    if [ -n "$leaked" ]; then
        echo "symbols: $file exports $(printf '%s\n' "$leaked" | grep -c .) name(s) outside the wvm_ API ($what):"
        printf '%s\n' "$leaked" | sed 's/^/    /'
        failed=1
    else
        echo "symbols: $file: $total exported ($what), $public wvm_*, no other"
    fi
}

# nm prints "value type name" for defined symbols; the .so's dynamic names
# may carry a version (name@@VER).
so_names=$($NM -D --defined-only "$so" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }') || {
    echo "symbols: cannot list $so"; exit 1; }
ar_names=$($NM -g --defined-only "$ar" | awk 'NF >= 3 { print $3 }') || {
    echo "symbols: cannot list $ar"; exit 1; }

check "dynamic symbol table" "$so" "$so_names" "$toolchain_so"
check "global symbols of its members" "$ar" "$ar_names" ""

if [ "$failed" -ne 0 ]; then
    echo "symbols: FAILED (give internal functions hidden visibility or make them static)"
    exit 1
fi
