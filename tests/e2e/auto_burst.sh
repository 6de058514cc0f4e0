#!/usr/bin/env bash
# At 120x40: auto-run for about three seconds, then bursts; the counters are
# counted from the peers' own events, so both sides agree and b adds exactly 100.
. "$(dirname "$0")/lib.sh"
start 120 40
check "starts" wait_screen 5 'next: socket\(\)'
check "step mode shows no rate" lacks "$(screen | head -n 1)" 'msg/s'
keys a
t0=$(date +%s%N)
check "auto mode, at the lesson's pace" wait_screen 5 'STREAM · SOCK_STREAM · AF_UNIX  auto every 1 s'
check "auto shows the rate" wait_screen 3 'auto every 1 s .* [0-9]+\.[0-9] msg/s  '
# About two seconds of auto-run, at one exchange a second: until the client
# has had 3 replies (bounded).
check "auto runs exchanges" wait_screen 8 '^ client +[0-9]+ +[0-9]+ +([3-9]|[1-9][0-9]+) '
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "3 exchanges took about 2 s, not less ($ms ms)" [ "$ms" -ge 1500 ]
keys +
check "+ halves the interval" wait_screen 5 'auto every 0.5 s'
keys a
check "back to step mode" wait_screen 5 'AF_UNIX  step mode'
# The exchange under way finishes: then both sides agree.
settle
read -r cs cbo cr cbi csc crc clost cerr <<<"$(counters client)"
read -r ss sbo sr sbi ssc src slost serr <<<"$(counters server)"
check "auto ran exchanges (${cr:-none})" [ "${cr:-0}" -ge 3 ]
check "client sent = server received ($cs/$sr)" [ "$cs" = "$sr" ]
check "server sent = client received ($ss/$cr)" [ "$ss" = "$cr" ]
check "bytes: client out = server in ($cbo/$sbi)" [ "$cbo" = "$sbi" ]
check "bytes: server out = client in ($sbo/$cbi)" [ "$sbo" = "$cbi" ]
check "1024 B a message ($cbo)" [ "$cbo" = $((cs * 1024)) ]
check "no loss, no error" [ "$clost/$cerr/$slost/$serr" = 0/0/0/0 ]
check "one send() a message, one recv() a reply ($csc/$crc)" [ "$csc/$crc" = "$cs/$cr" ]
check "step mode: no rate" lacks "$(head -n 1 <<<"$SCREEN")" 'msg/s'
keys r
check "restart: step mode, fresh peers" wait_screen 5 'server pid [0-9]+ · next: socket\(\)'
check "counters back to 0" wait_counters 2 client "0 0 0 0 0 0 0 0"
check "server's too" counters_are server "0 0 0 0 0 0 0 0"
# A burst of 100 takes some 50 ms, too short to be sure to see: the server
# is stopped (SIGSTOP) while the burst starts, so its title stays up, and
# let go again once it has been seen.
server=$(screen | grep -oE 'server pid [0-9]+' | head -n 1 | awk '{ print $3 }')
check "the server's pid is shown ($server)" [ -n "$server" ]
kill -STOP "$server"
keys b
check "burst: the title counts down" wait_screen 5 'sending: [0-9]+ to go .*msg/s'
kill -CONT "$server"
check "burst of 100: client" wait_counters 20 client "100 102400 100 102400 100 100 0 0"
check "burst of 100: server" wait_counters 2 server "100 102400 100 102400 100 100 0 0"
check "after the burst: step mode" wait_screen 3 'AF_UNIX  step mode'
keys b
check "another burst, 200: client" wait_counters 20 client "200 204800 200 204800 200 200 0 0"
check "another burst, 200: server" wait_counters 2 server "200 204800 200 204800 200 200 0 0"
check "panes show the padding" wait_screen 2 '← 1024 B "How are you !!!" \+ 1009 NUL'
settle
check "the counters stay at 200 (nothing more was sent)" counters_are client "200 204800 200 204800 200 200 0 0"
quit_clean
finish
