/* Unit tests: the lab's model: events to lines, states, totals, whose turn. */
#include "../../src/core/session.h"
#include "check.h"

static struct session s;

static struct event call(enum ev_role r, long long seq, enum ev_phase ph, const char *name,
                         bool gated)
{
    struct event ev = {.role = r,
                       .pid = r == ROLE_SERVER ? 100 : 200,
                       .kind = EV_CALL,
                       .seq = seq,
                       .phase = ph,
                       .gated = gated};
    snprintf(ev.call, sizeof ev.call, "%s", name);
    snprintf(ev.args, sizeof ev.args, "3");
    return ev;
}

static void apply(struct event ev)
{
    CHECK(session_apply(&s, &ev));
}

static const char *status(enum ev_role r)
{
    static char buf[128];
    return session_side_status(&s, r, buf, sizeof buf);
}

static void start(void)
{
    session_reset(&s, MODE_STREAM);
    session_started(&s, ROLE_SERVER, 100);
    session_started(&s, ROLE_CLIENT, 200);
}

static void calls_and_turns(void)
{
    start();
    CHECK(session_whose_turn(&s) == -1);
    apply(call(ROLE_CLIENT, 1, PHASE_ENTER, "socket", true));
    /* The server has not reached its first gate yet: nobody moves. */
    CHECK(session_whose_turn(&s) == -1);
    apply(call(ROLE_SERVER, 1, PHASE_ENTER, "socket", true));
    /* Both wait: the server goes first. */
    CHECK(session_whose_turn(&s) == ROLE_SERVER);
    CHECK_STR(status(ROLE_SERVER), "next: socket()");
    session_stepped(&s, ROLE_SERVER);
    /* Inside a call that does not wait for the client: still the server's time. */
    CHECK(session_whose_turn(&s) == -1);
    CHECK_STR(status(ROLE_SERVER), "blocked in socket()");
    struct event done = call(ROLE_SERVER, 1, PHASE_EXIT, "socket", false);
    done.rc = 3;
    apply(done);
    /* Between two calls (bind() not announced yet): the client must wait,
     * or its connect() could come before the server's listen(). */
    CHECK(session_whose_turn(&s) == -1);
    CHECK(session_line_count(&s, ROLE_SERVER) == 1); /* enter and exit make one line */
    const struct pane_line *l = session_line(&s, ROLE_SERVER, 0);
    CHECK(l->status == CALL_DONE && l->rc == 3 && l->seq == 1);
    CHECK_STR(l->call, "socket");
    /* The server blocks in accept: Space moves the client. */
    apply(call(ROLE_SERVER, 4, PHASE_ENTER, "accept", true));
    session_stepped(&s, ROLE_SERVER);
    CHECK(session_whose_turn(&s) == ROLE_CLIENT);
    CHECK_STR(session_pending_call(&s, ROLE_SERVER), "accept");
    struct event fail = call(ROLE_CLIENT, 1, PHASE_EXIT, "socket", false);
    fail.rc = -1;
    snprintf(fail.err, sizeof fail.err, "EMFILE");
    apply(fail);
    CHECK(session_line(&s, ROLE_CLIENT, 0)->status == CALL_FAILED);
    CHECK(session_whose_turn(&s) == -1);
}

static void states_msgs_stats(void)
{
    start();
    struct event st = {.role = ROLE_SERVER, .pid = 100, .kind = EV_STATE};
    snprintf(st.state, sizeof st.state, "listening");
    snprintf(st.detail, sizeof st.detail, "listening on /x");
    apply(st);
    CHECK_STR(status(ROLE_SERVER), "listening");
    CHECK(session_line(&s, ROLE_SERVER, 0)->kind == LINE_NOTE);
    struct event m = {
        .role = ROLE_CLIENT, .pid = 200, .kind = EV_MSG, .bytes = 1024, .messages = 1};
    snprintf(m.text, sizeof m.text, "OK,I got it!");
    apply(m);
    CHECK(session_line(&s, ROLE_CLIENT, 0)->kind == LINE_MSG);
    struct event stats = {
        .role = ROLE_CLIENT, .pid = 200, .kind = EV_STATS, .stats = {.msgs_in = 7}};
    apply(stats);
    CHECK(session_exchanges(&s) == 7);
    /* Totals are taken whole from the newest line, never added up. */
    stats.stats.msgs_in = 9;
    apply(stats);
    CHECK(session_exchanges(&s) == 9);
    /* A line from some other process is ignored. */
    struct event stranger = stats;
    stranger.pid = 999;
    stranger.stats.msgs_in = 1;
    CHECK(!session_apply(&s, &stranger));
    CHECK(session_exchanges(&s) == 9);
}

static void skipped_and_ended(void)
{
    start();
    apply(call(ROLE_CLIENT, 6, PHASE_ENTER, "send", true));
    struct event sk = {.role = ROLE_CLIENT, .pid = 200, .kind = EV_STATE};
    snprintf(sk.state, sizeof sk.state, "skipped");
    apply(sk);
    CHECK(session_line(&s, ROLE_CLIENT, 0)->status == CALL_SKIPPED);
    CHECK(!session_at_gate(&s, ROLE_CLIENT));
    apply(call(ROLE_SERVER, 8, PHASE_ENTER, "poll", false));
    session_ended(&s, ROLE_SERVER, "killed by SIGKILL");
    CHECK_STR(status(ROLE_SERVER), "killed by SIGKILL");
    CHECK(session_line(&s, ROLE_SERVER, 0)->status == CALL_SKIPPED);
    CHECK(session_whose_turn(&s) == -1);
}

static void history_ring(void)
{
    start();
    for (int i = 1; i <= SESSION_LINES + 10; i++) {
        apply(call(ROLE_SERVER, i, PHASE_ENTER, "recv", false));
        struct event e = call(ROLE_SERVER, i, PHASE_EXIT, "recv", false);
        e.rc = i;
        apply(e);
    }
    CHECK(session_line_count(&s, ROLE_SERVER) == SESSION_LINES);
    CHECK(session_line(&s, ROLE_SERVER, 0)->seq == 11); /* the oldest kept */
    CHECK(session_line(&s, ROLE_SERVER, SESSION_LINES - 1)->rc == SESSION_LINES + 10);
}

int main(void)
{
    calls_and_turns();
    states_msgs_stats();
    skipped_and_ended();
    history_ring();
    return check_report();
}
