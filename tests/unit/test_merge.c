/* Unit tests: merging two peers' events in time order.
 *
 * `sockscope run` prints both sides' events as one list; an event released
 * too early lands before an earlier one of the other side, one held too
 * long stalls the output. MERGE_HOLD_US is the hold run uses: checked here
 * at its edges, and checked to be a real wait (a hold of 0 would release
 * every event at once, out of order). */
#include "../../src/core/merge.h"
#include "check.h"

static struct event at(enum ev_role role, long long t)
{
    struct event ev = {.role = role, .t_us = t, .kind = EV_STATE};
    return ev;
}

static void order(void)
{
    struct merge m;
    struct event ev;
    merge_init(&m);
    merge_set_live(&m, ROLE_SERVER, true);
    merge_set_live(&m, ROLE_CLIENT, true);
    merge_push(&m, &(struct event){.role = ROLE_SERVER, .t_us = 10}, 0);
    merge_push(&m, &(struct event){.role = ROLE_SERVER, .t_us = 30}, 0);
    /* The client may still report something before 10: hold. */
    CHECK(!merge_pop(&m, 1000, 20000, &ev));
    ev = at(ROLE_CLIENT, 20);
    merge_push(&m, &ev, 1000);
    CHECK(merge_pop(&m, 1000, 20000, &ev) && ev.t_us == 10);
    CHECK(merge_pop(&m, 1000, 20000, &ev) && ev.t_us == 20);
    /* 30 waits for the client again, until held long enough. */
    CHECK(!merge_pop(&m, 1000, 20000, &ev));
    CHECK(merge_pop(&m, 21000, 20000, &ev) && ev.t_us == 30);
    CHECK(merge_pending(&m) == 0);
    merge_free(&m);
}

static void quiet_peer(void)
{
    struct merge m;
    struct event ev;
    merge_init(&m);
    merge_set_live(&m, ROLE_SERVER, true); /* the client has not started */
    for (int i = 0; i < 200; i++) {        /* also grows the queue */
        ev = at(ROLE_SERVER, i);
        CHECK(merge_push(&m, &ev, 0) == 0);
    }
    for (int i = 0; i < 200; i++)
        CHECK(merge_pop(&m, 0, 20000, &ev) && ev.t_us == i);
    merge_free(&m);
}

/* Both sides live, the client silent: a server event waits the whole hold. */
static void hold_time(void)
{
    struct merge m;
    struct event ev;
    const long long arrived = 1000000;
    CHECK(MERGE_HOLD_US >= 5000);
    merge_init(&m);
    merge_set_live(&m, ROLE_SERVER, true);
    merge_set_live(&m, ROLE_CLIENT, true);
    ev = at(ROLE_SERVER, 500);
    CHECK(merge_push(&m, &ev, arrived) == 0);
    CHECK(!merge_pop(&m, arrived, MERGE_HOLD_US, &ev));
    CHECK(!merge_pop(&m, arrived + MERGE_HOLD_US / 2, MERGE_HOLD_US, &ev));
    CHECK(!merge_pop(&m, arrived + MERGE_HOLD_US - 1, MERGE_HOLD_US, &ev));
    CHECK(merge_pending(&m) == 1);
    CHECK(merge_pop(&m, arrived + MERGE_HOLD_US, MERGE_HOLD_US, &ev) && ev.t_us == 500);
    CHECK(merge_pending(&m) == 0);
    merge_free(&m);
}

/* Both sides report t=10: once the server's is out, the client's need not
 * wait, since the server has reported something as late. */
static void as_late_is_enough(void)
{
    struct merge m;
    struct event ev;
    merge_init(&m);
    merge_set_live(&m, ROLE_SERVER, true);
    merge_set_live(&m, ROLE_CLIENT, true);
    ev = at(ROLE_SERVER, 10);
    merge_push(&m, &ev, 0);
    ev = at(ROLE_CLIENT, 10);
    merge_push(&m, &ev, 0);
    CHECK(merge_pop(&m, 0, MERGE_HOLD_US, &ev) && ev.role == ROLE_SERVER);
    CHECK(merge_pop(&m, 0, MERGE_HOLD_US, &ev) && ev.role == ROLE_CLIENT);
    /* One microsecond later, and the client might still come first. */
    ev = at(ROLE_SERVER, 11);
    merge_push(&m, &ev, 0);
    CHECK(!merge_pop(&m, 0, MERGE_HOLD_US, &ev));
    merge_free(&m);
}

/* A side at end of file sends nothing more: nobody waits for it. */
static void ended_side(void)
{
    struct merge m;
    struct event ev;
    merge_init(&m);
    merge_set_live(&m, ROLE_SERVER, true);
    merge_set_live(&m, ROLE_CLIENT, true);
    ev = at(ROLE_SERVER, 50);
    merge_push(&m, &ev, 0);
    CHECK(!merge_pop(&m, 0, MERGE_HOLD_US, &ev));
    merge_set_live(&m, ROLE_CLIENT, false);
    CHECK(merge_pop(&m, 0, MERGE_HOLD_US, &ev) && ev.t_us == 50);
    merge_free(&m);
}

int main(void)
{
    order();
    quiet_peer();
    hold_time();
    as_late_is_enough();
    ended_side();
    return check_report();
}
