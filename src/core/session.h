/* session: what the lab knows of one run of two peers, built only from
 * their events and their exits.
 *
 * Per side: the calls in order (numbered, with arguments and results), the
 * messages, the notes, the call in progress (at the gate, or in the
 * kernel), a state a student can read, and the newest cumulative totals.
 * No curses here, so the rules are unit-tested: which event makes which
 * line, and whose turn it is when Space is pressed.
 */
#ifndef SOCKSCOPE_SESSION_H
#define SOCKSCOPE_SESSION_H

#include "event.h"
#include "options.h"

#include <stdbool.h>
#include <stddef.h>

#define SESSION_LINES 2000 /* history kept per side */

enum line_kind { LINE_CALL, LINE_MSG, LINE_NOTE, LINE_EXIT };
enum call_status { CALL_NEXT, CALL_RUNNING, CALL_DONE, CALL_FAILED, CALL_SKIPPED };

struct pane_line {
    enum line_kind kind;
    enum call_status status; /* LINE_CALL */
    long long seq, rc;
    char call[EVENT_NAME_MAX];
    char err[EVENT_NAME_MAX];
    char text[EVENT_ARGS_MAX]; /* call: args; msg: text; note, exit: detail */
    bool out;                  /* LINE_MSG */
    long long bytes, text_bytes, padding, messages, lost;
};

struct side_view {
    long long pid;
    bool started, ended;
    char ended_how[48]; /* "exited 0", "killed by SIGKILL" */
    char state[EVENT_NAME_MAX];
    struct pane_line lines[SESSION_LINES];
    long long total;   /* lines ever added; the ring holds the newest */
    long long pending; /* line number of the call in progress, or -1 */
    bool at_gate;      /* the call in progress waits for the gate */
    bool stepped;      /* and we gave it its byte */
    struct ev_stats stats;
};

struct session {
    enum sock_mode mode;
    struct side_view side[ROLE_COUNT];
    long long bad_lines; /* unreadable lines from peers, skipped */
    enum ev_role focus_role;
    char focus_call[EVENT_NAME_MAX]; /* the call the table and the lesson explain */
};

void session_reset(struct session *s, enum sock_mode mode);
void session_started(struct session *s, enum ev_role role, long long pid);

/* Takes one event from a peer; returns true when what is shown changed. */
bool session_apply(struct session *s, const struct event *ev);

/* We let the side's waiting call go. */
void session_stepped(struct session *s, enum ev_role role);

/* The side's process is gone; how is "exited 0", "killed by SIGKILL"... */
void session_ended(struct session *s, enum ev_role role, const char *how);

/* Who Space moves: the server while it waits at its gate; the client once
 * the server has blocked in a call that waits for it (accept, poll, recv,
 * recvfrom) or has exited; -1 when nobody can move now (neither waits at a
 * gate, or the server is still on its way to its next one). */
int session_whose_turn(const struct session *s);

/* Does this side wait at its gate for a byte we have not sent? */
bool session_at_gate(const struct session *s, enum ev_role role);

/* The name of the side's call in progress (at the gate or in the kernel), or NULL. */
const char *session_pending_call(const struct session *s, enum ev_role role);

/* Exchanges completed: replies the client has received. */
long long session_exchanges(const struct session *s);

/* How the side is doing, for its pane's header ("listening · blocked in accept()"). */
const char *session_side_status(const struct session *s, enum ev_role role, char *buf, size_t cap);

/* Lines of a side, oldest first: i from 0 to session_line_count() - 1. */
size_t session_line_count(const struct session *s, enum ev_role role);
const struct pane_line *session_line(const struct session *s, enum ev_role role, size_t i);

#endif
