# wrapped.sh: the lab in a pane whose shell outlives it, for the tests of
# its ways out (crash.sh, exit_paths.sh). Source it after lib.sh.
#
# start_wrapped COLS LINES [-- ARGS...]: like start, but the pane's shell
# records `stty -g` before the lab (stty.before) and after it (stty.after,
# "gone" when the terminal has gone), then its exit status, and stays (at
# most 2 minutes; the next start or the cleanup ends it): the pane's modes
# (alternate screen, cursor) can be read once the lab is gone. It outlives
# SIGINT and SIGHUP while the lab runs, to record how the lab ended.
# The pane starts in WORK, so a core dump goes with it (and so SOCKSCOPE
# is made absolute).
case $SOCKSCOPE in /*) ;; *) SOCKSCOPE=$PWD/$SOCKSCOPE ;; esac
start_wrapped() {
    local cols=$1 lines=$2; shift 2
    [ "${1:-}" = -- ] && shift
    tmux_fresh
    rm -f "$WORK/status" "$WORK/stty.before" "$WORK/stty.after"
    SCREEN= SCREEN_E=
    $TM new-session -d -c "$WORK" -x "$cols" -y "$lines" -s lab \
        sh -c 'w=$0; trap : INT HUP; stty -g >"$w/stty.before"; "$@"; rc=$?
               stty -g >"$w/stty.after" 2>/dev/null || echo gone >"$w/stty.after"
               echo $rc >"$w/status"; trap - INT HUP
               [ "$(cat "$w/stty.after")" = gone ] && exit 0
               i=0; while [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done' \
        "$WORK" env LANG=C.UTF-8 TMPDIR="$WORK" "$SOCKSCOPE" "$@"
}
# pane_pid: the pane's shell; lab_pid: the lab it runs (empty when none).
pane_pid() { $TM display-message -p -t lab '#{pane_pid}' 2>/dev/null; }
lab_pid() { local p; p=$(pane_pid) && [ -n "$p" ] && pgrep -P "$p" | head -n 1; }
# peer_pids: the lab's peers, as its screen shows them ("server pid N").
peer_pids() { screen | grep -oE '(server|client) pid [0-9]+' | awk '{ print $3 }' | sort -u | tr '\n' ' '; }
# pane_flag NAME: a tmux pane flag (alternate_on: 1 in the alternate screen;
# cursor_flag: 1 when the cursor shows).
pane_flag() { $TM display-message -p -t lab "#{$1}" 2>/dev/null; }
# stty_same: the terminal's modes after the lab are those before it.
stty_same() { [ -s "$WORK/stty.before" ] && cmp -s "$WORK/stty.before" "$WORK/stty.after"; }
. "$(dirname "${BASH_SOURCE[0]}")/../lib/procs.sh" # alive, zombies
# ours_running: processes whose arguments name a private directory of this test.
ours_running() { pgrep -f "$WORK/sockscope-" | tr '\n' ' '; }
# sockets_left, dirs_left: socket files and private directories in WORK.
sockets_left() { find "$WORK" -type s ! -path "$WORK/tmux.sock" | tr '\n' ' '; }
dirs_left() { find "$WORK" -mindepth 1 -maxdepth 1 -name 'sockscope-*' -type d | tr '\n' ' '; }
# within SECONDS COMMAND...: until the command succeeds, polling every 50 ms.
within() {
    local limit=$(( $1 * 20 )) i; shift
    for ((i = 0; i < limit; i++)); do "$@" && return 0; sleep 0.05; done
    return 1
}
none() { [ -z "$("$@")" ]; }
