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

/* Reads what the peer has written so far (a bounded number of reads),
 * hands each event to fn, and adds unreadable lines to *bad. At end of
 * file it closes *fd, sets it to -1 and returns false. */
bool peer_link_read(int *fd, struct linebuf *lb, enum ev_role role, peer_event_fn fn, void *ctx,
                    long long *bad);

#endif
