#!/usr/bin/env bash
# c walks the table's close row in both modes; killing the server shows the
# client's reaction; r starts fresh sides after they have all gone.
. "$(dirname "$0")/lib.sh"
start 100 30
check "starts" wait_screen 5 'next: socket\(\)'
keys s
check "one exchange" wait_screen 5 '^ client sent 1 \(1024 B\)  received 1'
keys c
check "closing notice" wait_screen 5 'closing: the client once its reply is in'
check "client's next send is not made" wait_screen 5 'send\(.*not made'
check "client waits at close()" wait_screen 5 'client pid [0-9]+ · next: close\(\)'
for i in 1 2 3 4 5 6; do keys Space; sleep 0.3; done
check "server's recv() returns 0" wait_screen 5 'recv\([0-9]+, buf, 1024, 0\) += 0 *│'
check "then the accepted socket closes" wait_screen 5 ' close\(6\) += 0 *│'
check "no new accept() is made" wait_screen 5 'accept\(.*not made *│'
check "then the listening socket" wait_screen 5 ' close\(5\) += 0 *│'
check "both sides exit 0" wait_screen 5 'server pid [0-9]+ · exited 0 .*│ client pid [0-9]+ · exited 0'
check "counters kept" wait_screen 2 '^ server sent 1 \(1024 B\)  received 1'
keys r
check "r: fresh sides" wait_screen 5 'server pid [0-9]+ · next: socket\(\)'

keys Tab
check "datagram" wait_screen 5 'DATAGRAM · SOCK_DGRAM'
keys s
check "one datagram exchange" wait_screen 5 '^ client sent 1 \(1024 B\)  received 1'
keys c
for i in 1 2 3 4; do keys Space; sleep 0.3; done
check "blocked recvfrom() interrupted for real" wait_screen 5 'recvfrom\(.*= -1 EINTR *│'
check "datagram sides exit 0" wait_screen 5 'server pid [0-9]+ · exited 0 .*│ client pid [0-9]+ · exited 0'

keys Tab
check "stream again" wait_screen 5 'STREAM · SOCK_STREAM'
keys s
check "exchange" wait_screen 5 '^ client sent 1 \(1024 B\)  received 1'
keys k s
check "server killed" wait_screen 5 'server pid [0-9]+ · killed by SIGKILL'
keys Space
check "client's send() meets the dead server" wait_screen 5 '│ +[0-9]+ send\(.*= -1 E(PIPE|CONNRESET)'
check "client exits 1" wait_screen 5 'client pid [0-9]+ · exited 1'
check "and says why" wait_screen 5 'exit 1: send\(\) failed'
quit_clean

# No private directory can be made: a clear message, exit 1, the terminal back.
out=$(TERM=xterm TMPDIR=/nonexistent XDG_RUNTIME_DIR= script -qec "$SOCKSCOPE; echo rc=\$?" /dev/null 2>&1)
check "unwritable TMPDIR: says so" grep -q "cannot create a private directory in /nonexistent" <<<"$out"
check "unwritable TMPDIR: exit 1" grep -q "rc=1" <<<"$out"
check "terminal given back (normal screen restored)" grep -q $'\e\[?1049l' <<<"$out"
finish
