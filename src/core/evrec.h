/* evrec: an event as a peer records it, in binary, for its parent.
 *
 * The JSON line (event.h) is what readers see; a record is how it travels
 * from a peer to the parent that prints it, through shared memory
 * (ring.h), with no system call and no text formatting on the peer's side.
 * A record holds raw values (the call's fd, length, flags, the first bytes
 * of its data, its return value and errno number) and the parent turns it
 * into exactly the event the peer would have written as JSON. One record
 * is one event.
 *
 * Layout: a fixed header, then up to three byte strings (not
 * NUL-terminated) whose lengths the header gives. Records are untrusted
 * input for the parent: evrec_to_event() checks every length and name, and
 * escapes every string (escape.h) on the way into the event.
 */
#ifndef SOCKSCOPE_EVREC_H
#define SOCKSCOPE_EVREC_H

#include "event.h"

#include <stddef.h>
#include <stdint.h>

/* The calls a peer traces, in the order of the comparison table. */
enum ev_call {
    CALL_SOCKET,
    CALL_BIND,
    CALL_LISTEN,
    CALL_ACCEPT,
    CALL_CONNECT,
    CALL_SEND,
    CALL_RECV,
    CALL_SENDTO,
    CALL_RECVFROM,
    CALL_CLOSE,
    CALL_UNLINK,
    CALL_POLL,
    CALL_COUNT
};

/* Header bits. */
enum { EVREC_GATED = 1, EVREC_OUT = 2 };

/* The numbers of a record, by kind:
 * call:  N_FD, N_LEN (send/recv length, listen backlog, socket type, poll
 *        nfds), N_FLAGS (send flags), N_RC and N_ERR (exit: return value,
 *        errno or 0); s0 src "stream_server.c:57", s1 the path or the first
 *        bytes of the data (poll: the fds, as int32), s2 sendto's path.
 * msg:   bytes, text_bytes, padding, messages, lost; s0 the first bytes of
 *        the text, s1 the other side's address.
 * state: s0 state, s1 detail.    stats: the eight totals.
 * exit:  N_STATUS; s0 reason. */
enum { N_FD, N_LEN, N_FLAGS, N_RC = 6, N_ERR = 7 };
enum { N_BYTES, N_TEXT_BYTES, N_PADDING, N_MESSAGES, N_LOST };
enum { N_STATUS = 0 };

#define EVREC_NUMS 8
#define EVREC_STRS 3

struct evrec {
    uint32_t size; /* the whole record, header included, a multiple of 8 */
    uint8_t kind;  /* enum ev_kind */
    uint8_t phase; /* enum ev_phase */
    uint8_t call;  /* enum ev_call */
    uint8_t bits;  /* EVREC_GATED, EVREC_OUT */
    int64_t t_us;
    int64_t seq;
    int64_t n[EVREC_NUMS];
    uint16_t len[EVREC_STRS];
    uint16_t spare;
};

/* Bytes kept of the data a call or message carries: enough for everything
 * the event shows of it (the preview in args, the escaped text). */
#define EVREC_PREVIEW 64
#define EVREC_TEXT    (EVENT_TEXT_MAX + 8)
#define EVREC_MAX     2048 /* the largest record */

/* A record being built: the header and room for its strings. */
struct evrec_buf {
    struct evrec h;
    char s[EVREC_MAX - sizeof(struct evrec)];
    size_t used; /* bytes of s filled */
};

void evrec_begin(struct evrec_buf *b, enum ev_kind kind);

/* Appends string i (call in order 0, 1, 2), cut to what fits. */
void evrec_str(struct evrec_buf *b, int i, const void *s, size_t n);

/* Sets the size and returns it. */
size_t evrec_finish(struct evrec_buf *b);

const char *evrec_call_name(enum ev_call c);

/* CALL_COUNT for a name that is not a traced call. */
enum ev_call evrec_call_id(const char *name);

/* Turns a record of size bytes from the peer of role/pid into ev.
 * Returns 0, or -1 for a record that is not valid. */
int evrec_to_event(const void *rec, size_t size, enum ev_role role, long long pid,
                   struct event *ev);

#endif
