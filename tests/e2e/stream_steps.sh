#!/usr/bin/env bash
# Step the whole stream sequence at 80x24: each call appears, in order, with
# its result, as the lesson tells it.
. "$(dirname "$0")/lib.sh"
start 80 24
# At 80 columns the title has no room for AF_UNIX.
check "opens on stream, step mode" wait_screen 5 '^ sockscope  STREAM · SOCK_STREAM( · AF_UNIX)?  step mode '
check "the server moves first, the client waits at its gate" \
    wait_screen 5 '^▶ server pid [0-9]+ · next: socket\(\) *│ client pid [0-9]+ · waits at socket\(\)'
check "server socket()" step '^  1 socket\(AF_UNIX, SOCK_STREAM, 0\) += [0-9]+'
check "server bind(), the path in the session directory as …/" step '^  2 bind\([0-9]+, "…/stream-server\.sock"\) += 0 *│'
check "server listen()" step '^  3 listen\([0-9]+, 12\) += 0'
check "server blocks in accept()" step 'accept\([0-9]+, &peer, &len\) +blocking…'
check "header says so" shows '^ server pid [0-9]+ · blocked in accept\(\)'
check "then the client moves" shows '│▶ client pid [0-9]+ · next: socket\(\)'
check "client socket()" step '│  1 socket\(AF_UNIX, SOCK_STREAM, 0\) = [0-9]+$'
check "client bind()" step '│  2 bind\([0-9]+, "…/stream-client\.sock"\) += 0$'
check "client connect() and the server's accept() returns" step '^  4 accept\([0-9]+, &peer, &len\) += [0-9]+ *│'
check "connect() = 0 (its result on the call's last row)" grep -qx '3 connect = 0' <(calls client)
check "server pane says which fd accept() made" shows '· accept\(\) made fd [0-9]+ for the clien'
check "client send() = 1024" step '│  → 1024 B "How are you !!!" \+ 1009 NUL$'
check "send() = 1024" grep -qx '4 send = 1024' <(calls client)
check "the message says where it went" shows '│    to …/stream-server\.sock$'
check "server poll() returns, recv()" step '^  6 recv\([0-9]+, buf, 1024, 0\) += 1024 *│'
check "poll() came before it" shows '^  5 poll\(\[[0-9]+, [0-9]+\], 2, -1\) += 1 *│'
check "the message arrived, with its padding, from the client" \
    shows '^  ← 1024 B "How are you !!!" \+ 1009 NUL *│'
check "and says where from" shows '^    from …/stream-client\.sock *│'
check "server send()" step '^  → 1024 B "OK,I got it!" \+ 1012 NUL *│'
check "send() = 1024" grep -qx '7 send = 1024' <(calls server)
check "client recv()" step '│  5 recv\([0-9]+, buf, 1024, 0\) += 1024$'
check "reply arrives" shows '│  ← 1024 B "OK,I got it!" \+ 1012 NUL$'
check "server back in poll()" shows '^ server pid [0-9]+ · blocked in poll\(\)'
# Scrolled back, the pane says so; End brings the newest lines back.
press PPage
check "PgUp: the panes say newer lines are below" shows '^ ↓ [0-9]+ newer lines: End or Space brings'
check "history keeps the server's first calls" shows '^  1 socket\(AF_UNIX, SOCK_STREAM, 0\) += [0-9]+ *│'
# A pane scrolled back to its oldest line shows its first lines from the top.
check "PgUp keeps the client's first calls on screen" \
    shows '│  1 socket\(AF_UNIX, SOCK_STREAM, 0\) = [0-9]+$'
press Home
check "Home shows the first calls" \
    shows '^  1 socket\(AF_UNIX, SOCK_STREAM, 0\) += [0-9]+ *│  1 socket'
press End
check "End: the newest lines again" shows '│  ← 1024 B "OK,I got it!" \+ 1012 NUL$'
check "End: no newer-lines row" lacks "$SCREEN" 'newer lines'
check "counters: server 1 each way" counters_are server "1 1024 1 1024 1 1 0 0"
check "counters: client 1 each way" counters_are client "1 1024 1 1024 1 1 0 0"
check "lesson explains the next call" shows '── why: send\(\) on the client ──'
quit_clean
finish
