# lib.sh: what the integration tests share. Source it with the sockscope
# binary as $1 (and lesson_peer as $2 where needed).
# Every wait here is bounded; every test cleans up through the trap.
set -u
SOCKSCOPE=${1:?usage: test.sh SOCKSCOPE [LESSON_PEER]}
LESSON=${2:-}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sockscope-test.XXXXXX")
PIDS=()
FAILED=0
PASSED=0

cleanup() {
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; FAILED=$((FAILED + 1)); }
pass() { PASSED=$((PASSED + 1)); }
check() { # check "what" command...
    local what=$1; shift
    if "$@"; then pass; else fail "$what"; fi
}
finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit $?
}

# wait_for SECONDS command...: polls every 50 ms until the command succeeds.
wait_for() {
    local limit=$(( $1 * 20 )); shift
    for ((i = 0; i < limit; i++)); do
        "$@" && return 0
        sleep 0.05
    done
    return 1
}

# The call names one side reported finishing, in order, from a JSONL transcript.
calls_of() { # calls_of ROLE FILE
    grep "\"role\":\"$1\"" "$2" | grep '"kind":"call"' | grep '"phase":"exit"' |
        sed 's/.*"call":"\([a-z0-9]*\)".*/\1/' | tr '\n' ' ' | sed 's/ $//'
}

# The last value of a numeric field on lines matching a pattern.
last_field() { # last_field FIELD PATTERN FILE
    grep -- "$2" "$3" | tail -n 1 | sed -n "s/.*\"$1\":\([-0-9]*\).*/\1/p"
}

count_lines() { grep -c -- "$1" "$2" || true; }

# Starts a background command, output to a file; its pid is in $!.
spawn() { # spawn OUTFILE command...
    local out=$1; shift
    "$@" >"$out" 2>&1 &
    PIDS+=($!)
}

gone() { ! kill -0 "$1" 2>/dev/null; }
