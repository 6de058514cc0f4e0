#!/usr/bin/env bash
# The calls a run reports are the calls strace -f sees, in the same order,
# with the same results, for each peer process.
. "$(dirname "$0")/lib.sh"
if ! command -v strace >/dev/null; then
    echo "SKIP: strace is not installed (apt-get install strace)"
    exit 77
fi
if ! strace -f -o /dev/null true 2>/dev/null; then
    echo "SKIP: strace cannot trace here (ptrace not permitted)"
    exit 77
fi

# LeakSanitizer cannot work under ptrace; the other sanitizers still do.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
CALLS=socket,bind,listen,accept,accept4,connect,sendto,recvfrom,poll
for mode in stream dgram; do
    T=$WORK/$mode.jsonl
    strace -f -ff -qq -o "$WORK/st-$mode" -e trace=$CALLS,execve \
        "$SOCKSCOPE" run --mode $mode --count 3 --interval 0 --format jsonl >"$T"
    check "$mode run under strace exits 0" [ $? = 0 ]
    for pid in $(sed -n 's/.*"pid":\([0-9]*\),"kind":"exit".*/\1/p' "$T"); do
        # strace: what the process did after it became sockscope (execve).
        seen=$(sed -n '/^execve(/,$p' "$WORK/st-$mode.$pid" | grep -v '^execve\|^+++\|^---' |
            sed 's/^\([a-z0-9]*\)(.*= \(-\?[0-9]*\).*/\1=\2/' | tr '\n' ' ')
        # sockscope: send() and recv() are the sendto and recvfrom system calls.
        said=$(grep "\"pid\":$pid," "$T" | grep '"kind":"call"' | grep '"phase":"exit"' |
            grep -v '"call":"close"\|"call":"unlink"' |
            sed 's/.*"call":"\([a-z]*\)".*"rc":\(-\?[0-9]*\).*/\1=\2/' |
            sed 's/^send=/sendto=/; s/^recv=/recvfrom=/' | tr '\n' ' ')
        check "$mode pid $pid: strace [$seen] = reported [$said]" [ "$seen" = "$said" ]
        check "$mode pid $pid made calls" [ -n "$said" ]
    done
done
finish
