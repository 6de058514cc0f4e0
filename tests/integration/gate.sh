#!/usr/bin/env bash
# A gated peer makes no call until it is given a byte; end of file on the
# gate lets it run freely.
. "$(dirname "$0")/lib.sh"

mkfifo "$WORK/gate"
exec 7<>"$WORK/gate"
S=$WORK/s.sock
OUT=$WORK/server.jsonl
spawn "$OUT" "$SOCKSCOPE" server --path "$S" --format jsonl --gate-fd 4 4<"$WORK/gate" 7>&-
server=$!
check "socket() announced and gated" wait_for 5 grep -q '"call":"socket","args":"AF_UNIX, SOCK_STREAM, 0","gated":true' "$OUT"
sleep 0.3
check "socket() not made before the byte" [ "$(count_lines '"phase":"exit"' "$OUT")" = 0 ]
check "no socket fd yet" sh -c "! ls -l /proc/$server/fd | grep -q socket:"
printf x >&7
check "socket() made after one byte" wait_for 5 grep -q '"call":"socket".*"phase":"exit"\|"phase":"exit".*"call":"socket"' "$OUT"
check "bind() waits at the gate" wait_for 5 grep -q '"call":"bind".*"gated":true' "$OUT"
sleep 0.3
check "no socket file before bind's byte" [ ! -e "$S" ]
printf x >&7
check "socket file after bind's byte" wait_for 5 test -S "$S"
check "listen() waits" wait_for 5 grep -q '"call":"listen".*"gated":true' "$OUT"
exec 7>&-
check "runs freely after EOF: listening" wait_for 5 grep -q '"state":"listening"' "$OUT"
check "then blocks in accept" wait_for 5 grep -q '"call":"accept","args":"[^"]*","gated":false' "$OUT"
check "accept() blocks for real" sh -c "sleep 0.3; ! grep -q '\"call\":\"accept\".*\"rc\"' '$OUT'"
kill -TERM "$server"
check "server stops" wait_for 5 gone "$server"
check "socket file removed" [ ! -e "$S" ]
finish
