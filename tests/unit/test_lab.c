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
#include <string.h>
#include <sys/wait.h>
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

/* Run as `sockscope stubborn ...`: says it is ready ('r'), then outlives
 * SIGTERM and the gate's end. */
static int stubborn_peer(void)
{
    signal(SIGTERM, SIG_IGN);
    if (write(SPAWN_EVENT_FD, "r", 1) != 1)
        return 1;
    for (;;)
        pause();
}

/* The next byte on an event fd, or -1 after 5 s. */
static int echoed_fd(int fd)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    char b;
    if (pfd.fd < 0 || poll(&pfd, 1, 5000) != 1 || read(pfd.fd, &b, 1) != 1)
        return -1;
    return b;
}

/* The next byte the side's fake peer echoed, or -1 after 5 s. */
static int echoed(struct lab *l, enum ev_role r)
{
    return echoed_fd(l->proc[r].event_fd);
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

/* The side's call is let go (stepped), and its gate byte was written. */
static bool let_go(struct lab *l, enum ev_role r)
{
    return l->session.side[r].stepped && echoed(l, r) == GATE_GO;
}

/* A datagram the client sent: its message event. */
static void sent(struct lab *l)
{
    struct event ev = {.role = ROLE_CLIENT,
                       .pid = l->proc[ROLE_CLIENT].pid,
                       .kind = EV_MSG,
                       .out = true,
                       .bytes = 1024,
                       .messages = 1};
    snprintf(ev.call, sizeof ev.call, "sendto");
    CHECK(session_apply(&l->session, &ev));
}

/* A burst does not wait for a server's call to settle when the events say
 * it must wait for the client: the client is moved by the same lab_drive()
 * that let the server's call go, not SESSION_SETTLE_US later. Not when
 * something the client sent is still there for that call to take: then its
 * exit comes at once, and the burst waits for it. */
static void burst_drives_at_once(struct lab *l)
{
    long long now;
    lab_restart(l); /* stream, fresh peers, nothing sent yet */
    enter(l, ROLE_SERVER, 4, "accept", true);
    enter(l, ROLE_CLIENT, 1, "socket", true);
    lab_send(l, LAB_BURST);
    now = clock_now_us();
    CHECK(session_whose_turn(&l->session, now) == ROLE_SERVER);
    CHECK(lab_drive(l, now));
    CHECK(let_go(l, ROLE_SERVER)); /* into accept(), before any client */
    CHECK(let_go(l, ROLE_CLIENT)); /* and at once the client's socket() */
    CHECK(session_whose_turn(&l->session, now) == TURN_WAIT); /* Space still lets it settle */

    lab_toggle_mode(l); /* datagram, fresh peers */
    CHECK(l->session.mode == MODE_DGRAM);
    enter(l, ROLE_SERVER, 3, "recvfrom", true);
    enter(l, ROLE_CLIENT, 1, "socket", true);
    lab_send(l, LAB_BURST);
    CHECK(lab_drive(l, clock_now_us()));
    CHECK(let_go(l, ROLE_SERVER)); /* recvfrom(): nothing was sent */
    CHECK(let_go(l, ROLE_CLIENT));

    leave(l, ROLE_CLIENT, 1, "socket");
    enter(l, ROLE_CLIENT, 2, "sendto", true);
    leave(l, ROLE_CLIENT, 2, "sendto");
    sent(l); /* on its way to the server's recvfrom(), not received yet */
    enter(l, ROLE_CLIENT, 3, "recvfrom", true);
    leave(l, ROLE_SERVER, 3, "recvfrom");
    enter(l, ROLE_SERVER, 4, "recvfrom", true);
    CHECK(lab_drive(l, clock_now_us()));
    CHECK(let_go(l, ROLE_SERVER));
    CHECK(!l->session.side[ROLE_CLIENT].stepped); /* that recvfrom() returns: wait for it */
    CHECK(session_at_gate(&l->session, ROLE_CLIENT));
    lab_toggle_mode(l); /* back to stream, for the tests after this one */
}

/* spawn_stop() reaps a peer that goes on SIGTERM, and kills and reaps one
 * that ignores it once the grace is over: nothing is left running, no
 * zombie. */
static void stop_reaps(void)
{
    static const char *const quits[] = {"server", NULL}, *const stays[] = {"stubborn", NULL};
    struct peer_proc p;
    char err[256];
    CHECK(spawn_peer(&p, quits, true, true, err, sizeof err) == 0);
    spawn_stop(&p, 300);
    CHECK(p.reaped && p.event_fd == -1 && p.gate_fd == -1);
    CHECK(kill(p.pid, 0) == -1);
    CHECK(spawn_peer(&p, stays, true, true, err, sizeof err) == 0);
    CHECK(echoed_fd(p.event_fd) == 'r'); /* it ignores SIGTERM from here on */
    spawn_stop(&p, 50);
    CHECK(p.reaped && WIFSIGNALED(p.wstatus) && WTERMSIG(p.wstatus) == SIGKILL);
    CHECK(kill(p.pid, 0) == -1);
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
        return strcmp(argv[1], "stubborn") == 0 ? stubborn_peer() : fake_peer();
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
    burst_drives_at_once(l);
    close_row_signals(l);
    stop_reaps();
    lab_close(l);
    free(l);
    return check_report();
}
