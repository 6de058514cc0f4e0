# procs.sh: what the e2e and integration tests both ask of processes.
# alive PID...: which of them still run (a zombie does not run: see zombies).
alive() {
    local p st
    for p in "$@"; do
        st=$(ps -o stat= -p "$p" 2>/dev/null) || continue
        case $st in Z*) ;; *) printf '%s ' "$p" ;; esac
    done
}
# zombies PID...: zombie children of these (a process of ours that did not
# reap its child). An orphan's zombie is init's to reap, not ours.
zombies() {
    local p
    for p in "$@"; do ps -o pid=,stat= --ppid "$p" 2>/dev/null | awk '$2 ~ /^Z/ { printf "%s ", $1 }'; done
}

# need_strace: skips the test (77) when strace is missing or cannot trace here.
need_strace() {
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
}
