#!/usr/bin/env bash
# Every way out of the lab, and the ways it must go on: q, Ctrl+C, SIGTERM,
# SIGHUP (tmux kill-session closes the terminal), SIGKILL of the lab (the
# next start cleans up), SIGKILL of each peer, SIGSTOP then SIGCONT of a
# peer, 50 rapid Tabs, 20 rapid restarts during a burst. After each: no
# process of ours left (the pids the screen showed, and `pgrep -f` on the
# private directory), no zombie (a child of the lab or of the pane's shell
# in state Z), no socket file, no private directory, the terminal's modes
# (`stty -g` in the pane) as before. One row of the table a path, printed
# as it goes. (run, server and client: tests/integration/exit_paths.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/wrapped.sh"

printf '%-30s %-5s %-15s %-8s %-26s %s\n' "path" "exit" "processes left" "zombies" "files left" "terminal same"
# begin: a fresh lab, stepped once (the server has made its socket); its
# pid in LAB, the pane's shell in SH, the pids shown in SEEN.
begin() {
    start_wrapped 80 24
    check "$1: starts" wait_screen 5 'next: socket\(\)'
    check "$1: a step" step 'bind\(.*next'
    LAB=$(lab_pid) SH=$(pane_pid) SEEN=$(peer_pids)
    check "$1: the lab ($LAB) and two peers ($SEEN)" [ -n "$LAB" -a "$(wc -w <<<"$SEEN")" = 2 ]
}
# see: adds the pids the screen shows now to SEEN.
see() { SEEN="$SEEN $(peer_pids)"; }
leftover() { alive $LAB $SEEN; ours_running; }
files_left() { sockets_left; dirs_left; }
# ended PATH EXIT [TERMINAL]: the lab has ended with that status; nothing of
# it is left; the row. TERMINAL: what the terminal's modes should be (same,
# gone: the terminal closed, or any: not checked, as after SIGKILL).
ended() {
    local path=$1 want=$2 term=${3:-same} rc left z f same
    check "$path: the lab ends" wait_for_dead
    rc=$(pane_status)
    check "$path: exit status $want (got $rc)" [ "$rc" = "$want" ]
    check "$path: no process left ($(leftover))" within 5 none leftover
    left=$(leftover | wc -w) z=$(zombies $LAB $SH | wc -w) f=$(files_left)
    check "$path: no zombie" [ "$z" = 0 ]
    check "$path: no socket file or private directory ($f)" [ -z "$f" ]
    if [ "$(cat "$WORK/stty.after" 2>/dev/null)" = gone ]; then same="n/a (closed)"
    elif stty_same; then same=yes
    else same=no; fi
    case $term in
    same) check "$path: the terminal's modes as before" [ "$same" = yes ] ;;
    gone) check "$path: the terminal closed" [ "$same" = "n/a (closed)" ] ;;
    esac
    [ "$term" = any ] && [ "$same" = no ] && same="no (reset)"
    f=${f//$WORK\//}
    printf '%-30s %-5s %-15s %-8s %-26s %s\n' "$path" "$rc" "$left" "$z" "${f:-0}" "$same"
}
# quit_row PATH: the lab went on through the path: q, then the row.
quit_row() {
    check "$1: the lab still runs" kill -0 "$LAB"
    check "$1: the lab reaped what it stopped ($(zombies $LAB))" within 3 none zombies $LAB
    keys q
    ended "$1" 0
}

begin q
keys q
ended "q" 0

begin Ctrl+C
keys C-c
ended "Ctrl+C" 0

begin SIGTERM
kill -TERM "$LAB"
ended "SIGTERM" 0

begin SIGHUP
$TM kill-session -t lab
ended "SIGHUP (kill-session)" 0 gone

# SIGKILL of the lab: the peers die with it, the terminal stays in its
# modes (the README says: reset), the directory stays until the next start.
begin SIGKILL
kill -KILL "$LAB"
check "SIGKILL: the lab ends" wait_for_dead
rc=$(pane_status)
check "SIGKILL: exit status 137 (got $rc)" [ "$rc" = 137 ]
check "SIGKILL: its peers die with it ($(leftover))" within 5 none leftover
left=$(leftover | wc -w) z=$(zombies $LAB $SH | wc -w)
check "SIGKILL: no zombie" [ "$z" = 0 ]
stale=$(dirs_left) stale=${stale% }
check "SIGKILL: its directory is left ($stale)" [ -n "$stale" -a "$(wc -w <<<"$stale")" = 1 ]
check "SIGKILL: no socket file ($(sockets_left))" none sockets_left
same="no (reset)"
stty_same && same=yes
begin "SIGKILL, next start"
check "SIGKILL: the next start removed the directory left" [ ! -e "$stale" ]
f=$(find "$WORK" -mindepth 1 -maxdepth 1 -name 'sockscope-*' ! -newer "$WORK/stty.before" | tr '\n' ' ')
f=${f//$WORK\//}
printf '%-30s %-5s %-15s %-8s %-26s %s\n' "SIGKILL of the lab" "$rc" "$left" "$z" "${f:-0} (next start)" "$same"
keys q
ended "next start, q" 0

# SIGKILL of each peer: the lab shows it and goes on.
for side in server client; do
    begin "SIGKILL $side"
    pid=$(screen | grep -oE "$side pid [0-9]+" | head -n 1 | awk '{ print $3 }')
    kill -KILL "$pid"
    check "SIGKILL $side: the lab shows it" wait_screen 5 "$side pid $pid · killed by SIGKILL"
    quit_row "SIGKILL of the $side"
done

# SIGSTOP of a peer, a step it cannot make, SIGCONT: the step happens, and
# the next one works.
begin SIGSTOP
server=$(screen | grep -oE 'server pid [0-9]+' | head -n 1 | awk '{ print $3 }')
kill -STOP "$server"
keys Space
sleep 0.5
check "SIGSTOP: the stopped server has not made its bind()" lacks "$(screen)" '2 bind\(.*= 0'
kill -CONT "$server"
check "SIGCONT: the step happens" wait_screen 5 '2 bind\(5, "…/stream-server.sock"\) += 0'
check "SIGCONT: the next step works too" step '3 listen\(5, [0-9]+\) += 0'
quit_row "SIGSTOP, SIGCONT of server"

# 50 Tabs at once: stream, datagram, ... and stream again, two peers.
begin Tab
keys $(printf 'Tab %.0s' $(seq 1 50))
# at_rest MODE: the screen shows that mode and the lab's two children, and
# those are the only processes of the private directory, for that mode.
at_rest() {
    local kids
    kids=$(pgrep -P "$LAB" | sort -n | tr '\n' ' ')
    screen | grep -q "^ sockscope  $1 " && [ "$(wc -w <<<"$kids")" = 2 ] &&
        [ "$(peer_pids)" = "$kids" ] && [ "$(ours_running | wc -w)" = 2 ] &&
        [ "$(pgrep -f "$WORK/sockscope-.*/${1,,}-server.sock" | wc -l)" = 2 ]
}
check "50 Tabs: back in stream mode, two peers, nothing else" within 20 at_rest STREAM
sleep 1
see
check "50 Tabs: and so it stays" at_rest STREAM
check "50 Tabs: a step still works" step 'next'
quit_row "50 rapid Tabs"

# A burst, and 20 restarts at once during it (each but the last followed by
# another burst, so that every one lands in a burst).
begin restart
keys b
bursting() { local n; n=$(counter client sent); [ "${n:-0}" -gt 0 ]; }
check "the burst has begun" within 5 bursting
keys $(printf 'r b %.0s' $(seq 1 19)) r
check "20 restarts: step mode, two peers, nothing else" within 20 at_rest STREAM
sleep 1
see
check "20 restarts: and so it stays" at_rest STREAM
check "20 restarts: the server waits at socket()" wait_screen 10 'server pid [0-9]+ · next: socket\(\)'
check "20 restarts: a step works" step '1 socket\(AF_UNIX, SOCK_STREAM, 0\) += [0-9]'
quit_row "20 restarts in a burst"
finish
