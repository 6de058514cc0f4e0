/* director: an experiment's peers, one call at a time (see director.h). */
#include "director.h"

#include "../core/clock.h"
#include "../proc/sigfd.h"
#include "../proc/sockdir.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define GATE_WAIT_US 3000000 /* how long a peer may take to reach its next gate */
#define END_WAIT_US  3000000 /* how long a peer may take to exit once told */
#define SLICE_MS     20

int director_open(struct director *d, enum sock_mode mode, double pause, director_show_fn show,
                  void *ctx, char *err, size_t errcap)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    memset(d, 0, sizeof *d);
    d->mode = mode;
    d->pause = pause;
    d->show = show;
    d->ctx = ctx;
    d->sig_fd = sigfd_open(sigs, sizeof sigs / sizeof sigs[0]);
    if (d->sig_fd == -1) {
        snprintf(err, errcap, "signalfd: %s", strerror(errno));
        return -1;
    }
    if (sockdir_private(d->dir, sizeof d->dir, err, errcap) != 0) {
        close(d->sig_fd);
        return -1;
    }
    return 0;
}

const char *director_path(struct director *d, const char *name, char *out, size_t cap)
{
    if (sockdir_join(out, cap, d->dir, name) != 0)
        out[0] = '\0';
    return out;
}

static void keep(struct director *d, int i, const struct event *ev)
{
    if (d->nrec == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        struct drec *r = realloc(d->rec, cap * sizeof *r);
        if (!r)
            return; /* shown, not kept: the closing sentence may then say less */
        d->rec = r, d->cap = cap;
    }
    d->rec[d->nrec++] = (struct drec){.peer = i, .ev = *ev};
}

struct taking {
    struct director *d;
    int i;
};

/* One event of peer i: where it stands now, kept, and shown. */
static void take(const struct event *ev, void *ctx)
{
    struct taking *t = ctx;
    struct dpeer *p = &t->d->peer[t->i];
    if (ev->kind == EV_CALL && ev->phase == PHASE_ENTER) {
        snprintf(p->pending, sizeof p->pending, "%s", ev->call);
        p->at_gate = ev->gated;
    } else if ((ev->kind == EV_CALL && ev->phase == PHASE_EXIT) ||
               (ev->kind == EV_STATE && strcmp(ev->state, "skipped") == 0)) {
        p->pending[0] = '\0';
        p->at_gate = false;
    }
    keep(t->d, t->i, ev);
    if (t->d->show)
        t->d->show(ev, t->d->ctx);
}

static void read_peer(struct director *d, int i)
{
    struct dpeer *p = &d->peer[i];
    struct taking t = {d, i};
    if (!peer_link_read(&p->proc, &p->lines, p->role, take, &t, &d->bad_lines)) {
        spawn_reap(&p->proc, true); /* its events ended: it has exited, or is about to */
        p->ended = true;
        p->at_gate = false;
        p->pending[0] = '\0';
    }
}

/* Waits up to us for what the peers write, reads it, and returns. */
static void pump_once(struct director *d, long long us)
{
    struct pollfd fds[DIRECTOR_PEERS + 1];
    int idx[DIRECTOR_PEERS + 1], n = 0;
    fds[n++] = (struct pollfd){.fd = d->sig_fd, .events = POLLIN};
    for (int i = 0; i < d->npeers; i++)
        if (!d->peer[i].ended && d->peer[i].proc.event_fd >= 0) {
            idx[n] = i;
            fds[n++] = (struct pollfd){.fd = d->peer[i].proc.event_fd, .events = POLLIN};
        }
    if (poll(fds, (nfds_t)n, (int)((us + 999) / 1000)) == -1 && errno != EINTR)
        return;
    if (fds[0].revents) {
        struct signalfd_siginfo si;
        while (read(d->sig_fd, &si, sizeof si) == (ssize_t)sizeof si)
            d->interrupted = true;
    }
    for (int k = 1; k < n; k++)
        if (fds[k].revents)
            read_peer(d, idx[k]);
}

void director_pump(struct director *d, long long us)
{
    long long until = clock_now_us() + us;
    do
        pump_once(d, until - clock_now_us() > 0 ? until - clock_now_us() : 0);
    while (clock_now_us() < until && !d->interrupted);
}

int director_start(struct director *d, enum ev_role role, const struct peer_plan *plan,
                   const char *const extra[])
{
    struct peer_words words;
    const char *argv[48];
    char err[256];
    int n = 0;
    if (d->npeers == DIRECTOR_PEERS)
        return -1;
    for (const char *const *w = peer_link_args(plan, role, &words); *w && n < 40; w++)
        argv[n++] = *w;
    for (; extra && *extra && n < 46; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    struct dpeer *p = &d->peer[d->npeers];
    memset(p, 0, sizeof *p);
    p->role = role;
    snprintf(p->path, sizeof p->path, "%s",
             role == ROLE_SERVER ? plan->server_path : plan->client_path);
    linebuf_init(&p->lines);
    if (spawn_peer(&p->proc, argv, true, false, err, sizeof err) != 0) {
        fprintf(stderr, "sockscope run: cannot start a peer: %s\n", err);
        return -1;
    }
    return d->npeers++;
}

/* Pumps until peer i waits at its gate, has ended, or time runs out. */
static bool reach_gate(struct director *d, int i, long long us)
{
    long long until = clock_now_us() + us;
    while (!d->peer[i].at_gate && !d->peer[i].ended && !d->interrupted && clock_now_us() < until)
        pump_once(d, SLICE_MS * 1000);
    return d->peer[i].at_gate;
}

/* Calls peer i has finished (or had left out) so far. */
static long long finished_calls(const struct director *d, int i)
{
    long long n = 0;
    for (size_t k = 0; k < d->nrec; k++) {
        const struct event *ev = &d->rec[k].ev;
        if (d->rec[k].peer == i && ((ev->kind == EV_CALL && ev->phase == PHASE_EXIT) ||
                                    (ev->kind == EV_STATE && strcmp(ev->state, "skipped") == 0)))
            n++;
    }
    return n;
}

enum step_result director_step(struct director *d, int i)
{
    struct dpeer *p = &d->peer[i];
    if (!reach_gate(d, i, GATE_WAIT_US))
        return STEP_GONE;
    if (d->pause > 0)
        director_pump(d, (long long)(d->pause * 1e6));
    long long before = finished_calls(d, i);
    if (spawn_gate_step(&p->proc) != 0)
        return STEP_GONE;
    p->at_gate = false;
    long long until = clock_now_us() + DIRECTOR_BLOCK_US;
    while (finished_calls(d, i) == before && !p->ended && !d->interrupted && clock_now_us() < until)
        pump_once(d, SLICE_MS * 1000);
    if (finished_calls(d, i) > before)
        return STEP_DONE;
    if (p->ended || d->interrupted)
        return STEP_GONE;
    if (d->blocked) {
        struct event ev = {.role = p->role, .pid = p->proc.pid, .kind = EV_CALL};
        snprintf(ev.call, sizeof ev.call, "%s", p->pending);
        d->blocked(&ev, d->ctx);
    }
    return STEP_BLOCKED;
}

void director_settle(struct director *d, int i)
{
    reach_gate(d, i, GATE_WAIT_US);
}

int director_results(const struct director *d, int i, const char *call, long long *rc,
                     char (*err)[EVENT_NAME_MAX], int cap)
{
    int n = 0;
    for (size_t k = 0; k < d->nrec; k++) {
        const struct event *ev = &d->rec[k].ev;
        if (d->rec[k].peer != i || ev->kind != EV_CALL || ev->phase != PHASE_EXIT ||
            strcmp(ev->call, call) != 0)
            continue;
        if (n < cap) {
            if (rc)
                rc[n] = ev->rc;
            if (err)
                snprintf(err[n], EVENT_NAME_MAX, "%s", ev->err);
        }
        n++;
    }
    return n;
}

long long director_msg_sum(const struct director *d, int i, bool out, bool lost)
{
    long long sum = 0;
    for (size_t k = 0; k < d->nrec; k++) {
        const struct event *ev = &d->rec[k].ev;
        if (d->rec[k].peer == i && ev->kind == EV_MSG && ev->out == out)
            sum += lost ? ev->lost : ev->bytes;
    }
    return sum;
}

enum step_result director_step_until(struct director *d, int i, const char *call, int n, int max)
{
    int want = director_results(d, i, call, NULL, NULL, 0) + n;
    enum step_result r = STEP_GONE;
    for (int k = 0; k < max && !d->interrupted; k++) {
        r = director_step(d, i);
        if (director_results(d, i, call, NULL, NULL, 0) >= want)
            return r;
        if (r != STEP_DONE)
            return r;
    }
    return STEP_GONE;
}

enum step_result director_step_to(struct director *d, int i, const char *call, int max)
{
    for (int k = 0; k < max && !d->interrupted; k++) {
        if (!reach_gate(d, i, GATE_WAIT_US))
            return STEP_GONE;
        if (strcmp(d->peer[i].pending, call) == 0)
            return STEP_DONE;
        enum step_result r = director_step(d, i);
        if (r != STEP_DONE)
            return r;
    }
    return STEP_GONE;
}

void director_await_end(struct director *d, int i)
{
    long long until = clock_now_us() + END_WAIT_US;
    while (!d->peer[i].ended && clock_now_us() < until) {
        if (d->peer[i].at_gate) /* its way out has calls too (close, unlink) */
            director_step(d, i);
        else
            pump_once(d, SLICE_MS * 1000);
    }
}

/* A peer that is told to stop goes without another call. */
static void stop_peer(struct director *d, int i)
{
    long long until = clock_now_us() + END_WAIT_US;
    if (d->peer[i].ended || spawn_signal(&d->peer[i].proc, SIGTERM) != 0)
        return;
    while (!d->peer[i].ended && clock_now_us() < until)
        pump_once(d, SLICE_MS * 1000);
}

void director_kill(struct director *d, int i, int sig)
{
    long long until = clock_now_us() + END_WAIT_US;
    if (d->peer[i].ended || spawn_signal(&d->peer[i].proc, sig) != 0)
        return;
    while (!d->peer[i].ended && clock_now_us() < until)
        pump_once(d, SLICE_MS * 1000);
}

void director_close(struct director *d)
{
    /* The newest first: clients go before the server they talk to, so no
     * client meets a server that is already gone. */
    for (int i = d->npeers - 1; i >= 0; i--) {
        struct dpeer *p = &d->peer[i];
        stop_peer(d, i);
        spawn_stop(&p->proc, 300); /* reaped, pipes closed, whatever happened */
        unlink(p->path);           /* a peer killed outright could not */
    }
    sockdir_remove(d->dir);
    free(d->rec);
    d->rec = NULL;
    d->nrec = d->cap = 0;
    close(d->sig_fd);
}

bool director_unfinished(const struct director *d, int i, const char *call)
{
    bool open = false;
    for (size_t k = 0; k < d->nrec; k++) {
        const struct event *ev = &d->rec[k].ev;
        if (d->rec[k].peer == i && ev->kind == EV_CALL)
            open = ev->phase == PHASE_ENTER && strcmp(ev->call, call) == 0;
    }
    return open;
}
