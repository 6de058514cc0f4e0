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
/* A call we let go that has not returned yet is taken as blocked in the
 * kernel only after this long: a recv() with data waiting returns at once,
 * and until it does the other side's turn has not come. */
#define SESSION_SETTLE_US 150000

enum line_kind { LINE_CALL, LINE_MSG, LINE_NOTE, LINE_EXIT };
/* CALL_SKIPPED: announced, then left out (not made); CALL_CUT_OFF: made, and
 * the process died before the call returned. */
enum call_status { CALL_NEXT, CALL_RUNNING, CALL_DONE, CALL_FAILED, CALL_SKIPPED, CALL_CUT_OFF };

struct pane_line {
    enum line_kind kind;
    enum call_status status; /* LINE_CALL */
    long long seq, rc;
    char call[EVENT_NAME_MAX];
    char err[EVENT_NAME_MAX];
    char text[EVENT_ARGS_MAX]; /* call: args; msg: text; note, exit: detail */
    bool out;                  /* LINE_MSG */
    long long bytes, text_bytes, padding, messages, lost;
    char peer[EVENT_PATH_MAX]; /* LINE_MSG: the address it went to or came from */
    char src[EVENT_SRC_MAX];   /* LINE_CALL: where the peer makes it, "stream_server.c:57" */
};

struct side_view {
    long long pid;
    bool started, ended;
    char ended_how[48]; /* "exited 0", "killed by SIGKILL" */
    char state[EVENT_NAME_MAX];
    struct pane_line lines[SESSION_LINES];
    long long total;          /* lines ever added; the ring holds the newest */
    long long pending;        /* line number of the call in progress, or -1 */
    bool at_gate;             /* the call in progress waits for the gate */
    bool stepped;             /* and we gave it its byte */
    char last_call[EVENT_NAME_MAX]; /* the call it finished last */
    long long stepped_us;     /* when */
    struct ev_stats stats;    /* counted here, from the same events as the lines */
    struct ev_stats reported; /* the side's own newest totals (stats events) */
};

struct session {
    enum sock_mode mode;
    struct side_view side[ROLE_COUNT];
    long long bad_lines; /* unreadable lines from peers, skipped */
};

/* session_whose_turn() when no side can be moved now: */
#define TURN_WAIT -1 /* a side is on its way to its next gate: ask again soon */
#define TURN_NONE -2 /* every side is blocked in the kernel, or has exited */

void session_reset(struct session *s, enum sock_mode mode);
void session_started(struct session *s, enum ev_role role, long long pid);

/* Takes one event from a peer; returns true when what is shown changed.
 * The counters (side_view.stats) change with the very event that adds the
 * line they count: a call's exit counts the call, its bytes sent and its
 * error; a message counts the messages, the bytes received and those lost.
 * EINTR is not counted as an error: it is a signal stopping a call. */
bool session_apply(struct session *s, const struct event *ev);

/* We let the side's waiting call go, at now_us. */
void session_stepped(struct session *s, enum ev_role role, long long now_us);

/* The side's process is gone; how is "exited 0", "killed by SIGKILL"... */
void session_ended(struct session *s, enum ev_role role, const char *how);

/* Who Space moves: the server while it waits at its gate (unless the
 * client is in the middle of a burst: it has just sent and sends again,
 * while the server would read); the client once
 * the server has blocked in a call that waits for it (accept, poll, recv,
 * recvfrom) or has exited. TURN_WAIT while a side is still on its way to its
 * next gate (between two calls, inside one that does not wait for the
 * other side, or let go less than SESSION_SETTLE_US ago); TURN_NONE when
 * both are blocked or gone. */
int session_whose_turn(const struct session *s, long long now_us);

/* The call the screen explains, and its side: the one Space moves next;
 * when nobody can move, the call a side is inside (the server's first);
 * NULL when there is none. */
const char *session_focus(const struct session *s, long long now_us, enum ev_role *role);

/* When a call let go has been out for SESSION_SETTLE_US (the turn may
 * change then), or -1 when none is settling. */
long long session_settles_at(const struct session *s, long long now_us);

/* Is call one that waits for the other side (accept, poll, recv, recvfrom)? */
bool session_call_waits(const char *call);

/* Does this side wait at its gate for a byte we have not sent? */
bool session_at_gate(const struct session *s, enum ev_role role);

/* The line of the side's call in progress, or NULL. */
const struct pane_line *session_pending_line(const struct session *s, enum ev_role role);

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
