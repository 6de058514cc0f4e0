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
# xfail WHAT CHECK...: a check that fails because of a known product bug
# (said in WHAT); it is reported, not counted, and says so once it passes.
xfail() {
    local what=$1; shift
    if "$@"; then echo "XPASS (the bug is fixed: make it a check): $what"; else echo "XFAIL (known product bug): $what"; fi
}
finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit $?
}

# tmux_fresh: no tmux server on our socket, not even a dying one: a new
# client that reaches a server on its way out fails with "server exited
# unexpectedly" (seen on a loaded machine).
tmux_fresh() {
    local server i
    server=$($TM display-message -p '#{pid}' 2>/dev/null)
    $TM kill-server 2>/dev/null
    for ((i = 0; i < 100; i++)); do
        [ -n "$server" ] && kill -0 "$server" 2>/dev/null || break
        sleep 0.05
    done
}

# start COLS LINES [ENV=VALUE...] [-- ARGS...]: the lab in a fresh pane of that size.
start() {
    local cols=$1 lines=$2 args=(); shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
    [ "${1:-}" = -- ] && shift && args=("$@")
    tmux_fresh
    rm -f "$WORK/status"
    SCREEN= SCREEN_E=
    # tmux's own TERM, so keys arrive as curses expects them; the wrapper
    # keeps the real exit status, and outlives a Ctrl+C (a trap with a
    # command: its children still get SIGINT's default action).
    $TM new-session -d -x "$cols" -y "$lines" -s lab \
        sh -c 'trap : INT; "$@"; echo $? >"$0/status"' "$WORK" env LANG=C.UTF-8 TMPDIR="$WORK" "${envs[@]}" "$SOCKSCOPE" "${args[@]}"
}
screen() { $TM capture-pane -p -t lab 2>/dev/null; }
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
pane_dead() { [ -s "$WORK/status" ]; }
pane_status() { cat "$WORK/status" 2>/dev/null; }

# --- A screen at rest --------------------------------------------------
# SCREEN: the last settled screen as text (trailing blanks cut); SCREEN_E:
# the same capture with its SGR sequences (capture-pane -e).
SCREEN=
SCREEN_E=
# What changes on a screen at rest: the title's clock, and the rate.
steady() { sed -e '1s/[0-9.]* msg\/s//' -e '1s/[0-9][0-9]*:[0-9][0-9]//g'; }
unsgr() { sed -e 's/\x1b\[[0-9;:]*m//g' -e 's/ *$//'; }
# settle [SECONDS]: until two captures 100 ms apart are the same (the
# title's clock aside), at most SECONDS (5). Fills SCREEN and SCREEN_E.
settle() {
    local limit=$(( ${1:-5} * 10 )) a b i
    a=$($TM capture-pane -p -e -t lab 2>/dev/null | steady)
    for ((i = 0; i < limit; i++)); do
        sleep 0.1
        b=$($TM capture-pane -p -e -t lab 2>/dev/null | steady)
        [ "$a" = "$b" ] && break
        a=$b
    done
    SCREEN_E=$b
    SCREEN=$(unsgr <<<"$b")
    read_panes
    [ "$a" = "$b" ]
}
# press KEY...: type the keys, wait until the screen changes (at most
# 3 s: a key may change nothing), then until it settles. A call Space lets
# go may change whose turn it is 150 ms later: the settling starts after that.
press() {
    local before i
    before=$(screen | steady)
    keys "$@"
    for ((i = 0; i < 150; i++)); do
        [ "$(screen | steady)" != "$before" ] && break
        sleep 0.02
    done
    sleep 0.16
    settle
}
# shows PATTERN: the settled screen shows it (grep -E).
shows() { grep -qE -- "$1" <<<"$SCREEN"; }
# has TEXT PATTERN, lacks TEXT PATTERN: a line of the text matches (grep -E), or none does.
has() { grep -qE -- "$2" <<<"$1"; }
lacks() { ! grep -qE -- "$2" <<<"$1"; }
# step PATTERN: one Space; the settled screen shows the pattern (or does within 3 s).
step() { press Space; shows "$1" || wait_screen 3 "$1"; }
# press_until PATTERN MAX: Space, one at a time, each settled, until the
# screen shows the pattern; at most MAX presses.
press_until() {
    local pattern=$1 max=$2 n
    settle
    for ((n = 0; n < max; n++)); do
        shows "$pattern" && return 0
        press Space
    done
    shows "$pattern"
}

# --- Reading the panes ---------------------------------------------------
# pane SIDE: that side's rows of the settled screen, header first (server:
# left of the divider, client: right of it).
pane() {
    if [ "$_PANES_OF" == "$SCREEN" ]; then printf '%s\n' "${_PANE[$1]}"; else _pane "$1"; fi
}
_pane() {
    local row started=0
    while IFS= read -r row; do
        case $row in *│*) ;; *) [ $started = 1 ] && break; continue ;; esac
        started=1
        if [ "$1" = server ]; then printf '%s\n' "${row%%│*}"; else printf '%s\n' "${row#*│}"; fi
    done <<<"$SCREEN"
}
# read_panes: reads both panes of SCREEN once, for pane and groups (settle
# calls it; the readers then need no more than a look-up).
declare -A _PANE=() _GROUPS=()
_PANES_OF=$'\1' # no screen yet
read_panes() {
    local s
    _PANES_OF=$'\1'
    for s in server client; do
        _PANE[$s]=$(_pane $s)
        _GROUPS[$s]=$(_groups $s)
    done
    _PANES_OF=$SCREEN
}
# groups SIDE: the side's pane as its lines, one a line, tab-separated:
# "C MARK SEQ CALL RESULT" for a call (MARK: ▶ for the call Space makes,
# else -; RESULT: next, waits, blocking…, running…, not made, no result, = N or = -1
# ERRNO, read on the call's last row), "M TEXT" for a message, "N TEXT"
# for a note, "X TEXT" for an exit line and "S TEXT" for the scrolled-back
# row; wrapped rows are joined. A line whose first row has scrolled away is
# left out.
groups() {
    if [ "$_PANES_OF" == "$SCREEN" ]; then printf '%s\n' "${_GROUPS[$1]}"; else _groups "$1"; fi
}
_groups() {
    local row kind="" text="" mark seq call last first=1
    local re_call='^(▶| ) {0,3}([0-9]+) ([a-z_]+)\('
    local re_res=' (next|waits|blocking…|running…|not made|no result|= -?[0-9]+( E[A-Z0-9]+)?)$'
    _groups_flush() {
        case $kind in
        C)
            local res="?"
            [[ $last =~ $re_res ]] && res=${BASH_REMATCH[1]}
            printf 'C\t%s\t%s\t%s\t%s\n' "$mark" "$seq" "$call" "$res" ;;
        ?) printf '%s\t%s\n' "$kind" "$text" ;;
        esac
        kind=""
    }
    while IFS= read -r row; do
        [ $first = 1 ] && first=0 && continue # the header
        row=${row%"${row##*[! ]}"}
        if [[ $row =~ $re_call ]]; then
            local m=("${BASH_REMATCH[@]}")
            _groups_flush
            kind=C mark=-; [ "${m[1]}" = "▶" ] && mark="▶"
            seq=${m[2]} call=${m[3]} last=$row
        elif [[ $row =~ ^\ \ (→|←)\  ]]; then
            _groups_flush; kind=M text=${row#  }
        elif [[ $row =~ ^\ {5}·\  ]]; then
            _groups_flush; kind=N text=${row#     }
        elif [[ $row =~ ^\ {5}exit\  ]]; then
            _groups_flush; kind=X text=${row#     }
        elif [[ $row =~ ^\ ↓\  ]]; then
            _groups_flush; kind=S text=${row# }
        elif [ -n "$kind" ] && [ -n "$row" ]; then
            last=$row
            text+=" ${row#"${row%%[! ]*}"}"
        fi
    done < <(_pane "$1")
    _groups_flush
}
# calls SIDE: the side's calls, "SEQ CALL RESULT" a line, "▶SEQ ..." for
# the call Space makes.
calls() {
    local k mark seq call res
    while IFS=$'\t' read -r k mark seq call res; do
        [ "$k" = C ] || continue
        [ "$mark" = - ] && mark=""
        printf '%s%s %s %s\n' "$mark" "$seq" "$call" "$res"
    done < <(groups "$1")
}
# head SIDE: the side's pane header.
head_of() { pane "$1" | head -n 1; }
# why: what the lesson's rule names ("recv() on the client", "the start"...).
why() { sed -n 's/^[─-]* why: \(.*[^ ]\) [─-]*$/\1/p' <<<"$SCREEN" | head -n 1; }

# sgr_masks: for each line of a capture-pane -e on stdin, tab-separated:
# its number, a mask with L where a character is black on yellow (the
# palette's "here") or in reverse (the monochrome one) and . elsewhere, the
# flags dim (SGR 2) and blue (SGR 34/94 or 256-colour blue) when the line
# uses them (or -), and the line's text.
sgr_masks() {
    perl -CSD -ne '
        BEGIN { ($fg, $bg, $rev, $n) = (39, 49, 0, 0) }
        chomp; $n++; my ($mask, $text, %flag) = ("", "");
        for my $part (split /(\e\[[0-9;:]*m)/) {
            if ($part =~ /^\e\[([0-9;:]*)m$/) {
                my @p = map { $_ eq "" ? 0 : $_ } split /[;:]/, $1, -1; @p = (0) unless @p;
                while (@p) {
                    my $c = shift @p;
                    if ($c == 0) { ($fg, $bg, $rev) = (39, 49, 0) }
                    elsif ($c == 2) { $flag{dim} = 1 }
                    elsif ($c == 7) { $rev = 1 } elsif ($c == 27) { $rev = 0 }
                    elsif ($c == 38 || $c == 48) {
                        my $k = shift @p // 0; my $v;
                        if ($k == 5) { $v = "i" . (shift @p // 0) } else { $v = "rgb"; splice @p, 0, 3 }
                        $flag{blue} = 1 if $c == 38 && ($v eq "i4" || $v eq "i12");
                        if ($c == 38) { $fg = $v } else { $bg = $v }
                    }
                    elsif (($c >= 30 && $c <= 37) || ($c >= 90 && $c <= 97)) { $fg = $c; $flag{blue} = 1 if $c == 34 || $c == 94 }
                    elsif ($c == 39) { $fg = 39 }
                    elsif (($c >= 40 && $c <= 47) || ($c >= 100 && $c <= 107)) { $bg = $c }
                    elsif ($c == 49) { $bg = 49 }
                }
            } else {
                my $here = $rev || ($fg eq "30" && $bg eq "43");
                $mask .= ($here ? "L" : ".") x length $part;
                $text .= $part;
            }
        }
        print join("\t", $n, $mask, join(",", sort keys %flag) || "-", $text), "\n";'
}
# lit_rows: which rows of the lesson's table (1-6: server set up, data,
# close, client set up, data, close) are marked on the settled screen.
lit_rows() {
    sgr_masks <<<"$SCREEN_E" | awk -F'\t' '
        $4 ~ /^ (server|client) [123]\. / && $2 ~ /L/ {
            n = substr($4, 9, 1) + ($4 ~ /^ client/ ? 3 : 0); out = out (out == "" ? "" : " ") n
        }
        END { print out }'
}
# row_for SIDE CALL: the table row (1-6) that explains that call on that side.
row_for() {
    local base=0
    [ "$1" = client ] && base=3
    case $2 in
    socket | bind | listen | accept | connect) echo $((base + 1)) ;;
    send | recv | sendto | recvfrom | poll) echo $((base + 2)) ;;
    close | unlink) echo $((base + 3)) ;;
    *) echo "?" ;;
    esac
}

# --- The counters --------------------------------------------------------
COUNTER_NAMES=(sent bytes_out received bytes_in send recv lost errors)
# counters ROLE [SCREEN]: the side's 8 numbers, as the counters table
# shows them now (or on that screen text): sent, bytes out, received, bytes in, send(), recv(), lost B, errors.
counters() {
    if [ $# -gt 1 ]; then printf '%s\n' "$2"; else screen; fi |
        sed -n "s/^ $1\(\( \+[0-9]\+\)\{8\}\) *$/\1/p" | sed 's/^ *//; s/  */ /g'
}
# counter ROLE NAME: one of them (NAME: one of COUNTER_NAMES).
counter() {
    local i all
    read -ra all <<<"$(counters "$1")"
    for i in "${!COUNTER_NAMES[@]}"; do
        [ "${COUNTER_NAMES[$i]}" = "$2" ] && echo "${all[$i]:-}"
    done
}
# counters_are ROLE "N N N N N N N N": the side's counters, exactly.
counters_are() { [ "$(counters "$1")" = "$2" ]; }
# wait_counters SECONDS ROLE "N N N N N N N N": until the counters say so.
wait_counters() {
    local i
    for ((i = 0; i < $1 * 20; i++)); do
        counters_are "$2" "$3" && return 0
        sleep 0.05
    done
    return 1
}

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
