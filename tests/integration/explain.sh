#!/usr/bin/env bash
# `sockscope run --explain`: under every call line of a stream run and of a
# datagram run, the lesson's sentence for that call (the lesson file's own
# text, found the way lesson_for() finds it), wrapped within 78 columns and
# indented under the call; the lines that are not lessons are run's usual
# lines. An errno's lesson after the failed call, once per errno (the
# no-server experiment: ENOENT, then ECONNREFUSED); peer-closed after a
# stream recv() = 0; truncated after a datagram cut short; padding once.
# The texts are those of the lesson files in use (--lessons), not a copy.
# --explain with --format jsonl is a usage error (exit 2).
. "$(dirname "$0")/lib.sh"
export TMPDIR=$WORK LC_ALL=C LANG=C # English, whatever the machine speaks
EN=$(dirname "$0")/../../assets/lessons/en.txt

# explain_check LESSONS MODE FILE: prints one line per problem: a call line
# not followed by its lesson, a lesson line too wide or not indented under
# the call, a line that is neither a lesson nor one of run's own; then
# "calls N" (the call lines checked).
explain_check() {
    awk -v mode="$2" '
    function squeeze(s) { gsub(/ +/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }
    function lesson(side, call,   m, s, k) {
        m[1] = mode; m[2] = mode; m[3] = "any"; m[4] = "any"
        s[1] = side; s[2] = "any"; s[3] = side; s[4] = "any"
        for (k = 1; k <= 4; k++)
            if (("call." m[k] "." s[k] "." call) in text) return text["call." m[k] "." s[k] "." call]
        return ""
    }
    function judge() {
        if (want == "") return
        if (index(squeeze(got), squeeze(want)) != 1)
            print "line " at ": " what " is followed by \"" substr(got, 1, 60) "\", not its lesson \"" substr(want, 1, 60) "\""
        want = ""
    }
    FNR == NR {   # the lesson file: key -> text, lines joined with spaces
        if ($0 ~ /^#/) next
        if ($0 ~ /^\[.*\]$/) { key = substr($0, 2, length($0) - 2); next }
        if ($0 == "") { key = ""; next }
        if (key != "") { line = $0; sub(/^[ \t]+/, "", line); text[key] = (key in text) ? text[key] " " line : line }
        next
    }
    /^                   [^ ]/ {   # a lesson line: 19 spaces, under the call
        if (length($0) > 78) print "line " FNR ": " length($0) " columns: " $0
        got = got " " $0; next
    }
    /^                    / { print "line " FNR ": indented too far: " $0; next }
    {
        judge()
        if ($0 !~ /^ *[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9] (server|client) / && $0 !~ /^sockscope run: / && $0 !~ /^what it showed: /)
            print "line " FNR ": not one of run'"'"'s lines: " $0
        if (match($0, /^ *[0-9]+\.[0-9]+ (server|client) [a-z_]+\(.*\) = -?[0-9]+/)) {
            split($0, f, " "); side = f[2]; call = f[3]; sub(/\(.*/, "", call)
            want = lesson(side, call); what = side " " call "()"; at = FNR; got = ""; calls++
            if (want == "") print "line " FNR ": no lesson in the file for " what
        }
    }
    END { judge(); print "calls " calls + 0 }' "$1" "$3"
}
# followed FILE LINE_PATTERN LESSON_KEY: the first line matching the pattern
# is followed (among its lesson lines) by that lesson. Prints how many of
# the pattern's lines have it, once found.
followed_by() {
    awk -v pat="$2" -v key="$3" '
    function squeeze(s) { gsub(/ +/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }
    FNR == NR {
        if ($0 ~ /^#/) next
        if ($0 ~ /^\[.*\]$/) { k = substr($0, 2, length($0) - 2); next }
        if ($0 == "") { k = ""; next }
        if (k == key) { line = $0; sub(/^[ \t]+/, "", line); want = want == "" ? line : want " " line }
        next
    }
    /^                   [^ ]/ { if (on) got = got " " $0; next }
    { if (on && index(squeeze(got), squeeze(want))) n++; on = $0 ~ pat; got = "" }
    END { if (on && index(squeeze(got), squeeze(want))) n++; print n + 0 }' "$EN" "$1"
}
# times FILE LESSON_KEY: how many times the lesson is said, in all.
times() {
    local want
    want=$(awk -v key="$2" '/^\[/ { on = $0 == "[" key "]"; next } on && NF { printf "%s ", $0 } /^$/ { on = 0 }' "$EN" | cut -c1-40)
    tr -s ' \n' '  ' <"$1" | grep -oF -- "$want" | wc -l
}

for mode in stream dgram; do
    out=$WORK/$mode.txt
    "$SOCKSCOPE" run --mode $mode --count 2 --interval 0 --explain >"$out" 2>"$WORK/$mode.err"
    check "$mode: run --explain exits 0" [ $? = 0 ]
    problems=$(explain_check "$EN" $mode "$out")
    n=$(sed -n 's/^calls //p' <<<"$problems")
    problems=$(grep -v '^calls ' <<<"$problems")
    [ -n "$problems" ] && echo "$problems" >&2
    check "$mode: every call line is followed by its lesson ($n calls)" [ -z "$problems" ]
    want=14; [ $mode = dgram ] && want=12 # socket bind listen accept ... / socket bind ...
    check "$mode: the calls were there to check ($n)" [ "$n" -ge "$want" ]
    check "$mode: the padding lesson, once" [ "$(times "$out" event.padding)" = 1 ]
    check "$mode: it follows the first message" [ "$(followed_by "$out" ' (->|<-) (sent|received) ' event.padding)" = 1 ]
    # Without the lessons, run's own lines, as without --explain.
    "$SOCKSCOPE" run --mode $mode --count 2 --interval 0 >"$WORK/$mode.plain" 2>&1
    shape() { grep -v '^                   ' "$1" | sed -E 's/^ *[0-9]+\.[0-9]+ (server|client) .*/\1/; s#/[^ ]*/sockscope-[A-Za-z0-9]+#D#g' | sort | uniq -c; }
    check "$mode: otherwise run's usual lines" [ "$(shape "$out")" = "$(shape "$WORK/$mode.plain")" ]
done
check "dgram: no peer-closed (no connection)" [ "$(times "$WORK/dgram.txt" event.peer-closed)" = 0 ]

# The server killed: the stream client's recv() = 0 is followed by peer-closed.
out=$WORK/peer-dies.txt
"$SOCKSCOPE" run --experiment peer-dies --mode stream --explain >"$out" 2>&1
check "peer-dies: peer-closed after the client's recv() = 0" \
    [ "$(followed_by "$out" ' client recv\(.*\) = 0$' event.peer-closed)" = 1 ]
err=$(sed -n 's/.* client send(.*) = -1 \(E[A-Z]*\) .*/\1/p' "$out" | head -n 1) # EPIPE (or ECONNRESET)
check "peer-dies: the errno's lesson after the send() that failed (${err:-none})" \
    [ "$(followed_by "$out" " client send\\(.*\\) = -1 ${err:-none} " "event.${err:-none}")" = 1 ]

# A datagram cut short: truncated, after each such message.
out=$WORK/trunc.txt
"$SOCKSCOPE" run --mode dgram --buffer 100 --count 1 --interval 0 --explain >"$out" 2>&1
check "truncated after each datagram cut short" \
    [ "$(followed_by "$out" 'cut off and lost' event.truncated)" = 2 ]

# Nobody there: the errno lessons, once per errno, after the failed call.
for mode in stream dgram; do
    out=$WORK/no-server-$mode.txt
    "$SOCKSCOPE" run --experiment no-server --mode $mode --explain >"$out" 2>&1
    check "no-server $mode: exits 0" [ $? = 0 ]
    call=connect; [ $mode = dgram ] && call=sendto
    check "no-server $mode: ENOENT's lesson after the $call() that failed with it" \
        [ "$(followed_by "$out" " client $call\(.*\) = -1 ENOENT " event.ENOENT)" = 1 ]
    check "no-server $mode: ECONNREFUSED's lesson after its $call()" \
        [ "$(followed_by "$out" " client $call\(.*\) = -1 ECONNREFUSED " event.ECONNREFUSED)" -ge 1 ]
    check "no-server $mode: each errno's lesson once" \
        [ "$(times "$out" event.ENOENT) $(times "$out" event.ECONNREFUSED)" = "1 1" ]
    problems=$(explain_check "$EN" $mode "$out" | grep -v '^calls ')
    [ -n "$problems" ] && echo "$problems" >&2
    check "no-server $mode: every call line followed by its lesson" [ -z "$problems" ]
    check "no-server $mode: what it showed, still last" grep -q '^what it showed: ' <(tail -n 1 "$out")
done

# The lessons in use, not a copy: a lesson file of our own says its words.
mkdir -p "$WORK/lessons"
sed 's/^listen(fd, 12) makes it a listening socket/OUR OWN WORDS: listen() makes it a listening socket/' "$EN" >"$WORK/lessons/en.txt"
out=$WORK/own.txt
"$SOCKSCOPE" run --count 1 --interval 0 --explain --lessons "$WORK/lessons" --lang en >"$out" 2>&1
own_words() { grep -A1 ' server listen(' "$out" | grep -q '^                   OUR OWN WORDS: listen()'; }
check "the lesson file in use speaks: its words under listen()" own_words

# A terminal's width: the lessons wrap to it (script gives a terminal).
if command -v script >/dev/null; then
    script -qec "stty cols 60 rows 40; $SOCKSCOPE run --count 1 --interval 0 --explain" /dev/null >"$WORK/tty.txt" 2>&1
    tr -d '\r' <"$WORK/tty.txt" >"$WORK/tty2.txt"
    widest=$(grep '^                   [^ ]' "$WORK/tty2.txt" | awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }')
    check "a 60-column terminal: lessons within 60 columns (widest $widest)" [ "$widest" -le 60 ] 
    check "a 60-column terminal: and not much narrower" [ "$widest" -ge 50 ]
fi

# Text only: with --format jsonl it is a usage error.
"$SOCKSCOPE" run --explain --format jsonl >"$WORK/u.out" 2>"$WORK/u.err"
check "--explain --format jsonl: exit 2" [ $? = 2 ]
check "and says why" grep -q -- '--explain .*cannot be used with --format jsonl' "$WORK/u.err"
check "and nothing on stdout" [ ! -s "$WORK/u.out" ]
"$SOCKSCOPE" run --format jsonl --explain --experiment no-server >/dev/null 2>&1
check "--format jsonl --explain (either order, experiments too): exit 2" [ $? = 2 ]
"$SOCKSCOPE" server --explain >/dev/null 2>&1
check "server --explain: not a server flag, exit 2" [ $? = 2 ]
"$SOCKSCOPE" run --help | grep -q -- '--explain'
check "run --help tells of --explain" [ $? = 0 ]
finish
