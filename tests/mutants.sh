#!/usr/bin/env bash
# mutants.sh: do the tests notice when the code is wrong? Run by hand, not by CI.
#
#   bash tests/mutants.sh [--only PATTERN] [--keep] [--budget MINUTES]
#
# Each line of tests/mutants.txt is one deliberate one-line bug:
#
#   file|exact original text|replacement text|what it breaks
#
# (`#` starts a comment line; a `|` inside a text is written `\|`.) The
# script copies the work tree (tracked files plus untracked ones that are not
# ignored) to a temporary directory, configures one build there (no
# sanitizers, no fuzzing), and runs the tests once unmutated: tests that
# already fail there are left out of every verdict. Then, for each mutation:
# apply it, rebuild, run the unit tests and then the others (ctest, fuzz
# excluded), and restore the file. A mutation is CAUGHT when a test fails,
# CAUGHT (build) when the build fails, SURVIVED when every test passes, NOT
# APPLIED when its original text is not in the file exactly once.
#
#   --only PATTERN   only the lines matching PATTERN (a regex, case-insensitive)
#   --keep           keep the temporary directory (its path is printed)
#   --budget MINUTES stop starting mutations after this long (default 60)
#
# Exit status: 0 when every mutation was caught, 1 otherwise, 2 on a usage
# error or when the unmutated tree does not build.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIST=$ROOT/tests/mutants.txt
ONLY=
KEEP=0
BUDGET_MIN=60
BUILD_TIMEOUT=600 # seconds for one rebuild
CTEST_TIMEOUT=900 # seconds for one ctest run (each test: 120)

usage() {
    echo "usage: $(sed -n '4s/^# *//p' "$0")" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case $1 in
    --only) [ $# -ge 2 ] || usage; ONLY=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --budget) [ $# -ge 2 ] || usage; BUDGET_MIN=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "mutants.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
[[ $BUDGET_MIN =~ ^[0-9]+$ ]] || usage
command -v python3 >/dev/null || { echo "mutants.sh: needs python3" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sockscope-mutants.XXXXXX") || exit 2
SRC=$WORK/src
BUILD=$WORK/build
cleanup() {
    if [ "$KEEP" = 1 ]; then
        echo "kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The work tree as it is now: tracked and untracked-but-not-ignored files.
copy_tree() {
    mkdir -p "$SRC"
    git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do
            [ -e "$ROOT/$f" ] && printf '%s\0' "$f" # a deleted file is still "cached"
        done |
        tar -C "$ROOT" --null -T - -cf - | tar -C "$SRC" -xf -
}

# The mutations as NUL-separated fields: file, original, replacement, why.
parse_list() {
    python3 - "$LIST" "$ONLY" <<'EOF'
import re, sys
path, only = sys.argv[1], sys.argv[2]
for no, line in enumerate(open(path, encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    if only and not re.search(only, line, re.I):
        continue
    fields = [f.replace("\\|", "|") for f in re.split(r"(?<!\\)\|", line)]
    if len(fields) != 4:
        sys.exit(f"{path}:{no}: want file|original|replacement|why, got {len(fields)} fields")
    sys.stdout.write("\0".join(fields) + "\0")
EOF
}

# Replaces the one occurrence of $2 in file $1 with $3; says why not otherwise.
apply_mutation() {
    python3 - "$1" "$2" "$3" <<'EOF'
import sys
path, old, new = sys.argv[1:4]
try:
    text = open(path, encoding="utf-8").read()
except OSError as e:
    sys.exit(f"NOT APPLIED: {e.strerror}")
n = text.count(old)
if n != 1:
    sys.exit("NOT APPLIED: text not found" if n == 0 else f"NOT APPLIED: ambiguous ({n} times)")
open(path, "w", encoding="utf-8").write(text.replace(old, new))
EOF
}

# Failing test names from ctest's closing list, one per line.
failed_tests() {
    sed -n '/^The following tests FAILED:/,$ s/^[[:space:]]*[0-9][0-9]* - \([^ ]*\) (.*/\1/p' "$1"
}

# Runs ctest on the tests matching $1 but not $2 (nor the baseline's
# failures), logging to $3. Prints the failing names; returns 1 when a test
# failed, or ctest itself did (then it prints "ctest-failed").
run_tests() {
    local select=$1 skip=$2 log=$3 rc
    timeout "$CTEST_TIMEOUT" ctest --test-dir "$BUILD" -j2 --timeout 120 -R "$select" \
        -E "$EXCLUDE|$skip" --output-on-failure >"$log" 2>&1
    rc=$?
    failed_tests "$log"
    [ "$rc" = 0 ] && return 0
    grep -q '^The following tests FAILED:' "$log" || echo "ctest-failed"
    return 1
}

parse_list >"$WORK/list" || exit 2
mapfile -d '' FIELDS <"$WORK/list"
[ ${#FIELDS[@]} -gt 0 ] || { echo "mutants.sh: no mutations selected" >&2; exit 2; }

echo "== copying the work tree to $WORK"
copy_tree || { echo "mutants.sh: could not copy the work tree" >&2; exit 2; }
echo "== configuring and building the unmutated tree"
cmake -S "$SRC" -B "$BUILD" -DSOCKSCOPE_SANITIZE=OFF -DSOCKSCOPE_FUZZ=OFF \
    >"$WORK/configure.log" 2>&1 &&
    timeout "$BUILD_TIMEOUT" cmake --build "$BUILD" -j2 >"$WORK/build.log" 2>&1 || {
    echo "mutants.sh: the unmutated tree does not build:" >&2
    tail -n 30 "$WORK/configure.log" "$WORK/build.log" >&2
    exit 2
}

echo "== running the tests on the unmutated tree"
EXCLUDE='^fuzz\.'
BASELINE=$(run_tests '.' '^$' "$WORK/baseline.log")
case $BASELINE in
*ctest-failed*) echo "mutants.sh: ctest failed unmutated:" >&2; tail -n 30 "$WORK/baseline.log" >&2; exit 2 ;;
esac
for t in $BASELINE; do
    EXCLUDE="$EXCLUDE|^${t//./\\.}\$"
done
[ -n "$BASELINE" ] && echo "already failing, left out of every verdict: $(echo $BASELINE)"

NAMES=()
RESULTS=()
DETAILS=()
deadline=$((SECONDS + BUDGET_MIN * 60))
for ((i = 0; i < ${#FIELDS[@]}; i += 4)); do
    file=${FIELDS[i]} old=${FIELDS[i + 1]} new=${FIELDS[i + 2]} why=${FIELDS[i + 3]}
    n=$((i / 4 + 1))
    NAMES+=("$file: $why")
    if [ "$SECONDS" -ge "$deadline" ]; then
        RESULTS+=("NOT RUN (time budget)")
        DETAILS+=("")
        continue
    fi
    echo "== [$n] $file: $why"
    cp "$SRC/$file" "$WORK/original" 2>/dev/null
    if ! msg=$(apply_mutation "$SRC/$file" "$old" "$new" 2>&1); then
        RESULTS+=("NOT APPLIED")
        DETAILS+=("${msg#NOT APPLIED: }")
        echo "   NOT APPLIED: ${DETAILS[-1]}"
        continue
    fi
    if ! timeout "$BUILD_TIMEOUT" cmake --build "$BUILD" -j2 >"$WORK/build-$n.log" 2>&1; then
        RESULTS+=("CAUGHT (build)")
        where=$(grep -m 1 -oE '[^ ]+:[0-9]+:[0-9]+: error' "$WORK/build-$n.log" |
            sed -e "s|^$SRC/||" -e 's/:[0-9]*: error$//')
        DETAILS+=("${where:-see the build log}")
    elif failed=$(run_tests '^unit\.' '^$' "$WORK/unit-$n.log") &&
        failed=$(run_tests '.' '^unit\.' "$WORK/tests-$n.log"); then
        RESULTS+=("SURVIVED")
        DETAILS+=("")
    else
        RESULTS+=("CAUGHT")
        DETAILS+=("$(echo $failed | cut -d' ' -f1-2)")
    fi
    cp "$WORK/original" "$SRC/$file" # a new mtime: the next build compiles it again
    echo "   ${RESULTS[-1]} ${DETAILS[-1]}"
done

echo
printf '%-3s %-21s %-40s %s\n' "#" "result" "first failing tests" "mutation"
status=0
for k in "${!NAMES[@]}"; do
    printf '%-3s %-21s %-40s %s\n' "$((k + 1))" "${RESULTS[k]}" "${DETAILS[k]}" "${NAMES[k]}"
    case ${RESULTS[k]} in
    CAUGHT*) ;;
    *) status=1 ;;
    esac
done
[ -n "$BASELINE" ] && echo "(left out: already failing unmutated: $(echo $BASELINE))"
exit $status
