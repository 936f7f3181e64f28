#!/bin/sh
# run.sh N [SEED] -- differential test of wvm against node (V8) on N
# modules made by binaryen's wasm-opt -ttf from random bytes seeded with
# SEED (default 1).  Prints "N passed, N failed, N skipped"; exits non-zero
# on any mismatch (saved in $BUILD/diff/mismatch/).  See README.md here.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
export BUILD
for tool in node wasm-opt python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "diff: $tool not found; differential test skipped"
        exit 0
    fi
done
make -s "$BUILD/wvm_diff"
exec python3 tests/diff/run.py "$@"
