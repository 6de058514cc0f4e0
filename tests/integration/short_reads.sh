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
finish
