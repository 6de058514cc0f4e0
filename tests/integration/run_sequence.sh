#!/usr/bin/env bash
# The exact call sequence of each side in each mode, from `sockscope run`
# transcripts, and the messages, bytes and padding they report.
. "$(dirname "$0")/lib.sh"
export TMPDIR=$WORK # run's private directories: in WORK, so none outlives the test

T=$WORK/stream.jsonl
check "stream run exits 0" "$SOCKSCOPE" run --mode stream --count 3 --interval 0 --format jsonl >"$T"
got=$(calls_of server "$T")
want="socket bind listen accept poll recv send poll recv send poll recv send close close unlink"
check "stream server calls: $got" [ "$got" = "$want" ]
got=$(calls_of client "$T")
want="socket bind connect send recv send recv send recv close unlink"
check "stream client calls: $got" [ "$got" = "$want" ]
# The accepted connection (the fd accept() returned) closes before the listener.
accepted=$(grep '"call":"accept"' "$T" | grep '"phase":"exit"' | sed 's/.*"rc":\([0-9]*\).*/\1/')
listener=$(grep '"role":"server"' "$T" | grep '"call":"socket"' | grep '"phase":"exit"' | sed 's/.*"rc":\([0-9]*\).*/\1/')
closes=$(grep '"role":"server"' "$T" | grep '"call":"close"' | grep '"phase":"exit"' | sed 's/.*"args":"\([0-9]*\)".*/\1/' | tr '\n' ' ')
check "accepted fd $accepted closed before listener $listener: $closes" [ "$closes" = "$accepted $listener " ]
check "every call entered before it exited" [ "$(count_lines '"phase":"enter"' "$T")" = "$(count_lines '"phase":"exit"' "$T")" ]
check "client sent 3 messages" [ "$(grep '"role":"client"' "$T" | count_lines '"dir":"out"' /dev/stdin)" = 3 ]
check "1024 bytes, text 15, padding 1009" grep -q '"role":"server".*"kind":"msg","call":"recv","dir":"in","bytes":1024,"text":"How are you !!!","text_bytes":15,"padding":1009,"messages":1' "$T"
check "reply text 12, padding 1012" grep -q '"role":"client".*"dir":"in","bytes":1024,"text":"OK,I got it!","text_bytes":12,"padding":1012' "$T"
check "client stats: 3 out 3 in" [ "$(last_field msgs_out '"role":"client","pid":[0-9]*,"kind":"stats"' "$T")/$(last_field msgs_in '"role":"client","pid":[0-9]*,"kind":"stats"' "$T")" = 3/3 ]
check "server bytes in 3072" [ "$(last_field bytes_in '"role":"server","pid":[0-9]*,"kind":"stats"' "$T")" = 3072 ]
check "events in time order" sh -c "sed 's/.*\"t_us\":\([0-9]*\).*/\1/' '$T' | sort -n -c"
check "both exit 0" [ "$(count_lines '"kind":"exit","status":0' "$T")" = 2 ]

T=$WORK/dgram.jsonl
check "dgram run exits 0" "$SOCKSCOPE" run --mode dgram --count 3 --interval 0 --format jsonl >"$T"
got=$(calls_of server "$T")
check "dgram server calls: $got" [ "$got" = "socket bind recvfrom sendto recvfrom sendto recvfrom sendto close unlink" ]
got=$(calls_of client "$T")
check "dgram client calls: $got" [ "$got" = "socket bind sendto recvfrom sendto recvfrom sendto recvfrom close unlink" ]
check "no listen/accept/connect in datagram mode" sh -c "! grep -qE '\"call\":\"(listen|accept|connect)\"' '$T'"
check "datagram sender address known" grep -q '"dir":"in".*"peer":"[^"]*dgram-client.sock"' "$T"
check "nothing calls itself TCP" sh -c "! grep -qi tcp '$T'"

T=$WORK/pad0.jsonl
check "pad 0 run exits 0" "$SOCKSCOPE" run --count 2 --interval 0 --pad 0 --format jsonl >"$T"
check "pad 0 sends exactly the text" grep -q '"dir":"in","bytes":15,"text":"How are you !!!","text_bytes":15,"padding":0' "$T"

T=$WORK/text.txt
check "text run exits 0" "$SOCKSCOPE" run --count 1 --interval 0 >"$T"
check "text shows calls as C reads them" grep -qE 'server bind\(4, "/.*/stream-server.sock"\) = 0$' "$T"
check "text shows messages" grep -q 'client -> sent 1024 bytes, text 15, padding 1009: "How are you !!!"' "$T"
# The header names the private directory: found, absolute, the one the
# sockets really were in, and gone at the end.
dir=$(sed -n '1s/^sockscope run: .*, in \(\/.*\)$/\1/p' "$T")
check "the header names the private directory ('$dir')" [ -n "$dir" -a "${dir#/}" != "$dir" ]
check "the sockets were in it" grep -qF "bind(4, \"$dir/stream-server.sock\") = 0" "$T"
check "the last line says it was removed" [ "$(tail -n 1 "$T")" = "sockscope run: both sides exited 0; $dir removed" ]
check "private directory removed" [ -n "$dir" -a ! -e "$dir" ]

# Live: while the client pauses between its messages (--interval 3), what it
# did so far is already out: its first reply is printed long before it sends
# again (events leave the peer's ring before it pauses, not at its next call).
L=$WORK/live.txt
timeout 30 "$SOCKSCOPE" run --count 2 --interval 3 --format jsonl |
    while IFS= read -r line; do printf '%s %s\n' "$(date +%s%N)" "$line"; done >"$L"
first_in=$(grep '"role":"client"' "$L" | grep '"dir":"in"' | head -n 1 | cut -d' ' -f1)
second_out=$(grep '"role":"client"' "$L" | grep '"dir":"out"' | sed -n 2p | cut -d' ' -f1)
check "live: the client's first reply is out before its pause ends (${first_in:-none} < ${second_out:-none})" \
    test -n "$first_in" -a -n "$second_out" -a $(( (${second_out:-0} - ${first_in:-0}) / 1000000 )) -ge 1500
finish
