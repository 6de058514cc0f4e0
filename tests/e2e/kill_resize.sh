#!/usr/bin/env bash
# k kills a side and the other reacts; the terminal shrinks below 80x24 and
# grows back; help opens and closes; Ctrl+C-like SIGTERM leaves cleanly.
. "$(dirname "$0")/lib.sh"
start 80 24
check "starts" wait_screen 5 'next: socket\(\)'
keys s
check "one exchange done" wait_counters 5 client "1 1024 1 1024 1 1 0 0"
keys k
check "asks which side" wait_screen 5 'Kill with SIGKILL: s the server, c the client'
keys c
check "client killed" wait_screen 5 'client pid [0-9]+ · killed by SIGKILL'
check "the key bar says what happened" wait_screen 2 '^client killed with SIGKILL: watch the server +F1Help$'
settle
check "the send() it was about to make is not made" grep -qx '6 send not made' <(calls client)
check "server's next call is recv(), and Space moves it" wait_screen 5 '^▶ server pid [0-9]+ · next: recv\(\)'
check "server sees recv() = 0" step '^  9 recv\([0-9]+, buf, 1024, 0\) += 0 *│'
check "server pane says peer closed" wait_screen 5 '· peer closed: recv\(\) returned 0'
check "next it closes the accepted socket" wait_screen 5 '^▶ server pid [0-9]+ · next: close\(\)'
check "the status line says the client has gone" shows '^the client has exited: r starts both sides again +F1Help$'
check "counters: the server's recv() = 0 counts as a call, not a message" counters_are server "1 1024 1 1024 1 2 0 0"
keys F1
check "help lists every key" wait_screen 5 'sockscope help: every key'
check "help has the kill key" wait_screen 2 'kill a side with SIGKILL'
check "help at 80x24 lists every key, down to quit" wait_screen 2 'q F10 +quit: stops both sides'
keys x
check "help closes" wait_screen 5 '^── step ─+ stream \(SOCK_STREAM\)'
$TM resize-window -t lab -x 60 -y 20
check "too small says so" wait_screen 5 'needs at least 80x24; this terminal is 60x20'
# Space there would make a call nobody can see: it is not taken.
keys Space
sleep 0.3
$TM resize-window -t lab -x 100 -y 30
check "grows back" wait_screen 5 '^── step ─+ stream \(SOCK_STREAM\) ─+ datagram \(SOCK_DGRAM\)'
check "title at 100 columns, with room for AF_UNIX" wait_screen 5 '^ sockscope  STREAM · SOCK_STREAM · AF_UNIX  step mode '
check "the panes kept their lines" wait_screen 2 '^ +9 recv\([0-9]+, buf, 1024, 0\) += 0 *│'
check "the Space typed while too small made no call" \
    wait_screen 2 '^▶ server pid [0-9]+ · next: close\(\)'
# The pane runs sh, and sh runs the lab: signal this test's own lab only.
pid=$(pgrep -P "$($TM display-message -p -t lab '#{pane_pid}')")
check "found the lab's pid" [ -n "$pid" ]
kill -TERM "$pid"
check "SIGTERM quits" wait_for_dead
check "exit status 0 after SIGTERM" [ "$(pane_status)" = 0 ]
check "no process, socket file or directory left" nothing_left
finish
