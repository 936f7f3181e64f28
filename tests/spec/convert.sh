#!/bin/sh
# convert.sh TESTSUITE_DIR OUT_DIR
#
# Converts every non-SIMD spec test script (TESTSUITE_DIR/*.wast, except
# simd_*.wast) with wabt's wast2json into OUT_DIR/<name>.json; wast2json
# writes the module files (<name>.N.wasm, <name>.N.wat) beside the json.
# A file whose json is already newer than its .wast is skipped.
set -e

if [ $# -ne 2 ]; then
    echo "usage: $0 TESTSUITE_DIR OUT_DIR" >&2
    exit 2
fi
src=$1
out=$2

if ! command -v wast2json >/dev/null 2>&1; then
    echo "$0: wast2json not found; install the Debian package 'wabt'" >&2
    exit 1
fi
if [ ! -d "$src" ]; then
    echo "$0: $src: not a directory" >&2
    exit 1
fi
mkdir -p "$out"

converted=0
skipped=0
for wast in "$src"/*.wast; do
    [ -e "$wast" ] || { echo "$0: no .wast files in $src" >&2; exit 1; }
    name=$(basename "$wast" .wast)
    case $name in simd_*) continue ;; esac
    json=$out/$name.json
    if [ -f "$json" ] && [ "$json" -nt "$wast" ]; then
        skipped=$((skipped + 1))
        continue
    fi
    # wast2json names the module files after -o, so no temporary name;
    # a failed conversion must not leave a json that looks up to date.
    if ! wast2json "$wast" -o "$json"; then
        rm -f "$json"
        echo "$0: wast2json failed on $wast" >&2
        exit 1
    fi
    converted=$((converted + 1))
done
echo "convert.sh: $converted converted, $skipped up to date in $out"
