#!/usr/bin/env bash
# Each side's totals (its last "stats" event) are what really happened: the
# calls and bytes strace counts for that process, and the sums of the
# messages the side reported. Whole and partial reads, datagrams cut short on
# either side, a failing sendto(); and a payload with a backslash, escaped
# the same way in text and in JSON.
. "$(dirname "$0")/lib.sh"
need_strace
export TMPDIR=$WORK

# The newest stats of one process, as "NAME=VALUE ..." (bytes_lost only
# when the stats carry it).
final_stats() { # final_stats PID FILE
    awk -v pid="$1" "$AWK_LIB"'
    jnum($0, "pid") == pid && jstr($0, "kind") == "stats" { last = $0 }
    END {
        if (last == "") exit
        split("msgs_out msgs_in bytes_out bytes_in send_calls recv_calls errors bytes_lost", f, " ")
        for (i = 1; i <= 8; i++)
            if ((v = jnum(last, f[i])) != "") printf "%s=%s ", f[i], v
        print ""
    }' "$2"
}

# What one process's msg events add up to, in the same words.
msg_sums() { # msg_sums PID FILE
    awk -v pid="$1" "$AWK_LIB"'
    jnum($0, "pid") == pid && jstr($0, "kind") == "msg" {
        if (jstr($0, "dir") == "out") { mo += jnum($0, "messages"); bo += jnum($0, "bytes") }
        else { mi += jnum($0, "messages"); bi += jnum($0, "bytes") }
        lost += jnum($0, "lost"); n++
    }
    END { printf "msgs_out=%d msgs_in=%d bytes_out=%d bytes_in=%d lost=%d events=%d\n", mo, mi, bo, bi, lost, n }' "$2"
}

# What strace saw one process do (strace_calls's lines): send() is sendto,
# recv() is recvfrom. A recvfrom() with MSG_TRUNC returns the datagram's
# length; what reached the buffer is min(rc, length asked for), the rest
# was lost. errors: calls that returned -1, EINTR aside (a signal stopping
# a call is not counted); check_side makes sure no call here was interrupted,
# so that choice never decides a result.
strace_sums() { # strace_sums STRACE_FILE
    strace_calls "$1" | awk '
    {
        for (i = NF; i > 0 && $i != "="; i--) ;
        rc = $(i + 1) + 0
        if (rc == -1) { if ($(i + 2) != "EINTR") errors++; else eintr++ }
        if ($1 == "sendto") { sends++; if (rc > 0) { bo += rc; ok_out++ } }
        if ($1 == "recvfrom") {
            recvs++
            if (rc >= 0) ok_in++
            if (rc > 0) { kept = rc < $3 ? rc : $3; bi += kept; lost += rc - kept }
        }
    }
    END { printf "send_calls=%d bytes_out=%d recv_calls=%d bytes_in=%d errors=%d lost=%d ok_out=%d ok_in=%d eintr=%d\n",
          sends, bo, recvs, bi, errors, lost, ok_out, ok_in, eintr }'
}

val() { sed -n "s/.*\\b$1=\\(-\\?[0-9]*\\).*/\\1/p" <<<"$2"; } # val NAME "NAME=V ..."

# check_side WHAT MODE PAD PID TRANSCRIPT STRACE_FILE
check_side() {
    local what=$1 mode=$2 pad=$3 pid=$4 t=$5 sf=$6 stats msgs seen f
    stats=$(final_stats "$pid" "$t")
    msgs=$(msg_sums "$pid" "$t")
    seen=$(strace_sums "$sf")
    check "$what: final stats reported [$stats]" [ -n "$(val errors "$stats")" ]
    check "$what: strace saw it send or receive [$seen]" \
        [ "$(( $(val send_calls "$seen") + $(val recv_calls "$seen") ))" -gt 0 ]
    check "$what: no call interrupted" [ "$(val eintr "$seen")" = 0 ]
    # (a) the totals against strace
    for f in send_calls recv_calls bytes_out bytes_in errors; do
        check "$what: $f $(val $f "$stats") = strace's $(val $f "$seen")" \
            [ "$(val $f "$stats")" = "$(val $f "$seen")" ]
    done
    # (b) the totals against the msg events, and the bytes lost against strace
    for f in msgs_out msgs_in bytes_out bytes_in; do
        check "$what: $f $(val $f "$stats") = the msg events' $(val $f "$msgs")" \
            [ "$(val $f "$stats")" = "$(val $f "$msgs")" ]
    done
    check "$what: msg events' lost $(val lost "$msgs") = strace's $(val lost "$seen")" \
        [ "$(val lost "$msgs")" = "$(val lost "$seen")" ]
    if [ -n "$(val bytes_lost "$stats")" ]; then
        check "$what: bytes_lost $(val bytes_lost "$stats") = strace's $(val lost "$seen")" \
            [ "$(val bytes_lost "$stats")" = "$(val lost "$seen")" ]
    fi
    # Messages from strace alone: a datagram is one message each way; a
    # stream carries them as PAD-byte runs.
    if [ "$mode" = dgram ]; then
        check "$what: msgs_out = sendto() calls that worked ($(val ok_out "$seen"))" \
            [ "$(val msgs_out "$stats")" = "$(val ok_out "$seen")" ]
        check "$what: msgs_in = recvfrom() calls that worked ($(val ok_in "$seen"))" \
            [ "$(val msgs_in "$stats")" = "$(val ok_in "$seen")" ]
    else
        check "$what: msgs_out = strace's bytes out / $pad" \
            [ "$(val msgs_out "$stats")" = "$(( $(val bytes_out "$seen") / pad ))" ]
        check "$what: msgs_in = strace's bytes in / $pad" \
            [ "$(val msgs_in "$stats")" = "$(( $(val bytes_in "$seen") / pad ))" ]
    fi
}

# Both sides of `sockscope run` under strace.
check_run() { # check_run NAME MODE run-args...
    local name=$1 mode=$2 role pid; shift 2
    local P=$WORK/st-$name T=$WORK/$name.jsonl
    "${TRACED[@]}" -o "$P" timeout 30 "$SOCKSCOPE" run --mode "$mode" --count 3 --interval 0 "$@" --format jsonl >"$T"
    check "$name: run exits 0" [ $? = 0 ]
    check "$name: two peers" [ "$(started_peers "$T" | wc -l)" = 2 ]
    while read -r role pid; do
        check_side "$name $role" "$mode" 1024 "$pid" "$T" "$P.$pid"
    done < <(started_peers "$T")
}

check_run stream-default stream
check_run dgram-default dgram
check_run stream-buffer100 stream --buffer 100
T=$WORK/stream-buffer100.jsonl
pid=$(started_peers "$T" | sed -n 's/^server //p')
check "stream-buffer100: more recv() calls than messages (partial reads)" \
    [ "$(val recv_calls "$(final_stats "$pid" "$T")")" -gt "$(val msgs_in "$(final_stats "$pid" "$T")")" ]

# One side each, under its own strace; the server answers COUNT messages.
# pair NAME MODE COUNT "SERVER ARGS" "CLIENT ARGS": $NAME-server.jsonl,
# $NAME-client.jsonl, st-$NAME-server.PID, st-$NAME-client.PID; the client's
# exit status in $client_rc. With COUNT 0 the server is left running, its
# pid in $server.
pair() {
    local name=$1 mode=$2 count=$3 sargs=$4 cargs=$5 tracer
    local S=$WORK/$name-s.sock
    "${TRACED[@]}" -o "$WORK/st-$name-server" timeout 30 "$SOCKSCOPE" server --mode "$mode" \
        --path "$S" --count "$count" $sargs --format jsonl >"$WORK/$name-server.jsonl" 2>&1 &
    tracer=$!
    PIDS+=("$tracer")
    check "$name: server up" wait_for 10 test -S "$S"
    server=$(started_peers "$WORK/$name-server.jsonl" | sed -n 's/^server //p')
    PIDS+=($server)
    "${TRACED[@]}" -o "$WORK/st-$name-client" timeout 30 "$SOCKSCOPE" client --mode "$mode" \
        --server-path "$S" --client-path "$WORK/$name-c.sock" --count $((count > 0 ? count : 1)) --interval 0 \
        $cargs --format jsonl >"$WORK/$name-client.jsonl" 2>&1
    client_rc=$?
    [ "$count" = 0 ] && kill -TERM "$server"
    check "$name: server done" wait_for 10 gone "$tracer"
}
# side_pid NAME ROLE: $pid, the pid the transcript names; strace saw it too.
side_pid() {
    pid=$(started_peers "$WORK/$1-$2.jsonl" | sed -n "s/^$2 //p")
    check "$1 $2: started, pid ${pid:-?}, strace saw it become sockscope $2" \
        [ -n "$pid" -a "$(strace_peers "$WORK/st-$1-$2")" = "$2 $pid" ]
}
# lost_each NAME ROLE: the "lost" of each message the side received.
lost_each() {
    awk "$AWK_LIB"'jstr($0, "kind") == "msg" && jstr($0, "dir") == "in" {
        printf "%s%s/%s", n++ ? " " : "", jnum($0, "bytes"), jnum($0, "lost") }
        END { print "" }' "$WORK/$1-$2.jsonl"
}

# A datagram cut short at the server: 1024 bytes into 100.
pair srvcut dgram 2 "--buffer 100" ""
check "srvcut: client exits 0" [ "$client_rc" = 0 ]
for role in server client; do
    side_pid srvcut $role
    check_side "srvcut $role" dgram 1024 "$pid" "$WORK/srvcut-$role.jsonl" "$WORK/st-srvcut-$role.$pid"
done
check "srvcut: the server kept 100 and lost 924 of each ($(lost_each srvcut server))" \
    [ "$(lost_each srvcut server)" = "100/924 100/924" ]
check "srvcut: the client lost nothing ($(lost_each srvcut client))" \
    [ "$(lost_each srvcut client)" = "1024/0 1024/0" ]

# And at the client: its own recvfrom() cuts the 1024-byte reply.
pair clicut dgram 2 "" "--buffer 100"
check "clicut: client exits 0" [ "$client_rc" = 0 ]
for role in server client; do
    side_pid clicut $role
    check_side "clicut $role" dgram 1024 "$pid" "$WORK/clicut-$role.jsonl" "$WORK/st-clicut-$role.$pid"
done
check "clicut: the client kept 100 and lost 924 of each ($(lost_each clicut client))" \
    [ "$(lost_each clicut client)" = "100/924 100/924" ]
check "clicut: the server lost nothing ($(lost_each clicut server))" \
    [ "$(lost_each clicut server)" = "1024/0 1024/0" ]

# A recv() that returns 0 is a recv() call too. The client sends one
# 2048-byte message; the server (1024-byte messages) reads both halves in one
# recv() into its 4096-byte buffer, answers once (--count 1) and closes. The
# client, waiting for a 2048-byte reply, gets 1024 bytes and then 0.
pair closed stream 1 "--buffer 4096" "--pad 2048"
check "closed: the client exits 1, the server closed on it (got $client_rc)" [ "$client_rc" = 1 ]
side_pid closed server
check_side "closed server" stream 1024 "$pid" "$WORK/closed-server.jsonl" "$WORK/st-closed-server.$pid"
side_pid closed client
check_side "closed client" stream 2048 "$pid" "$WORK/closed-client.jsonl" "$WORK/st-closed-client.$pid"
check "closed: strace saw the client's recv() return 0" \
    grep -q '^recvfrom [0-9]* 1024 0 = 0$' <(strace_calls "$WORK/st-closed-client.$pid")

# A datagram too big: sendto() fails with EMSGSIZE, and that is one error.
pair toobig dgram 0 "" "--pad 300000"
check "toobig: client exits 1 (got $client_rc)" [ "$client_rc" = 1 ]
side_pid toobig client
check "toobig: strace saw sendto() fail with EMSGSIZE" \
    grep -q '^sendto [0-9]* 300000 .* = -1 EMSGSIZE$' <(strace_calls "$WORK/st-toobig-client.$pid")
check_side "toobig client" dgram 300000 "$pid" "$WORK/toobig-client.jsonl" "$WORK/st-toobig-client.$pid"
check "toobig: errors 1" [ "$(val errors "$(final_stats "$pid" "$WORK/toobig-client.jsonl")")" = 1 ]

# A backslash in the payload: the text doubles it ("a\\b"), and JSON
# carries that escaped text, JSON-encoded ("a\\\\b"); text_bytes is the raw 3.
S=$WORK/bs.sock
spawn "$WORK/bs-server.txt" "$SOCKSCOPE" server --path "$S" --count 1 --message 'a\b'
server=$!
check "backslash: server up" wait_for 10 test -S "$S"
timeout 10 "$SOCKSCOPE" client --server-path "$S" --client-path "$WORK/bs-c.sock" --count 1 \
    --message 'a\b' --format jsonl >"$WORK/bs-client.jsonl" 2>&1
check "backslash: client exits 0" [ $? = 0 ]
check "backslash: server done" wait_for 10 gone "$server"
# (The names below say what they look for in words: the patterns are literal.)
check "backslash: text, received: the backslash doubled" \
    grep -qF 'received 1024 bytes, text 3, padding 1021: "a\\b"' "$WORK/bs-server.txt"
check "backslash: text, the reply: the backslash doubled" \
    grep -qF 'sent 1024 bytes, text 3, padding 1021: "a\\b"' "$WORK/bs-server.txt"
check "backslash: text, send()'s argument: the backslash doubled" \
    grep -qE '^ +[0-9.]+ server send\([0-9]+, "a\\\\b"\.\.\., 1024, MSG_DONTWAIT\|MSG_NOSIGNAL\) = 1024$' "$WORK/bs-server.txt"
check "backslash: text, nowhere undoubled" sh -c "! grep -qF 'a\\b\"' '$WORK/bs-server.txt'"
for dir in out in; do
    check "backslash: JSON msg $dir: the escaped text, JSON-encoded; 3 raw bytes" \
        grep -qF '"dir":"'$dir'","bytes":1024,"text":"a\\\\b","text_bytes":3,' "$WORK/bs-client.jsonl"
done
args=$(grep '"call":"send"' "$WORK/bs-client.jsonl" | grep '"phase":"exit"' |
    sed 's/.*"args":"\(\([^"\\]\|\\.\)*\)".*/\1/')
check "backslash: JSON send() args the same way [$args]" \
    [ "$args" = "${args%%,*}"', \"a\\\\b\"..., 1024, MSG_NOSIGNAL' ]
check "backslash: JSON, nowhere the raw text merely JSON-encoded" \
    sh -c "! grep -qF '\"a\\\\b\"' '$WORK/bs-client.jsonl'"
finish
