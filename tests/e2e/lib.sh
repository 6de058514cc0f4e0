# lib.sh: what the screen tests share. The real program runs in a private
# tmux server; we type with send-keys and read with capture-pane, as a
# person would. Every wait is bounded; the trap cleans up.
set -u
SOCKSCOPE=${1:?usage: test.sh SOCKSCOPE}
if ! command -v tmux >/dev/null; then
    echo "SKIP: tmux is not installed (apt-get install tmux)"
    exit 77
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sockscope-e2e.XXXXXX")
# tmux's own socket lives in WORK, so it goes with it.
TM="tmux -S $WORK/tmux.sock -f /dev/null"
FAILED=0
PASSED=0

cleanup() {
    $TM kill-server 2>/dev/null
    pkill -KILL -f "$WORK" 2>/dev/null
    # The pane's wrapper may still be writing its status file: try again
    # until the directory is really gone (bounded).
    for ((i = 0; i < 40; i++)); do
        rm -rf "$WORK" 2>/dev/null
        [ -e "$WORK" ] || break
        sleep 0.05
    done
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; FAILED=$((FAILED + 1)); }
pass() { PASSED=$((PASSED + 1)); }
check() {
    local what=$1; shift
    if "$@"; then pass; else fail "$what"; screen | sed 's/^/    | /' >&2; fi
}
finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit $?
}

# start COLS LINES [ENV=VALUE...] [-- ARGS...]: the lab in a fresh pane of that size.
start() {
    local cols=$1 lines=$2 args=(); shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
    [ "${1:-}" = -- ] && shift && args=("$@")
    $TM kill-session -t lab 2>/dev/null
    rm -f "$WORK/status"
    # tmux's own TERM, so keys arrive as curses expects them; the wrapper
    # keeps the real exit status, and outlives a Ctrl+C (a trap with a
    # command: its children still get SIGINT's default action).
    $TM new-session -d -x "$cols" -y "$lines" -s lab \
        sh -c 'trap : INT; "$@"; echo $? >"$0/status"' "$WORK" env LANG=C.UTF-8 TMPDIR="$WORK" "${envs[@]}" "$SOCKSCOPE" "${args[@]}"
}
screen() { $TM capture-pane -p -t lab 2>/dev/null; }
left() { screen | cut -c1-40; }
keys() { $TM send-keys -t lab "$@"; }
# wait_screen SECONDS PATTERN: until the screen shows the pattern (grep -E).
wait_screen() {
    local limit=$(( $1 * 20 )) pattern=$2
    for ((i = 0; i < limit; i++)); do
        screen | grep -qE -- "$pattern" && return 0
        sleep 0.05
    done
    return 1
}
# step PATTERN: one Space, then wait for what it should show.
step() { keys Space; wait_screen 5 "$1"; }
pane_dead() { [ -s "$WORK/status" ]; }
pane_status() { cat "$WORK/status" 2>/dev/null; }
# counter ROLE WHICH: a number from the counters (WHICH: sent or received).
counter() { screen | sed -n "s/^ $1 *sent \([0-9]*\) ([0-9]* B)  received \([0-9]*\) .*/\1 \2/p" |
            awk -v w="$2" '{ print (w == "sent") ? $1 : $2 }'; }
# Nothing left once the lab is gone: no peer, no socket file, no directory.
nothing_left() {
    ! pgrep -f "$WORK/sockscope-" >/dev/null &&
        [ -z "$(find "$WORK" -type s ! -path "$WORK/tmux.sock")" ] &&
        [ -z "$(find "$WORK" -mindepth 1 -name 'sockscope-*' -type d)" ]
}
quit_clean() {
    keys q
    check "quits" wait_for_dead
    local st; st=$(pane_status)
    check "exit status 0 (got '$st')" [ "$st" = 0 ]
    check "no process, socket file or directory left" nothing_left
}
wait_for_dead() {
    for ((i = 0; i < 100; i++)); do pane_dead && return 0; sleep 0.05; done
    return 1
}
