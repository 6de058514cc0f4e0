# lib.sh: what the integration tests share. Source it with the sockscope
# binary as $1 (and lesson_peer as $2 where needed).
# Every wait here is bounded; every test cleans up through the trap.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/procs.sh" # alive, zombies, need_strace
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
    local limit=$(( $1 * 20 )) i; shift # (i is local: a caller's loop keeps its own)
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

# ---- strace beside the event stream ----------------------------------------
# Both are turned into one line per socket call, in the same words:
#   NAME FIELDS = RESULT
#   socket AF_UNIX, SOCK_STREAM, 0 = 4     bind 4 "/p/s.sock" = 0
#   listen 4, 12 = 0                       accept 4 = 5
#   connect 4 "/p/s.sock" = 0              sendto 5 1024 MSG_NOSIGNAL = 1024
#   sendto 4 1024 MSG_NOSIGNAL "/p/s.sock" = 1024
#   recvfrom 5 1024 0 = 100                recvfrom 4 100 MSG_TRUNC = 1024
#   poll [5, 4] 2 -1 = 1                   close 5 = 0
#   unlink "/p/s.sock" = 0                 accept 4 = -1 EINTR
# send() and recv() are the sendto and recvfrom system calls (NULL address);
# accept4(fd, .., 0), ppoll(.., NULL, ..) and unlinkat(AT_FDCWD, p, 0) are
# what accept, poll and unlink become on some architectures.
# (mawk-compatible awk: no gawk extensions.)
AWK_LIB='
function head(s) { return match(s, /, /) ? substr(s, 1, RSTART - 1) : s }
function tail(s) { return match(s, /, /) ? substr(s, RSTART + 2) : "" }
function fd_of(s) { s = head(s); sub(/<.*/, "", s); return s }
# What follows the argument s starts with: a C string ("..." and maybe ...),
# or anything up to the next comma.
function after_arg(s) {
    if (substr(s, 1, 1) == "\"" && match(s, /^"([^"\\]|\\.)*"(\.\.\.)?/))
        s = substr(s, RLENGTH + 1)
    else if (match(s, /^[^,]*/))
        s = substr(s, RLENGTH + 1)
    sub(/^, /, "", s)
    return s
}
function sun_path(s) {
    return match(s, /sun_path="[^"]*"/) ? substr(s, RSTART + 9, RLENGTH - 9) : "?"
}
# A JSON string field, unescaped (\uXXXX left as ?); "" when absent or null.
function jstr(line, key,   v, out, i, c, n) {
    if (!match(line, "\"" key "\":\"([^\"\\\\]|\\\\.)*\""))
        return ""
    v = substr(line, RSTART + length(key) + 4, RLENGTH - length(key) - 5)
    out = ""; n = length(v)
    for (i = 1; i <= n; i++) {
        c = substr(v, i, 1)
        if (c == "\\") {
            c = substr(v, ++i, 1)
            if (c == "n") c = "\n"; else if (c == "t") c = "\t"
            else if (c == "u") { c = "?"; i += 4 }
        }
        out = out c
    }
    return out
}
# A JSON number field; "" when absent.
function jnum(line, key) {
    if (!match(line, "\"" key "\":-?[0-9]+"))
        return ""
    return substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
}
'

# strace_calls FILE: the socket calls in one process's strace -y file, from
# its (first successful) execve on. strace -y names what each fd is; a
# close() of a file, pipe or directory (the dynamic loader closing libraries,
# a closed event pipe, /dev/null) is not a socket call and is left out. Only
# those are left out: a close of a socket, or of an fd that is not open at
# all (EBADF, no name), is compared like every other call. This is exact
# where "leave out fds 0-3" or "the fds the trace reports" is not: the
# loader closes fd 4 before socket() returns fd 4, and a close the trace
# invented or forgot would pass a filter built from the trace itself.
strace_calls() {
    awk "$AWK_LIB"'
    !started { if ($0 ~ /^execve\(/ && $0 ~ /\) = 0$/) started = 1; next }
    /^(---|\+\+\+) / { next }
    {
        line = $0
        p = index(line, "(")
        name = substr(line, 1, p - 1)
        # The result follows the last ")", spaces, "= ".
        last = 0; t = line
        while (match(t, /\) +=[ ]/)) { last += RSTART; skip = RLENGTH; t = substr(t, RSTART + 1) }
        if (last == 0) { print "unreadable: " line; next }
        args = substr(line, p + 1, last - p - 1)
        split(substr(line, last + skip), r, " ")
        rc = r[1]; sub(/<.*/, "", rc)
        # A call a signal interrupted, for a handler without SA_RESTART: the
        # program sees -1 EINTR (ERESTARTNOINTR is restarted: left as "?").
        if (rc == "?" && r[2] ~ /^ERESTART(SYS|NOHAND|_RESTARTBLOCK)$/) res = "-1 EINTR"
        else if (rc == "-1") res = "-1 " r[2]
        else res = rc
        if (name == "close") {
            if (args !~ /^[0-9]+(<socket:.*)?$/) next
            out = "close " fd_of(args)
        } else if (name == "socket") {
            out = "socket " args
        } else if (name == "bind" || name == "connect") {
            out = name " " fd_of(args) " " sun_path(args)
        } else if (name == "listen") {
            gsub(/<[^>]*>/, "", args); out = "listen " args
        } else if (name == "accept" || name == "accept4") {
            out = "accept " fd_of(args)
            if (name == "accept4" && args !~ /, 0$/) out = out " flags"
        } else if (name == "sendto" || name == "recvfrom") {
            s = after_arg(tail(args))
            out = name " " fd_of(args) " " head(s) " " head(tail(s))
            s = tail(tail(s))
            if (name == "sendto" && s != "NULL, 0") out = out " " sun_path(s)
        } else if (name == "poll" || name == "ppoll") {
            i = index(args, "], "); list = substr(args, 1, i); s = substr(args, i + 3)
            fds = ""
            while (match(list, /fd=-?[0-9]+/)) {
                fds = fds (fds == "" ? "" : ", ") substr(list, RSTART + 3, RLENGTH - 3)
                list = substr(list, RSTART + RLENGTH)
            }
            t = head(tail(s)); if (name == "ppoll" && t == "NULL") t = -1
            out = "poll [" fds "] " head(s) " " t
        } else if (name == "unlink") {
            out = "unlink " args
        } else if (name == "unlinkat") {
            out = "unlink " head(tail(args))
            if (head(args) != "AT_FDCWD" || tail(tail(args)) != "0") out = out " at"
        } else {
            next
        }
        print out " = " res
    }' "$1"
}

# trace_calls PID FILE: the calls one process reported finishing, from a JSONL
# transcript, in the order of its lines, in strace_calls's words.
trace_calls() {
    awk -v pid="$1" "$AWK_LIB"'
    jnum($0, "pid") != pid || jstr($0, "kind") != "call" || jstr($0, "phase") != "exit" { next }
    {
        name = jstr($0, "call"); args = jstr($0, "args"); rc = jnum($0, "rc")
        res = rc == -1 ? "-1 " jstr($0, "errno") : rc
        if (name == "socket" || name == "listen" || name == "close" || name == "unlink")
            out = name " " args
        else if (name == "bind" || name == "connect")
            out = name " " head(args) " " tail(args)
        else if (name == "accept")
            out = "accept " head(args)
        else if (name == "send" || name == "sendto") {
            s = after_arg(tail(args))
            out = "sendto " head(args) " " head(s) " " head(tail(s))
            if (name == "sendto") out = out " " tail(tail(s))
        } else if (name == "recv" || name == "recvfrom") {
            s = tail(tail(args))
            out = "recvfrom " head(args) " " head(s) " " head(tail(s))
        } else if (name == "poll") {
            i = index(args, "], ")
            out = "poll " substr(args, 1, i) " " head(substr(args, i + 3)) " " head(tail(substr(args, i + 3)))
        } else
            out = "unknown " name " " args
        print out " = " res
    }' "$2"
}

# What is wrong with one process's call numbering, or nothing: the calls it
# announced (enter) are numbered 1, 2, 3, ...; each finished call (exit)
# was announced, with the number of the latest announcement; and each call
# announced and never finished is one the side said it did not make (a
# "skipped" state: asked to close while it was being announced).
seq_problems() { # seq_problems PID FILE
    awk -v pid="$1" "$AWK_LIB"'
    jnum($0, "pid") != pid { next }
    jstr($0, "kind") == "call" {
        seq = jnum($0, "seq")
        if (jstr($0, "phase") == "enter") {
            if (seq != last + 1) print "enter " seq " after " last
            if (open) unfinished++
            last = seq; open = 1
        } else {
            if (!open || seq != last) print "exit " seq " without its enter"
            open = 0
        }
    }
    jstr($0, "kind") == "state" && jstr($0, "state") == "skipped" { skipped++; if (open) { open = 0; unfinished++ } }
    END {
        if (open) print "call " last " never finished"
        if (unfinished > skipped + 0) print unfinished " calls unfinished, " skipped + 0 " skipped"
    }' "$2"
}

# The peers in a strace -ff output: "ROLE PID" for each file whose process
# became `sockscope server` or `sockscope client` (argv[1]) by execve.
strace_peers() { # strace_peers PREFIX
    local f role
    for f in "$1".*; do
        [ -e "$f" ] || continue
        # (strace cuts a long string to 32 bytes and adds "...": a long build path)
        role=$(sed -n 's/^execve("[^"]*"\(\.\.\.\)\?, \["[^"]*"\(\.\.\.\)\?, "\(server\|client\)".*) = 0$/\3/p' "$f" | head -n 1)
        [ -n "$role" ] && echo "$role ${f##*.}"
    done | sort
}

# The peers a transcript names in its "started" events: "ROLE PID", sorted.
started_peers() { # started_peers FILE
    awk "$AWK_LIB"'jstr($0, "kind") == "state" && jstr($0, "state") == "started" {
        print jstr($0, "role"), jnum($0, "pid") }' "$1" | sort
}


# compare_calls PREFIX TRANSCRIPT WHAT MIN: each peer strace saw (files
# PREFIX.PID) against the calls the transcript reports for it, call by
# call, with at least MIN calls each, and every call number there once.
compare_calls() {
    local prefix=$1 t=$2 what=$3 min=$4 role pid n peers=0
    while read -r role pid; do
        [ -n "$pid" ] || continue
        peers=$((peers + 1))
        strace_calls "$prefix.$pid" >"$prefix.$role.strace"
        trace_calls "$pid" "$t" >"$prefix.$role.trace"
        n=$(wc -l <"$prefix.$role.trace")
        check "$what $role (pid $pid): calls to compare ($n, at least $min)" [ "$n" -ge "$min" ]
        if diff "$prefix.$role.strace" "$prefix.$role.trace" >"$prefix.$role.diff"; then
            pass
        else
            fail "$what $role (pid $pid): strace (<) and the reported calls (>) differ:"
            head -n 40 "$prefix.$role.diff" | sed 's/^/    /' >&2
        fi
        check "$what $role: calls numbered in order, none lost [$(seq_problems "$pid" "$t" | head -n 5 | tr '\n' ';')]" \
            [ -z "$(seq_problems "$pid" "$t")" ]
    done < <(strace_peers "$prefix")
    check "$what: two peers compared ($peers)" [ "$peers" = 2 ]
}

# Every call a peer may make, under each name it may have on this machine
# (a ?name is one this architecture may not have). -y names each fd's file:
# strace_calls uses that to pick out the socket closes.
# "${TRACED[@]}" -o PREFIX command...: one file per process, PREFIX.PID.
# (An array, not a function, so that `... &` leaves strace's own pid in $!.)
TRACED=(strace -f -ff -qq -y -e
    'trace=socket,bind,listen,accept,accept4,connect,sendto,recvfrom,?poll,?ppoll,close,unlink,?unlinkat,execve')
