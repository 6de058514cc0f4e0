/* Unit tests: merging two peers' events in time order. */
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

int main(void)
{
    order();
    quiet_peer();
    return check_report();
}
