/* event: the one-line reports that peers make of what they really did.
 *
 * A peer writes one JSON object per line ("JSON Lines"), flushed line by
 * line, to the fd its parent gave it. Every field is documented in the
 * README. This module turns a struct event into such a line and back, and
 * into the plain text a person reads in a terminal. It knows nothing of
 * sockets or curses.
 */
#ifndef SOCKSCOPE_EVENT_H
#define SOCKSCOPE_EVENT_H

#include <stdbool.h>
#include <stddef.h>

#define EVENT_VERSION 1
/* A line is at most this long; writing it with one write() to a pipe is
 * then atomic (PIPE_BUF), so two processes' lines never interleave. */
#define EVENT_LINE_MAX 4096
#define EVENT_ARGS_MAX 256
#define EVENT_TEXT_MAX 1024
#define EVENT_NAME_MAX 24
#define EVENT_PATH_MAX 128
#define EVENT_SRC_MAX  48 /* "stream_server.c:57" */

enum ev_kind { EV_CALL, EV_MSG, EV_STATE, EV_STATS, EV_EXIT, EV_KIND_COUNT };
enum ev_role { ROLE_SERVER, ROLE_CLIENT, ROLE_COUNT };
enum ev_phase { PHASE_ENTER, PHASE_EXIT };

/* Cumulative totals: a reader takes the newest, so a lost line never makes
 * a total wrong. */
struct ev_stats {
    long long msgs_out, msgs_in;
    long long bytes_out, bytes_in;
    long long send_calls, recv_calls;
    long long lost;   /* datagram bytes a small buffer cut off */
    long long errors; /* calls that returned -1, except EINTR (interrupted) */
};

struct event {
    long long t_us; /* CLOCK_MONOTONIC in microseconds: one clock for all processes */
    enum ev_role role;
    long long pid;
    enum ev_kind kind;

    /* EV_CALL */
    long long seq; /* the side's call number, from 1 */
    enum ev_phase phase;
    bool gated;                   /* enter: waiting for the gate before the call */
    char src[EVENT_SRC_MAX];      /* enter: where the peer makes it, "stream_server.c:57" */
    char call[EVENT_NAME_MAX];    /* "socket", "bind", ... */
    char args[EVENT_ARGS_MAX];    /* as C reads them: 3, "/path" */
    long long rc;                 /* exit: the return value */
    char err[EVENT_NAME_MAX];     /* exit: errno name ("ENOENT"), "" when none */
    char errtext[EVENT_ARGS_MAX]; /* exit: strerror() of it */

    /* EV_MSG; call names the call that carried it */
    bool out;
    long long bytes;           /* bytes that really moved in this call */
    char text[EVENT_TEXT_MAX]; /* escaped text up to the first NUL */
    long long text_bytes;      /* raw length of that text */
    long long padding;         /* NUL bytes in the data */
    long long messages;        /* whole messages this call completed */
    long long lost;            /* datagram bytes cut off by a small buffer */
    char peer[EVENT_PATH_MAX]; /* the other side's address, "" if unknown */

    /* EV_STATE; detail is also EV_EXIT's reason */
    char state[EVENT_NAME_MAX];
    char detail[EVENT_ARGS_MAX];

    struct ev_stats stats; /* EV_STATS */
    int status;            /* EV_EXIT: the process exit code */
};

const char *event_kind_name(enum ev_kind k);
const char *event_role_name(enum ev_role r);

/* Writes ev as one JSON line ending in '\n' into out; returns its length,
 * or 0 when it does not fit in cap. */
size_t event_to_json(const struct event *ev, char *out, size_t cap);

/* Parses one line. Unknown fields are ignored; missing ones stay zero.
 * Every string that comes out is safe to display (escape.h).
 * Returns 0, or -1 for a line that is not a valid version-1 event. */
int event_from_json(struct event *ev, const char *line, size_t n);

/* Writes the event as one human-readable line (no newline) into out; t0 is
 * the time shown as zero. Returns 0 for events that have no text form (a
 * call's enter, stats). */
size_t event_to_text(const struct event *ev, long long t0, char *out, size_t cap);

/* Copies src into a fixed field, escaping anything unsafe to display. */
void event_set(char *field, size_t cap, const char *src);

/* The symbolic name of an errno value ("ECONNREFUSED"), or "E?" when unknown. */
const char *errno_name(int e);

#endif
