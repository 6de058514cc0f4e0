/* peer_link: how a parent talks to a peer it starts, the same for
 * `sockscope run` and the lab.
 *
 * Out: the command line that starts one side (the only place that spells
 * the peers' flags for a parent). In: the events it writes back, read from
 * its pipe as untrusted input: a line that is not a valid version-1 event
 * of the expected side, or that is too long, is counted and skipped.
 */
#ifndef SOCKSCOPE_PEER_LINK_H
#define SOCKSCOPE_PEER_LINK_H

#include "../core/event.h"
#include "../core/linebuf.h"
#include "../core/options.h"
#include "spawn.h"

#include <stdbool.h>

/* What both sides are started with. */
struct peer_plan {
    enum sock_mode mode;
    const char *server_path, *client_path;
    long long count, pad, buffer;
    double interval; /* the client's */
    long long burst; /* the client's messages per exchange; 0 is taken as 1 */
};

/* Room for one command line: the words and the numbers written out. */
struct peer_words {
    char num[5][32];
    const char *argv[24];
};

/* The words after the program name for role, NULL-terminated, kept in w. */
const char *const *peer_link_args(const struct peer_plan *p, enum ev_role role,
                                  struct peer_words *w);

typedef void (*peer_event_fn)(const struct event *ev, void *ctx);

/* Reads what the peer has reported so far, hands each event to fn, and
 * adds what could not be read to *bad. From a peer with a ring (spawn.h):
 * its records, after which the doorbell is armed, so that p->event_fd
 * polls readable when more come; without one: JSON lines from
 * p->event_fd (lb). At end of file it takes the last events, closes
 * p->event_fd (sets it to -1) and the ring, and returns false. */
bool peer_link_read(struct peer_proc *p, struct linebuf *lb, enum ev_role role, peer_event_fn fn,
                    void *ctx, long long *bad);

/* For a reader that drives the ring itself (`sockscope run`):
 * Reads the doorbell bytes; returns false at end of file (the peer has
 * exited: what it wrote is all in the ring now). */
bool peer_link_bell(struct peer_proc *p);

/* The next event in the ring into ev, without taking it; false when there
 * is none now. A record that is not valid is counted in *bad and skipped;
 * a ring that breaks its rules is read no more. */
bool peer_link_peek(struct peer_proc *p, enum ev_role role, struct event *ev, long long *bad);

/* Takes the event peek gave. */
void peer_link_next(struct peer_proc *p);

/* At end of file, after the last record: the exit a signal handler put in
 * the ring's slot, if no exit event came through it. */
bool peer_link_slot_exit(struct peer_proc *p, enum ev_role role, struct event *ev);

/* Its events are all taken: closes the event pipe and the ring. */
void peer_link_close(struct peer_proc *p);

#endif
