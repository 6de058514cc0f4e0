/* merge: put two peers' events back in time order.
 *
 * Each peer's events arrive in its own order on its own pipe. An event is
 * released once every peer still running has reported something at least
 * as late (nothing earlier can come from it any more), or once it has been
 * held for hold_us (a peer that is quiet, or not started yet).
 */
#ifndef SOCKSCOPE_MERGE_H
#define SOCKSCOPE_MERGE_H

#include "event.h"

#include <stdbool.h>
#include <stddef.h>

/* How long an event waits for the other side's (the hold_us callers pass):
 * long enough for a peer's report of the same moment to arrive. */
#define MERGE_HOLD_US 20000

struct merge_queue {
    struct event *ev;
    long long *arrived;
    size_t head, count, cap;
    long long last_t; /* newest t_us seen from this peer */
    bool live;        /* may still send events */
};

struct merge {
    struct merge_queue q[ROLE_COUNT];
};

void merge_init(struct merge *m);
void merge_free(struct merge *m);

/* Marks whether a peer may still send events (started and not at EOF). */
void merge_set_live(struct merge *m, enum ev_role role, bool live);

/* Queues an event that arrived at now_us. Returns 0, or -1 out of memory. */
int merge_push(struct merge *m, const struct event *ev, long long now_us);

/* Takes the earliest event that is safe to release now. */
bool merge_pop(struct merge *m, long long now_us, long long hold_us, struct event *out);

/* Events still held. */
size_t merge_pending(const struct merge *m);

#endif
