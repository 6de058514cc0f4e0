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

# GATE_FINISH ('f') at a client's send(): the send is left out, never made
# (a finishing client starts no new exchange). Its close() and unlink() are
# part of winding down: each still waits at the gate for its own byte.
# at_gate FILE: "SEQ CALL" of the call the peer waits with at its gate, or "".
at_gate() {
    awk "$AWK_LIB"'
    jstr($0, "kind") == "call" {
        l = jstr($0, "phase") == "enter" && $0 ~ /"gated":true/ ? jnum($0, "seq") " " jstr($0, "call") : ""
    }
    jstr($0, "kind") == "state" && jstr($0, "state") == "skipped" { l = "" }
    END { print l }' "$1"
}
gate_moved() { local g; g=$(at_gate "$1"); [ -n "$g" ] && [ "$g" != "$2" ]; } # FILE OLD
LAST_GATE="" # the gate we last gave a byte at: "SEQ CALL"
give() { # give FD FILE BYTE: that byte to the call waiting at the gate now
    LAST_GATE=$(at_gate "$2")
    printf '%s' "$3" >&"$1"
}
# step_to FD FILE CALL: a GATE_GO per call until the peer waits at its gate before CALL.
step_to() {
    local fd=$1 file=$2 call=$3 k
    for ((k = 0; k < 20; k++)); do
        wait_for 5 gate_moved "$file" "$LAST_GATE" || return 1
        [ "$(at_gate "$file" | cut -d' ' -f2)" = "$call" ] && return 0
        give "$fd" "$file" s
    done
    return 1
}
S=$WORK/s2.sock
spawn "$WORK/server2.jsonl" "$SOCKSCOPE" server --path "$S" --format jsonl
server=$!
check "a free server up" wait_for 5 test -S "$S"
mkfifo "$WORK/cgate"
exec 8<>"$WORK/cgate"
C=$WORK/c.sock
OUT=$WORK/client.jsonl
spawn "$OUT" "$SOCKSCOPE" client --server-path "$S" --client-path "$C" --format jsonl --gate-fd 4 4<"$WORK/cgate" 8>&-
client=$!
check "gated client stepped to its send()" step_to 8 "$OUT" send
give 8 "$OUT" f
check "f at send(): the send is left out" wait_for 5 grep -q '"state":"skipped"' "$OUT"
check "f at send(): send() never made" \
    [ "$(grep '"call":"send"' "$OUT" | count_lines '"phase":"exit"' /dev/stdin)" = 0 ]
check "close() still waits at its gate" step_to 8 "$OUT" close
give 8 "$OUT" s
check "unlink() waits at its gate too" step_to 8 "$OUT" unlink
sleep 0.3
check "the socket file stays until unlink()'s byte" test -S "$C"
give 8 "$OUT" s
check "client exits once unlink() goes" wait_for 5 gone "$client"
check "unlink() removed the client's file" [ ! -e "$C" ]
check "client exit: closed on request, exit 0" \
    grep -q '"kind":"exit","status":0,"reason":"closed on request after 0 messages' "$OUT"
exec 8>&-
kill -TERM "$server"
check "free server stops" wait_for 5 gone "$server"
finish
