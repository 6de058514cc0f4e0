/* lab: peers, events and gates behind the lab screen (see lab.h). */
#include "lab.h"

#include "../core/clock.h"
#include "../proc/peer_link.h"
#include "../proc/sockdir.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLOSE_RETRY_US 500000 /* a finish signal may land just before a blocking call */
#define CLOSE_RETRIES  5

/* The peers' pids, for the crash handler. */
static volatile pid_t crash_pids[ROLE_COUNT];

void lab_crash_cleanup(void)
{
    for (int r = 0; r < ROLE_COUNT; r++)
        if (crash_pids[r] > 0)
            kill(crash_pids[r], SIGTERM);
}

static void notice(struct lab *l, const char *text)
{
    snprintf(l->notice, sizeof l->notice, "%s", text);
}

static int start_peers(struct lab *l, char *err, size_t errcap)
{
    /* The client sends as soon as its gate lets it: the lab sets the pace. */
    const struct peer_plan plan = {.mode = l->mode,
                                   .server_path = l->path[ROLE_SERVER],
                                   .client_path = l->path[ROLE_CLIENT],
                                   .count = 0,
                                   .pad = DEFAULT_PAD,
                                   .buffer = DEFAULT_BUFFER,
                                   .interval = 0};
    session_reset(&l->session, l->mode);
    for (int r = 0; r < ROLE_COUNT; r++) {
        struct peer_words words;
        linebuf_init(&l->lines[r]);
        if (spawn_peer(&l->proc[r], peer_link_args(&plan, (enum ev_role)r, &words), true, true, err,
                       errcap) != 0)
            return -1;
        crash_pids[r] = l->proc[r].pid;
        session_started(&l->session, (enum ev_role)r, l->proc[r].pid);
    }
    l->auto_run = l->closing = l->kill_prompt = false;
    l->target = 0;
    l->scroll = 0;
    l->started_us = l->rate_t_us = clock_now_us();
    l->rate_base = 0;
    l->rate = 0;
    memset(l->close_signals, 0, sizeof l->close_signals);
    notice(l, "");
    return 0;
}

static void stop_peers(struct lab *l)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        spawn_stop(&l->proc[r], 300);
        crash_pids[r] = 0;
        /* A peer killed outright could not remove its file: we do, it is ours. */
        unlink(l->path[r]);
    }
}

static void set_paths(struct lab *l)
{
    const char *m = mode_name(l->mode);
    char name[32];
    snprintf(name, sizeof name, "%s-server.sock", m);
    sockdir_join(l->path[ROLE_SERVER], sizeof l->path[0], l->dir, name);
    snprintf(name, sizeof name, "%s-client.sock", m);
    sockdir_join(l->path[ROLE_CLIENT], sizeof l->path[0], l->dir, name);
}

int lab_open(struct lab *l, const struct options *o, char *err, size_t errcap)
{
    memset(l, 0, sizeof *l);
    l->mode = o->mode;
    l->interval = 1.0; /* the lesson's pace */
    if (sockdir_private(l->dir, sizeof l->dir, err, errcap) != 0)
        return -1;
    set_paths(l);
    if (start_peers(l, err, errcap) != 0) {
        stop_peers(l);
        sockdir_remove(l->dir);
        return -1;
    }
    return 0;
}

void lab_close(struct lab *l)
{
    stop_peers(l);
    sockdir_remove(l->dir);
}

struct reading {
    struct session *session;
    bool changed;
};

/* One event from a peer into the session. */
static void take_event(const struct event *ev, void *ctx)
{
    struct reading *rd = ctx;
    rd->changed |= session_apply(rd->session, ev);
}

bool lab_read(struct lab *l, enum ev_role role, long long now)
{
    struct reading rd = {.session = &l->session};
    long long before = session_exchanges(&l->session);
    peer_link_read(&l->proc[role].event_fd, &l->lines[role], role, take_event, &rd,
                   &l->session.bad_lines);
    /* An exchange finished: in auto mode the next one waits the interval. */
    if (l->auto_run && session_exchanges(&l->session) > before)
        l->next_auto_us = now + (long long)(l->interval * 1e6);
    return rd.changed;
}

bool lab_reap(struct lab *l)
{
    bool any = false;
    for (int r = 0; r < ROLE_COUNT; r++) {
        struct peer_proc *p = &l->proc[r];
        if (p->pid <= 0 || p->reaped || !spawn_reap(p, false))
            continue;
        char how[48];
        lab_read(l, (enum ev_role)r, clock_now_us()); /* its last lines are in the pipe */
        session_ended(&l->session, (enum ev_role)r, spawn_status_text(p->wstatus, how, sizeof how));
        spawn_gate_open(p);
        crash_pids[r] = 0;
        any = true;
    }
    return any;
}

static bool step(struct lab *l, int role)
{
    if (role < 0 || !session_at_gate(&l->session, (enum ev_role)role))
        return false;
    if (spawn_gate_step(&l->proc[role]) != 0)
        return false;
    session_stepped(&l->session, (enum ev_role)role);
    return true;
}

/* The calls in which a server waits for a NEW client or datagram: the safe
 * places to ask it to close. Not recv() on an accepted connection: that one
 * must be made, so that the student sees it return 0. */
static bool waits_for_new_client(const struct session *s, enum ev_role role)
{
    const char *call = session_pending_call(s, role);
    return call && (strcmp(call, "accept") == 0 || strcmp(call, "poll") == 0 ||
                    strcmp(call, "recvfrom") == 0);
}

static void signal_finish(struct lab *l, enum ev_role role, long long now)
{
    if (l->close_signals[role] >= CLOSE_RETRIES ||
        (l->close_signals[role] > 0 && now - l->close_signalled_us[role] < CLOSE_RETRY_US))
        return;
    if (spawn_signal(&l->proc[role], SIGUSR1) == 0) {
        l->close_signals[role]++;
        l->close_signalled_us[role] = now;
    }
}

/* Is the client between exchanges, so that closing now loses no reply? */
static bool client_between_exchanges(const struct session *s)
{
    const char *call = session_pending_call(s, ROLE_CLIENT);
    return !call || (strcmp(call, "recv") != 0 && strcmp(call, "recvfrom") != 0);
}

/* The close row: the client leaves first, once its reply is in; the
 * server, once its client is gone and it waits for another, closes the
 * accepted socket and then the listening one. */
static void drive_close(struct lab *l, long long now)
{
    const struct session *s = &l->session;
    bool client_gone = s->side[ROLE_CLIENT].ended;
    if (!client_gone && l->close_signals[ROLE_CLIENT] == 0 && client_between_exchanges(s))
        signal_finish(l, ROLE_CLIENT, now);
    if (client_gone && !s->side[ROLE_SERVER].ended && waits_for_new_client(s, ROLE_SERVER))
        signal_finish(l, ROLE_SERVER, now);
    if (client_gone && s->side[ROLE_SERVER].ended) {
        l->closing = false;
        notice(l, "both sides closed: r starts them again, Tab switches the socket type");
    }
}

bool lab_drive(struct lab *l, long long now)
{
    struct session *s = &l->session;
    if (l->closing) {
        drive_close(l, now);
        return l->auto_run && step(l, session_whose_turn(s));
    }
    if (l->auto_run && session_exchanges(s) >= l->target && now >= l->next_auto_us)
        l->target = session_exchanges(s) + 1;
    if (session_exchanges(s) < l->target)
        return step(l, session_whose_turn(s));
    return false;
}

long long lab_wakeup(const struct lab *l, long long now)
{
    if (l->closing && (l->close_signals[0] || l->close_signals[1]))
        return CLOSE_RETRY_US;
    if (l->auto_run && session_exchanges(&l->session) >= l->target)
        return l->next_auto_us > now ? l->next_auto_us - now : 0;
    return -1;
}

void lab_tick(struct lab *l, long long now)
{
    long long dt = now - l->rate_t_us;
    if (dt < 1000000)
        return;
    long long n = session_exchanges(&l->session);
    l->rate = (double)(n - l->rate_base) * 1e6 / (double)dt;
    l->rate_base = n;
    l->rate_t_us = now;
}

void lab_step_next(struct lab *l)
{
    int who = session_whose_turn(&l->session);
    if (who < 0)
        notice(l,
               "nothing can move yet: each side is in the kernel, still on its way, or has exited "
               "(r restarts)");
    else
        notice(l, "");
    step(l, who);
}

void lab_step_side(struct lab *l, enum ev_role role)
{
    if (!step(l, role))
        notice(l, role == ROLE_SERVER ? "the server is not waiting at its gate"
                                      : "the client is not waiting at its gate");
    else
        notice(l, "");
}

void lab_restart(struct lab *l)
{
    char err[256];
    stop_peers(l);
    set_paths(l);
    if (start_peers(l, err, sizeof err) != 0)
        notice(l, err);
}

void lab_toggle_mode(struct lab *l)
{
    stop_peers(l);
    l->mode = l->mode == MODE_STREAM ? MODE_DGRAM : MODE_STREAM;
    lab_restart(l);
}

void lab_toggle_auto(struct lab *l, long long now)
{
    l->auto_run = !l->auto_run;
    l->next_auto_us = now;
    /* Stopping: the exchange under way still finishes (lock-step: every
     * message the client sent gets its reply), so the sides agree. */
    l->target = l->session.side[ROLE_CLIENT].stats.msgs_out;
    notice(l,
           l->auto_run ? "auto: one exchange per interval; a again to step by hand" : "step mode");
}

void lab_change_speed(struct lab *l, bool faster)
{
    double v = faster ? l->interval / 2 : l->interval * 2;
    if (v < 0.015625)
        v = 0.015625;
    if (v > 8)
        v = 8;
    l->interval = v;
    snprintf(l->notice, sizeof l->notice, "auto interval %.3g s", v);
}

void lab_send(struct lab *l, int exchanges)
{
    long long have = session_exchanges(&l->session);
    l->target = (l->target > have ? l->target : have) + exchanges;
    snprintf(l->notice, sizeof l->notice, "%d exchange%s on its way", exchanges,
             exchanges == 1 ? "" : "s");
}

void lab_start_close(struct lab *l)
{
    l->closing = true;
    l->target = session_exchanges(&l->session);
    notice(l, "closing: the client once its reply is in, then the server; Space steps each call");
}

void lab_kill(struct lab *l, enum ev_role role)
{
    l->kill_prompt = false;
    if (spawn_signal(&l->proc[role], SIGKILL) == 0)
        notice(l, role == ROLE_SERVER ? "server killed with SIGKILL: watch the client"
                                      : "client killed with SIGKILL: watch the server");
    else
        notice(l, "that side is not running");
}
