/* Unit tests: what the lab's keys and its close row do to real gated
 * processes. The peers here are this test program itself (spawn runs
 * /proc/self/exe): a fake peer that ignores SIGUSR1 and writes back, on its
 * event fd, every byte it reads from its gate. So the bytes the lab really
 * writes are seen: a step is GATE_GO, c is GATE_FINISH. The session is fed
 * by hand, as the peers' events would feed it. */
#include "../../src/core/clock.h"
#include "../../src/core/gate.h"
#include "../../src/ui/lab.h"
#include "check.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

/* Run by spawn as `sockscope server ...`: echo the gate until it closes. */
static int fake_peer(void)
{
    char b;
    signal(SIGUSR1, SIG_IGN);
    while (read(SPAWN_GATE_FD, &b, 1) == 1)
        if (write(SPAWN_EVENT_FD, &b, 1) != 1)
            return 1;
    return 0;
}

/* The next byte the side's fake peer echoed, or -1 after 5 s. */
static int echoed(struct lab *l, enum ev_role r)
{
    struct pollfd pfd = {.fd = l->proc[r].event_fd, .events = POLLIN};
    char b;
    if (pfd.fd < 0 || poll(&pfd, 1, 5000) != 1 || read(pfd.fd, &b, 1) != 1)
        return -1;
    return b;
}

static void enter(struct lab *l, enum ev_role r, long long seq, const char *call, bool gated)
{
    struct event ev = {.role = r,
                       .pid = l->proc[r].pid,
                       .kind = EV_CALL,
                       .seq = seq,
                       .phase = PHASE_ENTER,
                       .gated = gated};
    snprintf(ev.call, sizeof ev.call, "%s", call);
    CHECK(session_apply(&l->session, &ev));
}

static void leave(struct lab *l, enum ev_role r, long long seq, const char *call)
{
    struct event ev = {
        .role = r, .pid = l->proc[r].pid, .kind = EV_CALL, .seq = seq, .phase = PHASE_EXIT, .rc = 1};
    snprintf(ev.call, sizeof ev.call, "%s", call);
    CHECK(session_apply(&l->session, &ev));
}

/* Space lets the waiting call go with GATE_GO; c tells both sides GATE_FINISH. */
static void gate_bytes(struct lab *l)
{
    enter(l, ROLE_SERVER, 1, "socket", true);
    CHECK(lab_step_next(l, false) == KEY_DONE);
    CHECK_STR(l->notice, "");
    CHECK(echoed(l, ROLE_SERVER) == GATE_GO);
    lab_start_close(l);
    CHECK(l->closing);
    CHECK(echoed(l, ROLE_SERVER) == GATE_FINISH);
    CHECK(echoed(l, ROLE_CLIENT) == GATE_FINISH);
}

/* 1, 2, 3: the number in force, pressed again, goes back to 1. */
static void burst_keys(struct lab *l)
{
    char buf[128];
    CHECK(l->burst == 1);
    lab_set_burst(l, 2);
    CHECK(l->burst == 2);
    CHECK_STR(lab_settings(l, buf, sizeof buf), "2 msgs at once");
    lab_set_burst(l, 3);
    CHECK(l->burst == 3);
    lab_set_burst(l, 3);
    CHECK(l->burst == 1);
    CHECK_STR(lab_settings(l, buf, sizeof buf), "");
    CHECK(!l->closing); /* a restart starts afresh */
    CHECK(l->proc[ROLE_SERVER].pid > 0 && l->proc[ROLE_CLIENT].pid > 0);
}

/* A key typed while a side is on its way to its gate waits for it. */
static void patient_keys(struct lab *l)
{
    /* Just started: nobody has reached a gate yet. */
    CHECK(session_whose_turn(&l->session, clock_now_us()) == TURN_WAIT);
    CHECK(lab_step_next(l, true) == KEY_LATER);
    CHECK_STR(l->notice, "");
    CHECK(lab_step_side(l, ROLE_CLIENT, true) == KEY_LATER);
    CHECK_STR(l->notice, "");
    /* Impatient (the main loop gave up waiting): it says why. */
    CHECK(lab_step_next(l, false) == KEY_DONE);
    CHECK(l->notice[0] != '\0');
}

/* The close row wakes a server blocked waiting for a NEW client (accept),
 * never one in poll(): its client's close wakes that one. */
static void close_row_signals(struct lab *l)
{
    l->closing = true;
    l->close_signals = 0;
    session_ended(&l->session, ROLE_CLIENT, "exited 0");
    enter(l, ROLE_SERVER, 5, "poll", false);
    lab_drive(l, clock_now_us());
    CHECK(l->close_signals == 0);
    CHECK(l->closing); /* the server has not exited */
    leave(l, ROLE_SERVER, 5, "poll");
    enter(l, ROLE_SERVER, 6, "recv", true);
    session_stepped(&l->session, ROLE_SERVER, clock_now_us());
    lab_drive(l, clock_now_us());
    CHECK(l->close_signals == 0); /* a stream recv(): its client is still there */
    leave(l, ROLE_SERVER, 6, "recv");
    enter(l, ROLE_SERVER, 7, "accept", true);
    lab_drive(l, clock_now_us());
    CHECK(l->close_signals == 0); /* at its gate: GATE_FINISH reaches it there */
    session_stepped(&l->session, ROLE_SERVER, clock_now_us());
    lab_drive(l, clock_now_us());
    CHECK(l->close_signals == 1);
}

int main(int argc, char **argv)
{
    if (argc > 1) /* spawned as a peer */
        return fake_peer();
    (void)argv;
    struct lab *l = calloc(1, sizeof *l);
    struct options o = {.mode = MODE_STREAM};
    char err[256];
    CHECK(l != NULL);
    if (!l || lab_open(l, &o, err, sizeof err) != 0) {
        fprintf(stderr, "lab_open: %s\n", l ? err : "no memory");
        return 1;
    }
    gate_bytes(l);
    burst_keys(l);
    patient_keys(l);
    close_row_signals(l);
    lab_close(l);
    free(l);
    return check_report();
}
