#!/usr/bin/env bash
# Without colour (NO_COLOR), without UTF-8 (LANG=C), and without a terminal.
. "$(dirname "$0")/lib.sh"
start 80 24 NO_COLOR=1 LANG=C LC_ALL=C
check "ASCII lines without a UTF-8 locale" wait_screen 5 'next: socket\(\) *\| client'
check "ASCII rules" wait_screen 2 "^-- the lesson's table"
check "steps without colour" step '^> +4 accept|^ +1 socket'
quit_clean

# Starting in datagram mode, drawn in ASCII on request.
start 80 24 -- --mode dgram --ascii
check "--mode dgram opens on datagram" wait_screen 5 'DATAGRAM - SOCK_DGRAM - AF_UNIX  step mode'
check "--ascii draws ASCII in a UTF-8 locale" wait_screen 2 'next: socket\(\) *\| client'
quit_clean

# Ctrl+C mid-step: the terminal sends SIGINT to the lab and its peers alike.
start 80 24
check "started again" wait_screen 5 'next: socket\(\)'
check "a step" step 'bind\(.*next'
keys C-c
check "Ctrl+C quits" wait_for_dead
check "exit status 0 after Ctrl+C" [ "$(pane_status)" = 0 ]
check "nothing left after Ctrl+C" nothing_left

out=$("$SOCKSCOPE" </dev/null 2>&1 >/dev/null); rc=$?
check "no terminal: exit 2 (got $rc)" [ $rc = 2 ]
check "no terminal: points to run" grep -q "sockscope run" <<<"$out"
out=$(TERM=no-such-terminal script -qec "$SOCKSCOPE" /dev/null 2>&1); rc=$?
check "unknown TERM: clear message" grep -q "curses cannot use this terminal" <<<"$out"
finish
