#!/usr/bin/env bash
# --event-fd and --gate-fd name descriptors the lab opened for the peer. One
# that is not open (or not open the way it is used) is a usage error: exit 2,
# the subcommand's usage and the reason, before any socket is made. Without
# the check a server ran writing nowhere, a client exited 1 without a word,
# and a bad gate let the peer run ungated.
. "$(dirname "$0")/lib.sh"

S=$WORK/s.sock
C=$WORK/c.sock

# expect_usage PATTERN USAGE command...: exit 2 within 5 s, says PATTERN and
# prints the usage of USAGE; no socket file is left behind.
expect_usage() {
    local pattern=$1 usage=$2; shift 2
    local out rc
    out=$(timeout 5 "$@" 2>&1); rc=$?
    check "'$*' exits 2 (got $rc)" [ "$rc" = 2 ]
    check "'$*' says '$pattern' (said: $out)" grep -q -- "$pattern" <<<"$out"
    check "'$*' prints the usage of $usage" grep -q -- "usage: sockscope $usage" <<<"$out"
    check "'$*' made no socket file" sh -c '[ ! -e "$1" ] && [ ! -e "$2" ]' _ "$S" "$C"
}

# Not open at all (9>&- closes it, whatever the test's caller left open).
expect_usage "--event-fd 9 is not an open file descriptor" server \
    "$SOCKSCOPE" server --path "$S" --event-fd 9 9>&-
expect_usage "--gate-fd 9 is not an open file descriptor" server \
    "$SOCKSCOPE" server --path "$S" --gate-fd 9 9>&-
expect_usage "--gate-fd 9 is not an open file descriptor" client \
    "$SOCKSCOPE" client --server-path "$S" --client-path "$C" --gate-fd 9 9>&-
expect_usage "--event-fd 9 is not an open file descriptor" client \
    "$SOCKSCOPE" client --server-path "$S" --client-path "$C" --event-fd 9 9>&-
expect_usage "--event-fd 1000 is not an open file descriptor" client \
    "$SOCKSCOPE" client --mode dgram --server-path "$S" --client-path "$C" --event-fd=1000
# Open, but the wrong way round: events are written, the gate is read.
expect_usage "--event-fd 3 is not open for writing" server \
    "$SOCKSCOPE" server --path "$S" --event-fd 3 3</dev/null
expect_usage "--gate-fd 4 is not open for reading" client \
    "$SOCKSCOPE" client --server-path "$S" --client-path "$C" --gate-fd 4 4>/dev/null

# --ring-fd: it needs --event-fd (the fd that wakes the parent), must be
# open, and must be an event ring (a memfd of the ring's size), not any file.
expect_usage "--ring-fd needs --event-fd" server \
    "$SOCKSCOPE" server --path "$S" --ring-fd 5 5</dev/null
expect_usage "--ring-fd 9 is not an open file descriptor" client \
    "$SOCKSCOPE" client --server-path "$S" --client-path "$C" --event-fd 3 --ring-fd 9 3>/dev/null 9>&-
expect_usage "--ring-fd 5 is not an event ring" server \
    "$SOCKSCOPE" server --path "$S" --event-fd 3 --ring-fd 5 3>/dev/null 5</dev/null

# Open descriptors still work: the server's events go to fd 3 (a file), the
# client's gate is at end of file at once (so it runs freely) and it answers.
EV=$WORK/server.events
spawn "$WORK/server.out" "$SOCKSCOPE" server --path "$S" --count 1 --event-fd 3 3>"$EV"
server=$!
check "server with an open --event-fd is up" wait_for 5 test -S "$S"
out=$(timeout 10 "$SOCKSCOPE" client --server-path "$S" --client-path "$C" --count 1 \
    --interval 0 --format jsonl --gate-fd 4 4</dev/null 2>&1); rc=$?
check "client with an open --gate-fd exits 0 (got $rc)" [ "$rc" = 0 ]
check "client made its exchange" grep -q '"kind":"msg".*"dir":"in"' <<<"$out"
check "server stops after one message" wait_for 5 gone "$server"
wait "$server"; rc=$?
check "server exits 0 (got $rc)" [ "$rc" = 0 ]
check "server's events went to fd 3" grep -q '"kind":"exit","status":0' "$EV"
check "and not to its stdout" [ ! -s "$WORK/server.out" ]

finish
