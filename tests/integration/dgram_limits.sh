#!/usr/bin/env bash
# Datagrams are all or nothing: a small buffer loses the rest, a datagram
# too big is refused, and a sender with no address gets no reply.
. "$(dirname "$0")/lib.sh"

T=$WORK/trunc.jsonl
check "run with datagrams bigger than the buffer exits 0" "$SOCKSCOPE" run --mode dgram --count 2 --interval 0 --pad 2048 --buffer 1024 --format jsonl >"$T"
check "recvfrom reports the real datagram length" grep -q '"call":"recvfrom","args":"[^"]*","rc":2048' "$T"
check "the cut-off bytes are reported lost" grep -q '"dir":"in","bytes":1024,.*"lost":1024' "$T"
check "truncation explained" grep -q '"state":"truncated"' "$T"
check "bytes in counts what arrived" [ "$(last_field bytes_in '"role":"server","pid":[0-9]*,"kind":"stats"' "$T")" = 2048 ]

T=$WORK/huge.txt
"$SOCKSCOPE" run --mode dgram --count 1 --interval 0 --pad 1048576 >"$T" 2>&1
check "a datagram too big fails the run" [ $? = 1 ]
check "EMSGSIZE named" grep -q 'sendto() failed: EMSGSIZE' "$T"

S=$WORK/s.sock
spawn "$WORK/server.jsonl" "$SOCKSCOPE" server --mode dgram --path "$S" --format jsonl
server=$!
check "server up" wait_for 5 test -S "$S"
check "unbound sender sends" "$LESSON" unbound-sender "$S"
check "server says it cannot reply" wait_for 5 grep -q '"state":"no-reply"' "$WORK/server.jsonl"
check "sender shown as unbound" grep -q '"peer":"(unbound)"' "$WORK/server.jsonl"
check "server keeps serving" "$SOCKSCOPE" client --mode dgram --server-path "$S" --client-path "$WORK/c.sock" --count 1 --interval 0 >/dev/null
kill -TERM "$server"
check "server stops" wait_for 5 gone "$server"
finish
