#!/usr/bin/env bash
# Datagrams are all or nothing: a small buffer loses the rest, a datagram
# too big is refused, and a sender with no address gets no reply.
. "$(dirname "$0")/lib.sh"

T=$WORK/trunc.jsonl
check "run with datagrams bigger than the buffer exits 0" "$SOCKSCOPE" run --mode dgram --count 2 --interval 0 --pad 2048 --buffer 1024 --format jsonl >"$T"
# Both sides receive 2048-byte datagrams into 1024 bytes: each side's own
# events, picked by role, so that neither side's report stands for the other's.
of_side() { # of_side ROLE KIND FIELD...: those fields of the side's KIND events, one line
    local role=$1 kind=$2; shift 2
    awk -v role="$role" -v kind="$kind" -v fields="$*" "$AWK_LIB"'
    jstr($0, "role") == role && jstr($0, "kind") == kind {
        n = split(fields, f, " "); v = ""
        for (i = 1; i <= n; i++)
            v = v (i > 1 ? "/" : "") (jnum($0, f[i]) != "" ? jnum($0, f[i]) : jstr($0, f[i]))
        printf "%s%s", k++ ? " " : "", v
    }
    END { print "" }' "$T"
}
for side in server client; do
    got=$(of_side $side call call phase rc | tr ' ' '\n' | grep '^recvfrom/exit/' | tr '\n' ' ')
    check "$side: recvfrom() returned the real length, 2048, twice [$got]" \
        [ "$got" = "recvfrom/exit/2048 recvfrom/exit/2048 " ]
    got=$(of_side $side msg dir bytes lost | tr ' ' '\n' | grep '^in/' | tr '\n' ' ')
    check "$side: each datagram in: 1024 bytes kept, 1024 lost [$got]" \
        [ "$got" = "in/1024/1024 in/1024/1024 " ]
    got=$(of_side $side stats bytes_in | sed 's/.* //')
    check "$side: bytes in counts what arrived: 2048 ($got)" [ "$got" = 2048 ]
done
# (Only the server says "truncated" in a state line; the client's loss is in its msg.)
got=$(of_side server state state | tr ' ' '\n' | grep -c '^truncated$')
check "server: truncation explained for each datagram ($got)" [ "$got" = 2 ]

T=$WORK/huge.txt
"$SOCKSCOPE" run --mode dgram --count 1 --interval 0 --pad 1048576 >"$T" 2>&1
check "a datagram too big fails the run" [ $? = 1 ]
check "the client's sendto() failed with EMSGSIZE" \
    grep -qE '^ +[0-9.]+ client sendto\(.*\) = -1 EMSGSIZE ' "$T"
check "the client exits 1 and names EMSGSIZE" grep -qE '^ +[0-9.]+ client \* exit 1: sendto\(\) failed: EMSGSIZE' "$T"
check "the server did not fail: it exits 0" grep -qE '^ +[0-9.]+ server \* exit 0: ' "$T"

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
