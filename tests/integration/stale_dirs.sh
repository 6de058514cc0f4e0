#!/usr/bin/env bash
# A session killed outright (SIGKILL) cannot remove its private directory:
# its peers die with it (PDEATHSIG) and remove their sockets, and the empty
# directory stays. The next session removes it, and nothing else: only a
# directory of the mkdtemp pattern, ours, 0700, whose pid file names a
# process that is gone (or a pid now used by a process that started later),
# holding nothing but sockets and that pid file.
. "$(dirname "$0")/lib.sh"
export TMPDIR=$WORK

dir_of() { sed -n '1s/^sockscope run: .*, in \(\/.*\)$/\1/p' "$1"; }
start_of() { awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }
no_socket_in() { [ -z "$(find "$1" -type s)" ]; }

# A live session: a run that goes on running throughout.
spawn "$WORK/b.txt" "$SOCKSCOPE" run --count 0 --interval 0.05
b=$!
check "run B is exchanging" wait_for 5 grep -q 'received' "$WORK/b.txt"
dir_b=$(dir_of "$WORK/b.txt")
check "run B names its directory ('$dir_b')" test -d "$dir_b"

# The victim: run killed with SIGKILL while its peers exchange.
spawn "$WORK/a.txt" "$SOCKSCOPE" run --count 0 --interval 0.05
a=$!
check "run A is exchanging" wait_for 5 grep -q 'received' "$WORK/a.txt"
dir_a=$(dir_of "$WORK/a.txt")
check "run A names its directory ('$dir_a')" test -d "$dir_a"
a_start=$(start_of "$a")
kids=$(pgrep -P "$a" | tr '\n' ' ')
check "run A has two peers ($kids)" [ "$(wc -w <<<"$kids")" = 2 ]
kill -KILL "$a"; wait "$a" 2>/dev/null
for k in $kids; do check "peer $k died with run A" wait_for 5 gone "$k"; done
check "the peers removed their sockets" wait_for 5 no_socket_in "$dir_a"
check "SIGKILL left run A's directory behind" test -d "$dir_a"

# Look-alikes that are not a dead session's, each of the mkdtemp pattern.
mk() { mkdir -m 0700 "$WORK/$1"; }
mk sockscope-NoPid1                                   # no pid file
mk sockscope-Alive1 && echo "$$ $(start_of $$)" >"$WORK/sockscope-Alive1/.pid" # a live pid
mk sockscope-Other1 && echo "$a $a_start" >"$WORK/sockscope-Other1/.pid"       # dead, but
echo "notes" >"$WORK/sockscope-Other1/notes.txt"                               # holds a file
mk sockscope-Mode01 && echo "$a $a_start" >"$WORK/sockscope-Mode01/.pid" && chmod 0755 "$WORK/sockscope-Mode01"
mkdir -m 0700 "$WORK/sockscope-long123" && echo "$a $a_start" >"$WORK/sockscope-long123/.pid" # not 6 characters
if [ "$(id -u)" = 0 ]; then # as root: a dead session's directory that is not root's
    mk sockscope-NotMe1 && echo "$a $a_start" >"$WORK/sockscope-NotMe1/.pid" && chown -R 65534:65534 "$WORK/sockscope-NotMe1"
fi
# A dead session's leftovers that are: a pid reused by a later process (this
# shell's pid, with another start time), with a stale socket a killed server left.
mk sockscope-Reuse1 && echo "$$ 1" >"$WORK/sockscope-Reuse1/.pid"
spawn /dev/null "$SOCKSCOPE" server --path "$WORK/sockscope-Reuse1/s.sock"
srv=$!
check "a server made a socket in the reused one" wait_for 5 test -S "$WORK/sockscope-Reuse1/s.sock"
kill -KILL "$srv"; wait "$srv" 2>/dev/null

# The next start.
timeout 10 "$SOCKSCOPE" run --count 1 --interval 0 >"$WORK/next.out" 2>"$WORK/next.err"; rc=$?
check "the next run succeeds (rc $rc)" [ "$rc" = 0 ]
check "the next run says nothing on stderr: $(head -c 200 "$WORK/next.err")" [ ! -s "$WORK/next.err" ]
check "the dead run's directory is gone" [ ! -e "$dir_a" ]
check "the reused pid's directory is gone, socket and all" [ ! -e "$WORK/sockscope-Reuse1" ]
check "the live run's directory is untouched" test -d "$dir_b"
check "the live run still runs" kill -0 "$b"
check "the live run's sockets are there" test -S "$dir_b/stream-server.sock"
check "the live run's pid file is there" test -f "$dir_b/.pid"
check "a directory without a pid file is left alone" test -d "$WORK/sockscope-NoPid1"
check "a directory naming a live process is left alone" test -f "$WORK/sockscope-Alive1/.pid"
check "a directory with another file is left alone, file and pid file" \
    sh -c "[ \"\$(cat '$WORK/sockscope-Other1/notes.txt')\" = notes ] && test -f '$WORK/sockscope-Other1/.pid'"
check "a directory of another mode is left alone" test -f "$WORK/sockscope-Mode01/.pid"
check "a directory of another name length is left alone" test -f "$WORK/sockscope-long123/.pid"
if [ "$(id -u)" = 0 ]; then
    check "a directory of another user is left alone" test -f "$WORK/sockscope-NotMe1/.pid"
fi

# The live run, stopped the clean way, removes its directory and pid file.
kill -INT "$b"; wait "$b"; rc=$?
check "run B interrupted exits 130 (got $rc)" [ "$rc" = 130 ]
check "run B's directory is removed, pid file and all" [ ! -e "$dir_b" ]
finish
