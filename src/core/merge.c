/* merge: time order and cause order across two peers (see merge.h). */
#include "merge.h"

#include <string.h>

/* Could a live side with nothing waiting still report something before t? */
static bool may_precede(const struct merge_side *s, long long t)
{
    return s->live && !s->has && s->last_t < t;
}

static bool held_long(const struct merge_side *s, long long now_us, long long hold_us)
{
    return now_us - s->seen_at >= hold_us;
}

/* Does side r's event wait for its cause, which the other side has yet to
 * report? Not once the other side can report nothing more, nor after
 * MERGE_CAUSE_US (the cause was not that side's: a stranger's datagram). */
static bool waits_for_cause(const struct merge_side s[ROLE_COUNT], int r, long long now_us)
{
    const struct merge_side *other = &s[r == ROLE_SERVER ? ROLE_CLIENT : ROLE_SERVER];
    if (!s[r].after_other || (!other->live && !other->has))
        return false;
    return now_us - s[r].seen_at < MERGE_CAUSE_US;
}

int merge_pick(const struct merge_side s[ROLE_COUNT], long long now_us, long long hold_us)
{
    int best = -1;
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (!s[r].has || waits_for_cause(s, r, now_us))
            continue;
        if (best < 0 || s[r].t < s[best].t)
            best = r;
    }
    if (best < 0 || held_long(&s[best], now_us, hold_us))
        return best;
    for (int r = 0; r < ROLE_COUNT; r++)
        if (r != best && may_precede(&s[r], s[best].t))
            return -1;
    return best;
}

static bool is_call_exit(const struct event *ev, const char *a, const char *b)
{
    return ev->kind == EV_CALL && ev->phase == PHASE_EXIT && ev->rc > 0 &&
           (strcmp(ev->call, a) == 0 || strcmp(ev->call, b) == 0);
}

/* What a call moved: a datagram is one, a stream counts bytes. */
static long long amount(const struct merge_flow *f, const struct event *ev)
{
    return f->dgram ? 1 : ev->rc;
}

/* The sender's message line, which follows its send()'s result, is what
 * counts as sent: so both come before the receiver's recv() result (and
 * its message line after it). */
void merge_flow_note(struct merge_flow *f, const struct event *ev)
{
    if ((unsigned)ev->role >= ROLE_COUNT)
        return;
    if (ev->kind == EV_MSG && ev->out)
        f->sent[ev->role] += f->dgram ? ev->messages : ev->bytes;
    else if (is_call_exit(ev, "recv", "recvfrom"))
        f->got[ev->role] += amount(f, ev);
}

bool merge_flow_early(const struct merge_flow *f, const struct event *ev)
{
    if ((unsigned)ev->role >= ROLE_COUNT)
        return false;
    int other = ev->role == ROLE_SERVER ? ROLE_CLIENT : ROLE_SERVER;
    if (is_call_exit(ev, "recv", "recvfrom"))
        return f->got[ev->role] + amount(f, ev) > f->sent[other];
    /* A poll() that says "readable" while everything shown sent has been
     * received: the data that woke it has not been shown sent yet. (A new
     * client or a close wakes it too: the hold ends then by time.) */
    if (is_call_exit(ev, "poll", "poll"))
        return f->got[ev->role] >= f->sent[other];
    return false;
}
