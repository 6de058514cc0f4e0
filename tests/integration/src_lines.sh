#!/usr/bin/env bash
# Every call's enter event names where the peer makes it ("src":
# "stream_server.c:57"), and that line of the source built into sockscope,
# and of the file on disk, is the one that makes that call (traced_NAME().
# The lab's code pane lights that line: so what it lights is the call Space
# makes. Checked on every call of runs in both modes (whole and partial
# reads, a burst without padding) and of experiments that reach the other
# paths: several clients, a stale socket file (peer.c's careful claim), no
# server, and a server that dies.
#   src_lines.sh SOCKSCOPE SRC_CHECK SRCDIR
. "$(dirname "$0")/lib.sh"
CHECKER=${2:?usage: src_lines.sh SOCKSCOPE SRC_CHECK SRCDIR}
SRCDIR=${3:?usage: src_lines.sh SOCKSCOPE SRC_CHECK SRCDIR}
export TMPDIR=$WORK # run's private directories: in WORK, so none outlives the test

# lit WHAT ARGS...: a run's transcript, every call checked.
lit() {
    local what=$1 t=$WORK/run.jsonl out; shift
    timeout -k 5 30 "$SOCKSCOPE" run "$@" --format jsonl >"$t" 2>/dev/null
    out=$("$CHECKER" "$SRCDIR" <"$t")
    if [ $? = 0 ]; then
        pass
    else
        fail "$what: $(tail -n 1 <<<"$out")"
        head -n 20 <<<"$out" | sed 's/^/    /' >&2
    fi
    # and the paths it should have met were met
    for call in "${NEED[@]}"; do
        check "$what: it made $call()" grep -q "\"phase\":\"enter\",\"call\":\"$call\"" "$t"
    done
    NEED=()
}

NEED=(socket bind listen accept poll recv send connect close unlink)
lit "stream" --mode stream --count 3 --interval 0
NEED=(recv)
lit "stream, buffer 100 (partial reads)" --mode stream --count 2 --interval 0 --buffer 100
lit "stream, pad 0, burst 3" --mode stream --count 3 --burst 3 --pad 0 --interval 0
NEED=(socket bind recvfrom sendto close unlink)
lit "dgram" --mode dgram --count 3 --interval 0
lit "dgram, buffer 100 (cut off)" --mode dgram --count 2 --interval 0 --buffer 100
for mode in stream dgram; do
    for name in three-clients stale-path no-server peer-dies; do
        lit "experiment $name, $mode" --experiment "$name" --mode "$mode"
    done
done
check "no private directory left" sh -c "[ -z \"\$(find '$WORK' -mindepth 1 -name 'sockscope-*')\" ]"
finish
