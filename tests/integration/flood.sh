#!/usr/bin/env bash
# A flood (run --interval 0) reports every call exactly, drops nothing when
# the reader falls behind, and its memory does not grow with its length.
# (How fast it goes is bench's business, not a test's: these machines are
# noisy. This asserts what is reported.)
#
# 1. Exact: 2000 exchanges each mode under strace: the peers' calls, one by
#    one, are the calls strace saw (lib.sh: strace_calls, trace_calls), and
#    every call number is there once, in order.
# 2. Nothing dropped: run's output goes into a pipe that nobody reads for a
#    second. The peers' rings (256 KiB) fill within a few hundred exchanges
#    and the peers must wait for run, which waits for the pipe; when the
#    reader starts, every event of 3000 exchanges is there, in time order
#    and in cause order (no message in before the message out it answers).
# 3. Flat: the largest resident set of a run of 100000 exchanges is within
#    2 MiB of one of 2000.
. "$(dirname "$0")/lib.sh"
need_strace
export TMPDIR=$WORK

for mode in stream dgram; do
    P=$WORK/flood-$mode
    T=$WORK/flood-$mode.jsonl
    "${TRACED[@]}" -o "$P" timeout 120 "$SOCKSCOPE" run --mode $mode --count 2000 --interval 0 \
        --format jsonl >"$T"
    check "$mode flood under strace exits 0" [ $? = 0 ]
    compare_calls "$P" "$T" "$mode flood" 4000
    check "$mode flood: 4000 messages each way reported" \
        [ "$(grep -c '"kind":"msg"' "$T")" = 8000 ]
done

# A reader that sleeps first: the pipe (64 KiB) and both rings fill, so the
# peers wait; then everything must come through, in time order.
for mode in stream dgram; do
    T=$WORK/slow-$mode.jsonl
    timeout 120 bash -c '"$1" run --mode "$2" --count 3000 --interval 0 --format jsonl |
        { sleep 1; cat; } >"$3"; exit "${PIPESTATUS[0]}"' _ "$SOCKSCOPE" $mode "$T"
    check "$mode, slow reader: run exits 0 ($?)" [ $? = 0 ]
    check "$mode, slow reader: all 12000 message lines" [ "$(grep -c '"kind":"msg"' "$T")" = 12000 ]
    for role in server client; do
        pid=$(started_peers "$T" | sed -n "s/^$role //p")
        check "$mode, slow reader: $role's calls numbered in order, none lost" \
            [ -n "$pid" -a -z "$(seq_problems "$pid" "$T")" ]
        check "$mode, slow reader: $role's exit reported" \
            grep -q "\"role\":\"$role\",\"pid\":$pid,\"kind\":\"exit\",\"status\":0" "$T"
    done
    check "$mode, slow reader: times never go back" \
        sh -c "sed 's/.*\"t_us\":\\([0-9]*\\).*/\\1/' '$T' | sort -n -c"
    # Cause order: a side's message in is never listed before the other
    # side's message out that it answers (run merges in cause order).
    early=$(awk '/"kind":"msg"/ {
            role = ($0 ~ /"role":"server"/) ? "server" : "client"
            other = (role == "server") ? "client" : "server"
            if ($0 ~ /"dir":"out"/) sent[role]++
            else if (++got[role] > sent[other]) n++
        } END { print n + 0 }' "$T")
    check "$mode, slow reader: no message received before it was sent ($early)" [ "$early" = 0 ]
done

# Ways an endless flood (--count 0) ends: its reader goes (run | head), the
# user presses Ctrl+C, and on a machine that lets it use one CPU only.
# Each ends with both sides stopped, nothing running, no directory left.
leftovers() { pgrep -f -- "$WORK/sockscope-" >/dev/null && echo processes; find "$WORK" -mindepth 1 -maxdepth 1 -name 'sockscope-*'; }
none_left() { [ -z "$(leftovers)" ]; }
timeout 30 "$SOCKSCOPE" run --count 0 --interval 0 | head -n 3 >/dev/null
rc=${PIPESTATUS[0]}
check "reader gone (| head): run stops, 141 as SIGPIPE would (got $rc)" [ "$rc" = 141 ]
check "reader gone: nothing left" wait_for 5 none_left
timeout 30 "$SOCKSCOPE" run --count 0 --interval 0 --format jsonl >"$WORK/int.jsonl" &
run=$!
PIDS+=("$run")
check "Ctrl+C mid-flood: it floods" wait_for 10 sh -c "[ \$(grep -c '\"dir\":\"in\"' '$WORK/int.jsonl') -ge 1000 ]"
kill -INT "$run"
wait "$run"; rc=$?
check "Ctrl+C mid-flood: exit 130 (got $rc)" [ "$rc" = 130 ]
check "Ctrl+C mid-flood: both sides' exits reported" [ "$(grep -c '"kind":"exit"' "$WORK/int.jsonl")" = 2 ]
check "Ctrl+C mid-flood: nothing left ($(leftovers))" [ -z "$(leftovers)" ]
if command -v taskset >/dev/null; then
    out=$(taskset -c 0 "$SOCKSCOPE" run --count 500 --interval 0 --format jsonl); rc=$?
    check "one CPU allowed: run exits 0 (got $rc)" [ "$rc" = 0 ]
    check "one CPU allowed: 2000 message lines" [ "$(grep -c '"kind":"msg"' <<<"$out")" = 2000 ]
fi

# The largest resident set of run and its peers, in KiB, for COUNT exchanges.
max_rss() { # max_rss COUNT
    python3 - "$SOCKSCOPE" "$1" <<'EOF'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "run", "--count", sys.argv[2], "--interval", "0",
                "--format", "jsonl"], stdout=subprocess.DEVNULL, check=True, timeout=120)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF
}
small=$(max_rss 2000)
large=$(max_rss 100000)
check "memory is flat: 100000 exchanges ${large} KiB, 2000 exchanges ${small} KiB" \
    test -n "$small" -a -n "$large" -a "${large:-0}" -le $((${small:-0} + 2048))
check "no private directory left" sh -c "[ -z \"\$(find '$WORK' -mindepth 1 -name 'sockscope-*')\" ]"
finish
