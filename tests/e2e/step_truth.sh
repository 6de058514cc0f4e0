#!/usr/bin/env bash
# Step truth: what the screen says about the call Space makes is true.
#
# At 80x24, in both modes, a whole session is stepped one Space at a time,
# from the start through c to both sides exited, twice. After each key, on
# the settled screen: one ▶ call and one ▶ header, on the same side; the
# why rule and the lit table row are that call's; the key let exactly that
# one call happen. Both walks make the same calls in the same order.
# Then: 16 Spaces typed at once make the same calls as 16 one by one; the
# counters agree with the pane lines at every rest (120x60, nothing
# scrolls away); PgUp says lines are hidden and Space brings them back;
# TERM=dumb is refused; no dim and no blue text; NO_COLOR still marks the
# side Space moves; after both sides exit, s and a say why they cannot.
#
# SOCKSCOPE_CAPTURES=DIR: the 80x24 screens of one stream walk and one
# datagram walk are copied there (walk-stream.txt, walk-dgram.txt).
. "$(dirname "$0")/lib.sh"
if ! command -v perl >/dev/null; then
    echo "SKIP: perl is needed to read the screen's attributes"
    exit 77
fi

# expect WHAT CHECK...: check, quietly: the settled screen is shown with
# the first few failures only (a broken lab fails here at every step).
SHOWN=0
expect() {
    local what=$1; shift
    if "$@"; then pass; return 0; fi
    fail "$what"
    if [ $SHOWN -lt 4 ]; then
        SHOWN=$((SHOWN + 1))
        sed 's/^/    | /' <<<"$SCREEN" >&2
    fi
    return 1
}
same() { [ "$1" = "$2" ]; }

# --- What one settled screen says ------------------------------------------
# (settle has read the panes: _GROUPS and _PANE hold them.)
# like TEXT REGEX: one line matches (bash's own regex, no process).
like() { [[ $1 =~ $2 ]]; }
# rest AT: the checks every screen at rest passes while a side can move.
# Sets MOVER (server or client), MSEQ and MCALL: the call Space makes.
MOVER= MSEQ= MCALL=
rest() {
    local at=$1 marked="" heads="" nm=0 nh=0 s k mark seq call res h other
    for s in server client; do
        while IFS=$'\t' read -r k mark seq call res; do
            [ "$k" = C ] && [ "$mark" = ▶ ] || continue
            nm=$((nm + 1)); marked+="${marked:+, }$s $seq $call $res"
            [ $nm = 1 ] && MOVER=$s MSEQ=$seq MCALL=$call
        done <<<"${_GROUPS[$s]}"
        h=${_PANE[$s]%%$'\n'*}
        [[ $h == "▶ "* ]] && nh=$((nh + 1)) heads+="${heads:+ }$s"
    done
    [ $nm = 0 ] && MOVER= MSEQ= MCALL=
    expect "$at: exactly one ▶ call row (got: ${marked:-none})" same $nm 1
    expect "$at: exactly one ▶ header (got: ${heads:-none})" same $nh 1
    expect "$at: the ▶ header is on the ▶ call's side ($heads, $MOVER)" same "$heads" "$MOVER"
    [ -n "$MOVER" ] || return 0
    h=${_PANE[$MOVER]%%$'\n'*}
    expect "$at: the $MOVER's header says next: $MCALL() ($h)" like "$h" "^▶ $MOVER pid [0-9]+ · next: $MCALL\(\)"
    expect "$at: the ▶ call says next ($marked)" like "$marked" "^$MOVER $MSEQ $MCALL next$"
    expect "$at: why: $MCALL() on the $MOVER (got: $(why))" same "$(why)" "$MCALL() on the $MOVER"
    expect "$at: the lit table row is $(row_for "$MOVER" "$MCALL") (got: $(lit_rows))" \
        same "$(lit_rows)" "$(row_for "$MOVER" "$MCALL")"
    other=server; [ "$MOVER" = server ] && other=client
    h=${_PANE[$other]%%$'\n'*}
    expect "$at: the $other's header says what it does ($h)" \
        like "$h" "^ $other pid [0-9]+ · (waits at [a-z]+\(\)|blocked in [a-z]+|exited [0-9]+|killed by SIG[A-Z]+)"
}
# ended AT: the checks once both sides have exited.
ended() {
    local at=$1
    expect "$at: both headers say exited 0" \
        has "$SCREEN" '^ server pid [0-9]+ · exited 0 +│ client pid [0-9]+ · exited 0$'
    expect "$at: no ▶ left" lacks "${_PANE[server]}${_PANE[client]}" '▶'
    expect "$at: why: both sides closed" same "$(why)" "both sides closed"
    expect "$at: no table row lit" same "$(lit_rows)" ""
    expect "$at: the status line says both have gone" has "$SCREEN" '^both sides have exited: r starts them again'
}
# palette: nothing dim, nothing blue, anywhere on the screen.
palette() {
    local flags
    flags=$(sgr_masks <<<"$SCREEN_E" | awk -F'\t' '$3 != "-" { printf "line %s: %s; ", $1, $3 }')
    expect "$AT: no dim (SGR 2) and no blue (SGR 34) text (${flags:-none})" [ -z "$flags" ]
}

# snapshot: the calls of both panes, "SIDE SEQ CALL RESULT" a line.
snapshot() {
    local s k mark seq call res
    for s in server client; do
        while IFS=$'\t' read -r k mark seq call res; do
            [ "$k" = C ] && printf '%s %s %s %s\n' "$s" "$seq" "$call" "$res"
        done <<<"${_GROUPS[$s]}"
    done
}
# one_call BEFORE AFTER SIDE SEQ: from BEFORE to AFTER (snapshots), the
# call SIDE SEQ was made and no other call was let go: every other call
# that waited at its gate still does, no call is newly "not made", and a
# new call is one waiting at its gate or one that has no gate (poll),
# numbered on from the side's last.
one_call() {
    local before=$1 after=$2 side=$3 seq=$4 s n c r old
    local made=no others=ok news=ok
    local -A was=() top=([server]=0 [client]=0) next_seq=()
    while read -r s n c r; do
        [ -n "$s" ] || continue
        was["$s $n"]=$r
        [ "$n" -gt "${top[$s]}" ] && top[$s]=$n
    done <<<"$before"
    next_seq[server]=$((top[server] + 1)) next_seq[client]=$((top[client] + 1))
    while read -r s n c r; do
        [ -n "$s" ] || continue
        if [ "$s $n" = "$side $seq" ]; then
            case $r in blocking… | running… | "= "*) made=yes ;; esac
            continue
        fi
        old=${was["$s $n"]-}
        if [ -n "$old" ]; then
            case $old in next | waits) case $r in next | waits) ;; *) others="$s $n $c went from $old to $r" ;; esac ;; esac
            case $r in "not made") [ "$old" = "not made" ] || others="$s $n $c: not made" ;; esac
        elif [ "$n" -gt "${top[$s]}" ]; then
            case $r in next | waits) ;; *) [ "$c" = poll ] || news="new $s $n $c is already $r" ;; esac
            [ "$n" = "${next_seq[$s]}" ] || news="the $s's calls jump from ${top[$s]} to $n"
            next_seq[$s]=$((n + 1))
        fi
    done <<<"$after"
    expect "$AT: the $side's $seq was made" same "$made" yes
    expect "$AT: no other call was let go ($others)" same "$others" ok
    expect "$AT: new calls wait at their gate ($news)" same "$news" ok
}

# --- The walk -------------------------------------------------------------
# walk MODE RUN: a whole session at 80x24, one Space at a time, with c
# once the client has its first reply. Sets LOG: "SIDE CALL" per key.
LOG=
walk() {
    local mode=$1 run=$2 n before shot="$WORK/walk-$1.txt" AT
    local done_re='^[0-9]+ recv(from)? = 1024$' closing=no
    LOG=
    if [ "$mode" = dgram ]; then start 80 24 -- --mode dgram; else start 80 24; fi
    wait_screen 5 '^▶ server pid [0-9]+ · next: socket\(\)'
    settle
    [ "$run" = 1 ] && { echo "=== $mode, 80x24: the start"; screen; } >"$shot"
    AT="$mode walk $run, start"
    rest "$AT"
    palette
    expect "$AT: the server's socket() goes first" same "$MOVER $MCALL" "server socket"
    for ((n = 1; n <= 40; n++)); do
        if [ $closing = no ] && grep -qE "$done_re" <(calls client); then
            closing=yes
            press c
            AT="$mode walk $run, c"
            [ "$run" = 1 ] && { echo "=== c"; screen; } >>"$shot"
            expect "$AT: the title says closing" has "$(head -n 1 <<<"$SCREEN")" "  closing  "
            expect "$AT: the status line says how" has "$SCREEN" "^closing, as the table's close rows say: Space steps each call"
            rest "$AT"
            palette
            LOG+="c"$'\n'
            continue
        fi
        has "$SCREEN" '^ server pid [0-9]+ · exited .*│ client pid [0-9]+ · exited' && break
        before=$(snapshot)
        local side=$MOVER seq=$MSEQ call=$MCALL
        if [ "$mode $run $n" = "stream 2 10" ]; then
            # Scrolled back, the pane says so; one Space makes the call and
            # brings the newest lines back.
            press PPage
            AT="$mode walk $run, PgUp"
            expect "$AT: the panes say newer lines are hidden" has "$SCREEN" '↓ [0-9]+ newer lines: End or Space brings'
        fi
        press Space
        AT="$mode walk $run, Space $n ($side $call)"
        [ "$run" = 1 ] && { echo "=== Space $n: $side $call()"; screen; } >>"$shot"
        LOG+="$side $call"$'\n'
        [ -n "$side" ] || { fail "$AT: no call to make"; break; }
        one_call "$before" "$(snapshot)" "$side" "$seq"
        expect "$AT: no newer-lines row" lacks "$SCREEN" 'newer lines'
        palette
        if has "$SCREEN" '^ server pid [0-9]+ · exited .*│ client pid [0-9]+ · exited'; then
            ended "$AT"
        else
            rest "$AT"
        fi
    done
    expect "$mode walk $run: ends with both sides exited" \
        has "$SCREEN" '^ server pid [0-9]+ · exited 0 +│ client pid [0-9]+ · exited 0$'
}

STREAM_CALLS='server socket
server bind
server listen
server accept
client socket
client bind
client connect
client send
server recv
server send
client recv
c
client close
server recv
server close
server close
server unlink
client unlink'
DGRAM_CALLS='server socket
server bind
server recvfrom
client socket
client bind
client sendto
server sendto
server recvfrom
client recvfrom
c
client close
client unlink
server close
server unlink'

for mode in stream dgram; do
    walk $mode 1
    first=$LOG
    if [ $mode = stream ]; then
        # After both sides exit: s and a say why they cannot run.
        press s
        expect "s after the end: needs both sides" has "$SCREEN" '^an exchange needs both sides running, and the (client|server) has exited: r rest'
        press a
        expect "a after the end: needs both sides" has "$SCREEN" '^auto needs both sides running, and the (client|server) has exited: r restarts'
        expect "a after the end: still step mode, no rate" has "$(head -n 1 <<<"$SCREEN")" '  step mode  '
        expect "a after the end: no msg/s in the title" lacks "$($TM capture-pane -p -t lab | head -n 1)" 'msg/s'
        press F1
        AT="help"
        palette
        press x
    fi
    quit_clean
    walk $mode 2
    quit_clean
    expect "$mode: both walks made the same calls in the same order" same "$first" "$LOG"
    want=$STREAM_CALLS; [ $mode = dgram ] && want=$DGRAM_CALLS
    expect "$mode: the lesson's order (got: ${first//$'\n'/, })" same "$first" "$want"$'\n'
    echo "$mode walk: ${first//$'\n'/, } (${SECONDS}s)"
    if [ -n "${SOCKSCOPE_CAPTURES:-}" ]; then
        mkdir -p "$SOCKSCOPE_CAPTURES" && cp "$WORK/walk-$mode.txt" "$SOCKSCOPE_CAPTURES/"
    fi
done

# --- The counters are the pane lines; 16 Spaces at once ---------------------
# tally SIDE: the 8 counters, counted from the side's pane lines, then the
# bytes its → lines say went out.
tally() {
    local k a b c d sent=0 out=0 recvd=0 in=0 sends=0 recvs=0 lost=0 errors=0 arrows=0 msgs
    while IFS=$'\t' read -r k a b c d; do
        case $k in
        C)
            case $d in "= "*) ;; *) continue ;; esac
            case $c in
            send | sendto) sends=$((sends + 1)); [ "${d#= }" -gt 0 ] 2>/dev/null && out=$((out + ${d#= })) ;;
            recv | recvfrom) recvs=$((recvs + 1)) ;;
            esac
            case $d in "= -1 "*) [ "$d" = "= -1 EINTR" ] || errors=$((errors + 1)) ;; esac ;;
        M)
            msgs=1
            [[ $a =~ ,\ ([0-9]+)\ msgs ]] && msgs=${BASH_REMATCH[1]}
            [[ $a =~ part\ of\ a\ msg ]] && msgs=0
            [[ $a =~ ,\ ([0-9]+)\ lost ]] && lost=$((lost + BASH_REMATCH[1]))
            [[ $a =~ ^.\ ([0-9]+)\ B ]] || continue
            case $a in
            →*) sent=$((sent + msgs)); arrows=$((arrows + BASH_REMATCH[1])) ;;
            ←*) recvd=$((recvd + msgs)); in=$((in + BASH_REMATCH[1])) ;;
            esac ;;
        esac
    done < <(groups "$1")
    echo "$sent $out $recvd $in $sends $recvs $lost $errors $arrows"
}
# counted AT: for both sides, the counters table says what the panes show.
counted() {
    local s t arrows
    for s in server client; do
        t=$(tally $s)
        arrows=${t##* } t=${t% *}
        expect "$1: $s counters = its pane lines (table: $(counters $s "$SCREEN"); panes: $t)" \
            same "$(counters $s "$SCREEN")" "$t"
        read -r _ b _ <<<"$t"
        expect "$1: $s's → bytes = its send() results ($arrows/$b)" same "$arrows" "$b"
    done
    expect "$1: nothing has scrolled away" same "$(calls server | head -n 1 | sed 's/^▶//' | cut -d' ' -f1-2)" "1 socket"
}
# settle_long: until the screen has not changed for a whole second (at most
# 10 s): typed-ahead keys wait in the lab while a side is on its way.
settle_long() {
    local i same_for=0 a b
    a=$($TM capture-pane -p -e -t lab | steady)
    for ((i = 0; i < 100 && same_for < 10; i++)); do
        sleep 0.1
        b=$($TM capture-pane -p -e -t lab | steady)
        if [ "$a" = "$b" ]; then same_for=$((same_for + 1)); else same_for=0; fi
        a=$b
    done
    SCREEN_E=$b
    SCREEN=$(unsgr <<<"$b")
    read_panes
}
# made: how many calls a snapshot (on stdin) shows as made.
made() { grep -cE ' (blocking…|running…|= .*)$'; }
# the screen but its title, with pids blanked: what two runs share.
body() { sed -E '1d; s/pid [0-9]+/pid N/g; s/ +│/ │/g' <<<"$SCREEN"; }
for mode in stream dgram; do
    # At 120x60 nothing scrolls away: the counters must be what the panes show.
    if [ $mode = dgram ]; then start 120 60 -- --mode dgram; else start 120 60; fi
    wait_screen 5 '^▶ server pid [0-9]+ · next: socket\(\)'
    settle
    counted "$mode 120x60, start"
    # Stream: 16 Spaces (then the same typed at once); datagram: until the
    # client has its first reply.
    for ((n = 1; n <= 16; n++)); do
        [ $mode = dgram ] && grep -qE '^[0-9]+ recvfrom = 1024$' <(calls client) && break
        press Space
        counted "$mode 120x60, Space $n"
    done
    one_by_one=$(body)
    one_by_one_calls=$(snapshot)
    if [ $mode = stream ]; then
        # The same 16 Spaces, typed at once: keys typed ahead are all acted on.
        keys r
        wait_screen 5 '^▶ server pid [0-9]+ · next: socket\(\)'
        settle
        keys Space Space Space Space Space Space Space Space Space Space Space Space Space Space Space Space
        settle_long
        AT="16 Spaces at once"
        expect "$AT: as many calls made as 16 one by one ($(made <<<"$(snapshot)")/$(made <<<"$one_by_one_calls"))" \
            same "$(made <<<"$(snapshot)")" "$(made <<<"$one_by_one_calls")"
        expect "$AT: the same calls as 16 one by one" same "$(snapshot)" "$one_by_one_calls"
        expect "$AT: the same screen as 16 one by one" same "$(body)" "$one_by_one" ||
            diff <(echo "$one_by_one") <(body) | head -n 12 | sed 's/^/    diff: /' >&2
        expect "$AT: no key was dropped" lacks "$SCREEN" 'too many keys|nothing can move'
        counted "$AT"
    fi
    n=$(counter client received)
    press s
    for ((i = 0; i < 100; i++)); do [ "$(counter client received)" = $((n + 1)) ] && break; sleep 0.05; done
    settle
    expect "$mode 120x60: s made one exchange" same "$(counter client received)" $((n + 1))
    counted "$mode 120x60, after s"
    # The close rows: recv() = 0, EINTR, each counted when it shows.
    press c
    counted "$mode 120x60, c"
    for ((n = 1; n <= 12; n++)); do
        has "$SCREEN" '^ server pid [0-9]+ · exited .*│ client pid [0-9]+ · exited' && break
        press Space
        counted "$mode 120x60, closing, Space $n"
    done
    expect "$mode 120x60: both sides exit 0" has "$SCREEN" '^ server pid [0-9]+ · exited 0 +│ client pid [0-9]+ · exited 0$'
    quit_clean
done

echo "counters, 16 Spaces: done (${SECONDS}s)"
# --- Without colour, the side Space moves is still marked ---------------------------
start 80 24 NO_COLOR=1
wait_screen 5 '^▶ server pid [0-9]+ · next: socket\(\)'
settle
AT="NO_COLOR"
rest "$AT"
masks=$(sgr_masks <<<"$SCREEN_E")
expect "$AT: the server's header is in reverse, the client's is not" \
    has "$(awk -F'\t' '$1 == 2 { print substr($2, 1, 40) "|" substr($2, 42) }' <<<"$masks")" '^[^|]*L[^|]*\|\.*$'
expect "$AT: the ▶ call row is in reverse" \
    has "$(awk -F'\t' '$4 ~ /^▶ 1 socket/ { print $2 }' <<<"$masks")" 'L'
check "NO_COLOR: the client moves once the server blocks" press_until '│▶ client pid' 6
rest "$AT, the client moves"
masks=$(sgr_masks <<<"$SCREEN_E")
expect "$AT: the client's header is in reverse, the server's is not" \
    has "$(awk -F'\t' '$1 == 2 { print substr($2, 1, 40) "|" substr($2, 42) }' <<<"$masks")" '^\.*\|[^|]*L'
quit_clean

# --- A terminal that cannot move the cursor is refused ------------------------------
# (Run through a link in WORK, so that the cleanup finds it if it hangs.)
ln -s "$(readlink -f "$SOCKSCOPE")" "$WORK/sockscope-dumb"
out=$(TERM=dumb TMPDIR="$WORK" timeout -k 2 10 script -qec "$WORK/sockscope-dumb" /dev/null </dev/null 2>&1); rc=$?
AT="TERM=dumb"
SCREEN=$out
expect "$AT: exit 2 (got $rc)" same "$rc" 2
expect "$AT: says why" has "$out" 'cannot move the cursor'
expect "$AT: no private directory left" same "$(find "$WORK" -mindepth 1 -name 'sockscope-*' -type d)" ""
finish
