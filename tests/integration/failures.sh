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
expect_exit 1 "a server is already running at" "$SOCKSCOPE" server --path "$S"
check "live server untouched" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/c3.sock" --count 1 --interval 0
kill -TERM "$live"

# A regular file is never removed.
echo "precious" >"$WORK/file.sock"
expect_exit 1 "is not a socket: left untouched" "$SOCKSCOPE" server --path "$WORK/file.sock"
check "file untouched" [ "$(cat "$WORK/file.sock")" = precious ]

# A directory that cannot be written: EACCES, exactly. Root may write
# anywhere, so as root (CI) the server runs as nobody, from a copy of the
# binary in a directory nobody can reach (the build tree's may be closed).
AS=()
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null; then
        AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    elif command -v runuser >/dev/null; then
        AS=(runuser -u nobody --)
    fi
fi
if [ "$(id -u)" = 0 ] && [ ${#AS[@]} = 0 ]; then
    echo "SKIP (these checks only): neither setpriv nor runuser to run as nobody: unwritable directories not tested"
else
    PUB=$(mktemp -d /tmp/sockscope-acces.XXXXXX)
    trap 'rm -rf "$PUB"; cleanup' EXIT
    chmod 0755 "$PUB"
    cp "$SOCKSCOPE" "$PUB/sockscope" && chmod 0755 "$PUB/sockscope"
    me=$(id -u)
    [ ${#AS[@]} -gt 0 ] && me=65534
    check "the server runs as uid $me" [ "$("${AS[@]}" id -u)" = "$me" ]
    check "that user can run the copy" "${AS[@]}" test -x "$PUB/sockscope"
    # Its own directory, mode 0500: it may enter, not write.
    mkdir -m 0500 "$PUB/mine"
    [ "$me" = 65534 ] && chown 65534:65534 "$PUB/mine"
    expect_exit 1 "bind() failed: EACCES (" "${AS[@]}" "$PUB/sockscope" server --path "$PUB/mine/s.sock"
    check "nothing made in the 0500 directory" [ -z "$(ls -A "$PUB/mine")" ]
    # Someone else's directory, mode 0755 (root's, as root; else /).
    other=/
    if [ "$me" = 65534 ]; then other=$PUB/roots; mkdir -m 0755 "$other"; fi
    expect_exit 1 "bind() failed: EACCES (" "${AS[@]}" "$PUB/sockscope" server --path "$other/s.sock"
    check "nothing made in the other's directory" [ ! -e "$other/s.sock" ]
fi
expect_exit 1 "bind() failed: ENOENT" "$SOCKSCOPE" server --path "$WORK/missing/s.sock"
finish
