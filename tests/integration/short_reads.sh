#!/usr/bin/env bash
# A stream recv() may return part of a message, or several at once: what
# really arrived is reported, and whole messages are still counted right.
. "$(dirname "$0")/lib.sh"

T=$WORK/small.jsonl
check "run with a 100-byte buffer exits 0" "$SOCKSCOPE" run --count 2 --interval 0 --buffer 100 --format jsonl >"$T"
check "recv returns 100 bytes at a time" grep -q '"role":"server".*"call":"recv".*"rc":100,' "$T"
check "the last piece is 24 bytes" grep -q '"role":"server".*"call":"recv".*"rc":24,' "$T"
check "partial messages are said so" grep -q '"state":"partial","detail":"100 of 1024 bytes' "$T"
check "server counted 2 whole messages" [ "$(last_field msgs_in '"role":"server","pid":[0-9]*,"kind":"stats"' "$T")" = 2 ]
check "client counted 2 whole replies" [ "$(last_field msgs_in '"role":"client","pid":[0-9]*,"kind":"stats"' "$T")" = 2 ]

# Three messages sent before the server reads: one recv() takes all three.
# The gate holds the server at its recv() until the burst is queued.
mkfifo "$WORK/gate"
exec 7<>"$WORK/gate"
S=$WORK/s.sock
spawn "$WORK/server.jsonl" "$SOCKSCOPE" server --path "$S" --count 3 --buffer 4096 --format jsonl --gate-fd 4 4<"$WORK/gate" 7>&-
server=$!
step() { printf x >&7; }
for i in 1 2 3; do step; done # socket, bind, listen
check "server listening" wait_for 5 test -S "$S"
step # accept
spawn "$WORK/burst.txt" "$LESSON" burst-client "$S" "$WORK/c.sock" 3 7>&-
burst=$!
check "accept returns" wait_for 5 grep -q '"call":"accept","args":"[^"]*","rc":[0-9]' "$WORK/server.jsonl"
sleep 0.3 # let the three sends reach the socket's queue
exec 7>&- # open the gate: run freely
check "server exits" wait_for 5 gone "$server"
check "burst client got 3 replies" wait_for 5 sh -c "[ \$(grep -c 'receive a msg :OK,I got it!' '$WORK/burst.txt') = 3 ]"
check "one recv() returned 3 messages" grep -q '"call":"recv","dir":"in","bytes":3072,.*"messages":3' "$WORK/server.jsonl"

# With --pad 0 there are no message edges: a burst of three that one recv()
# reads whole gets one reply, and the client takes that one reply for all
# three (waiting for three would wait forever). The gate again holds the
# server at its recv() until the three sends are queued.
mkfifo "$WORK/gate0"
exec 8<>"$WORK/gate0"
S=$WORK/p0.sock
spawn "$WORK/p0-server.jsonl" "$SOCKSCOPE" server --path "$S" --pad 0 --format jsonl --gate-fd 4 4<"$WORK/gate0" 8>&-
server=$!
for i in 1 2 3; do printf x >&8; done # socket, bind, listen
check "pad 0: server listening" wait_for 5 test -S "$S"
printf x >&8 # accept
spawn "$WORK/p0-client.jsonl" timeout 10 "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/p0-c.sock" \
    --pad 0 --burst 3 --count 3 --interval 0 --format jsonl 8>&-
client=$!
check "pad 0: the client's three sends are made" wait_for 5 sh -c \
    "[ \$(grep '\"call\":\"send\"' '$WORK/p0-client.jsonl' | grep -c '\"phase\":\"exit\"') = 3 ]"
sleep 0.2 # and in the server's queue
exec 8>&- # the gate opens: the server runs freely
check "pad 0: the client is done within 10 s" wait_for 12 gone "$client"
wait "$client"; rc=$?
check "pad 0: the client exits 0 (got $rc; 124: it waited for more replies)" [ "$rc" = 0 ]
check "pad 0: one recv() took the three (45 bytes)" grep -q '"call":"recv","dir":"in","bytes":45,' "$WORK/p0-server.jsonl"
check "pad 0: the server sent one reply" [ "$(count_lines '"dir":"out"' "$WORK/p0-server.jsonl")" = 1 ]
check "pad 0: the client says every one answered" \
    grep -q '"kind":"exit","status":0,"reason":"sent 3 messages, every one answered"' "$WORK/p0-client.jsonl"
kill -TERM "$server"
check "pad 0: server stops" wait_for 5 gone "$server"
finish
