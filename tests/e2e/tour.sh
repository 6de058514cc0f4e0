#!/usr/bin/env bash
# The guided tour at 80x24: t opens it over the lab; it can be finished with
# only Space and the answer keys, walks the table's rows in order in both
# modes, says right or wrong (and why) after each answer, and ends with the
# score, counted from what it said. Esc leaves it from a question and the
# lab is back, working; `sockscope --tour` opens straight into it.
. "$(dirname "$0")/lib.sh"
start 80 24
check "the lab starts" wait_screen 5 'next: socket\(\)'
press t
check "t opens the tour" shows '^ sockscope tour: the lesson.s table, row by row'
check "it says how it goes" shows 'answer with 1, 2 or 3'
check "the table is there, not filled in yet" shows '^ server 1\. set up *$'
check "the keys" shows '^ Space: next   Esc: back to the lab'

# The first question, answered wrong on purpose: 1 (accept()) before listen().
press Space
check "step 1: stream sockets" shows '^ sockscope tour: stream sockets, step 1 of 12'
check "a question first" shows '── question 1 of 8: which call comes next\? ──'
check "about the stream server after bind()" shows 'The stream server has made its socket and called bind\(\)'
check "choice 1" shows '^  1  accept\(\): wait for a client'
check "choice 2" shows '^  2  connect\(\) to the client'
check "choice 3" shows '^  3  listen\(fd, 12\)'
check "the answer keys" shows '^ 1, 2 or 3: your answer   Esc: back to the lab'
check "the cell asked about is not given away" shows '^ server 1\. set up +\? *$'
press Space
check "Space does not skip a question" shows '── question 1 of 8'
check "nor shows a verdict" lacks "$SCREEN" 'Right\.|Not this one'
press 1
check "a wrong answer says so, and the right one" shows 'Not this one: the answer is 3\.'
check "and why the choice was wrong" shows 'accept\(\) takes connections from a'
check "the cell fills in" shows '^ server 1\. set up +bind\(\) listen\(\) accept\(\)'
asked=1 right=0
press Space
check "then the step's lesson" shows '── server 1\. set up . stream \(SOCK_STREAM\) ──'
check "the lesson itself" shows 'listen\(\) makes it a listening socket'

# The rest: Space, and 1 to every question; count what the tour said.
rows=("server 1\. set up" "server 2\. data" "server 3\. close" "client 1\. set up" "client 2\. data" "client 3\. close")
want_step=1 order_ok=1 said_why=1
for ((n = 0; n < 40; n++)); do
    press Space
    if shows '^ sockscope tour: the end'; then break; fi
    want_step=$((want_step + 1))
    shows "step $want_step of 12" || order_ok=0
    if shows '── question [0-9]+ of 8: which call comes next\? ──'; then
        press 1
        asked=$((asked + 1))
        if shows '^ Right\. '; then
            right=$((right + 1))
        elif ! shows '^ Not this one: the answer is [23]\. .{20}'; then
            said_why=0
        fi
        press Space
    fi
    mode=stream; [ $want_step -gt 6 ] && mode=dgram
    heading="stream \(SOCK_STREAM\)"; [ $mode = dgram ] && heading="datagram \(SOCK_DGRAM\)"
    shows "── ${rows[$(((want_step - 1) % 6))]} . $heading ──" || order_ok=0
done
check "the steps came in the table's order, stream then datagram" [ "$order_ok" = 1 ]
check "all twelve steps" [ "$want_step" = 12 ]
check "eight questions were asked" [ "$asked" = 8 ]
check "each verdict said right, or wrong and why" [ "$said_why" = 1 ]
check "the end" shows '^ sockscope tour: the end'
check "the score, as the verdicts said it ($right of $asked)" shows "^ $right of 8 right *\$"
check "the whole table is filled in" shows '^ client 3\. close +close\(\): server recv\(\) = 0 +close\(\): nobody is told'
check "the keys at the end" shows '^ Space or Esc: back to the lab'
press Space
check "Space at the end: the lab is back" shows '^── step ─+ stream \(SOCK_STREAM\)'

# Esc from a question: the lab is back, and works.
press t
press Space
check "a question again (the tour starts afresh)" shows '── question 1 of 8'
press Escape
check "Esc: the lab is back" shows '^── step ─+ stream \(SOCK_STREAM\)'
check "the lab's panes" shows '^▶ server pid [0-9]+ · next: socket\(\)'
check "and Space steps it again" step '^ +1 socket\(AF_UNIX, SOCK_STREAM, 0\) += [0-9]+ *│'
press F1
check "help lists t" shows '^  t +the guided tour'
press x
quit_clean

# --tour: straight into it; Esc, and the lab is there.
start 80 24 -- --tour
check "--tour opens the tour" wait_screen 5 '^ sockscope tour: the lesson.s table, row by row'
settle
press Escape
check "--tour, Esc: the lab" wait_screen 5 '^── step ─+ stream \(SOCK_STREAM\)'
quit_clean
finish
