#!/usr/bin/env bash
# One stream server, three clients at once; then a client killed mid-run:
# the server reports the peer closed and goes on serving.
. "$(dirname "$0")/lib.sh"

S=$WORK/server.sock
spawn "$WORK/server.jsonl" "$SOCKSCOPE" server --path "$S" --format jsonl
server=$!
check "server listening" wait_for 5 test -S "$S"
for i in 1 2 3; do
    spawn "$WORK/client$i.txt" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/c$i.sock" --count 4 --interval 0.05
done
clients=("${PIDS[@]:1:3}")
for p in "${clients[@]}"; do
    check "client $p finishes" wait_for 10 gone "$p"
    wait "$p"; check "client $p exits 0" [ $? -eq 0 ]
done
check "three accepts" [ "$(grep '"call":"accept"' "$WORK/server.jsonl" | count_lines '"phase":"exit"' /dev/stdin)" = 3 ]
check "server saw them at once (poll over several)" grep -q '"call":"poll","args":"\[[0-9]*, [0-9]*, [0-9]*' "$WORK/server.jsonl"
check "twelve messages answered" [ "$(last_field msgs_out '"kind":"stats"' "$WORK/server.jsonl")" = 12 ]
check "three peer-closed" [ "$(count_lines '"state":"peer-closed"' "$WORK/server.jsonl")" = 3 ]
check "client sockets removed" sh -c "! ls '$WORK'/c*.sock 2>/dev/null"

# A client killed with SIGKILL: no goodbye, but recv() returns 0 all the same.
spawn "$WORK/victim.txt" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/victim.sock" --count 0 --interval 0.05
victim=$!
check "victim is talking" wait_for 5 grep -q 'received' "$WORK/victim.txt"
kill -KILL "$victim"
# recv() returns 0 -- or fails with ECONNRESET when the victim died with a
# reply still unread in its queue: AF_UNIX says so. Either way it is reported.
check "server reports the peer gone" wait_for 5 sh -c "[ \$(grep -cE '\"state\":\"peer-(closed|error)\"' '$WORK/server.jsonl') = 4 ]"
check "server still serves" "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/after.sock" --count 2 --interval 0 >/dev/null
check "server still running" kill -0 "$server"
kill -TERM "$server"
check "server stops on SIGTERM" wait_for 5 gone "$server"
check "server exit event" grep -q '"kind":"exit","status":0,"reason":"stopped by SIGTERM' "$WORK/server.jsonl"
check "server socket removed" [ ! -e "$S" ]
finish
