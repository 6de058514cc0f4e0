/* Unit tests: the lab's model: events to lines, states, counters counted
 * from the same events as the lines, whose turn it is, and what the screen
 * explains. */
#include "../../src/core/session.h"
#include "check.h"

#include <string.h>

static struct session s;
static long long now = 1000000; /* the lab's clock, moved by hand */

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

static struct event done(enum ev_role r, long long seq, const char *name, long long rc,
                         const char *err)
{
    struct event ev = call(r, seq, PHASE_EXIT, name, false);
    ev.rc = rc;
    snprintf(ev.err, sizeof ev.err, "%s", err);
    return ev;
}

static struct event msg(enum ev_role r, bool out, long long bytes, long long messages,
                        long long lost)
{
    struct event ev = {.role = r,
                       .pid = r == ROLE_SERVER ? 100 : 200,
                       .kind = EV_MSG,
                       .out = out,
                       .bytes = bytes,
                       .messages = messages,
                       .lost = lost};
    snprintf(ev.call, sizeof ev.call, out ? "send" : "recv");
    snprintf(ev.text, sizeof ev.text, "hi");
    snprintf(ev.peer, sizeof ev.peer, "/d/peer.sock");
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

static int turn(void)
{
    return session_whose_turn(&s, now);
}

static void start(enum sock_mode mode)
{
    session_reset(&s, mode);
    session_started(&s, ROLE_SERVER, 100);
    session_started(&s, ROLE_CLIENT, 200);
}

static void calls_and_turns(void)
{
    start(MODE_STREAM);
    CHECK(turn() == TURN_WAIT); /* nobody has reached a gate yet */
    apply(call(ROLE_CLIENT, 1, PHASE_ENTER, "socket", true));
    /* The server has not reached its first gate yet: Space waits for it. */
    CHECK(turn() == TURN_WAIT);
    apply(call(ROLE_SERVER, 1, PHASE_ENTER, "socket", true));
    /* Both wait: the server goes first, whichever line came first. */
    CHECK(turn() == ROLE_SERVER);
    CHECK_STR(status(ROLE_SERVER), "next: socket()");
    session_stepped(&s, ROLE_SERVER, now);
    /* Inside a call that does not wait for the client: still the server's time. */
    CHECK(turn() == TURN_WAIT);
    CHECK_STR(status(ROLE_SERVER), "blocked in socket()");
    apply(done(ROLE_SERVER, 1, "socket", 3, ""));
    /* Between two calls (bind() not announced yet): the client must wait,
     * or its connect() could come before the server's listen(). */
    CHECK(turn() == TURN_WAIT);
    CHECK(session_line_count(&s, ROLE_SERVER) == 1); /* enter and exit make one line */
    const struct pane_line *l = session_line(&s, ROLE_SERVER, 0);
    CHECK(l->status == CALL_DONE && l->rc == 3 && l->seq == 1);
    CHECK_STR(l->call, "socket");
    /* The server is let into accept: until it has had time to block (a
     * waiting call may return at once), the client's turn has not come. */
    struct event enter = call(ROLE_SERVER, 4, PHASE_ENTER, "accept", true);
    snprintf(enter.src, sizeof enter.src, "stream_server.c:83");
    apply(enter);
    /* where it is made, kept for the code pane */
    CHECK_STR(session_pending_line(&s, ROLE_SERVER)->src, "stream_server.c:83");
    session_stepped(&s, ROLE_SERVER, now);
    CHECK(turn() == TURN_WAIT);
    CHECK(session_settles_at(&s, now) == now + SESSION_SETTLE_US);
    now += SESSION_SETTLE_US;
    CHECK(turn() == ROLE_CLIENT);
    CHECK(session_settles_at(&s, now) == -1);
    CHECK_STR(session_pending_call(&s, ROLE_SERVER), "accept");
    apply(done(ROLE_CLIENT, 1, "socket", -1, "EMFILE"));
    CHECK(session_line(&s, ROLE_CLIENT, 0)->status == CALL_FAILED);
    CHECK(turn() == TURN_WAIT); /* the client is between calls */
    session_ended(&s, ROLE_CLIENT, "exited 1");
    CHECK(turn() == TURN_NONE); /* the server blocked, the client gone */
}

/* The screen explains the call Space makes, not the newest line that came. */
static void focus_follows_the_turn(void)
{
    enum ev_role r = ROLE_COUNT;
    start(MODE_STREAM);
    CHECK(session_focus(&s, now, &r) == NULL);
    apply(call(ROLE_SERVER, 1, PHASE_ENTER, "socket", true));
    apply(call(ROLE_CLIENT, 1, PHASE_ENTER, "socket", true)); /* the client's line comes last */
    CHECK_STR(session_focus(&s, now, &r), "socket");
    CHECK(r == ROLE_SERVER);
    session_stepped(&s, ROLE_SERVER, now);
    apply(done(ROLE_SERVER, 1, "socket", 3, ""));
    apply(call(ROLE_SERVER, 2, PHASE_ENTER, "accept", true));
    session_stepped(&s, ROLE_SERVER, now);
    now += SESSION_SETTLE_US;
    CHECK_STR(session_focus(&s, now, &r), "socket");
    CHECK(r == ROLE_CLIENT);
    /* Nobody can move: the call a side is inside, the server's first. */
    session_stepped(&s, ROLE_CLIENT, now);
    apply(done(ROLE_CLIENT, 1, "socket", 3, ""));
    apply(call(ROLE_CLIENT, 2, PHASE_ENTER, "recv", true));
    session_stepped(&s, ROLE_CLIENT, now);
    now += SESSION_SETTLE_US;
    CHECK(turn() == TURN_NONE);
    CHECK_STR(session_focus(&s, now, &r), "accept");
    CHECK(r == ROLE_SERVER);
}

/* Every counter moves with the line it counts, in the same event. */
static void counters_from_lines(void)
{
    start(MODE_DGRAM);
    apply(call(ROLE_CLIENT, 3, PHASE_ENTER, "sendto", true));
    CHECK(s.side[ROLE_CLIENT].stats.send_calls == 0); /* not made yet */
    apply(done(ROLE_CLIENT, 3, "sendto", 1024, ""));
    CHECK(s.side[ROLE_CLIENT].stats.send_calls == 1);
    CHECK(s.side[ROLE_CLIENT].stats.bytes_out == 1024);
    CHECK(s.side[ROLE_CLIENT].stats.msgs_out == 0); /* its message line is next */
    apply(msg(ROLE_CLIENT, true, 1024, 1, 0));
    CHECK(s.side[ROLE_CLIENT].stats.msgs_out == 1);
    CHECK_STR(session_line(&s, ROLE_CLIENT, 1)->peer, "/d/peer.sock");
    /* A datagram cut short: recvfrom() returns its real length (4000), the
     * message line says what moved (100) and what was lost (3900). */
    apply(call(ROLE_SERVER, 3, PHASE_ENTER, "recvfrom", true));
    apply(done(ROLE_SERVER, 3, "recvfrom", 4000, ""));
    CHECK(s.side[ROLE_SERVER].stats.recv_calls == 1);
    CHECK(s.side[ROLE_SERVER].stats.bytes_in == 0);
    apply(msg(ROLE_SERVER, false, 100, 1, 3900));
    CHECK(s.side[ROLE_SERVER].stats.bytes_in == 100);
    CHECK(s.side[ROLE_SERVER].stats.lost == 3900);
    CHECK(s.side[ROLE_SERVER].stats.msgs_in == 1);
    /* A failed call is an error, an interrupted one is not. */
    apply(call(ROLE_SERVER, 4, PHASE_ENTER, "recvfrom", true));
    apply(done(ROLE_SERVER, 4, "recvfrom", -1, "EINTR"));
    CHECK(s.side[ROLE_SERVER].stats.errors == 0);
    CHECK(s.side[ROLE_SERVER].stats.recv_calls == 2);
    apply(call(ROLE_CLIENT, 4, PHASE_ENTER, "sendto", true));
    apply(done(ROLE_CLIENT, 4, "sendto", -1, "ECONNREFUSED"));
    CHECK(s.side[ROLE_CLIENT].stats.errors == 1);
    CHECK(s.side[ROLE_CLIENT].stats.bytes_out == 1024); /* -1 adds no bytes */
    CHECK(s.side[ROLE_CLIENT].stats.send_calls == 2);
    /* A stats line is the side's own report: kept, and never what is shown. */
    struct event st = {.role = ROLE_CLIENT, .pid = 200, .kind = EV_STATS, .stats = {.msgs_in = 7}};
    CHECK(!session_apply(&s, &st));
    CHECK(s.side[ROLE_CLIENT].reported.msgs_in == 7);
    CHECK(session_exchanges(&s) == 0);
    /* A line from some other process is ignored. */
    struct event stranger = msg(ROLE_CLIENT, false, 10, 1, 0);
    stranger.pid = 999;
    CHECK(!session_apply(&s, &stranger));
    CHECK(session_exchanges(&s) == 0);
    /* A stream recv() that completed several messages counts them all. */
    apply(msg(ROLE_CLIENT, false, 3072, 3, 0));
    CHECK(session_exchanges(&s) == 3);
}

static void states_notes(void)
{
    start(MODE_STREAM);
    struct event st = {.role = ROLE_SERVER, .pid = 100, .kind = EV_STATE};
    snprintf(st.state, sizeof st.state, "listening");
    snprintf(st.detail, sizeof st.detail, "listening on /x");
    apply(st);
    CHECK_STR(status(ROLE_SERVER), "listening");
    CHECK(session_line(&s, ROLE_SERVER, 0)->kind == LINE_NOTE);
}

static void skipped_and_ended(void)
{
    start(MODE_STREAM);
    apply(call(ROLE_CLIENT, 6, PHASE_ENTER, "send", true));
    struct event sk = {.role = ROLE_CLIENT, .pid = 200, .kind = EV_STATE};
    snprintf(sk.state, sizeof sk.state, "skipped");
    apply(sk);
    CHECK(session_line(&s, ROLE_CLIENT, 0)->status == CALL_SKIPPED);
    CHECK(!session_at_gate(&s, ROLE_CLIENT));
    apply(call(ROLE_SERVER, 8, PHASE_ENTER, "poll", false));
    session_ended(&s, ROLE_SERVER, "killed by SIGKILL");
    CHECK_STR(status(ROLE_SERVER), "killed by SIGKILL");
    CHECK(session_line(&s, ROLE_SERVER, 0)->status == CALL_CUT_OFF);
    session_ended(&s, ROLE_CLIENT, "exited 0");
    CHECK(turn() == TURN_NONE);
}

static void history_ring(void)
{
    start(MODE_STREAM);
    for (int i = 1; i <= SESSION_LINES + 10; i++) {
        apply(call(ROLE_SERVER, i, PHASE_ENTER, "recv", false));
        apply(done(ROLE_SERVER, i, "recv", i, ""));
    }
    CHECK(session_line_count(&s, ROLE_SERVER) == SESSION_LINES);
    CHECK(session_line(&s, ROLE_SERVER, 0)->seq == 11); /* the oldest kept */
    CHECK(session_line(&s, ROLE_SERVER, SESSION_LINES - 1)->rc == SESSION_LINES + 10);
    CHECK(s.side[ROLE_SERVER].stats.recv_calls == SESSION_LINES + 10); /* counted, not kept */
}

int main(void)
{
    calls_and_turns();
    focus_follows_the_turn();
    counters_from_lines();
    states_notes();
    skipped_and_ended();
    history_ring();
    return check_report();
}
