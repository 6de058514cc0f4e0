/* Unit tests: merging two peers' events in time order and cause order.
 *
 * `sockscope run` prints both sides' events as one list; an event released
 * too early lands before an earlier one of the other side, one held too
 * long stalls the output, and a recv() shown before the send() that fed it
 * tells a student something false. MERGE_HOLD_US is the hold run uses:
 * checked here at its edges, and checked to be a real wait. */
#include "../../src/core/merge.h"
#include "check.h"

#include <string.h>

/* Both sides live, with nothing waiting and nothing reported yet. */
static void both_live(struct merge_side s[ROLE_COUNT])
{
    memset(s, 0, sizeof(struct merge_side) * ROLE_COUNT);
    s[ROLE_SERVER].live = s[ROLE_CLIENT].live = true;
}

static void wait_event(struct merge_side *s, long long t, long long seen_at)
{
    s->has = true;
    s->t = t;
    s->seen_at = seen_at;
    if (t > s->last_t)
        s->last_t = t;
}

static void order(void)
{
    struct merge_side s[ROLE_COUNT];
    both_live(s);
    wait_event(&s[ROLE_SERVER], 10, 0);
    /* The client may still report something before 10: hold. */
    CHECK(merge_pick(s, 1000, 20000) == -1);
    wait_event(&s[ROLE_CLIENT], 20, 1000);
    CHECK(merge_pick(s, 1000, 20000) == ROLE_SERVER);
    /* The server's next is 30: the client's 20 goes first. */
    wait_event(&s[ROLE_SERVER], 30, 1000);
    CHECK(merge_pick(s, 1000, 20000) == ROLE_CLIENT);
    s[ROLE_CLIENT].has = false;
    /* 30 waits for the client again, until held long enough. */
    CHECK(merge_pick(s, 1000, 20000) == -1);
    CHECK(merge_pick(s, 21000, 20000) == ROLE_SERVER);
}

static void hold_time(void)
{
    struct merge_side s[ROLE_COUNT];
    const long long seen = 1000000;
    CHECK(MERGE_HOLD_US >= 5000);
    both_live(s);
    wait_event(&s[ROLE_SERVER], 500, seen);
    CHECK(merge_pick(s, seen, MERGE_HOLD_US) == -1);
    CHECK(merge_pick(s, seen + MERGE_HOLD_US / 2, MERGE_HOLD_US) == -1);
    CHECK(merge_pick(s, seen + MERGE_HOLD_US - 1, MERGE_HOLD_US) == -1);
    CHECK(merge_pick(s, seen + MERGE_HOLD_US, MERGE_HOLD_US) == ROLE_SERVER);
}

/* Both sides report t=10: once the server's is out, the client's need not
 * wait, since the server has reported something as late. */
static void as_late_is_enough(void)
{
    struct merge_side s[ROLE_COUNT];
    both_live(s);
    wait_event(&s[ROLE_SERVER], 10, 0);
    wait_event(&s[ROLE_CLIENT], 10, 0);
    CHECK(merge_pick(s, 0, MERGE_HOLD_US) == ROLE_SERVER);
    s[ROLE_SERVER].has = false;
    CHECK(merge_pick(s, 0, MERGE_HOLD_US) == ROLE_CLIENT);
    s[ROLE_CLIENT].has = false;
    /* One microsecond later, and the client might still come first. */
    wait_event(&s[ROLE_SERVER], 11, 0);
    CHECK(merge_pick(s, 0, MERGE_HOLD_US) == -1);
}

/* A side at end of file, or not started, sends nothing more: nobody waits. */
static void ended_side(void)
{
    struct merge_side s[ROLE_COUNT];
    both_live(s);
    wait_event(&s[ROLE_SERVER], 50, 0);
    CHECK(merge_pick(s, 0, MERGE_HOLD_US) == -1);
    s[ROLE_CLIENT].live = false;
    CHECK(merge_pick(s, 0, MERGE_HOLD_US) == ROLE_SERVER);
    s[ROLE_SERVER].has = false;
    CHECK(merge_pick(s, 0, MERGE_HOLD_US) == -1); /* nothing waits */
}

/* The server's recv() was stamped 3 us before the client's send() that
 * fed it: the send goes first, the recv once the flow has seen it. */
static void cause_first(void)
{
    struct merge_side s[ROLE_COUNT];
    struct merge_flow f = {.dgram = false};
    struct event recv_exit = {.role = ROLE_SERVER,
                              .kind = EV_CALL,
                              .phase = PHASE_EXIT,
                              .call = "recv",
                              .rc = 1024,
                              .t_us = 100};
    struct event send_exit = {.role = ROLE_CLIENT,
                              .kind = EV_CALL,
                              .phase = PHASE_EXIT,
                              .call = "send",
                              .rc = 1024,
                              .t_us = 103};
    struct event msg_out = {.role = ROLE_CLIENT, .kind = EV_MSG, .out = true, .bytes = 1024};
    CHECK(merge_flow_early(&f, &recv_exit));
    CHECK(!merge_flow_early(&f, &send_exit));
    both_live(s);
    wait_event(&s[ROLE_SERVER], 100, 0);
    s[ROLE_SERVER].after_other = true;
    CHECK(merge_pick(s, 0, MERGE_HOLD_US) == -1); /* the send has not come yet */
    wait_event(&s[ROLE_CLIENT], 103, 0);
    CHECK(merge_pick(s, 0, MERGE_HOLD_US) == ROLE_CLIENT);
    merge_flow_note(&f, &send_exit);
    CHECK(merge_flow_early(&f, &recv_exit)); /* the send's message line comes after it */
    merge_flow_note(&f, &msg_out);
    CHECK(!merge_flow_early(&f, &recv_exit));
    merge_flow_note(&f, &recv_exit);
    /* A second recv of the same bytes would be early again. */
    CHECK(merge_flow_early(&f, &recv_exit));
    /* Past the ordinary hold it still waits for its cause: a sender may be
     * descheduled between its send() and its report. */
    s[ROLE_CLIENT].has = false;
    CHECK(MERGE_CAUSE_US > 10 * MERGE_HOLD_US);
    CHECK(merge_pick(s, 2 * MERGE_HOLD_US, MERGE_HOLD_US) == -1);
    /* Held that long, it goes anyway (data from someone else). */
    CHECK(merge_pick(s, MERGE_CAUSE_US, MERGE_HOLD_US) == ROLE_SERVER);
    /* And at once when the other side can report nothing more. */
    s[ROLE_CLIENT].live = false;
    CHECK(merge_pick(s, 0, MERGE_HOLD_US) == ROLE_SERVER);
}

/* Datagrams count one per message, whatever their length; a sendto()'s
 * result alone, or a call's enter, counts nothing. */
static void datagrams(void)
{
    struct merge_flow f = {.dgram = true};
    struct event got = {
        .role = ROLE_CLIENT, .kind = EV_CALL, .phase = PHASE_EXIT, .call = "recvfrom", .rc = 5000};
    struct event sent = {
        .role = ROLE_SERVER, .kind = EV_CALL, .phase = PHASE_EXIT, .call = "sendto", .rc = 1};
    struct event line = {
        .role = ROLE_SERVER, .kind = EV_MSG, .out = true, .bytes = 1, .messages = 1};
    merge_flow_note(&f, &sent);
    CHECK(merge_flow_early(&f, &got));
    merge_flow_note(&f, &line);
    CHECK(!merge_flow_early(&f, &got));
    merge_flow_note(&f, &got);
    CHECK(merge_flow_early(&f, &got)); /* a second datagram was not sent */
    struct event enter = got;
    enter.phase = PHASE_ENTER;
    CHECK(!merge_flow_early(&f, &enter));
}

/* A server's poll() says readable: that follows the send() that made it
 * so, unless all that was shown sent is yet to be received. */
static void poll_waits_for_the_send(void)
{
    struct merge_flow f = {.dgram = false};
    struct event woke = {
        .role = ROLE_SERVER, .kind = EV_CALL, .phase = PHASE_EXIT, .call = "poll", .rc = 1};
    struct event line = {.role = ROLE_CLIENT, .kind = EV_MSG, .out = true, .bytes = 1024};
    struct event got = {
        .role = ROLE_SERVER, .kind = EV_CALL, .phase = PHASE_EXIT, .call = "recv", .rc = 1024};
    CHECK(merge_flow_early(&f, &woke));
    merge_flow_note(&f, &line);
    CHECK(!merge_flow_early(&f, &woke));
    merge_flow_note(&f, &got);
    CHECK(merge_flow_early(&f, &woke)); /* the next message is not shown sent yet */
    woke.rc = 0;
    CHECK(!merge_flow_early(&f, &woke)); /* not a wake-up */
}

int main(void)
{
    poll_waits_for_the_send();
    order();
    hold_time();
    as_late_is_enough();
    ended_side();
    cause_first();
    datagrams();
    return check_report();
}
