/* run: two peers, no screen (see run.h).
 *
 * The server starts first; the client is started once the server reports
 * that it is listening (stream) or bound (datagram), as a person would do in
 * the lesson's two terminals. When one side fails, the other is stopped.
 */
#include "run.h"

#include "printer.h"

#include "../core/clock.h"
#include "../core/event.h"
#include "../core/lessons.h"
#include "../core/linebuf.h"
#include "../core/merge.h"
#include "../exp/experiments.h"
#include "../proc/peer_link.h"
#include "../proc/sigfd.h"
#include "../proc/sockdir.h"
#include "../proc/spawn.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINGER_US 2000000 /* how long a server may outlive a finished client */
#define REACT_US  300000  /* when one side fails, the other's time to show its reaction */

struct side {
    struct peer_proc proc;
    struct linebuf lines;
    bool started, eof, exit_seen;
    int exit_status;
    char reason[EVENT_ARGS_MAX];
};

struct run {
    const struct options *o;
    char dir[SOCK_PATH_MAX + 1];
    char path[ROLE_COUNT][SOCK_PATH_MAX + 1];
    struct side side[ROLE_COUNT];
    struct merge merge;
    long long t0, bad_lines, client_done_at;
    long long stop_at; /* when to stop the side that is left, after a failure */
    int sig_fd;
    bool interrupted, failed;
    struct printer printer; /* text or JSON lines, --explain */
};

static const char *const role_label[ROLE_COUNT] = {"server", "client"};

static int start_side(struct run *r, enum ev_role role)
{
    char err[256];
    const struct options *o = r->o;
    const struct peer_plan plan = {.mode = o->mode,
                                   .server_path = r->path[ROLE_SERVER],
                                   .client_path = r->path[ROLE_CLIENT],
                                   .count = o->count,
                                   .pad = o->pad,
                                   .buffer = o->buffer,
                                   .interval = o->interval,
                                   .burst = o->burst};
    struct peer_words words;
    struct side *s = &r->side[role];
    linebuf_init(&s->lines);
    if (spawn_peer(&s->proc, peer_link_args(&plan, role, &words), false, false, err, sizeof err) !=
        0) {
        fprintf(stderr, "sockscope run: cannot start the %s: %s\n", role_label[role], err);
        return -1;
    }
    s->started = true;
    merge_set_live(&r->merge, role, true);
    return 0;
}

static void flush_merge(struct run *r, long long hold_us)
{
    struct event ev;
    while (merge_pop(&r->merge, clock_now_us(), hold_us, &ev))
        printer_event(&r->printer, &ev);
}

/* What one event means to the run: the server is ready, a side's exit. */
static void note_event(struct run *r, const struct event *ev)
{
    struct side *s = &r->side[ev->role];
    if (ev->kind == EV_EXIT) {
        s->exit_seen = true;
        s->exit_status = ev->status;
        snprintf(s->reason, sizeof s->reason, "%s", ev->detail);
    }
    if (ev->role == ROLE_SERVER && ev->kind == EV_STATE && !r->side[ROLE_CLIENT].started &&
        (strcmp(ev->state, "listening") == 0 || strcmp(ev->state, "ready") == 0) &&
        start_side(r, ROLE_CLIENT) != 0)
        r->failed = true;
}

static void stop_others(struct run *r, enum ev_role except)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (i != (int)except && r->side[i].started && !r->side[i].eof)
            spawn_signal(&r->side[i].proc, SIGTERM);
}

/* A side closed its event pipe: reap it and judge how it ended. */
static void side_ended(struct run *r, enum ev_role role)
{
    struct side *s = &r->side[role];
    char how[64];
    s->eof = true;
    merge_set_live(&r->merge, role, false);
    spawn_reap(&s->proc, true);
    bool clean = WIFEXITED(s->proc.wstatus) && WEXITSTATUS(s->proc.wstatus) == 0;
    if (role == ROLE_CLIENT && clean)
        r->client_done_at = clock_now_us();
    if (clean || r->interrupted)
        return;
    if (!r->failed)
        fprintf(stderr, "sockscope run: the %s failed (%s): %s\n", role_label[role],
                spawn_status_text(s->proc.wstatus, how, sizeof how),
                s->exit_seen ? s->reason : "it reported no reason");
    r->failed = true;
    if (!r->stop_at)
        r->stop_at = clock_now_us() + REACT_US;
}

/* Queues one event for printing in time order, and acts on it. */
static void take_event(const struct event *ev, void *ctx)
{
    struct run *r = ctx;
    merge_push(&r->merge, ev, clock_now_us());
    note_event(r, ev);
}

static void read_side(struct run *r, enum ev_role role)
{
    struct side *s = &r->side[role];
    if (!peer_link_read(&s->proc.event_fd, &s->lines, role, take_event, r, &r->bad_lines))
        side_ended(r, role);
}

static void on_signal(struct run *r)
{
    struct signalfd_siginfo si;
    if (read(r->sig_fd, &si, sizeof si) != (ssize_t)sizeof si)
        return;
    r->interrupted = true;
    stop_others(r, ROLE_COUNT);
}

static bool all_ended(const struct run *r)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (r->side[i].started && !r->side[i].eof)
            return false;
    return true;
}

static void loop(struct run *r)
{
    while (!all_ended(r)) {
        struct pollfd fds[1 + ROLE_COUNT];
        int idx[1 + ROLE_COUNT], n = 0;
        fds[n++] = (struct pollfd){.fd = r->sig_fd, .events = POLLIN};
        for (int i = 0; i < ROLE_COUNT; i++)
            if (r->side[i].started && !r->side[i].eof) {
                idx[n] = i;
                fds[n++] = (struct pollfd){.fd = r->side[i].proc.event_fd, .events = POLLIN};
            }
        int timeout = merge_pending(&r->merge) || r->stop_at ? MERGE_HOLD_US / 1000 : 200;
        if (timeout > 20)
            fflush(stdout);
        if (poll(fds, (nfds_t)n, timeout) == -1 && errno != EINTR)
            break;
        if (fds[0].revents)
            on_signal(r);
        for (int k = 1; k < n; k++)
            if (fds[k].revents)
                read_side(r, (enum ev_role)idx[k]);
        flush_merge(r, MERGE_HOLD_US);
        if (r->stop_at && clock_now_us() >= r->stop_at) {
            stop_others(r, ROLE_COUNT);
            r->stop_at = 0;
        }
        /* A server that outlives its finished client has nobody to serve. */
        if (r->client_done_at && !r->side[ROLE_SERVER].eof &&
            clock_now_us() - r->client_done_at > LINGER_US) {
            spawn_signal(&r->side[ROLE_SERVER].proc, SIGTERM);
            r->client_done_at = 0;
        }
    }
    flush_merge(r, 0);
}

static int block_signals(struct run *r)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    r->sig_fd = sigfd_open(sigs, sizeof sigs / sizeof sigs[0]);
    return r->sig_fd == -1 ? -1 : 0;
}

static int finish(struct run *r)
{
    int removed = sockdir_remove(r->dir);
    merge_free(&r->merge);
    fflush(stdout);
    if (removed < 0)
        fprintf(stderr, "sockscope run: could not remove %s: %s\n", r->dir, strerror(errno));
    if (r->bad_lines)
        fprintf(stderr, "sockscope run: %lld unreadable event lines were skipped\n", r->bad_lines);
    if (r->interrupted)
        return 130;
    if (r->failed)
        return 1;
    if (r->o->format == FORMAT_TEXT)
        printf("sockscope run: both sides exited 0; %s removed\n", r->dir);
    return 0;
}

int run_main(const struct options *o)
{
    char lessons_err[512];
    if (lessons_setup(o->lessons, lessons_pick(o->lang), lessons_err, sizeof lessons_err) != 0 &&
        (o->lessons || o->lang))
        fprintf(stderr, "sockscope run: %s\n", lessons_err); /* asked for: say what happened */
    if (o->experiment)
        return experiment_main(o);
    static struct run r; /* two 16 KiB line buffers: not for the stack */
    char err[256];
    memset(&r, 0, sizeof r);
    r.o = o;
    merge_init(&r.merge);
    if (block_signals(&r) != 0) {
        fprintf(stderr, "sockscope run: signalfd: %s\n", strerror(errno));
        return 1;
    }
    if (sockdir_private(r.dir, sizeof r.dir, err, sizeof err) != 0) {
        fprintf(stderr, "sockscope run: %s\n", err);
        return 1;
    }
    sockdir_join(r.path[ROLE_SERVER], sizeof r.path[0], r.dir,
                 o->mode == MODE_STREAM ? "stream-server.sock" : "dgram-server.sock");
    sockdir_join(r.path[ROLE_CLIENT], sizeof r.path[0], r.dir,
                 o->mode == MODE_STREAM ? "stream-client.sock" : "dgram-client.sock");
    r.t0 = clock_now_us();
    printer_init(&r.printer, o, r.t0);
    if (o->format == FORMAT_TEXT)
        printf("sockscope run: %s sockets (%s, AF_UNIX), %lld exchange%s, in %s\n",
               o->mode == MODE_STREAM ? "stream" : "datagram",
               o->mode == MODE_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM", o->count,
               o->count == 1 ? "" : "s", r.dir);
    if (start_side(&r, ROLE_SERVER) == 0)
        loop(&r);
    else
        r.failed = true;
    return finish(&r);
}
