#!/usr/bin/env bash
# Bad input and bad situations: a clear message and a non-zero exit, never
# a hang, and nothing touched that is not ours.
. "$(dirname "$0")/lib.sh"

expect_exit() { # expect_exit CODE PATTERN command...
    local code=$1 pattern=$2; shift 2
    local out rc
    out=$(timeout 5 "$@" 2>&1); rc=$?
    check "'$*' exits $code (got $rc)" [ "$rc" = "$code" ]
    check "'$*' says '$pattern'" grep -q -- "$pattern" <<<"$out"
}

long=/tmp/$(printf 'x%.0s' $(seq 1 120)).sock
expect_exit 2 "at most 107" "$SOCKSCOPE" server --path "$long"
expect_exit 2 "at most 107" "$SOCKSCOPE" client --client-path "$long"
expect_exit 2 "unknown option '--bogus'" "$SOCKSCOPE" run --bogus
expect_exit 2 "needs a value" "$SOCKSCOPE" client --interval
expect_exit 2 "--count takes" "$SOCKSCOPE" run --count many
expect_exit 2 "unknown command" "$SOCKSCOPE" serve

# Server absent: the client names the call and the reason, within a second.
start=$(date +%s%N)
expect_exit 1 "connect() failed: ENOENT" "$SOCKSCOPE" client --server-path "$WORK/none.sock" --client-path "$WORK/c.sock"
check "fails within a second" [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 1000 ]
check "client removed its own socket" [ ! -e "$WORK/c.sock" ]
expect_exit 1 "sendto() failed: ENOENT" "$SOCKSCOPE" client --mode dgram --server-path "$WORK/none.sock" --client-path "$WORK/c.sock"
expect_exit 1 "the server failed\|the client failed" "$SOCKSCOPE" run --count 1 --pad 1048576 --mode dgram --interval 0

# A stale socket file (its server was killed): connect is refused.
S=$WORK/stale.sock
spawn /dev/null "$SOCKSCOPE" server --path "$S"
victim=$!
check "server up" wait_for 5 test -S "$S"
kill -KILL "$victim"; wait "$victim" 2>/dev/null
check "stale file left by SIGKILL" test -S "$S"
expect_exit 1 "connect() failed: ECONNREFUSED" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/c.sock"
out=$(timeout 5 "$SOCKSCOPE" server --path "$S" --count 1 --format jsonl 2>&1 &
      sleep 0.5; "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/c2.sock" --count 1 >/dev/null; wait)
check "stale socket removed and reused" grep -q '"state":"stale-removed"' <<<"$out"
check "the probe is reported: connect() refused" grep -q '"call":"connect","args":"[0-9]*, \\"'"$S"'\\"","rc":-1,"errno":"ECONNREFUSED"' <<<"$out"
check "then served" grep -q '"kind":"exit","status":0,"reason":"answered 1 message"' <<<"$out"

# A live server's socket is never taken over.
spawn /dev/null "$SOCKSCOPE" server --path "$S"
live=$!
check "live server up" wait_for 5 test -S "$S"
expect_exit 1 "a live socket is at" "$SOCKSCOPE" server --path "$S"
check "live server untouched" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/c3.sock" --count 1 --interval 0
kill -TERM "$live"

# A regular file is never removed.
echo "precious" >"$WORK/file.sock"
expect_exit 1 "is not a socket: left untouched" "$SOCKSCOPE" server --path "$WORK/file.sock"
check "file untouched" [ "$(cat "$WORK/file.sock")" = precious ]

# A directory that cannot be written, or does not exist.
mkdir "$WORK/ro" && chmod 555 "$WORK/ro"
if [ "$(id -u)" != 0 ]; then
    expect_exit 1 "bind() failed: EACCES" "$SOCKSCOPE" server --path "$WORK/ro/s.sock"
fi
expect_exit 1 "bind() failed: ENOENT" "$SOCKSCOPE" server --path "$WORK/missing/s.sock"
expect_exit 1 "bind() failed: EROFS\|bind() failed: EACCES\|bind() failed: ENOENT" "$SOCKSCOPE" server --path /proc/sockscope.sock
finish
