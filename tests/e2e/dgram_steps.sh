#!/usr/bin/env bash
# Tab to datagram mode: socket, bind, recvfrom, sendto; no listen, accept
# or connect anywhere.
. "$(dirname "$0")/lib.sh"
start 80 24
check "opens on stream" wait_screen 5 'next: socket\(\)'
keys Tab
check "Tab: datagram" wait_screen 5 'DATAGRAM · SOCK_DGRAM · AF_UNIX  step mode'
check "fresh peers wait before socket()" wait_screen 5 'server pid [0-9]+ · next: socket\(\)'
check "server socket()" step '^ +1 socket\(AF_UNIX, SOCK_DGRAM, 0\) += [0-9]+'
check "server bind()" step '^ +2 bind\([0-9]+, "/.*= 0 *│'
check "server blocks in recvfrom()" step 'recvfrom\(.*blocking'
check "client socket()" step '│ +1 socket\(AF_UNIX, SOCK_DGRAM, 0\)'
check "client bind()" step '│ +2 bind\([0-9]+, "/.*= 0'
check "client sendto(); server's recvfrom() returns" step '3 recvfrom\(.*= 1024 *│'
check "client's sendto() went out" wait_screen 2 '│ +3 sendto\([0-9]+, "How are you.*= 1024'
check "server sendto()" step '4 sendto\([0-9]+, "OK,I got it!".*= 1024 *│'
keys Space
check "client recvfrom()" step '│ +4 recvfrom\(.*= 1024'
check "no listen, accept or connect in datagram mode" sh -c "! $TM capture-pane -p -t lab | sed -n '2,11p' | grep -qE 'listen\(|accept\(|connect\('"
check "counters" [ "$(counter client sent)/$(counter client received)/$(counter server received)" = 1/1/1 ]
keys Tab
check "Tab back to stream" wait_screen 5 'STREAM · SOCK_STREAM'
quit_clean
finish
