#!/usr/bin/env bash
# A side removes only the socket file it made: not a file put at its path
# since, not another program's live socket bound there since. And a start
# beside a live server whose backlog is full says so at once, never hangs.
. "$(dirname "$0")/lib.sh"
D=$WORK/d
mkdir -p "$D"
for sig in TERM INT HUP; do
    spawn "$WORK/srv-$sig.txt" "$SOCKSCOPE" server --path "$D/s.sock"
    pid=$!
    check "$sig: the server made its socket" wait_for 5 test -S "$D/s.sock"
    rm "$D/s.sock" && echo precious >"$D/s.sock"
    kill -"$sig" "$pid"
    check "$sig: the server exits" wait_for 5 gone "$pid"
    check "$sig: the regular file put at its path is kept" grep -qx precious "$D/s.sock"
    rm -f "$D/s.sock"
done

# Another program unlinks the path and binds it again (as the lesson's own
# server does): its live socket is not ours to remove.
spawn "$WORK/srv.txt" "$SOCKSCOPE" server --path "$D/s.sock"
pid=$!
check "our server made its socket" wait_for 5 test -S "$D/s.sock"
if [ -n "$LESSON" ]; then
    spawn "$WORK/lesson.txt" "$LESSON" stream-server "$D/s.sock" 1
    lpid=$!
    check "the lesson's server re-bound the path" wait_for 5 sh -c "grep -q . '$WORK/lesson.txt' || [ \$(stat -c %i '$D/s.sock') != 0 ]"
    sleep 0.3
    ino=$(stat -c %i "$D/s.sock")
    kill -TERM "$pid"
    check "our server exits" wait_for 5 gone "$pid"
    check "the other program's live socket is still there" [ "$(stat -c %i "$D/s.sock" 2>/dev/null)" = "$ino" ]
    kill -KILL "$lpid" 2>/dev/null
    wait "$lpid" 2>/dev/null
    rm -f "$D/s.sock"
fi

# A normal close (SIGUSR1: the server winds down and removes its files the
# traced way) with the file replaced: it says so, and keeps the file.
spawn "$WORK/srv2.jsonl" "$SOCKSCOPE" server --path "$D/s.sock" --format jsonl
pid=$!
check "server up" wait_for 5 test -S "$D/s.sock"
rm "$D/s.sock" && echo precious >"$D/s.sock"
kill -USR1 "$pid"
check "the server closes" wait_for 5 gone "$pid"
check "the regular file is kept" grep -qx precious "$D/s.sock"
check "it says why it left the file" grep -q '"state":"not-ours"' "$WORK/srv2.jsonl"
check "and made no unlink() call" sh -c "! grep -q '\"call\":\"unlink\"' '$WORK/srv2.jsonl'"
rm -f "$D/s.sock"

# A live server so busy that its backlog is full: a second server at the
# same path says so at once (its probe does not wait in connect()).
spawn "$WORK/busy.txt" "$SOCKSCOPE" server --path "$D/b.sock" --backlog 1
busy=$!
check "busy server up" wait_for 5 test -S "$D/b.sock"
kill -STOP "$busy"
for i in 1 2 3; do
    spawn "$WORK/cli-$i.txt" "$SOCKSCOPE" client --server-path "$D/b.sock" --client-path "$D/c$i.sock" --count 1
done
sleep 0.5
start=$(date +%s%N)
out=$(timeout 10 "$SOCKSCOPE" server --path "$D/b.sock" 2>&1); rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "the second server does not hang (${ms} ms, rc $rc)" [ "$rc" = 1 ]
check "it says a server is already running ($out)" grep -q "a server is already running at $D/b.sock" <<<"$out"
check "the busy server's socket is untouched" test -S "$D/b.sock"
kill -CONT "$busy"
kill -TERM "$busy"
check "the busy server exits" wait_for 5 gone "$busy"
finish
