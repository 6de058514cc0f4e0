#!/usr/bin/env bash
# Issue: show the difference. At 80x24: 2 makes the client send two
# messages back to back, and the stream server's recv()s take them whole or
# in pieces, with the message count; [ down to 16 B in datagram mode cuts a
# datagram and says how much was lost; K shows LISTEN for the stream server
# before accept(); e opens the experiments and one runs to its sentence.
. "$(dirname "$0")/lib.sh"
# until_call SIDE REGEX MAX: Space until the side's calls (as lib.sh's
# calls() writes them: "5 send = 1024") include a line matching REGEX.
until_call() {
    local n
    settle
    for ((n = 0; n < $3; n++)); do
        calls "$1" | grep -qxE -- "$2" && return 0
        press Space
    done
    calls "$1" | grep -qxE -- "$2"
}
start 80 24
check "starts" wait_screen 5 'next: socket\(\)'

# 2, with a buffer big enough for both: one recv() may hold both messages.
press ']'
press 2
check "the title says what differs" shows '2 msgs at once, buffer 2048 B'
check "fresh peers after the change" shows 'server pid [0-9]+ · next: socket\(\)'
check "the client's first send" until_call client '4 send = 1024' 20
check "...and its second, back to back, before the server reads" until_call client '5 send = 1024' 2
check "the server's recv() takes what came" until_call server '[0-9]+ recv = (2048|1024)' 4
# One recv() with both (2048 B, "2 msgs") or two recv()s of one each: both are legal.
got=$(calls server | sed -n 's/^[0-9]* recv = \([0-9]*\)$/\1/p' | head -n 1)
if [ "$got" = 2048 ]; then
    check "one recv() held both" shows '← 2048 B "How are you !!!" \+ 2018 NUL'
    check "...and the pane counts 2 msgs" shows '^ +2 msgs +│'
else
    check "a recv() of one message (1024 B)" shows '← 1024 B "How are you !!!" \+ 1009 NUL'
fi
bi=$(counter server bytes_in)
check "counters: the server received what its recv()s returned ($bi >= $got)" [ "${bi:-0}" -ge "${got:-1}" ]

# Datagram, buffer down to 16 B: the datagram is cut and the loss is said.
press Tab
check "datagram" wait_screen 5 'SOCK_DGRAM'
for i in 1 2 3 4 5 6 7; do press '['; done
check "buffer at 16 B" shows 'buffer 16 B'
press '['
check "no smaller than 16 B" shows 'the buffer stays between 16 B and 64 KiB \(16 B now\)'
press 2 # back to one message at a time
check "one datagram cut short: the pane says 16 B kept and 1008 lost" \
    press_until '← 16 B "OK,I got it!" \+ 4 NUL, 1008' 20
lost=$(counter client lost)
check "the lost counter counts it ($lost)" [ "${lost:-0}" -ge 1008 ] && [ $((lost % 1008)) = 0 ]
check "recvfrom() said the real length (MSG_TRUNC)" grep -qxE '[0-9]+ recvfrom = 1024' <(calls client)

# K, stream: LISTEN before accept(), one connection waiting once connect() is made.
press r
press Tab
check "stream again" wait_screen 5 ' SOCK_STREAM '
press K
check "K: the kernel's view in the table's place" shows "the kernel's view \(ss -x\)"
check "no socket before socket()" shows 'no sockets yet'
check "up to listen(), accept() next" press_until '▶ server pid [0-9]+ · next: accept\(\)' 5
check "the listening socket, as ss -x says: LISTEN" wait_screen 3 '^ server fd [0-9]+ +LISTEN +stream +waiting 0/13'
# The client moves on its own (l) while the server waits at its gate
# before accept(): its connection waits in the backlog.
press l
press l
press l
check "the client's connect(), before any accept()" grep -qx '3 connect = 0' <(calls client)
check "the listener shows the waiting connection" wait_screen 3 '^ server fd [0-9]+ +LISTEN +stream +waiting 1/13'
press K
check "K again: the table" shows 'server 1\. set up'

# e: the menu, then an experiment in the current mode, to its sentence.
press e
check "e: the experiments menu" shows 'sockscope experiments'
check "eight of them" shows ' 8  full-queue'
press Down
press Enter
check "oversize runs, stream" wait_screen 5 'sockscope experiment: oversize, stream sockets'
check "its calls come as they are made" wait_screen 10 'server recv\(6, buf, 1024, 0\) = 1024'
check "and it says what it showed, with the numbers" wait_screen 20 '\(4 calls\), 4000 bytes in all'
press Escape
check "Esc: back to the lab, fresh peers" wait_screen 5 'server pid [0-9]+ · next: socket\(\)'
quit_clean
finish
