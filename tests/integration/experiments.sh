#!/usr/bin/env bash
# `sockscope run --experiment NAME`: every experiment, in both modes, judged
# by what the kernel really did as the peers' own events report it (the call
# results, message sizes, errno names, exit statuses and times), never by the
# experiment's closing sentence. The sentence is then checked to carry the
# numbers the events showed. Per run: exit 0, stdout only JSON events, the
# sentence on stderr (with --format text: the last line of stdout), and
# nothing left behind (no peer process, no private directory, no socket file).
# Then four experiments per mode run under `strace -f -ff`: each peer's calls
# are the calls strace saw that process make (lib.sh's strace_calls and
# trace_calls put both in the same words).
. "$(dirname "$0")/lib.sh"
# run's private directories go in WORK, and with it.
export TMPDIR=$WORK
START=$(date +%s)
QLEN=$(cat /proc/sys/net/unix/max_dgram_qlen 2>/dev/null)
EXPERIMENTS="boundaries oversize three-clients no-server peer-dies stale-path backlog full-queue"

# ---- the events as a table -------------------------------------------------
# table FILE: one tab-separated row per event, the peer named by its role and
# the order it first spoke in ("server1", "client2"), private paths cut to
# their file names ("client-1.sock"), "" for a field the event does not have.
COLS='who pid kind seq phase call rc err dir bytes lost peer state status t args reason'
table() {
    awk "$AWK_LIB"'
    function clean(s) { gsub(/[\t\n]/, " ", s); gsub(/[^ "]*\/sockscope-[A-Za-z0-9]+\//, "", s); return s }
    {
        pid = jnum($0, "pid"); role = jstr($0, "role")
        if (!(pid in who)) who[pid] = role (++n[role])
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
            who[pid], pid, jstr($0, "kind"), jnum($0, "seq"), jstr($0, "phase"),
            jstr($0, "call"), jnum($0, "rc"), jstr($0, "errno"), jstr($0, "dir"),
            jnum($0, "bytes"), jnum($0, "lost"), clean(jstr($0, "peer")), jstr($0, "state"),
            jnum($0, "status"), jnum($0, "t_us"), clean(jstr($0, "args")), jstr($0, "reason")
    }' "$1"
}

# q 'AWK PATTERN { ACTION }': awk over the current table ($TAB), each column by
# its name (who, call, rc, err, ...). "x" below stands for "an exit event".
q() {
    local i=0 setup="" c
    for c in $COLS; do i=$((i + 1)); setup="$setup $c = \$$i;"; done
    awk -F'\t' "{ $setup x = kind == \"call\" && phase == \"exit\" } $1" "$TAB"
}
# rcs WHO CALL: the results of WHO's finished CALLs, oldest first, one line.
rcs() { q "x && who == \"$1\" && call == \"$2\" { printf \"%s%s\", n++ ? \" \" : \"\", rc }" ; echo; }
# errs WHO CALL: their errno names ("-" for a call that worked).
errs() { q "x && who == \"$1\" && call == \"$2\" { printf \"%s%s\", n++ ? \" \" : \"\", err == \"\" ? \"-\" : err }"; echo; }
# exit_of WHO: "STATUS REASON" of WHO's exit event; "" when it has none (killed).
exit_of() { q "kind == \"exit\" && who == \"$1\" { print status, reason }"; }
# last_call WHO: "PHASE CALL" of the last call event WHO reported.
last_call() { q "kind == \"call\" && who == \"$1\" { l = phase \" \" call } END { print l }"; }
# calls_named REGEX: how many call events (enter or exit, any peer) have such a name.
calls_named() { q "kind == \"call\" && call ~ /^($1)\$/ { n++ } END { print n + 0 }"; }
# all_nums "LIST" TEST: every number of LIST passes the awk TEST on v ("v > 0").
all_nums() { echo "$1" | awk -v RS=' ' 'NF { v = $1 + 0; if (!('"$2"')) bad = 1; n++ } END { exit bad || !n }'; }
sum_of() { echo "$1" | awk -v RS=' ' 'NF { s += $1 } END { print s + 0 }'; }
count_of() { echo "$1" | awk -v RS=' ' 'NF { n++ } END { print n + 0 }'; }
distinct() { [ "$(echo "$1" | tr ' ' '\n' | grep -c .)" = "$(echo "$1" | tr ' ' '\n' | grep . | sort -u | wc -l)" ]; }

# says WHAT FRAGMENT...: the closing sentence holds each fragment, as is.
says() {
    local what=$1 f; shift
    for f in "$@"; do
        case $SAID in
        *"$f"*) pass ;;
        *) fail "$what: the sentence lacks \"$f\": $SAID" ;;
        esac
    done
}
info() { echo "  $*"; }
matches() { [[ $1 =~ $2 ]]; } # matches STRING ERE

# ---- one run ---------------------------------------------------------------
# left_behind LABEL FILE: nothing of a finished run remains: its private
# directory (so no socket file), no process it started (by the pids its
# events name, and by the directory on a command line).
left_behind() {
    local label=$1 file=$2 dirs pid alive=""
    dirs=$(grep -o "$WORK/sockscope-[A-Za-z0-9]*" "$file" | sort -u)
    check "$label: one private directory, in \$TMPDIR [$(echo $dirs)]" \
        [ "$(echo "$dirs" | grep -c .)" = 1 ]
    check "$label: its private directory is gone" [ ! -e "$dirs" ]
    check "$label: no socket file or directory left in \$TMPDIR" \
        [ -z "$(find "$WORK" -mindepth 1 \( -type s -o -name 'sockscope-*' \) 2>/dev/null)" ]
    for pid in $(started_peers "$file" | cut -d' ' -f2); do
        if kill -0 "$pid" 2>/dev/null; then alive="$alive $pid"; PIDS+=("$pid"); fi
    done
    if [ -n "$dirs" ]; then
        for pid in $(pgrep -f -- "$dirs"); do alive="$alive $pid"; PIDS+=("$pid"); done
    fi
    check "$label: no peer process left [$alive]" [ -z "$alive" ]
}

# run_exp NAME MODE: runs it with --format jsonl; sets TAB, SAID, RUN_RC.
run_exp() {
    local name=$1 mode=$2 out=$WORK/$1-$2 t0 t1 bad
    t0=$(date +%s%N)
    timeout -k 5 30 "$SOCKSCOPE" run --experiment "$name" --mode "$mode" --format jsonl \
        >"$out.jsonl" 2>"$out.err"
    RUN_RC=$?
    t1=$(date +%s%N)
    LABEL="$name $mode"
    TAB=$out.tab
    table "$out.jsonl" >"$TAB"
    SAID=$(sed -n 's/^what it showed: //p' "$out.err")
    info "$LABEL: $(( (t1 - t0) / 1000000 )) ms, $(wc -l <"$out.jsonl") events"
    check "$LABEL: exits 0 (got $RUN_RC; stderr: $(grep -v '^what it showed' "$out.err" | head -c 300))" \
        [ "$RUN_RC" = 0 ]
    bad=$(grep -cv '^{"v":1,.*}$' "$out.jsonl")
    check "$LABEL: stdout is JSON events only ($bad other lines)" [ "$bad" = 0 ]
    check "$LABEL: stderr has the one 'what it showed:' sentence" \
        [ "$(grep -c '^what it showed: ' "$out.err")" = 1 ]
    check "$LABEL: peers reported their calls" [ "$(calls_named '[a-z]+')" -gt 0 ]
    check "$LABEL: calls numbered in order, each exit after its enter" no_seq_problems "$out.jsonl"
    left_behind "$LABEL" "$out.jsonl"
}

# Each peer's calls are numbered 1, 2, ...; each exit follows its own enter.
# A peer may end with one call announced and not finished: it was held at its
# gate, or blocked in the kernel, when it was stopped (seq_problems says
# "call N never finished" for that; anything else it says is a fault).
no_seq_problems() {
    local pid p
    for pid in $(started_peers "$1" | cut -d' ' -f2); do
        p=$(seq_problems "$pid" "$1" | grep -v '^call [0-9]* never finished$')
        [ -z "$p" ] || { echo "  pid $pid: $p" >&2; return 1; }
    done
}

# ---- the experiments -------------------------------------------------------
boundaries() { # MODE
    local send=send recv=recv sends got n sum split
    [ "$1" = dgram ] && send=sendto recv=recvfrom
    sends=$(rcs client1 $send)
    check "$LABEL: the client made exactly 3 $send()s, each = 10 [$sends]" [ "$sends" = "10 10 10" ]
    got=$(rcs server1 $recv)
    n=$(count_of "$got") sum=$(sum_of "$got") split=${got// / + }
    if [ "$1" = stream ]; then
        check "$LABEL: every recv() returned > 0 [$got]" all_nums "$got" 'v > 0'
        check "$LABEL: the recv()s sum to 30 [$got]" [ "$sum" = 30 ]
        check "$LABEL: 1 to 3 recv()s [$n]" [ "$n" -ge 1 -a "$n" -le 3 ]
        info "$LABEL: the kernel split 3 x 10 bytes as $split"
        says "$LABEL" "returned $split:" "$n call$([ "$n" = 1 ] || echo s) for 30 bytes"
    else
        check "$LABEL: exactly 3 recvfrom()s, each = 10 [$got]" [ "$got" = "10 10 10" ]
        says "$LABEL" "returned 10 + 10 + 10:"
    fi
    # The three sends were all made before the server's first read returned:
    # the director lets the server go only once it has seen the third result.
    local order
    order=$(q "x && who == \"client1\" && call == \"$send\" { s = t }
               x && who == \"server1\" && call == \"$recv\" && r == \"\" { r = t }
               END { print (s != \"\" && r != \"\" && s < r) ? \"yes\" : \"no\" }")
    check "$LABEL: all three $send()s returned before the server's first $recv()" [ "$order" = yes ]
}

oversize() {
    local got n sum
    if [ "$1" = stream ]; then
        check "$LABEL: one send() of 4000 [$(rcs client1 send)]" [ "$(rcs client1 send)" = 4000 ]
        got=$(rcs server1 recv)
        n=$(count_of "$got") sum=$(sum_of "$got")
        check "$LABEL: each recv() returned 1..1024 [$got]" all_nums "$got" 'v > 0 && v <= 1024'
        check "$LABEL: the recv()s sum to 4000 [$got]" [ "$sum" = 4000 ]
        check "$LABEL: at least 4 recv()s [$n]" [ "$n" -ge 4 ]
        check "$LABEL: nothing lost [$(q 'kind == "msg" && dir == "in" { printf "%s ", lost }')]" \
            [ "$(q 'kind == "msg" && dir == "in" && lost != 0 { n++ } END { print n + 0 }')" = 0 ]
        says "$LABEL" "returned ${got// / + } ($n calls)" "4000 bytes in all"
    else
        check "$LABEL: one sendto() of 4000 [$(rcs client1 sendto)]" [ "$(rcs client1 sendto)" = 4000 ]
        check "$LABEL: recvfrom() returned 4000, the real length [$(rcs server1 recvfrom)]" \
            [ "$(rcs server1 recvfrom)" = 4000 ]
        got=$(q 'kind == "msg" && who == "server1" && dir == "in" { printf "%s/%s ", bytes, lost }')
        check "$LABEL: its msg event: 1024 bytes kept, 2976 lost [$got]" [ "$got" = "1024/2976 " ]
        got=$(q 'x && who == "client2" && call == "sendto" { print args " = " rc " " err }')
        check "$LABEL: a second client's sendto() of 300000 failed with EMSGSIZE [$got]" \
            matches "$got" ', 300000, .* = -1 EMSGSIZE$'
        check "$LABEL: that client exits 1 [$(exit_of client2)]" [ "$(exit_of client2 | cut -d' ' -f1)" = 1 ]
        says "$LABEL" "returned 4000" "kept 1024" "2976 bytes were lost" "300000 bytes failed with EMSGSIZE"
    fi
}

three_clients() {
    local fds listener a b c peers bound fd
    if [ "$1" = stream ]; then
        fds=$(rcs server1 accept)
        listener=$(rcs server1 socket | cut -d' ' -f1)
        check "$LABEL: 3 accept()s [$fds]" [ "$(count_of "$fds")" = 3 ]
        check "$LABEL: each returned a new fd >= 0 [$fds]" all_nums "$fds" 'v >= 0'
        check "$LABEL: the 3 fds are distinct [$fds]" distinct "$fds"
        check "$LABEL: none is the listener, fd $listener [$fds]" \
            all_nums "$fds" "v != ${listener:--1}"
        for c in client1 client2 client3; do
            check "$LABEL: $c connect() = 0 [$(rcs $c connect)]" [ "$(rcs $c connect)" = 0 ]
        done
        read -r a b c <<<"$fds"
        says "$LABEL" "fd $a, $b and $c" "fd $listener went on listening" "3 clients"
    else
        check "$LABEL: no accept(), listen() or connect() at all [$(calls_named 'accept|listen|connect')]" \
            [ "$(calls_named 'accept|listen|connect')" = 0 ]
        check "$LABEL: 3 recvfrom()s [$(rcs server1 recvfrom)]" [ "$(count_of "$(rcs server1 recvfrom)")" = 3 ]
        peers=$(q 'kind == "msg" && who == "server1" && dir == "in" { printf "%s%s", n++ ? " " : "", peer }')
        check "$LABEL: their msg events name 3 peers [$peers]" [ "$(count_of "$peers")" = 3 ]
        check "$LABEL: 3 distinct peers [$peers]" distinct "$peers"
        bound=$(q 'x && who ~ /^client/ && call == "bind" && rc == 0 { split(args, a, ", "); gsub(/"/, "", a[2]); print a[2] }' | sort | tr '\n' ' ')
        check "$LABEL: the peers are the 3 clients' bound paths [$bound]" \
            [ "$(echo "$peers" | tr ' ' '\n' | sort | tr '\n' ' ')" = "$bound" ]
        fd=$(rcs server1 socket)
        says "$LABEL" "fd $fd, served 3 clients" "(${peers// /, })"
    fi
}

no_server() {
    local reach=connect
    [ "$1" = dgram ] && reach=sendto
    check "$LABEL: the first client's $reach() failed with ENOENT [$(errs client1 $reach)]" \
        [ "$(errs client1 $reach)" = ENOENT ]
    check "$LABEL: the second client's $reach() failed with ECONNREFUSED [$(errs client2 $reach)]" \
        [ "$(errs client2 $reach)" = ECONNREFUSED ]
    check "$LABEL: a server had bound the second one's path [$(rcs server1 bind)]" [ "$(rcs server1 bind)" = 0 ]
    check "$LABEL: and was gone (killed, no exit event) [$(exit_of server1)]" [ -z "$(exit_of server1)" ]
    for c in client1 client2; do
        check "$LABEL: $c exits 1 [$(exit_of $c)]" [ "$(exit_of $c | cut -d' ' -f1)" = 1 ]
    done
    says "$LABEL" "failed with ENOENT" "with ECONNREFUSED"
}

peer_dies() {
    local r e
    if [ "$1" = stream ]; then
        r=$(q 'x && who == "client1" && call == "recv" { l = (rc == -1 ? err : rc) } END { print l }')
        check "$LABEL: the first client's last recv() returned 0 or ECONNRESET [$r]" \
            [ "$r" = 0 -o "$r" = ECONNRESET ]
        info "$LABEL: the killed server's client saw recv() = $r"
        check "$LABEL: its server was killed (no exit event) [$(exit_of server1)]" [ -z "$(exit_of server1)" ]
        e=$(errs client2 send)
        check "$LABEL: a later client's send() failed with EPIPE [$e]" [ "${e##* }" = EPIPE ]
        check "$LABEL: that client exits 1 by itself, not by a signal [$(exit_of client2)]" \
            matches "$(exit_of client2)" '^1 send\(\) failed: EPIPE'
        says "$LABEL" "recv() returned $r" "failed with EPIPE"
    else
        e=$(errs client1 sendto)
        check "$LABEL: the client's sendto() worked, then failed with ECONNREFUSED [$e]" \
            [ "$e" = "- ECONNREFUSED" ]
        check "$LABEL: its server was killed in between (no exit event)" [ -z "$(exit_of server1)" ]
        check "$LABEL: the client exits 1 [$(exit_of client1)]" [ "$(exit_of client1 | cut -d' ' -f1)" = 1 ]
        says "$LABEL" "failed with ECONNREFUSED"
    fi
}

stale_path() {
    local p1 p2 p3 order
    path_of() { q "x && who == \"$1\" && call == \"bind\" { split(args, a, \", \"); print a[2]; exit }"; }
    p1=$(path_of server1) p2=$(path_of server2) p3=$(path_of server3)
    check "$LABEL: all three servers bind() one path [$p1 $p2 $p3]" [ -n "$p1" -a "$p1" = "$p2" -a "$p1" = "$p3" ]
    check "$LABEL: the first bound it [$(rcs server1 bind)] and was killed [$(exit_of server1)]" \
        [ "$(rcs server1 bind)" = 0 -a -z "$(exit_of server1)" ]
    check "$LABEL: the --no-claim server's bind() failed with EADDRINUSE [$(errs server2 bind)]" \
        [ "$(errs server2 bind)" = EADDRINUSE ]
    check "$LABEL: it tried no connect() and no unlink() first" \
        [ "$(q 'kind == "call" && who == "server2" && (call == "connect" || call == "unlink") { n++ } END { print n + 0 }')" = 0 ]
    check "$LABEL: it exits 1 [$(exit_of server2)]" [ "$(exit_of server2 | cut -d' ' -f1)" = 1 ]
    order=$(q 'x && who == "server3" && (call == "connect" || call == "unlink" || call == "bind") {
                   printf "%s%s=%s", n++ ? " " : "", call, rc == -1 ? err : rc }')
    check "$LABEL: then a server's connect() = ECONNREFUSED, unlink() = 0, bind() = 0 [$order]" \
        [ "$order" = "connect=ECONNREFUSED unlink=0 bind=0" ]
    says "$LABEL" "failed with EADDRINUSE" "connect(): ECONNREFUSED" "unlink() = 0" "bind() = 0"
}

backlog() {
    local backlog rows n first late late_rc late_us late_t accept_t ok
    if [ "$1" = dgram ]; then
        check "$LABEL: no accept() or listen() [$(calls_named 'accept|listen')]" [ "$(calls_named 'accept|listen')" = 0 ]
        ok=$(q 'x && who ~ /^client/ && call == "sendto" { printf "%s ", rc }')
        check "$LABEL: 4 clients, one sendto() = 1024 each [$ok]" [ "$ok" = "1024 1024 1024 1024 " ]
        says "$LABEL" "4 clients' sendto()s"
        return
    fi
    backlog=$(q 'x && who == "server1" && call == "listen" { split(args, a, ", "); print a[2] }')
    check "$LABEL: the server listen()s with backlog 2 [$backlog]" [ "$backlog" = 2 ]
    # Per client, in the order they started: "WHO RESULT WAITED_US EXIT_T" of
    # its connect() (RESULT "none", -1s, when it never returned).
    rows=$(q 'kind == "call" && who ~ /^client/ && call == "connect" {
                  if (phase == "enter") { en[who] = t; if (!(who in seen)) { seen[who] = 1; order[++k] = who } }
                  else { ex[who] = t; r[who] = rc }
              }
              END { for (i = 1; i <= k; i++) { w = order[i]
                        print w, (w in ex) ? r[w] : "none", (w in ex) ? ex[w] - en[w] : -1, (w in ex) ? ex[w] : -1 } }')
    accept_t=$(q 'x && who == "server1" && call == "accept" { print t; exit }')
    # A connect() that returned 0 before the server's first accept() returned
    # went through at once (the director lets accept() go only once a client
    # has waited in connect() for 300 ms); the first other one was blocked.
    n=$(echo "$rows" | awk -v a="${accept_t:-}" '
        $2 == 0 && (a == "" || $4 < a - 5000) && !stop { n++; next } { stop = 1 } END { print n + 0 }')
    first=$(echo "$rows" | awk -v n="$n" 'NR == n + 1')
    info "$LABEL: $n connect()s returned 0 at once, backlog $backlog; then: ${first:-none blocked}"
    check "$LABEL: $n connect()s = 0 at once before the first blocked one: 2 or 3 for backlog 2" \
        [ "$n" = 2 -o "$n" = 3 ]
    read -r late late_rc late_us late_t <<<"$first"
    check "$LABEL: the blocked client's connect() returned 0 [$first]" [ "${late_rc:-}" = 0 ]
    check "$LABEL: it waited in connect() 250 ms or more [${late_us:-}]" [ "${late_us:--1}" -ge 250000 ]
    # The two processes time their own calls: the connect() may be timed a
    # few microseconds before accept() is, for the same moment in the kernel.
    check "$LABEL: it returned only once the server's accept() did [$late_t vs $accept_t]" \
        [ -n "$accept_t" -a "${late_t:--1}" -ge $((${accept_t:-0} - 5000)) ]
    says "$LABEL" "backlog of $backlog" "$n connect()s" "Client $((n + 1)) waited" "returned 0"
}

full_queue() {
    local send=send size=16384 made n bytes reads
    [ "$1" = dgram ] && send=sendto size=1024
    made=$(rcs client1 $send)
    n=$(count_of "$made") bytes=$(sum_of "$made")
    check "$LABEL: each finished $send() moved $size bytes [$made]" all_nums "$made" "v == $size"
    if [ "$1" = stream ]; then
        check "$LABEL: several send()s finished [$n]" [ "$n" -ge 2 ]
        says "$LABEL" "$n send()s of 16384 bytes" "($bytes bytes)"
    else
        check "$LABEL: sendto()s finished: max_dgram_qlen + 1 = $((QLEN + 1)) [$n]" [ "$n" = $((QLEN + 1)) ]
        says "$LABEL" "$n datagrams" "max_dgram_qlen is $QLEN"
    fi
    check "$LABEL: then one $send() never returned: its last call is an enter [$(last_call client1)]" \
        [ "$(last_call client1)" = "enter $send" ]
    check "$LABEL: until it was stopped [$(exit_of client1)]" \
        matches "$(exit_of client1)" '^0 stopped by SIGTERM'
    reads=$(q 'x && who == "server1" && (call == "recv" || call == "recvfrom") { n++ } END { print n + 0 }')
    check "$LABEL: the server read nothing [$reads reads]" [ "$reads" = 0 ]
}

echo "max_dgram_qlen: $QLEN"
for name in $EXPERIMENTS; do
    for mode in stream dgram; do
        run_exp "$name" "$mode"
        "${name//-/_}" "$mode"
    done
done

# --format text: the same experiments end stdout with their sentence.
for name in $EXPERIMENTS; do
    for mode in stream dgram; do
        out=$WORK/text-$name-$mode
        timeout -k 5 30 "$SOCKSCOPE" run --experiment "$name" --mode "$mode" >"$out.out" 2>"$out.err"
        rc=$?
        check "$name $mode (text): exits 0 (got $rc)" [ $rc = 0 ]
        check "$name $mode (text): stdout ends with the sentence [$(tail -n 1 "$out.out" | head -c 80)]" \
            sh -c "tail -n 1 '$out.out' | grep -q '^what it showed: .'"
        check "$name $mode (text): stdout starts with the experiment's name" \
            sh -c "head -n 1 '$out.out' | grep -q '^sockscope run: experiment $name, '"
        check "$name $mode (text): no sentence on stderr" [ "$(grep -c 'what it showed' "$out.err")" = 0 ]
        check "$name $mode (text): nothing left in \$TMPDIR" \
            [ -z "$(find "$WORK" -mindepth 1 \( -type s -o -name 'sockscope-*' \))" ]
    done
done

# ---- strace beside the events ----------------------------------------------
# compare_traced PREFIX FILE WHAT: each peer's calls, as strace saw them and
# as its events report them. A peer the director stops (SIGTERM) removes its
# own socket files in its signal handler with a plain unlink(), which it does
# not report as a call: its exit event says "its socket files removed". So the
# calls are compared up to the signal; after it, strace must show only those
# unlink()s, of the paths the peer itself bound. A call the signal
# interrupted (strace: "= ? ERESTART...") never returned to the program: its
# events must show that call entered and never finished.
compare_traced() {
    local prefix=$1 t=$2 what=$3 by_strace by_events role pid f n intr unfinished mine after
    by_strace=$(strace_peers "$prefix")
    by_events=$(started_peers "$t")
    check "$what: strace saw the peers the events name [$(echo $by_strace)]" \
        [ -n "$by_strace" -a "$by_events" = "$by_strace" ]
    while read -r role pid; do
        [ -n "$pid" ] || continue
        f=$prefix.$pid
        awk '/^--- SIG(TERM|INT|HUP) /{ exit } { print }' "$f" >"$f.before"
        intr=""
        if tail -n 1 "$f.before" | grep -q '= ? ERESTART'; then
            intr=$(tail -n 1 "$f.before" | sed 's/(.*//')
            sed -i '$d' "$f.before"
        fi
        strace_calls "$f.before" >"$f.strace"
        trace_calls "$pid" "$t" >"$f.trace"
        n=$(wc -l <"$f.trace")
        if diff "$f.strace" "$f.trace" >"$f.diff"; then
            pass
        else
            fail "$what $role (pid $pid): strace (<) and the reported calls (>) differ:"
            sed 's/^/    /' "$f.diff" >&2
        fi
        unfinished=$(awk -v pid="$pid" "$AWK_LIB"'jnum($0, "pid") == pid && jstr($0, "kind") == "call" {
            l = jstr($0, "phase") == "enter" ? jstr($0, "call") : "" } END { print l }' "$t")
        case $unfinished in send) unfinished=sendto ;; recv) unfinished=recvfrom ;; esac
        if [ -n "$intr" ]; then
            check "$what $role (pid $pid): the call the signal interrupted, $intr(), is the one its events left unfinished [$unfinished]" \
                [ "$intr" = "$unfinished" ]
        fi
        # After the stop signal: the unlink() of each path it bound, nothing else.
        after=$({ grep -m 1 '^execve(.*) = 0$' "$f"; sed -n '/^--- SIG\(TERM\|INT\|HUP\) /,$p' "$f"; } |
            strace_calls /dev/stdin)
        mine=$(trace_calls "$pid" "$t" | sed -n 's/^bind [0-9]* \(".*"\) = 0$/unlink \1 = 0/p')
        if grep -q '^--- SIG\(TERM\|INT\|HUP\) ' "$f"; then
            if [ -z "$after" ] && [ -n "$mine" ] && trace_calls "$pid" "$t" | tail -n 1 | grep -q '^bind .* = 0$'; then
                # Stopped just after its bind() returned, before it took the
                # file as its own (peer_own_path): it removed nothing, though
                # its exit event says so; the director removes the file.
                info "NOTE: $what $role (pid $pid): stopped right after bind(): its handler removed no file, its exit event still says \"its socket files removed\""
                pass
            else
                check "$what $role (pid $pid): after the stop signal, only the unlink() of its own files [$(echo $after)]" \
                    [ "$after" = "$mine" ]
            fi
            check "$what $role (pid $pid): and its exit event says so" \
                grep -q "\"pid\":$pid,\"kind\":\"exit\",\"status\":0,\"reason\":\"stopped by SIG[A-Z]*; its socket files removed\"" "$t"
            [ -z "$after" ] || UNREPORTED=$((UNREPORTED + $(echo "$after" | grep -c .)))
        fi
        TRACED_CALLS=$((TRACED_CALLS + n))
    done <<<"$by_strace"
}

if ! command -v strace >/dev/null || ! strace -f -o /dev/null true 2>/dev/null; then
    echo "SKIP (strace part only): strace is missing or cannot trace here"
else
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
    TRACED_CALLS=0 UNREPORTED=0
    for name in boundaries three-clients stale-path full-queue; do
        for mode in stream dgram; do
            P=$WORK/st-$name-$mode
            T=$WORK/st-$name-$mode.jsonl
            "${TRACED[@]}" -o "$P" timeout -k 5 60 "$SOCKSCOPE" run --experiment "$name" --mode "$mode" \
                --format jsonl >"$T" 2>"$P.err"
            rc=$?
            check "$name $mode under strace: exits 0 (got $rc)" [ $rc = 0 ]
            compare_traced "$P" "$T" "$name $mode (strace)"
            left_behind "$name $mode (strace)" "$T"
            if [ $name = full-queue ]; then
                # The last send was in the kernel, blocked, when the peer was stopped.
                pid=$(started_peers "$T" | sed -n 's/^client //p')
                check "$name $mode (strace): the client's last sendto() was still blocked in the kernel" \
                    sh -c "awk '/^--- SIGTERM /{ exit } { l = \$0 } END { print l }' '$P.$pid' | grep -q '^sendto(.* = ? ERESTART'"
            fi
        done
    done
    info "strace: $TRACED_CALLS reported calls compared; $UNREPORTED unlink()s in stop handlers not reported as calls"

    # oversize measures what the buffer kept once the server has settled: its
    # msg line comes after its recvfrom() has returned. Here strace holds
    # each process's first recvfrom() 300 ms in the kernel after it has the
    # datagram, so a measurement taken before the server's msg line is read
    # (on its recvfrom()'s enter, or on a timeout) would say "kept 0".
    P=$WORK/slow-oversize
    if ! strace -qq -o /dev/null -e trace=write -e inject=write:delay_exit=1:when=1 true 2>/dev/null; then
        info "SKIP (slow oversize): this strace cannot delay calls"
    else
        timeout -k 5 60 strace -f -qq -o /dev/null -e trace=recvfrom -e inject=recvfrom:delay_exit=300000:when=1 \
            "$SOCKSCOPE" run --experiment oversize --mode dgram --format jsonl >"$P.jsonl" 2>"$P.err"
        rc=$?
        check "oversize dgram, server slowed: exits 0 (got $rc)" [ $rc = 0 ]
        pid=$(started_peers "$P.jsonl" | sed -n 's/^server //p' | head -n 1)
        got=$(grep "\"pid\":$pid," "$P.jsonl" | awk -F'"t_us":' '/"phase":"enter","call":"recvfrom"/ && !e { split($2, a, ","); e = a[1] }
            /"kind":"msg"/ && e && !m { split($2, a, ","); m = a[1] } END { print (e && m) ? m - e : -1 }')
        check "oversize dgram, server slowed: its msg line came >= 250 ms after recvfrom() began [$got us]" \
            [ "$got" -ge 250000 ]
        SAID=$(sed -n 's/^what it showed: //p' "$P.err")
        says "oversize dgram, server slowed" "kept 1024" "2976 bytes were lost"
        left_behind "oversize dgram, server slowed" "$P.jsonl"
    fi
fi

info "took $(( $(date +%s) - START )) s"
finish
