#!/usr/bin/env bash
# The ways out the lab cannot take the clean way. A crash signal (SIGSEGV,
# SIGABRT) restores the terminal, says so in one line, stops the peers and
# dies by that signal (so a core dump still happens). SIGKILL leaves the
# terminal in the alternate screen (the README says: reset, or tput rmcup;
# tput cnorm) and the empty private directory, which the next start removes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/wrapped.sh"

for sig in SEGV ABRT; do
    start_wrapped 80 24
    check "$sig: starts" wait_screen 5 'next: socket\(\)'
    check "$sig: a step" step 'bind\(.*next'
    lab=$(lab_pid) peers=$(peer_pids)
    check "$sig: the lab ($lab) and two peers ($peers)" [ -n "$lab" -a "$(wc -w <<<"$peers")" = 2 ]
    check "$sig: the lab is in the alternate screen, cursor hidden" \
        [ "$(pane_flag alternate_on) $(pane_flag cursor_flag)" = "1 0" ]
    kill -"$sig" "$lab"
    check "$sig: the lab ends" wait_for_dead
    num=$(kill -l "$sig")
    check "$sig: exit status 128+$num (got $(pane_status))" [ "$(pane_status)" = $((128 + num)) ]
    check "$sig: one line on stderr says so" wait_screen 2 "^sockscope: crashed with SIG$sig; the terminal was restored$"
    check "$sig: that line once" [ "$(screen | grep -c 'crashed with')" = 1 ]
    check "$sig: the normal screen is back" [ "$(pane_flag alternate_on)" = 0 ]
    check "$sig: the cursor shows" [ "$(pane_flag cursor_flag)" = 1 ]
    check "$sig: the lab's screen is gone" lacks "$(screen)" 'F1Help'
    check "$sig: the terminal's modes are as before (stty -g)" stty_same
    check "$sig: the peers are stopped ($(alive $peers))" within 3 none alive $peers
    check "$sig: no zombie ($(zombies $lab $(pane_pid)))" none zombies $lab $(pane_pid)
    check "$sig: no process names the private directory ($(ours_running))" within 3 none ours_running
    check "$sig: no socket file ($(sockets_left))" none sockets_left
    check "$sig: no private directory ($(dirs_left))" none dirs_left
done

# SIGKILL: nothing of the lab's can run. The peers die with it (PDEATHSIG)
# and remove their sockets; the directory and the terminal's modes stay.
rm -rf $(dirs_left) # (a crash above that failed to remove its own: not this part's business)
start_wrapped 80 24
check "KILL: starts" wait_screen 5 'next: socket\(\)'
check "KILL: a step" step 'bind\(.*next'
lab=$(lab_pid) peers=$(peer_pids) dir=$(dirs_left)
check "KILL: the lab ($lab), two peers ($peers), its directory ($dir)" \
    [ -n "$lab" -a "$(wc -w <<<"$peers")" = 2 -a "$(wc -w <<<"$dir")" = 1 ]
dir=${dir% }
kill -KILL "$lab"
check "KILL: the lab ends" wait_for_dead
check "KILL: exit status 137 (got $(pane_status))" [ "$(pane_status)" = 137 ]
check "KILL: the peers died with it ($(alive $peers))" within 3 none alive $peers
check "KILL: no socket file ($(sockets_left))" within 3 none sockets_left
check "KILL: the directory is left behind" test -d $dir
check "KILL: the terminal is left in the alternate screen, cursor hidden" \
    [ "$(pane_flag alternate_on) $(pane_flag cursor_flag)" = "1 0" ]
# What the README says to type: tput rmcup; tput cnorm (here written to the pane's terminal).
tty=$(pane_flag pane_tty) term=$($TM show-options -gv default-terminal)
TERM=$term tput rmcup >"$tty"; TERM=$term tput cnorm >"$tty"
check "KILL: tput rmcup; tput cnorm give the terminal back" \
    [ "$(pane_flag alternate_on) $(pane_flag cursor_flag)" = "0 1" ]
# The next start removes the directory SIGKILL left.
start_wrapped 80 24
check "KILL: the next lab starts" wait_screen 5 'next: socket\(\)'
check "KILL: the next start removed the stale directory $dir" [ ! -e "$dir" ]
check "KILL: only the new lab's directory is there ($(dirs_left))" [ "$(wc -w <<<"$(dirs_left)")" = 1 ]
keys q
check "KILL: the next lab quits" wait_for_dead
check "KILL: exit status 0 (got $(pane_status))" [ "$(pane_status)" = 0 ]
check "KILL: nothing left" nothing_left
finish
