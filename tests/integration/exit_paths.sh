#!/usr/bin/env bash
# Every way out of `run` and of a `server`/`client` pair: SIGINT, SIGTERM,
# SIGHUP, and SIGKILL of a peer. After each: no process of ours left (by
# the pids the transcript names and `pgrep -f` on the private directory),
# no zombie, no socket file, no private directory (a socket a SIGKILL left:
# after the next start at that path, which removes it as stale). One row of
# the table a path, printed as it goes. (The lab's: tests/e2e/exit_paths.sh.)
. "$(dirname "$0")/lib.sh"
export TMPDIR=$WORK

dir_of() { sed -n '1s/^sockscope run: .*, in \(\/.*\)$/\1/p' "$1"; }
. "$(dirname "${BASH_SOURCE[0]}")/../lib/procs.sh" # alive, zombies
ours() { pgrep -f "$WORK/" | tr '\n' ' '; } # every process naming a path of this test
files() { find "$WORK" \( -type s -o \( -mindepth 1 -name 'sockscope-*' -type d \) \) | sed "s|^$WORK/||" | tr '\n' ' '; }
none() { [ -z "$("$@")" ]; }
leftover() { alive "$@"; ours; }
wait_gone() { wait_for 10 gone "$1"; wait "$1" 2>/dev/null; }

printf '%-36s %-6s %-16s %-8s %-34s %s\n' "path" "exit" "processes left" "zombies" "files left" "terminal same"
# row PATH EXIT PIDS...: checks nothing of ours is left and prints the row.
row() {
    local path=$1 rc=$2; shift 2
    check "$path: no process left ($(leftover "$@"))" wait_for 5 none leftover "$@"
    local left z f
    left=$(leftover "$@" | wc -w) z=$(zombies "$@" $$ | wc -w) f=$(files)
    check "$path: no zombie" [ "$z" = 0 ]
    check "$path: no socket file or private directory ($f)" [ -z "$f" ]
    printf '%-36s %-6s %-16s %-8s %-34s %s\n' "$path" "$rc" "$left" "$z" "${f:-0}" "n/a (no terminal)"
}

# --- run: a signal to run, or SIGKILL of one of its peers ---------------------
for how in INT TERM HUP KILL-client KILL-server; do
    out=$WORK/run-$how.txt
    spawn "$out" "$SOCKSCOPE" run --count 0 --interval 0.05
    run=$!
    check "run ($how) is exchanging" wait_for 5 grep -q 'received' "$out"
    dir=$(dir_of "$out")
    server=$(pgrep -P "$run" -f 'sockscope server') client=$(pgrep -P "$run" -f 'sockscope client')
    check "run ($how): its directory and two peers ($server $client)" [ -d "$dir" -a -n "$server" -a -n "$client" ]
    case $how in
    KILL-*) role=${how#KILL-}; kill -KILL "${!role}"; want=1 ;;
    *) kill -"$how" "$run"; want=130 ;;
    esac
    wait_gone "$run"; rc=$?
    check "run ($how) exits $want (got $rc)" [ "$rc" = "$want" ]
    case $how in
    KILL-*) check "run names the killed $role" grep -q "the $role failed (killed by SIGKILL)" "$out" ;;
    *) check "run ($how) says nothing failed" sh -c "! grep -q 'failed' '$out'" ;;
    esac
    check "run ($how) removed its directory" [ ! -e "$dir" ]
    row "run: SIG${how/KILL-/KILL of the }" "$rc" "$run" $server $client
done

# SIGKILL of run itself: its peers die with it (PDEATHSIG) and remove their
# sockets; its directory is left, and the next run removes it.
out=$WORK/run-KILL.txt
spawn "$out" "$SOCKSCOPE" run --count 0 --interval 0.05
run=$!
check "run (KILL) is exchanging" wait_for 5 grep -q 'received' "$out"
dir=$(dir_of "$out") peers=$(pgrep -P "$run" | tr '\n' ' ')
kill -KILL "$run"; wait_gone "$run"; rc=$?
check "run (KILL): its peers die with it ($(alive $peers))" wait_for 5 none alive $peers
check "run (KILL): its directory is left, for now" test -d "$dir"
check "the next run succeeds" timeout 10 "$SOCKSCOPE" run --count 1 --interval 0 >"$WORK/run-next.txt" 2>&1
check "the next run removed the directory SIGKILL left" [ ! -e "$dir" ]
row "run: SIGKILL of run, next" "$rc" "$run" $peers

# --- a server and a client, each on its own ------------------------------------
# pair NAME: a server at $WORK/NAME-s.sock and a client talking to it, from
# $WORK/NAME-c.sock; their pids in $server and $client.
pair() {
    S=$WORK/$1-s.sock C=$WORK/$1-c.sock
    spawn "$WORK/$1-server.jsonl" "$SOCKSCOPE" server --path "$S" --format jsonl
    server=$!
    check "$1: server up" wait_for 5 test -S "$S"
    spawn "$WORK/$1-client.jsonl" "$SOCKSCOPE" client --server-path "$S" --client-path "$C" --interval 0.05 --format jsonl
    client=$!
    check "$1: client talking" wait_for 5 grep -q '"dir":"in"' "$WORK/$1-client.jsonl"
}
for sig in INT TERM HUP; do
    pair "$sig"
    kill -"$sig" "$client" "$server"
    wait_gone "$client"; crc=$?
    wait_gone "$server"; src=$?
    check "server/client SIG$sig: both exit 0 (server $src, client $crc)" [ "$src/$crc" = 0/0 ]
    for side in server client; do
        check "$side says why it stopped (SIG$sig)" grep -q "\"reason\":\"stopped by SIG$sig" "$WORK/$sig-$side.jsonl"
    done
    row "server/client: SIG$sig" "$src/$crc" "$server" "$client"
done

# SIGKILL of the client: the server goes on; the client's socket is left,
# and the next client at that path removes it as stale.
pair kc
kill -KILL "$client"; wait_gone "$client"; crc=$?
check "SIGKILL of the client: the server sees it go" wait_for 5 grep -qE '"state":"peer-(closed|error)"' "$WORK/kc-server.jsonl"
check "SIGKILL of the client: the server goes on" kill -0 "$server"
check "SIGKILL of the client: its socket file is left" test -S "$C"
check "the next client at that path removes it and is served" \
    timeout 5 "$SOCKSCOPE" client --server-path "$S" --client-path "$C" --count 1 --interval 0 --format jsonl >"$WORK/kc-next.jsonl"
check "it said so: stale-removed" grep -q '"state":"stale-removed"' "$WORK/kc-next.jsonl"
kill -TERM "$server"; wait_gone "$server"; src=$?
check "then the server stops on SIGTERM, exit 0 (got $src)" [ "$src" = 0 ]
row "server/client: SIGKILL client, next" "$src/$crc" "$server" "$client"

# SIGKILL of the server: the client fails (EPIPE or recv() = 0), exit 1; the
# server's socket is left, and the next server at that path removes it.
pair ks
kill -KILL "$server"; wait_gone "$server"; src=$?
wait_gone "$client"; crc=$?
check "SIGKILL of the server: the client fails, exit 1 (got $crc)" [ "$crc" = 1 ]
check "SIGKILL of the server: its socket file is left" test -S "$S"
spawn "$WORK/ks-next.jsonl" "$SOCKSCOPE" server --path "$S" --format jsonl
next=$!
check "the next server at that path removes it" wait_for 5 grep -q '"state":"stale-removed"' "$WORK/ks-next.jsonl"
kill -TERM "$next"; wait_gone "$next"
row "server/client: SIGKILL server, next" "$src/$crc" "$server" "$client" "$next"
finish
