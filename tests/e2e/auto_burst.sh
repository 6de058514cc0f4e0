#!/usr/bin/env bash
# At 120x40: auto-run for about three seconds, then bursts; the counters are
# the peers' own totals, so both sides agree and b adds exactly 100.
. "$(dirname "$0")/lib.sh"
start 120 40
check "starts" wait_screen 5 'next: socket\(\)'
keys a
check "auto mode, at the lesson's pace" wait_screen 5 'STREAM · SOCK_STREAM · AF_UNIX  auto every 1 s'
sleep 3
keys +
check "+ halves the interval" wait_screen 5 'auto every 0.5 s'
keys a
check "back to step mode" wait_screen 5 'AF_UNIX  step mode'
sleep 0.5
cs=$(counter client sent); sr=$(counter server received); ss=$(counter server sent); cr=$(counter client received)
check "auto ran exchanges ($cs)" [ "${cs:-0}" -ge 2 ]
check "client sent = server received ($cs/$sr)" [ "$cs" = "$sr" ]
check "server sent = client received ($ss/$cr)" [ "$ss" = "$cr" ]
keys r
check "restart: step mode, fresh peers" wait_screen 5 'server pid [0-9]+ · next: socket\(\)'
check "counters back to 0" [ "$(counter client sent)" = 0 ]
keys b
check "burst of 100" wait_screen 10 '^ client sent 100 \(102400 B\)  received 100 \(102400 B\)'
check "server 100 each way" wait_screen 2 '^ server sent 100 \(102400 B\)  received 100 \(102400 B\)'
keys b
check "another burst: 200" wait_screen 10 '^ client sent 200 \(204800 B\)  received 200 \(204800 B\)'
check "server 200 each way" wait_screen 2 '^ server sent 200 \(204800 B\)  received 200 \(204800 B\)'
check "panes show the padding" wait_screen 2 '← 1024 B "How are you !!!" \+ 1009 NUL'
quit_clean
finish
