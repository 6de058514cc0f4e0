#!/usr/bin/env bash
# v, at 80x24: in place of the table and the lesson, the source of the peer
# Space moves next, its next call's line lit (black on yellow; reverse under
# NO_COLOR) under a rule naming the file and the line. At every step of
# both modes the lit line is the line the rule names, it makes the very call
# the mover's header names (traced_CALL(), and it is that line of the file
# in src/peers: what is lit is the call Space makes. v again: the table.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../../src/peers" && pwd)

# mover: "SIDE CALL" from the headers of the settled screen, "" when
# nobody moves.
mover() {
    local h
    h=$(sed -n 2p <<<"$SCREEN")
    if [[ $h =~ ^▶\ server\ pid\ [0-9]+\ ·\ next:\ ([a-z]+)\(\) ]]; then
        echo "server ${BASH_REMATCH[1]}"
    elif [[ $h =~ │▶\ client\ pid\ [0-9]+\ ·\ next:\ ([a-z]+)\(\) ]]; then
        echo "client ${BASH_REMATCH[1]}"
    fi
}
# code_rule: "FILE LINE WORD CALL" from the code pane's rule, "" when it is not up.
RULE_RE='^(─)+ ([a-z_]+\.c):([0-9]+)  (next|inside): ([a-z]+)\(\) (─)+$'
code_rule() {
    local row
    while IFS= read -r row; do
        if [[ $row =~ $RULE_RE ]]; then
            echo "${BASH_REMATCH[2]} ${BASH_REMATCH[3]} ${BASH_REMATCH[4]} ${BASH_REMATCH[5]}"
            return
        fi
    done <<<"$SCREEN"
}
# lit_code: the lit rows (any character black on yellow, or reverse) among
# the nine under the rule, as "MASK<tab>TEXT".
lit_code() {
    sgr_masks <<<"$SCREEN_E" | awk -F'\t' '
        $4 ~ /[a-z_]+\.c:[0-9]+  (next|inside): / { rule = $1 }
        rule && $1 > rule && $1 <= rule + 9 && $2 ~ /L/ { print $2 "\t" $4 }'
}

SEEN=""
# code_matches MODE: the code pane shows the mover's next call (see the top).
code_matches() {
    local side call file line word rcall lit mask text n disk
    read -r side call <<<"$(mover)"
    read -r file line word rcall <<<"$(code_rule)"
    if [ -z "$call" ] || [ "$word" != next ] || [ "$rcall" != "$call" ]; then
        echo "    the mover is '$side $call', the rule says '$file:$line $word $rcall'" >&2
        return 1
    fi
    case $file in "$1_$side.c" | peer.c) ;; *)
        echo "    $file is not the $1 $side's source" >&2
        return 1 ;;
    esac
    lit=$(lit_code)
    if [ "$(wc -l <<<"$lit")" != 1 ]; then
        echo "    not one lit row under the rule: '$lit'" >&2
        return 1
    fi
    IFS=$'\t' read -r mask text <<<"$lit"
    if [[ $mask == *.* ]]; then
        echo "    the lit row is not lit from edge to edge: $mask" >&2
        return 1
    fi
    if ! [[ $text =~ ^▶\ *([0-9]+)\ \ (.*)$ ]]; then
        echo "    the lit row has no ▶ and line number: '$text'" >&2
        return 1
    fi
    n=${BASH_REMATCH[1]} text=${BASH_REMATCH[2]}
    text=${text%"${text##*[! ]}"}
    disk=$(sed -n "${line}p" "$SRC/$file")
    disk=${disk%"${disk##*[! ]}"}
    if [ "$n" != "$line" ] || [[ $text != *"traced_$call("* ]]; then
        echo "    the lit row is line $n, '$text': not line $line making $call()" >&2
        return 1
    fi
    if [ "$text" != "$disk" ] && ! [[ $text == *… && $disk == "${text%…}"* ]]; then
        echo "    the lit row '$text' is not line $line of $SRC/$file: '$disk'" >&2
        return 1
    fi
    SEEN+=" $side:$call"
}
table_back() { shows '^── step ─+ stream \(SOCK_STREAM\)' && shows '^── why: ' && [ -z "$(code_rule)" ]; }
no_table() { lacks "$SCREEN" '^── step ─' && lacks "$SCREEN" '^── why: '; }

start 80 24
check "stream: the server moves first" wait_screen 5 '^▶ server pid [0-9]+ · next: socket\(\)'
settle
press v
check "v: the table and the lesson give way to the code" no_table
check "v: the server's socket() in stream_server.c, lit" code_matches stream
check "the counters and the key bar stay" shows '^ server +0 +0 +0 +0 +0 +0 +0 +0$'
press v
check "v again: the table and the lesson are back" table_back
press v
# socket bind listen accept; the client's socket bind connect send; the
# server's recv send; the client's recv.
for i in $(seq 1 10); do
    press Space
    check "stream, Space $i: the lit line is the mover's next call ($(mover))" code_matches stream
done
for want in server:accept client:connect client:send server:recv server:send client:recv; do
    check "stream: $want was lit when it was next" grep -q " $want\( \|$\)" <<<"$SEEN"
done

SEEN=""
press Tab
check "Tab: datagram, the code pane still up" wait_screen 5 '^─+ dgram_server\.c:[0-9]+  next: socket\(\) ─'
settle
check "dgram: the server's socket() in dgram_server.c, lit" code_matches dgram
# bind recvfrom; the client's socket bind sendto; the server's sendto and
# its next recvfrom (the server goes first while it is at its gate); then
# the client's recvfrom.
for i in $(seq 1 8); do
    press Space
    check "dgram, Space $i: the lit line is the mover's next call ($(mover))" code_matches dgram
done
for want in server:recvfrom client:sendto server:sendto client:recvfrom; do
    check "dgram: $want was lit when it was next" grep -q " $want\( \|$\)" <<<"$SEEN"
done

# Nobody left to move: the pane says there is no call.
press k s
press k c
check "both killed: the code pane says there is no call" \
    wait_screen 5 '^ No call to show: no side has announced'
press v
check "v: the table and the lesson again" table_back
quit_clean

# Without colour the lit line is in reverse.
start 80 24 NO_COLOR=1
check "NO_COLOR: the lab opens" wait_screen 5 '^▶ server pid [0-9]+ · next: socket\(\)'
settle
press v
check "NO_COLOR: the lit line, in reverse, is the server's socket()" code_matches stream
check "NO_COLOR: no colour at all" lacks "$SCREEN_E" $'\e\\[[0-9;]*(3[0-7]|4[0-7])m'
quit_clean
finish
