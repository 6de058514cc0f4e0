#!/usr/bin/env bash
# The lab in Thai, at 80x24 and 120x40: Thai in the why line, the key bar
# and the help; every pane row's right border in the same column (Thai
# vowel and tone marks take no column); L switches to English and back; a
# th_TH.UTF-8 that is not installed still shows Thai; the tour in Thai can
# be finished with Space and answer keys and gives its score.
. "$(dirname "$0")/lib.sh"
TH=$(dirname "$0")/../../assets/lessons/th.txt
# th KEY: the entry's text in th.txt (its first line), to look for on screen.
th() { awk -v k="[$1]" '$0 == k { getline; print; exit }' "$TH"; }
thai() { grep -qP '[\x{0E00}-\x{0E7F}]' <<<"$1"; }
# Columns before the first │ of each line that has one: "COLS COLS ...".
border_columns() {
    perl -CSD -ne 'next unless /\x{2502}/; my ($l) = split /\x{2502}/, $_, 2;
        my $w = length($l) - (() = $l =~ /[\p{Mn}\p{Me}]/g); print "$w\n"' | sort -u | tr '\n' ' '
}

for size in "80 24" "120 40"; do
    set -- $size
    cols=$1 half=$(($1 / 2))
    start "$cols" "$2" -- --lang th
    check "$cols: starts" wait_screen 5 'pid [0-9]+'
    settle
    check "$cols: the why line is Thai" thai "$(sed -n '/^[─-]* /p' <<<"$SCREEN" | tail -n 1)"
    check "$cols: the lesson lines are Thai" thai "$(screen | tail -n 6 | head -n 2)"
    check "$cols: the key bar is Thai ($(th ui.keys.step.bar))" grep -qF "$(th ui.keys.step.bar)" <<<"$(screen | tail -n 1)"
    check "$cols: the counters' headings are Thai" grep -qF "$(th ui.count.sent)" <<<"$SCREEN"
    for i in 1 2 3 4 5 6 7 8 9 10; do press Space; done
    got=$(screen | border_columns)
    check "$cols: every pane row's border in column $half (got: $got)" [ "$got" = "$half " ]
    press F1
    check "$cols: the help is Thai" grep -qF "$(th ui.keys.quit.help)" <<<"$SCREEN"
    press x
    press L
    check "$cols: L: English" shows ' why: [a-z]+\(\) on the (server|client) '
    check "$cols: L: English key bar" grep -q 'Step' <<<"$(screen | tail -n 1)"
    press L
    check "$cols: L again: Thai" grep -qF "$(th ui.keys.step.bar)" <<<"$(screen | tail -n 1)"
    quit_clean
done

# LANG=th_TH.UTF-8 where that locale is not installed: Thai, drawn right.
if ! locale -a 2>/dev/null | grep -qi '^th_TH'; then
    start 80 24 LANG=th_TH.UTF-8 LC_ALL=
    check "no th_TH locale: starts" wait_screen 5 'pid [0-9]+'
    settle
    check "no th_TH locale: Thai from LANG" grep -qF "$(th ui.keys.step.bar)" <<<"$(screen | tail -n 1)"
    for i in 1 2 3 4 5; do press Space; done
    got=$(screen | border_columns)
    check "no th_TH locale: borders in column 40 (got: $got)" [ "$got" = "40 " ]
    check "no th_TH locale: no alarming message" lacks "$SCREEN" 'locale|LC_'
    quit_clean
fi

# The tour in Thai, with only Space and answer keys, to its score.
start 80 24 -- --lang th --tour
check "the tour opens" wait_screen 5 "$(th tour.title-start | cut -c1-12)|$(th tour.title | cut -c1-12)"
score=$(th tour.score | sed 's/{right}.*//')
for ((n = 0; n < 60; n++)); do
    settle
    shows "$score" && break
    keys 1
    sleep 0.05
    keys Space
done
check "the score, in Thai ($score)" shows "$score"
keys Escape
check "Esc: the lab" wait_screen 5 'pid [0-9]+'
quit_clean
finish
