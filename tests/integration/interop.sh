#!/usr/bin/env bash
# Wire compatibility with the lesson's programs, both ways, both modes:
# 1024-byte NUL-padded messages, "How are you !!!" and "OK,I got it!".
. "$(dirname "$0")/lib.sh"

for mode in stream dgram; do
    S=$WORK/$mode-lesson-server.sock
    spawn "$WORK/$mode-lesson-server.txt" "$LESSON" $mode-server "$S" 3
    lesson=$!
    check "lesson $mode server up" wait_for 5 test -S "$S"
    "$SOCKSCOPE" client --mode $mode --server-path "$S" --client-path "$WORK/$mode-c.sock" --count 3 --interval 0 >"$WORK/$mode-our-client.txt" 2>&1
    check "our $mode client exits 0 with a lesson server" [ $? = 0 ]
    check "our $mode client got the lesson's reply" grep -q 'received 1024 bytes, text 12, padding 1012: "OK,I got it!"' "$WORK/$mode-our-client.txt"
    check "lesson $mode server finished" wait_for 5 gone "$lesson"
    check "lesson $mode server read our message" grep -q "recv a msg: \?How are you !!! from: $WORK/$mode-c.sock" "$WORK/$mode-lesson-server.txt"

    S=$WORK/$mode-our-server.sock
    spawn "$WORK/$mode-our-server.txt" "$SOCKSCOPE" server --mode $mode --path "$S" --count 3
    ours=$!
    check "our $mode server up" wait_for 5 test -S "$S"
    "$LESSON" $mode-client "$S" "$WORK/$mode-lc.sock" 3 >"$WORK/$mode-lesson-client.txt" 2>&1
    check "lesson $mode client exits 0 with our server" [ $? = 0 ]
    check "lesson $mode client got 3 replies" [ "$(grep -c 'receive a msg :OK,I got it!' "$WORK/$mode-lesson-client.txt")" = 3 ]
    check "our $mode server finished" wait_for 5 gone "$ours"
    check "our $mode server shows the padding" grep -q 'received 1024 bytes, text 15, padding 1009: "How are you !!!"' "$WORK/$mode-our-server.txt"
done
finish
