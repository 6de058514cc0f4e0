#!/usr/bin/env bash
# The peers carry names each tool shows: /proc/PID/comm (ps, top, pgrep)
# and ss -xp say sockscope-srv and sockscope-cli, never "exe".
. "$(dirname "$0")/lib.sh"
T=$WORK/run.jsonl
spawn "$T" "$SOCKSCOPE" run --count 0 --interval 0.2 --format jsonl
run_pid=$!
pid_of() { sed -n "s/.*\"role\":\"$1\",\"pid\":\([0-9]*\),\"kind\":\"state\",\"state\":\"started\".*/\1/p" "$T" | head -n 1; }
check "both sides started" wait_for 5 sh -c "grep -q '\"role\":\"client\".*\"state\":\"started\"' '$T'"
srv=$(pid_of server) cli=$(pid_of client)
check "pids read ($srv, $cli)" [ -n "$srv" ] && [ -n "$cli" ]
check "server's comm is sockscope-srv" [ "$(cat /proc/"$srv"/comm 2>/dev/null)" = sockscope-srv ]
check "client's comm is sockscope-cli" [ "$(cat /proc/"$cli"/comm 2>/dev/null)" = sockscope-cli ]
check "pgrep -x sockscope-srv finds the server" grep -qx "$srv" <(pgrep -x sockscope-srv)
check "pgrep sockscope finds both" sh -c "pgrep sockscope | grep -qx $srv && pgrep sockscope | grep -qx $cli"
if command -v ss >/dev/null; then
    check "ss -xp names the server" wait_for 3 sh -c "ss -xp | grep -q 'users:((\"sockscope-srv\",pid=$srv,'"
    check "ss -xp names the client" wait_for 3 sh -c "ss -xp | grep -q 'users:((\"sockscope-cli\",pid=$cli,'"
else
    echo "SKIP (part): ss is not installed (iproute2)"
fi
kill -INT "$run_pid"
check "run stops on SIGINT" wait_for 5 gone "$run_pid"
finish
