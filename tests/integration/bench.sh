#!/usr/bin/env bash
# sockscope bench measures both modes in one go and prints their ratios.
# (It asserts what it prints, never how fast: these machines are noisy.)
. "$(dirname "$0")/lib.sh"
out=$("$SOCKSCOPE" bench --count 300 2>&1); rc=$?
check "bench exits 0 (got $rc)" [ $rc = 0 ]
check "stream line" grep -qE '^stream +300 exchanges  bare loop +[0-9]+/s  sockscope run +[0-9]+/s  bare/run +[0-9.]+x$' <<<"$out"
check "dgram line" grep -qE '^dgram +300 exchanges  bare loop +[0-9]+/s  sockscope run +[0-9]+/s  bare/run +[0-9.]+x$' <<<"$out"
check "memory line" grep -qE '^largest child resident set: [0-9]+ KiB$' <<<"$out"
finish
