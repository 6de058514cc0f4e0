#!/usr/bin/env bash
# cmake --install into a temporary prefix: the installed binary finds its
# lesson files in both languages (not the build tree's), and the man page
# renders without a warning.
. "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$SOCKSCOPE")
PREFIX=$WORK/prefix
check "cmake --install works" cmake --install "$BUILD" --prefix "$PREFIX" >"$WORK/install.log" 2>&1
BIN=$PREFIX/bin/sockscope
check "the binary is installed" test -x "$BIN"
check "en.txt installed" test -s "$PREFIX/share/sockscope/lessons/en.txt"
check "th.txt installed" test -s "$PREFIX/share/sockscope/lessons/th.txt"
check "the man page installed" test -s "$PREFIX/share/man/man1/sockscope.1"
# Run from a copy of the prefix elsewhere too: it finds its lessons beside
# itself (bin/../share/sockscope/lessons), never in the build tree.
th=$(cd / && "$BIN" run --experiment boundaries --lang th 2>&1 | tail -n 1)
check "installed, Thai: the sentence is Thai ($th)" grep -qP '[\x{0E00}-\x{0E7F}]' <<<"$th"
en=$(cd / && "$BIN" run --experiment boundaries --lang en 2>&1 | tail -n 1)
check "installed, English: the sentence is English ($en)" grep -q 'what it showed: Three send()s' <<<"$en"
mv "$PREFIX" "$WORK/moved"
th=$(cd / && "$WORK/moved/bin/sockscope" run --experiment boundaries --lang th 2>&1 | tail -n 1)
check "moved prefix, still Thai (found beside the binary)" grep -qP '[\x{0E00}-\x{0E7F}]' <<<"$th"
out=$("$WORK/moved/bin/sockscope" run --count 1 --interval 0 --lessons "$WORK/nowhere" 2>&1); rc=$?
check "--lessons pointing nowhere: says so ($out)" grep -q "no lesson files in $WORK/nowhere" <<<"$out"
check "... and runs on in English (rc $rc)" [ "$rc" = 0 ]
if command -v man >/dev/null; then
    warn=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$WORK/moved/share/man/man1/sockscope.1" 2>&1 >/dev/null)
    check "man -l renders without warnings: $warn" [ -z "$warn" ]
    page=$(MANWIDTH=80 man -E UTF-8 -l "$WORK/moved/share/man/man1/sockscope.1" 2>/dev/null)
    check "the man page names --lang" grep -q -- '--lang' <<<"$page"
else
    echo "SKIP (part): man is not installed"
fi
finish
