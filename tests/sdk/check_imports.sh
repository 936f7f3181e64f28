#!/bin/sh
# check_imports.sh WASM... -- every contract imports only functions of
# module "env" (no WASI): fails naming the first other import.
status=0
for f in "$@"; do
    bad=$(wasm-objdump -x -j Import "$f" 2>/dev/null | grep -E '^ - ' | grep -v ' <- env\.' | head -1)
    if [ -n "$bad" ]; then
        echo "check_imports: $f imports something besides env.*:$bad"
        status=1
    fi
done
[ $status -eq 0 ] && echo "check_imports: $# contracts import only env.*"
exit $status
