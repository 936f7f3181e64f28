#!/bin/sh
# tests/symbols.sh -- libwvm exports the public API and nothing else, and
# neither reads the environment nor writes to stdout or stderr.
#
#   sh tests/symbols.sh build/libwvm.so build/libwvm.a
#
# Lists the defined global symbols of the shared library (its dynamic
# symbol table: what a program linked against it can see) and of the
# static archive (what the linker resolves against an embedder's own
# names), and fails on any that does not start with wvm_.  An internal
# name such as memory_init or store_error would otherwise clash with a
# function of the same name in the program that embeds wvm.
#
# Then lists what both files need from outside (undefined symbols) and
# fails on any C library function that reads the environment or writes
# to a stream or file descriptor: the embedder decides where text goes
# (wvm_config.dump, the WASI write callback).
set -u
NM=${NM:-nm}

if [ $# -ne 2 ]; then
    echo "usage: sh tests/symbols.sh LIBWVM.so LIBWVM.a" >&2
    exit 2
fi
so=$1
ar=$2
for f in "$so" "$ar"; do
    [ -f "$f" ] || { echo "symbols: no file $f"; exit 1; }
done

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
so_names=$($NM -D --defined-only "$so" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }')
ar_names=$($NM -g --defined-only "$ar" | awk 'NF >= 3 { print $3 }')

check "dynamic symbol table" "$so" "$so_names" "$toolchain_so"
check "global symbols of its members" "$ar" "$ar_names" ""

# The C library's environment readers and stdio/fd writers, with the
# _FORTIFY_SOURCE (__*_chk) and unlocked forms a compiler may call instead.
forbidden='getenv secure_getenv __secure_getenv environ __environ
printf vprintf fprintf vfprintf dprintf vdprintf puts fputs fputc putc putchar
fwrite fflush perror psignal stdout stderr write writev
__printf_chk __vprintf_chk __fprintf_chk __vfprintf_chk __dprintf_chk __vdprintf_chk
fputs_unlocked fputc_unlocked putc_unlocked putchar_unlocked fwrite_unlocked _IO_putc'

# io FILE NAMES: NAMES is one undefined symbol a line.
io() {
    file=$1 names=$2
    used=$(printf '%s\n' "$names" | grep -xF $(for n in $forbidden; do printf ' -e %s' "$n"; done))
    if [ -n "$used" ]; then
        echo "symbols: $file uses the environment or writes to a stream:"
        printf '%s\n' "$used" | sed 's/^/    /'
        failed=1
    else
        echo "symbols: $file: $(printf '%s\n' "$names" | grep -c .) undefined, none that reads the environment or writes output"
    fi
}

so_undef=$($NM -D --undefined-only "$so" | awk '{ sub(/@.*/, "", $NF); print $NF }' | sort -u)
ar_undef=$($NM --undefined-only "$ar" | awk 'NF >= 2 { print $NF }' | sort -u)
io "$so" "$so_undef"
io "$ar" "$ar_undef"

if [ "$failed" -ne 0 ]; then
    echo "symbols: FAILED (internal functions get hidden visibility or static; output goes through the embedder's callbacks)"
    exit 1
fi
