#!/usr/bin/env bash
# Without colour (NO_COLOR), without UTF-8 (LANG=C), and without a terminal.
. "$(dirname "$0")/lib.sh"
check "tmux starts the lab (no colour, no UTF-8)" start 80 24 NO_COLOR=1 LANG=C LC_ALL=C
check "ASCII lines without a UTF-8 locale" wait_screen 5 'next: socket\(\) *\| client'
check "ASCII rules" wait_screen 2 '^-- step -+ stream \(SOCK_STREAM\) -+ datagram \(SOCK_DGRAM\) -+$'
check "ASCII marks the side Space moves with >" wait_screen 2 '^> server pid [0-9]+ - next: socket\(\) +\| client pid [0-9]+ - waits at socket\(\)'
check "and its call" wait_screen 2 '^> 1 socket\(AF_UNIX, SOCK_STREAM, 0\) +next\|'
check "ASCII why rule" wait_screen 2 '^-- why: socket\(\) on the server -+$'
check "ASCII path tail" wait_screen 2 '^ sockscope  STREAM - SOCK_STREAM( - AF_UNIX)?  step mode +sockscope-'
# One step: the server's socket() is made and shows its result (before it,
# the line starts with the ">" of the next call).
check "steps without colour" step '^ +1 socket\(AF_UNIX, SOCK_STREAM, 0\) += [0-9]'
quit_clean

# Starting in datagram mode, drawn in ASCII on request.
check "tmux starts the lab (--mode dgram --ascii)" start 80 24 -- --mode dgram --ascii
check "--mode dgram opens on datagram" wait_screen 5 '^ sockscope  DATAGRAM - SOCK_DGRAM( - AF_UNIX)?  step mode '
check "--ascii draws ASCII in a UTF-8 locale" wait_screen 2 'next: socket\(\) *\| client'
quit_clean

# Ctrl+C mid-step: the terminal sends SIGINT to the lab and its peers alike.
check "tmux starts the lab" start 80 24
check "started again" wait_screen 5 'next: socket\(\)'
check "a step" step 'bind\(.*next'
check "Ctrl+C typed" keys C-c
check "Ctrl+C quits" wait_for_dead
check "exit status 0 after Ctrl+C" [ "$(pane_status)" = 0 ]
check "nothing left after Ctrl+C" nothing_left

out=$("$SOCKSCOPE" </dev/null 2>&1 >/dev/null); rc=$?
check "no terminal: exit 2 (got $rc)" [ $rc = 2 ]
check "no terminal: points to run" grep -q "sockscope run" <<<"$out"
out=$(TERM=no-such-terminal script -qec "$SOCKSCOPE" /dev/null 2>&1); rc=$?
check "unknown TERM: exit 2, as with no terminal (got $rc)" [ $rc = 2 ]
check "unknown TERM: clear message" grep -q "curses cannot use this terminal" <<<"$out"
finish
