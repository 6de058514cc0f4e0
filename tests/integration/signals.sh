#!/usr/bin/env bash
# Every socket file is removed on SIGINT, SIGTERM and SIGHUP; peers started
# by run die with it; run stops the other side when one fails.
. "$(dirname "$0")/lib.sh"

for sig in INT TERM HUP; do
    S=$WORK/$sig.sock
    spawn "$WORK/$sig-server.jsonl" "$SOCKSCOPE" server --path "$S" --format jsonl
    server=$!
    check "server up ($sig)" wait_for 5 test -S "$S"
    spawn "$WORK/$sig-client.jsonl" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/$sig-c.sock" --interval 0.05 --format jsonl
    client=$!
    check "client up ($sig)" wait_for 5 test -S "$WORK/$sig-c.sock"
    kill -$sig "$client" "$server"
    check "both stop on SIG$sig" wait_for 5 sh -c "! kill -0 $client 2>/dev/null && ! kill -0 $server 2>/dev/null"
    check "server file removed ($sig)" [ ! -e "$S" ]
    check "client file removed ($sig)" [ ! -e "$WORK/$sig-c.sock" ]
    check "exit reported ($sig)" grep -q "\"reason\":\"stopped by SIG$sig" "$WORK/$sig-server.jsonl"
done

# SIGUSR1 asks a side to close: the table's close row, then exit 0.
S=$WORK/usr1.sock
spawn "$WORK/usr1-server.jsonl" "$SOCKSCOPE" server --path "$S" --format jsonl
server=$!
check "server up (USR1)" wait_for 5 test -S "$S"
spawn "$WORK/usr1-client.jsonl" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/usr1-c.sock" --interval 0.05 --format jsonl
client=$!
check "client talking (USR1)" wait_for 5 grep -q '"dir":"in"' "$WORK/usr1-client.jsonl"
kill -USR1 "$client"
check "client closes on SIGUSR1" wait_for 5 gone "$client"
check "client ends with close, unlink" sh -c "grep '\"phase\":\"exit\"' '$WORK/usr1-client.jsonl' | tail -n 2 | grep -q close"
check "client exit says why" grep -q '"status":0,"reason":"closed on request after' "$WORK/usr1-client.jsonl"
check "server saw the client go" wait_for 5 grep -qE '"state":"peer-(closed|error)"' "$WORK/usr1-server.jsonl"
kill -USR1 "$server"
check "server closes on SIGUSR1" wait_for 5 gone "$server"
check "accept interrupted for real (EINTR)" grep -q '"call":"accept".*"errno":"EINTR"' "$WORK/usr1-server.jsonl"
check "server closes its listener" grep -q '"status":0,"reason":"closed on request' "$WORK/usr1-server.jsonl"
check "server file removed (USR1)" [ ! -e "$S" ]
# EINTR is the close request stopping a call, not a failure: each side's
# errors total counts its failed calls, those that failed with EINTR aside.
for side in server client; do
    f=$WORK/usr1-$side.jsonl
    errors=$(last_field errors '"kind":"stats"' "$f")
    failed=$(grep '"kind":"call"' "$f" | grep '"phase":"exit"' | grep '"errno":"' | grep -cv '"errno":"EINTR"')
    check "$side: errors $errors = its failed calls other than EINTR ($failed)" [ "$errors" = "$failed" ]
done

# A closing server takes no new client: one that connects now waits in the
# backlog, while the client the server has still gets its replies. Once that
# one has gone, the server closes, and the waiting one is refused its reply.
S=$WORK/busy.sock
spawn "$WORK/busy-server.jsonl" "$SOCKSCOPE" server --path "$S" --format jsonl
server=$!
check "busy server up" wait_for 5 test -S "$S"
spawn "$WORK/busy-a.jsonl" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/busy-a.sock" --interval 0.1 --format jsonl
a=$!
check "first client talking" wait_for 5 grep -q '"dir":"in"' "$WORK/busy-a.jsonl"
kill -USR1 "$server"
sleep 0.2
spawn "$WORK/busy-b.jsonl" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/busy-b.sock" --count 1 --format jsonl
b=$!
check "a new client's connect() = 0: it waits in the backlog" \
    wait_for 5 grep -q '"call":"connect",.*"rc":0' "$WORK/busy-b.jsonl"
replies=$(grep -c '"dir":"in"' "$WORK/busy-a.jsonl")
check "the first client still gets replies" \
    wait_for 5 sh -c "[ \$(grep -c '\"dir\":\"in\"' '$WORK/busy-a.jsonl') -gt $replies ]"
check "the closing server goes on serving it" kill -0 "$server"
check "the closing server made no accept() for the new client" \
    [ "$(grep '"call":"accept"' "$WORK/busy-server.jsonl" | count_lines '"phase":"exit"' /dev/stdin)" = 1 ]
kill -USR1 "$a"
check "the first client closes" wait_for 5 gone "$a"
check "then the closing server exits" wait_for 5 gone "$server"
check "it exits 0, closed on request" \
    grep -q '"kind":"exit","status":0,"reason":"closed on request after answering' "$WORK/busy-server.jsonl"
check "the waiting client gets no reply and exits" wait_for 5 gone "$b"
check "the waiting client never received anything" [ "$(count_lines '"dir":"in"' "$WORK/busy-b.jsonl")" = 0 ]

# run killed outright: its peers get SIGTERM from the kernel (PDEATHSIG).
export TMPDIR=$WORK
spawn "$WORK/run.jsonl" "$SOCKSCOPE" run --count 0 --interval 0.05 --format jsonl
run=$!
check "run is exchanging" wait_for 5 grep -q '"dir":"in"' "$WORK/run.jsonl"
kids=$(pgrep -P "$run" | tr "\n" " " | sed "s/ $//")
check "run has two peers ($kids)" [ "$(wc -w <<<"$kids")" = 2 ]
check "ps shows the peers as programs" sh -c "ps -o args= -p ${kids// /,} | grep -q 'sockscope server'"
kill -KILL "$run"
for k in $kids; do check "peer $k died with run" wait_for 5 gone "$k"; done
check "no socket file left" sh -c "[ -z \"\$(find '$WORK' -type s)\" ]"
# SIGKILL gave run no chance to remove its (now empty) directory: the next
# run below does (stale_dirs.sh), and "nothing left in TMPDIR" checks it.

# Ctrl+C on run: both sides stop cleanly, the directory goes, exit 130.
spawn "$WORK/int.txt" "$SOCKSCOPE" run --count 0 --interval 0.05
run=$!
check "run started" wait_for 5 grep -q 'received' "$WORK/int.txt"
dir=$(sed -n '1s/^sockscope run: .*, in \(\/.*\)$/\1/p' "$WORK/int.txt")
check "the header names the private directory ('$dir')" [ -n "$dir" -a "${dir#/}" != "$dir" ]
check "the directory is there while run runs" test -d "$dir"
kill -INT "$run"; wait "$run"; rc=$?
check "run interrupted exits 130 (got $rc)" [ $rc = 130 ]
check "private directory removed" [ -n "$dir" -a ! -e "$dir" ]

# A peer killed mid-run: run names it, stops the other, exits 1.
spawn "$WORK/kill.txt" "$SOCKSCOPE" run --count 0 --interval 0.05
run=$!
check "run started again" wait_for 5 grep -q 'received' "$WORK/kill.txt"
client=$(pgrep -P "$run" -f 'sockscope client')
server=$(pgrep -P "$run" -f 'sockscope server')
kill -KILL "$client"; wait "$run"; rc=$?
check "run exits 1 when a peer is killed (got $rc)" [ $rc = 1 ]
check "run names the killed peer" grep -q 'the client failed (killed by SIGKILL)' "$WORK/kill.txt"
check "server saw the peer go" grep -qE 'peer-(closed|error)' "$WORK/kill.txt"
check "server stopped too" gone "$server"
check "nothing left in TMPDIR" sh -c "[ -z \"\$(find '$WORK' -mindepth 1 -name 'sockscope-*' -type d)\" ]"
finish
