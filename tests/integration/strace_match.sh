#!/usr/bin/env bash
# The calls a peer reports are the calls strace sees that process make: every
# socket, bind, listen, accept, connect, send/sendto, recv/recvfrom, poll,
# close and unlink, in the same order, with the same fds, paths, lengths,
# flags and results; and no socket call is made that is not reported. In both
# modes, with whole and with partial reads, and through the close row
# (SIGUSR1), where a blocked accept() or recvfrom() really returns EINTR.
# How strace's lines and the events are put in the same words, and which
# close() calls are socket calls (strace -y says), is in lib.sh: strace_calls.
. "$(dirname "$0")/lib.sh"
need_strace
# run's private directories go in WORK, and with it.
export TMPDIR=$WORK

# compare PREFIX TRANSCRIPT WHAT: the run's two peers, each call by call.
compare() {
    local prefix=$1 t=$2 what=$3 by_strace by_events
    # The peers as strace saw them (the processes that became `sockscope
    # server` and `sockscope client`), and as the transcript names them: the
    # same two processes, so no peer escapes the comparison.
    by_strace=$(strace_peers "$prefix")
    by_events=$(started_peers "$t")
    check "$what: strace saw one server and one client [$(echo $by_strace)]" \
        [ "$(cut -d' ' -f1 <<<"$by_strace" | tr '\n' ' ')" = "client server " ]
    check "$what: the started events name those processes [$(echo $by_events)]" \
        [ "$by_events" = "$by_strace" ]
    compare_calls "$prefix" "$t" "$what" 5
}

for mode in stream dgram; do
    for buffer in default 100; do
        what="$mode, buffer $buffer"
        extra=()
        [ $buffer = default ] || extra=(--buffer $buffer)
        P=$WORK/st-$mode-$buffer
        T=$WORK/$mode-$buffer.jsonl
        "${TRACED[@]}" -o "$P" timeout 30 "$SOCKSCOPE" run --mode $mode --count 3 --interval 0 \
            "${extra[@]}" --format jsonl >"$T"
        check "$what: run under strace exits 0" [ $? = 0 ]
        compare "$P" "$T" "$what"
    done
    # A buffer of 100 really cuts: strace sees it, not only the report.
    if [ $mode = stream ]; then
        check "stream, buffer 100: recv() returned 100 bytes (strace)" \
            grep -q '^recvfrom [0-9]* 100 0 = 100$' "$WORK/st-stream-100.server.strace"
    else
        check "dgram, buffer 100: recvfrom() returned the whole 1024 (strace)" \
            grep -q '^recvfrom [0-9]* 100 MSG_TRUNC = 1024$' "$WORK/st-dgram-100.server.strace"
    fi
done

# The close row: an endless run; SIGUSR1 to the client (it closes after its
# current exchange), then, once it is gone and the server is blocked waiting
# for the next client or datagram, SIGUSR1 to the server: the blocked call
# returns -1 EINTR for real, and the server closes its sockets. (run stops a
# server 2 s after its client left; all this takes well under that.)
for mode in stream dgram; do
    what="$mode close"
    P=$WORK/st-$mode-close
    T=$WORK/$mode-close.jsonl
    "${TRACED[@]}" -o "$P" timeout 60 "$SOCKSCOPE" run --mode $mode --count 0 --interval 0.05 \
        --format jsonl >"$T" 2>"$WORK/$mode-close.err" &
    tracer=$!
    PIDS+=("$tracer")
    check "$what: both peers started" wait_for 10 sh -c "[ \$(grep -c '\"state\":\"started\"' '$T') = 2 ]"
    client=$(started_peers "$T" | sed -n 's/^client //p')
    server=$(started_peers "$T" | sed -n 's/^server //p')
    check "$what: peer pids known ($server, $client)" [ -n "$server" -a -n "$client" ]
    PIDS+=($server $client) # so that a failed test leaves no peer behind
    check "$what: three exchanges done" wait_for 10 sh -c \
        "[ \$(grep '\"role\":\"client\"' '$T' | grep -c '\"dir\":\"in\"') -ge 3 ]"
    kill -USR1 "$client"
    check "$what: client exits on SIGUSR1" wait_for 10 gone "$client"
    sleep 0.3 # the server's last reply and its next wait reach the transcript
    case $mode in stream) blocked=accept ;; dgram) blocked=recvfrom ;; esac
    check "$what: server blocked in $blocked()" wait_for 5 sh -c \
        "grep '\"role\":\"server\"' '$T' | grep '\"kind\":\"call\"' | tail -n 1 |
         grep '\"phase\":\"enter\"' | grep -q '\"call\":\"$blocked\"'"
    kill -USR1 "$server"
    check "$what: server exits on SIGUSR1" wait_for 10 gone "$server"
    check "$what: run ends" wait_for 10 gone "$tracer"
    wait "$tracer"; rc=$?
    check "$what: run exits 0 (got $rc)" [ $rc = 0 ]
    compare "$P" "$T" "$what"
    check "$what: strace saw $blocked() interrupted: -1 EINTR" \
        grep -q "^$blocked [0-9].* = -1 EINTR\$" "$P.server.strace"
    for role in server client; do
        check "$what $role: strace saw it close a socket and unlink its file" \
            sh -c "grep -q '^close ' '$P.$role.strace' && grep -q '^unlink ' '$P.$role.strace'"
    done
done
check "no private directory left" sh -c "[ -z \"\$(find '$WORK' -mindepth 1 -name 'sockscope-*')\" ]"
finish
