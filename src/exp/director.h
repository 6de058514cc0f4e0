/* director: runs an experiment's peers one call at a time.
 *
 * Every peer is this binary, started gated as the lab starts it, so the
 * director decides which side makes its next call: the order an experiment
 * needs (three sends before the first recv, a server held before accept)
 * is made to happen with real calls, never simulated. Each event a peer
 * reports is handed on to be shown as it comes, and kept, so that the
 * experiment can say what happened with the real numbers.
 */
#ifndef SOCKSCOPE_DIRECTOR_H
#define SOCKSCOPE_DIRECTOR_H

#include "../core/event.h"
#include "../core/linebuf.h"
#include "../core/options.h"
#include "../proc/peer_link.h"
#include "../proc/spawn.h"

#include <stdbool.h>

#define DIRECTOR_PEERS 8
/* A call let go that has not returned after this long is blocked in the
 * kernel (connect() on a full backlog, send() on a full buffer). */
#define DIRECTOR_BLOCK_US 300000

struct dpeer {
    struct peer_proc proc;
    struct linebuf lines;
    enum ev_role role;
    char path[SOCK_PATH_MAX + 1]; /* its own socket file */
    bool at_gate;                 /* waits at its gate for our byte */
    char pending[EVENT_NAME_MAX]; /* the call in progress, "" when none */
    bool ended;                   /* its events have ended and it is reaped */
};

/* What a peer reported, in the order it came. */
struct drec {
    int peer;
    struct event ev;
};

typedef void (*director_show_fn)(const struct event *ev, void *ctx);
/* A call let go that has not returned: (peer's event with the call's name). */
typedef void (*director_blocked_fn)(const struct event *ev, void *ctx);

struct director {
    enum sock_mode mode;
    char dir[SOCK_PATH_MAX + 1];
    struct dpeer peer[DIRECTOR_PEERS];
    int npeers;
    struct drec *rec;
    size_t nrec, cap;
    double pause; /* seconds between steps, so a person can follow */
    director_show_fn show;
    director_blocked_fn blocked;
    void *ctx;
    long long bad_lines;
    int sig_fd; /* SIGINT/SIGTERM/SIGHUP: stop at once */
    bool interrupted;
};

enum step_result { STEP_DONE, STEP_BLOCKED, STEP_GONE };

/* Makes the private directory. Returns 0, or -1 with a message in err. */
int director_open(struct director *d, enum sock_mode mode, double pause, director_show_fn show,
                  void *ctx, char *err, size_t errcap);

/* Stops every peer (SIGTERM: they remove their files), removes the directory. */
void director_close(struct director *d);

/* A path in the directory: "dgram-client-2.sock". */
const char *director_path(struct director *d, const char *name, char *out, size_t cap);

/* Starts a gated peer: the words of plan for role, then extra (NULL-ended,
 * may be NULL). Returns its index, or -1. */
int director_start(struct director *d, enum ev_role role, const struct peer_plan *plan,
                   const char *const extra[]);

/* Lets peer i make its next call: waits (bounded) for it to reach its
 * gate, lets the call go, and waits for its result. STEP_BLOCKED when the
 * call has not returned after DIRECTOR_BLOCK_US; STEP_GONE when the peer
 * exited or never reached a gate. */
enum step_result director_step(struct director *d, int i);

/* Steps peer i until it has made `call` n more times (its results seen).
 * Returns the last step's result; STEP_GONE also when max steps pass. */
enum step_result director_step_until(struct director *d, int i, const char *call, int n, int max);

/* Steps peer i until it waits at its gate before `call` (not made yet). */
enum step_result director_step_to(struct director *d, int i, const char *call, int max);

/* Sends sig to peer i and waits (bounded) until it is reaped. */
void director_kill(struct director *d, int i, int sig);

/* Waits (bounded) until peer i is at its next gate or has exited: what it
 * reports after a call (the message it moved) has then been read. */
void director_settle(struct director *d, int i);

/* Waits (bounded) until peer i has exited, reading what it says. */
void director_await_end(struct director *d, int i);

/* Reads whatever the peers write, for us microseconds. */
void director_pump(struct director *d, long long us);

/* The results of peer i's finished calls named call, oldest first: up to
 * cap of them in rc (and errno names in err, when not NULL). Returns how
 * many there were in all. */
int director_results(const struct director *d, int i, const char *call, long long *rc,
                     char (*err)[EVENT_NAME_MAX], int cap);

/* Did peer i announce `call` last and never report its result? */
bool director_unfinished(const struct director *d, int i, const char *call);

/* Sum over peer i's message events in the given direction of bytes/lost. */
long long director_msg_sum(const struct director *d, int i, bool out, bool lost);

#endif
