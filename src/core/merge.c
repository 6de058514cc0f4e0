/* merge: time order across two peers (see merge.h). */
#include "merge.h"

#include <stdlib.h>
#include <string.h>

void merge_init(struct merge *m)
{
    memset(m, 0, sizeof *m);
}

void merge_free(struct merge *m)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        free(m->q[r].ev);
        free(m->q[r].arrived);
    }
    memset(m, 0, sizeof *m);
}

void merge_set_live(struct merge *m, enum ev_role role, bool live)
{
    m->q[role].live = live;
}

static int grow(struct merge_queue *q)
{
    size_t cap = q->cap ? q->cap * 2 : 64;
    struct event *ev = malloc(cap * sizeof *ev);
    long long *arr = malloc(cap * sizeof *arr);
    if (!ev || !arr) {
        free(ev);
        free(arr);
        return -1;
    }
    for (size_t i = 0; i < q->count; i++) {
        ev[i] = q->ev[(q->head + i) % q->cap];
        arr[i] = q->arrived[(q->head + i) % q->cap];
    }
    free(q->ev);
    free(q->arrived);
    q->ev = ev, q->arrived = arr, q->cap = cap, q->head = 0;
    return 0;
}

int merge_push(struct merge *m, const struct event *ev, long long now_us)
{
    struct merge_queue *q = &m->q[ev->role];
    if (q->count == q->cap && grow(q) != 0)
        return -1;
    size_t at = (q->head + q->count++) % q->cap;
    q->ev[at] = *ev;
    q->arrived[at] = now_us;
    if (ev->t_us > q->last_t)
        q->last_t = ev->t_us;
    return 0;
}

/* Could a live peer r still send an event earlier than t? */
static bool may_precede(const struct merge_queue *q, long long t)
{
    return q->live && q->count == 0 && q->last_t < t;
}

bool merge_pop(struct merge *m, long long now_us, long long hold_us, struct event *out)
{
    int best = -1;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct merge_queue *q = &m->q[r];
        if (q->count && (best < 0 || q->ev[q->head].t_us < m->q[best].ev[m->q[best].head].t_us))
            best = r;
    }
    if (best < 0)
        return false;
    struct merge_queue *q = &m->q[best];
    long long t = q->ev[q->head].t_us;
    bool held_long = now_us - q->arrived[q->head] >= hold_us;
    for (int r = 0; r < ROLE_COUNT && !held_long; r++)
        if (r != best && may_precede(&m->q[r], t))
            return false;
    *out = q->ev[q->head];
    q->head = (q->head + 1) % q->cap;
    q->count--;
    return true;
}

size_t merge_pending(const struct merge *m)
{
    return m->q[0].count + m->q[1].count;
}
