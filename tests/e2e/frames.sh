#!/usr/bin/env bash
# One write() a frame: the lab under strace (the lab alone, not its peers),
# at 80x24, stepped with Space in both modes, Tab, a burst of 100, the help
# screen and back, then q. A frame is what the lab writes to the terminal
# between two of its main loop's waits (a poll() of the keyboard alone with
# no timeout, as getch() makes, does not count: that is not a wait). Each
# frame must be one write(), or as many as it fills curses' own output
# buffer of (LINES + 2) x (COLS + 6) bytes, with a bigger frame: never a
# write() a row. Nothing here is timed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/procs.sh" # need_strace
need_strace
TRACE=$WORK/trace
LAB_BIN=$SOCKSCOPE
SOCKSCOPE=$(command -v strace)
start 80 24 -- -qq -o "$TRACE" -e trace=write,poll,ppoll,epoll_wait,epoll_pwait,select,pselect6 "$LAB_BIN"
SOCKSCOPE=$LAB_BIN
check "starts" wait_screen 10 'next: socket\(\)'
for i in 1 2 3 4 5 6; do press Space; done
check "stepped: the server is in accept()" shows 'accept\('
keys Tab
check "Tab: datagram" wait_screen 10 'DATAGRAM · SOCK_DGRAM'
for i in 1 2 3 4; do press Space; done
keys b
check "a burst of 100" wait_counters 60 client "100 102400 100 102400 100 100 0 0"
check "after the burst: step mode" wait_screen 5 'AF_UNIX  step mode'
press F1
press Space
keys q
check "quits" wait_for_dead
check "exit status 0 (got '$(pane_status)')" [ "$(pane_status)" = 0 ]

# frames: "WRITES BYTES" for each frame, the first (set-up and the first
# screen) and the last (giving the terminal back) left out.
frames() {
    awk '
        /^(poll|ppoll|epoll_wait|epoll_pwait|select|pselect6)\(/ {
            if ($0 ~ /^poll\(\[\{fd=0, events=POLLIN\}\], 1, 0\)/) next # getch(), not a wait
            if (seen && n) print n, bytes
            seen = 1; n = 0; bytes = 0; next
        }
        /^write\(1, / { n++; sub(/.*= /, ""); bytes += $0 }
    ' "$TRACE" | sed '$d'
}
LIMIT=$(((24 + 2) * (80 + 6)))
FRAMES=$(frames)
count=$(wc -l <<<"$FRAMES")
check "the trace shows frames ($count)" [ "$count" -ge 20 ]
# over: the frames that took more write()s than their size needs.
over() { awk -v limit="$LIMIT" '{ need = 1 + int($2 / (limit - 1)); if ($1 > need) print }' <<<"$FRAMES"; }
check "every frame one write(), or one a full buffer (over: $(over | head -n 5 | tr '\n' ';'))" [ -z "$(over)" ]
single=$(awk '$1 == 1' <<<"$FRAMES" | wc -l)
echo "frames: $count, of one write(): $single, bytes at most $(sort -n -k2 <<<"$FRAMES" | tail -n 1 | cut -d' ' -f2)"
finish
