#!/usr/bin/env bash
# Tab to datagram mode: socket, bind, recvfrom, sendto; no listen, accept
# or connect anywhere.
. "$(dirname "$0")/lib.sh"
start 80 24
check "opens on stream" wait_screen 5 'next: socket\(\)'
keys Tab
check "Tab: datagram" wait_screen 5 '^ sockscope  DATAGRAM · SOCK_DGRAM( · AF_UNIX)?  step mode '
check "fresh peers wait before socket()" \
    wait_screen 5 '^▶ server pid [0-9]+ · next: socket\(\) *│ client pid [0-9]+ · waits at socket\(\)'
check "server socket()" step '^  1 socket\(AF_UNIX, SOCK_DGRAM, 0\) += [0-9]+ *│'
check "server bind()" step '^  2 bind\([0-9]+, "…/dgram-server\.sock"\) += 0 *│'
check "bound, waiting for datagrams" shows '^     · bound to …/dgram-server\.sock: *│'
check "server blocks in recvfrom()" step '^ server pid [0-9]+ · blocked in recvfrom'
check "recvfrom() is blocking" grep -qx '3 recvfrom blocking…' <(calls server)
check "client socket()" step '│  1 socket\(AF_UNIX, SOCK_DGRAM, 0\) += [0-9]+$'
check "client bind()" step '│  2 bind\([0-9]+, "…/dgram-client\.sock"\) += 0$'
check "client sendto(); server's recvfrom() returns" step '^  ← 1024 B "How are you !!!" \+ 1009 NUL *│'
check "recvfrom() = 1024" grep -qx '3 recvfrom = 1024' <(calls server)
check "the datagram came from the client's address" shows '^    from …/dgram-client\.sock *│'
check "client's sendto() went out" grep -qx '3 sendto = 1024' <(calls client)
check "to the server's address" shows '│    to …/dgram-server\.sock$'
check "server sendto()" step '^  → 1024 B "OK,I got it!" \+ 1012 NUL *│'
check "sendto() = 1024" grep -qx '4 sendto = 1024' <(calls server)
check "server back in recvfrom()" step '^ server pid [0-9]+ · blocked in recvfrom'
check "client recvfrom()" step '│  ← 1024 B "OK,I got it!" \+ 1012 NUL$'
check "recvfrom() = 1024" grep -qx '4 recvfrom = 1024' <(calls client)
check "no listen, accept or connect in datagram mode" \
    lacks "$(calls server; calls client)" ' (listen|accept|connect) '
check "counters: server" counters_are server "1 1024 1 1024 1 1 0 0"
check "counters: client" counters_are client "1 1024 1 1024 1 1 0 0"
keys Tab
check "Tab back to stream" wait_screen 5 'STREAM · SOCK_STREAM'
quit_clean
finish
