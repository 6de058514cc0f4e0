#!/usr/bin/env bash
# A server under attack by hostile clients (hostile.py) in both modes keeps
# answering a normal client within a second each time, and nothing raw
# from a peer reaches its output (what a terminal would show).
. "$(dirname "$0")/lib.sh"
if ! command -v python3 >/dev/null; then
    echo "SKIP: python3 is not installed (apt-get install python3)"
    exit 77
fi
HOSTILE=$(dirname "$0")/hostile.py
for mode in stream dgram; do
    S=$WORK/$mode-server.sock
    spawn "$WORK/$mode-server.txt" "$SOCKSCOPE" server --mode $mode --path "$S"
    srv=$!
    check "$mode: server up" wait_for 5 test -S "$S"
    mkdir -p "$WORK/h-$mode"
    spawn "$WORK/$mode-hostile.txt" python3 "$HOSTILE" $mode "$S" "$WORK/h-$mode" 6
    hostile=$!
    sleep 1
    C=$WORK/$mode-client.jsonl
    timeout 20 "$SOCKSCOPE" client --mode $mode --server-path "$S" --client-path "$WORK/$mode-c.sock" \
        --count 20 --interval 0.1 --format jsonl >"$C"
    check "$mode: the normal client exits 0 (every reply came)" [ $? = 0 ]
    # The longest wait for a reply: from a send's result to the next receive's.
    worst=$(awk -F'"t_us":' '/"phase":"exit"/ && /"call":"send/ { split($2, a, ","); t = a[1] }
        /"phase":"exit"/ && /"call":"recv/ && t { split($2, a, ","); d = a[1] - t; if (d > w) w = d; t = 0 }
        END { print w + 0 }' "$C")
    echo "$mode: the normal client's slowest reply: ${worst} us"
    check "$mode: every reply within a second (slowest ${worst} us)" [ "$worst" -lt 1000000 ]
    check "$mode: 20 replies" [ "$(grep -c '"dir":"in"' "$C")" = 20 ]
    wait "$hostile" 2>/dev/null
    check "$mode: the hostile script ran to its end" grep -q 'hostile: done' "$WORK/$mode-hostile.txt"
    kill -TERM "$srv"
    check "$mode: the server stops cleanly" wait_for 5 gone "$srv"
    out=$WORK/$mode-server.txt
    check "$mode: no raw control byte in the server's output" \
        sh -c "! LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]' '$out' || ! LC_ALL=C grep -P '[\x00-\x08\x0b-\x1f\x7f]' '$out' | grep -q ."
    check "$mode: the server's output is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$out" -o /dev/null
    check "$mode: the escape arrived, made visible" grep -qF '\x1b]0;pwned' "$out"
    if [ $mode = stream ]; then
        check "stream: the non-reading hog was dropped" grep -q 'reads nothing and its queue is full: dropped' "$out"
    else
        check "dgram: replies to the hog dropped, said" grep -q 'reply dropped: the queue of the client at .*hog.sock is full' "$out"
        check "dgram: an unbound sender cannot be answered, said" grep -q 'never called bind()' "$out"
    fi
done
# Over the cap: 20 idle connections to a stream server that serves 16 at
# once. The ones over it are accepted, refused at once, and said so; new
# clients are never left waiting in a full backlog.
S=$WORK/cap.sock
spawn "$WORK/cap-server.txt" "$SOCKSCOPE" server --path "$S"
srv=$!
check "cap: server up" wait_for 5 test -S "$S"
timeout 30 python3 "$HOSTILE" stream "$S" "$WORK" 4 20 >"$WORK/cap-hostile.txt" 2>&1
check "cap: 20 connections made, none left waiting (the script ended)" grep -q 'hostile: done' "$WORK/cap-hostile.txt"
kill -TERM "$srv"
check "cap: the server stops cleanly" wait_for 5 gone "$srv"
check "cap: over 16 clients, refused and said so" grep -q 'clients already: the one at .* is refused' "$WORK/cap-server.txt"
finish
