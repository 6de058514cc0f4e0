#!/usr/bin/env bash
# Step the whole stream sequence at 80x24: each call appears, in order, with
# its result, as the lesson tells it.
. "$(dirname "$0")/lib.sh"
start 80 24
check "opens on stream, step mode" wait_screen 5 'STREAM · SOCK_STREAM · AF_UNIX  step mode'
check "both wait before socket()" wait_screen 5 'server pid [0-9]+ · next: socket\(\).*client pid [0-9]+ · next: socket\(\)'
check "server socket()" step '^ +1 socket\(AF_UNIX, SOCK_STREAM, 0\) += [0-9]+'
check "server bind()" step '^ +2 bind\([0-9]+, "/.*= 0'
check "server listen()" step '^ +3 listen\([0-9]+, 12\) += 0'
check "server blocks in accept()" step 'accept\([0-9]+, &peer, &len\) +blocking'
check "header says so" wait_screen 2 'server pid [0-9]+ · blocked in accept\(\)'
check "client socket()" step '│ +1 socket\(AF_UNIX, SOCK_STREAM.* = [0-9]+'
check "client bind()" step '│ +2 bind\([0-9]+, "/.*= 0'
check "client connect() and the server's accept() returns" step ' 4 accept\([0-9]+, &peer, &len\) += [0-9]+ *│'
check "connect() = 0" wait_screen 2 '│ +3 connect\([0-9]+, "/.*= 0'
check "client send()" step '│ +4 send\([0-9]+, "How are you !!!".*= 1024'
check "server poll() returns, recv()" step ' 6 recv\([0-9]+, buf, 1024, 0\) += 1024 *│'
check "the message arrived, with its padding, in 40 columns" wait_screen 2 '│  → 1024 B "How are you !!!" \+ 1009 NUL$'
check "poll() came before it" wait_screen 2 ' 5 poll\(\[[0-9]+, [0-9]+\], 2, -1\) += 1 *│'
check "server send()" step ' 7 send\([0-9]+, "OK,I got it!".*= 1024 *│'
check "client recv()" step '│ +5 recv\([0-9]+, buf, 1024, 0\) += 1024'
check "reply arrives" wait_screen 2 '│ +← 1024 B "OK,I got it!"'
check "server back in poll()" wait_screen 2 'server pid [0-9]+ · blocked in poll\(\)'
keys Home
check "Home shows the first calls" wait_screen 5 '^ +1 socket\(AF_UNIX, SOCK_STREAM, 0\) += [0-9]+ *│ +1 socket'
check "history keeps the first message" wait_screen 2 '← 1024 B "How are you !!!"'
keys End
check "counters: server 1 each way" [ "$(counter server sent)/$(counter server received)" = 1/1 ]
check "counters: client 1 each way" [ "$(counter client sent)/$(counter client received)" = 1/1 ]
check "lesson explains the next call" wait_screen 2 'why: send\(\) on the client'
quit_clean
finish
