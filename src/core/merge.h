/* merge: put two peers' events back in time order, and in cause order.
 *
 * Each peer's events come in its own order (its times only grow). The
 * reader looks at the next event of each side and asks which may go now:
 * the earlier one, once every side still running has reported something at
 * least as late (nothing earlier can come from it any more), or once it
 * has waited hold_us (a side that is quiet, or not started yet).
 *
 * Cause before effect: a call's time is taken when it returns, and the
 * kernel may run the receiver before the sender has taken the time of its
 * send(), so a recv() can be stamped a few microseconds before the send()
 * that fed it. The flow (below) notices such a recv(), or a poll() woken
 * by data not yet shown sent, and holds it until the other side's send()
 * has gone out first: the transcript never shows data received before it
 * was sent.
 */
#ifndef SOCKSCOPE_MERGE_H
#define SOCKSCOPE_MERGE_H

#include "event.h"

#include <stdbool.h>

/* How long an event waits for the other side's (the hold_us callers pass):
 * long enough for a peer's report of the same moment to arrive. */
#define MERGE_HOLD_US 20000
/* How long an event waits for its cause (below): a sender descheduled
 * between its send() and its report must not lose its place, so far longer. */
#define MERGE_CAUSE_US 1000000

/* One side as the merge sees it. */
struct merge_side {
    bool live;         /* may still report (started, not at end of file) */
    bool has;          /* an event waits to go */
    long long t;       /* its time */
    long long seen_at; /* when the reader first saw it */
    bool after_other;  /* it must follow an event of the other side that has not gone yet */
    long long last_t;  /* the newest time this side has reported */
};

/* The side whose waiting event may go now, or -1: wait. */
int merge_pick(const struct merge_side s[ROLE_COUNT], long long now_us, long long hold_us);

/* What each side's released events have shown sent (message lines out)
 * and received (recv() results). */
struct merge_flow {
    bool dgram; /* count datagrams; a stream counts bytes */
    long long sent[ROLE_COUNT], got[ROLE_COUNT];
};

/* Counts an event that went out. */
void merge_flow_note(struct merge_flow *f, const struct event *ev);

/* Would ev show data received that the other side has not yet been shown
 * to send? */
bool merge_flow_early(const struct merge_flow *f, const struct event *ev);

#endif
