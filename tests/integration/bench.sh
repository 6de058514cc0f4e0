#!/usr/bin/env bash
# sockscope bench: the table, the JSON object, one mode, a baseline, rounds,
# and what it refuses. (It asserts what it prints, never how fast: these
# machines are noisy.) Every bench here is bounded by timeout(1), and once
# one has not ended in time the others are not tried: the test stays well
# within its 90 s.
. "$(dirname "$0")/lib.sh"

bench() {
    local rc
    if [ -e "$WORK/hung" ]; then
        echo "not tried: an earlier bench did not end" >&2
        return 124
    fi
    timeout -k 5 25 "$SOCKSCOPE" bench "$@"
    rc=$?
    if [ $rc = 124 ] || [ $rc = 137 ]; then
        echo "FAIL: sockscope bench $* did not end within 25 s" >&2
        touch "$WORK/hung"
    fi
    return $rc
}
NUM='[0-9]+\.[0-9]{2}'

# check_rows OUT MODE ROUNDS [baseline]: the table's rows of one mode; the
# spread column is a percentage, or "-" for one round.
check_rows() {
    local out=$1 m=$2 f b sp='[0-9]{1,3}%'
    [ "$3" = 1 ] && sp=-
    check "$m: bare loop, 1 CPU" grep -qE "^$m +bare loop, 1 CPU +[1-9][0-9]* +$sp +1\.00 +$NUM$" <<<"$out"
    check "$m: bare loop, any CPU" grep -qE "^$m +bare loop, any CPU +[1-9][0-9]* +$sp +$NUM +1\.00$" <<<"$out"
    for f in jsonl text; do
        for b in "" ${4:+baseline}; do
            check "$m: ${b:+$b }run --format $f" grep -qE \
                "^$m +${b:+$b }run --format $f +[1-9][0-9]* +$sp +$NUM +$NUM +$NUM +$NUM +[1-9][0-9]*$" <<<"$out"
        done
    done
}

# The table, both modes and 3 rounds (the defaults).
out=$(bench --count 300 2>&1); rc=$?
check "bench exits 0 (got $rc): $out" [ $rc = 0 ]
check "header" grep -qE \
    '^sockscope bench: 300 lock-step exchanges of 1024-byte messages per measurement, best of 3 rounds, [1-9][0-9]* CPUs?$' <<<"$out"
check "which CPU" grep -qE '^(1 CPU: both ends of the bare loop pinned to CPU [0-9]+; any CPU: not pinned|only 1 CPU is allowed here: .*)$' <<<"$out"
check "column heads" grep -qE \
    '^mode +what +exchanges/s +spread +of bare\(1 CPU\) +of bare\(any CPU\) +peers us/exch +parent us/exch +max RSS KiB$' <<<"$out"
check_rows "$out" stream 3
check_rows "$out" dgram 3
check "8 rows" [ "$(grep -cE '^(stream|dgram) ' <<<"$out")" = 8 ]
check "stream rows first" [ "$(grep -E '^(stream|dgram) ' <<<"$out" | head -n 4 | grep -c '^stream ')" = 4 ]
check "best of 3, said" grep -q '^each figure is the best of 3 rounds: ' <<<"$out"
check "spread, said" grep -q '^spread: ' <<<"$out"
check "legend" grep -q '^of bare(...): ' <<<"$out"
check "no baseline rows" [ "$(grep -c baseline <<<"$out")" = 0 ]

# --json: one object on one line, every field, positive numbers; every
# round's rate, the best of them the row's.
# check_json JSON MODES BINARIES ROUNDS: MODES and BINARIES as "stream,dgram", "this,baseline".
check_json() {
    python3 - "$1" "$2" "$3" "$4" <<'EOF'
import json, sys
text, modes, binaries = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
rounds = int(sys.argv[4])
assert "\n" not in text.strip(), "one line"
o = json.loads(text)
assert o["count"] == 300 and o["cpus"] >= 1 and o["pinned_cpu"] >= 0, o
assert o["rounds"] == rounds, o
assert o["message_bytes"] == 1024
assert [m["mode"] for m in o["modes"]] == modes, o["modes"]
def check_rates(rates, best, what):
    assert isinstance(rates, list) and len(rates) == rounds, (what, rates)
    assert all(isinstance(x, (int, float)) and x > 0 for x in rates), (what, rates)
    assert best == max(rates), (what, best, rates)
for m in o["modes"]:
    assert m["bare_pinned"] > 0 and m["bare_unpinned"] > 0, m
    check_rates(m["bare_pinned_rates"], m["bare_pinned"], "bare_pinned")
    check_rates(m["bare_unpinned_rates"], m["bare_unpinned"], "bare_unpinned")
    want = sorted((f, b) for f in ("jsonl", "text") for b in binaries)
    assert sorted((r["format"], r["binary"]) for r in m["runs"]) == want, m["runs"]
    for r in m["runs"]:
        for k in ("rate", "ratio_pinned", "ratio_unpinned", "maxrss_kib"):
            assert isinstance(r[k], (int, float)) and r[k] > 0, (k, r)
        check_rates(r["rates"], r["rate"], "rates")
        for k in ("peers_cpu_us", "parent_cpu_us"):
            assert isinstance(r[k], (int, float)) and r[k] >= 0, (k, r)
        assert abs(r["ratio_pinned"] - r["rate"] / m["bare_pinned"]) < 0.001 + r["ratio_pinned"] / 100, r
        assert abs(r["ratio_unpinned"] - r["rate"] / m["bare_unpinned"]) < 0.001 + r["ratio_unpinned"] / 100, r
EOF
}
if command -v python3 >/dev/null; then
    json=$(bench --count 300 --rounds 2 --json); rc=$?
    check "--json exits 0 (got $rc)" [ $rc = 0 ]
    check "--json: one parsable object with every field: $json" check_json "$json" stream,dgram this 2
else
    echo "note: no python3, the JSON is not parsed"
fi

# One mode, one round, with a baseline (this same program, standing in for
# an older one).
out=$(bench --count 300 --rounds 1 --mode dgram --baseline "$SOCKSCOPE" 2>&1); rc=$?
check "--mode dgram --baseline exits 0 (got $rc): $out" [ $rc = 0 ]
check "one round: header" grep -qE 'per measurement, 1 round, [1-9][0-9]* CPUs?$' <<<"$out"
check "one round: said" grep -q '^each figure is of one round ' <<<"$out"
check_rows "$out" dgram 1 baseline
check "6 dgram rows" [ "$(grep -cE '^dgram ' <<<"$out")" = 6 ]
check "no stream rows" [ "$(grep -cE '^stream ' <<<"$out")" = 0 ]
check "the baseline named" grep -qxF "baseline: $SOCKSCOPE" <<<"$out"
if command -v python3 >/dev/null; then
    json=$(bench --count 300 --rounds 2 --mode stream --json --baseline "$SOCKSCOPE"); rc=$?
    check "--json --baseline exits 0 (got $rc)" [ $rc = 0 ]
    check "--json --baseline: $json" check_json "$json" stream this,baseline 2
    check "--json names the baseline" grep -qF "\"baseline\":\"$SOCKSCOPE\"" <<<"$json"
fi

# One CPU only: said so (the two bare loops are the same).
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then
    out=$(timeout -k 5 25 taskset -c 0 "$SOCKSCOPE" bench --count 300 --rounds 2 --mode stream 2>&1); rc=$?
    check "one CPU: exits 0 (got $rc)" [ $rc = 0 ]
    check "one CPU: header" grep -qE 'per measurement, best of 2 rounds, 1 CPU$' <<<"$out"
    check "one CPU: said" grep -qx 'only 1 CPU is allowed here: .*(CPU 0)' <<<"$out"
    check_rows "$out" stream 2
fi

# A baseline that fails: exit 1, its status and its stderr shown, no table.
printf '#!/bin/sh\necho "baseline broke" >&2\nexit 3\n' >"$WORK/broken"
chmod +x "$WORK/broken"
out=$(bench --count 300 --mode stream --json --baseline "$WORK/broken" 2>"$WORK/err"); rc=$?
check "failing baseline: exit 1 (got $rc)" [ $rc = 1 ]
check "failing baseline: no JSON" [ -z "$out" ]
check "failing baseline: its status" grep -q "baseline's .*broken run --mode stream .* exited 3" "$WORK/err"
check "failing baseline: its stderr" grep -qx "baseline broke" "$WORK/err"

# Stopped (SIGTERM) in the bare loop and in a run: bench stops and reaps its
# children, says so and exits 128 + 15; nothing of it is left running.
# stopped NAME PATTERN ARGS...: PATTERN matches the children's command lines.
none_left() { ! pgrep -f -- "$1" >/dev/null; }
stopped() {
    local name=$1 pattern=$2 pid rc i
    shift 2
    [ -e "$WORK/hung" ] && return
    "$SOCKSCOPE" bench "$@" >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    PIDS+=($pid)
    check "$name: got there" wait_for 10 pgrep -f -- "$pattern" >/dev/null
    sleep 0.3
    kill -TERM $pid
    for ((i = 0; i < 100; i++)); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
    kill -0 $pid 2>/dev/null && kill -KILL $pid
    wait $pid; rc=$?
    check "$name: stopped by SIGTERM: exit 143 (got $rc)" [ $rc = 143 ]
    check "$name: says so" grep -q "^sockscope bench: stopped by SIGTERM$" "$WORK/err"
    wait_for 2 none_left "$pattern"
    check "$name: nothing left running ($(pgrep -a -f -- "$pattern"))" none_left "$pattern"
}
stopped "bare loop" "bench --count 100000000 --mode stream" --count 100000000 --mode stream
printf '#!/bin/sh\nexec sleep 31.4159\n' >"$WORK/sleeper"
chmod +x "$WORK/sleeper"
stopped "a run" "sleep 31.4159" --count 50 --mode dgram --baseline "$WORK/sleeper"

# Refused: exit 2 and a message, before anything runs.
refused() { # refused WHAT-THE-MESSAGE-SAYS ARGS...
    local want=$1 err rc
    shift
    err=$(bench "$@" 2>&1 >/dev/null); rc=$?
    check "bench $* exits 2 (got $rc)" [ $rc = 2 ]
    check "bench $* says: $want (said: $err)" grep -qF -- "$want" <<<"$err"
}
refused "--count takes a whole number from 1 up" --count 0
refused "--rounds takes a number of rounds from 1 to 100, not '0'" --rounds 0
refused "--rounds takes a number of rounds from 1 to 100, not 'x'" --rounds x
refused "--rounds takes a number of rounds from 1 to 100, not '101'" --rounds 101
refused "--rounds needs a value" --rounds
refused "--mode takes stream, dgram or both, not 'nope'" --mode nope
refused "--baseline /nonexistent: No such file or directory" --baseline /nonexistent
refused "--baseline $WORK: a directory" --baseline "$WORK"
printf 'not a program\n' >"$WORK/plain"
refused "--baseline $WORK/plain: not executable" --baseline "$WORK/plain"
refused "--baseline takes the path" --baseline=
# --mode both, --json, --baseline and --rounds are bench's own.
err=$("$SOCKSCOPE" run --mode both 2>&1); rc=$?
check "run --mode both refused (got $rc): $err" [ $rc = 2 ]
check "run --mode both: message" grep -qF -- "--mode takes stream or dgram, not 'both'" <<<"$err"
err=$("$SOCKSCOPE" run --json 2>&1); rc=$?
check "run --json refused (got $rc): $err" [ $rc = 2 ]
check "run --json: message" grep -qF "unknown option '--json' for 'sockscope run'" <<<"$err"
err=$("$SOCKSCOPE" run --rounds 2 2>&1); rc=$?
check "run --rounds refused (got $rc): $err" [ $rc = 2 ]
check "run --rounds: message" grep -qF "unknown option '--rounds' for 'sockscope run'" <<<"$err"
finish
