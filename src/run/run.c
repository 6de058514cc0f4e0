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
#include "../core/merge.h"
#include "../exp/experiments.h"
#include "../proc/cpus.h"
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
#define BUSY_US   5000    /* events this recent: look again soon rather than be woken */

struct side {
    struct peer_proc proc;
    bool started, bell_eof, eof, exit_seen;
    int exit_status;
    char reason[EVENT_ARGS_MAX];
    struct event next; /* its next event, read from the ring, not yet printed */
    struct merge_side m;
};

struct run {
    const struct options *o;
    char dir[SOCK_PATH_MAX + 1];
    char path[ROLE_COUNT][SOCK_PATH_MAX + 1];
    struct side side[ROLE_COUNT];
    struct merge_flow flow;
    long long t0, bad_lines, client_done_at, busy_at;
    long long shown_t; /* the time of the last event printed */
    int flood_cpu;     /* --interval 0: the peers' CPU (cpus.h); -1: not placed */
    long long stop_at; /* when to stop the side that is left, after a failure */
    int sig_fd;
    bool interrupted, failed;
    bool out_gone; /* stdout's reader has gone (run | head): stop, as SIGPIPE would */
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
    if (spawn_peer(&s->proc, peer_link_args(&plan, role, &words), false, false, err, sizeof err) !=
        0) {
        fprintf(stderr, "sockscope run: cannot start the %s: %s\n", role_label[role], err);
        return -1;
    }
    s->started = true;
    s->m.live = true;
    if (r->flood_cpu >= 0)
        cpus_pin(s->proc.pid, r->flood_cpu);
    return 0;
}

/* What one event means to the run: the server is ready, a side's exit. */
static void note_event(struct run *r, const struct event *ev)
{
    struct side *s = &r->side[ev->role];
    if (ev->kind == EV_EXIT) {
        s->exit_seen = true;
        s->exit_status = ev->status;
        memcpy(s->reason, ev->detail, sizeof s->reason); /* both EVENT_ARGS_MAX, ends in NUL */
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

/* A side's events are all out: reap it and judge how it ended. */
static void side_ended(struct run *r, enum ev_role role)
{
    struct side *s = &r->side[role];
    char how[64];
    s->eof = true;
    s->m.live = false;
    peer_link_close(&s->proc);
    spawn_reap(&s->proc, true);
    bool clean = WIFEXITED(s->proc.wstatus) && WEXITSTATUS(s->proc.wstatus) == 0;
    if (role == ROLE_CLIENT && clean)
        r->client_done_at = clock_now_us();
    if (clean || r->interrupted || r->out_gone)
        return;
    if (!r->failed)
        fprintf(stderr, "sockscope run: the %s failed (%s): %s\n", role_label[role],
                spawn_status_text(s->proc.wstatus, how, sizeof how),
                s->exit_seen ? s->reason : "it reported no reason");
    r->failed = true;
    if (!r->stop_at)
        r->stop_at = clock_now_us() + REACT_US;
}

/* Looks at a side's next event, if it has one and none is waiting yet. */
static void look(struct run *r, enum ev_role role, long long now)
{
    struct side *s = &r->side[role];
    if (!s->started || s->eof || s->m.has)
        return;
    if (peer_link_peek(&s->proc, role, &s->next, &r->bad_lines) ||
        (s->bell_eof && peer_link_slot_exit(&s->proc, role, &s->next))) {
        s->m.has = true;
        s->m.t = s->next.t_us;
        s->m.seen_at = now;
        if (s->next.t_us > s->m.last_t)
            s->m.last_t = s->next.t_us;
        return;
    }
    if (s->bell_eof) /* gone, and nothing is left in its ring */
        side_ended(r, role);
}

/* Prints every event that may go now, in order. Returns how many. */
static long pump(struct run *r)
{
    long printed = 0;
    long long now = clock_now_us();
    for (;;) {
        for (int i = 0; i < ROLE_COUNT; i++) {
            look(r, (enum ev_role)i, now);
            struct side *s = &r->side[i];
            s->m.after_other = s->m.has && merge_flow_early(&r->flow, &s->next);
        }
        struct merge_side m[ROLE_COUNT] = {r->side[0].m, r->side[1].m};
        int i = merge_pick(m, now, MERGE_HOLD_US);
        if (i < 0)
            break;
        struct side *s = &r->side[i];
        /* The transcript's clock never runs back: a recv() that the kernel
         * ran before its sender's send() had returned (so stamped a little
         * earlier) follows that send() (merge.h), at its time. */
        if (s->next.t_us < r->shown_t)
            s->next.t_us = r->shown_t;
        r->shown_t = s->next.t_us;
        if (!r->out_gone)
            printer_event(&r->printer, &s->next);
        merge_flow_note(&r->flow, &s->next);
        s->m.has = false;
        peer_link_next(&s->proc);
        note_event(r, &s->next);
        if (++printed % 256 == 0) {
            now = clock_now_us();
            for (int k = 0; k < ROLE_COUNT; k++)
                ring_release(&r->side[k].proc.ring);
        }
    }
    for (int k = 0; k < ROLE_COUNT; k++)
        ring_release(&r->side[k].proc.ring);
    return printed;
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

/* How long to sleep, in ms. While events flow, the ring is looked at every
 * millisecond and the peers never have to wake us (no system call of
 * theirs); once quiet, the doorbell is armed and we sleep until it rings. */
static int sleep_ms(struct run *r, long long now)
{
    bool held = false;
    for (int i = 0; i < ROLE_COUNT; i++)
        held |= r->side[i].m.has;
    if (held || r->stop_at)
        return 1;
    if (now - r->busy_at < BUSY_US)
        return 1;
    for (int i = 0; i < ROLE_COUNT; i++) {
        struct side *s = &r->side[i];
        if (s->started && !s->eof && !s->bell_eof && !ring_arm(&s->proc.ring))
            return 0; /* something came in meanwhile */
    }
    fflush(stdout);
    return 200;
}

static void loop(struct run *r)
{
    while (!all_ended(r)) {
        struct pollfd fds[1 + ROLE_COUNT];
        int idx[1 + ROLE_COUNT], n = 0;
        if (pump(r) > 0)
            r->busy_at = clock_now_us();
        if (all_ended(r))
            break;
        int timeout = sleep_ms(r, clock_now_us());
        fds[n++] = (struct pollfd){.fd = r->sig_fd, .events = POLLIN};
        for (int i = 0; i < ROLE_COUNT; i++)
            if (r->side[i].started && !r->side[i].bell_eof) {
                idx[n] = i;
                fds[n++] = (struct pollfd){.fd = r->side[i].proc.event_fd, .events = POLLIN};
            }
        if (poll(fds, (nfds_t)n, timeout) == -1 && errno != EINTR)
            break;
        if (fds[0].revents)
            on_signal(r);
        /* SIGPIPE is ignored (sigfd.h): a reader that went away shows as a
         * write error. Without this check an endless run would go on for
         * nobody. */
        if (!r->out_gone && ferror(stdout)) {
            r->out_gone = true;
            stop_others(r, ROLE_COUNT);
        }
        for (int k = 1; k < n; k++)
            if (fds[k].revents && !peer_link_bell(&r->side[idx[k]].proc))
                r->side[idx[k]].bell_eof = true;
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
    fflush(stdout);
    if (removed < 0)
        fprintf(stderr, "sockscope run: could not remove %s: %s\n", r->dir, strerror(errno));
    if (r->bad_lines)
        fprintf(stderr, "sockscope run: %lld unreadable event lines were skipped\n", r->bad_lines);
    if (r->out_gone)
        return 128 + SIGPIPE; /* what a shell shows for `run | head` anyway */
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
    static struct run r; /* two event rings' records and events: not for the stack */
    char err[256];
    memset(&r, 0, sizeof r);
    r.o = o;
    r.flow.dgram = o->mode == MODE_DGRAM;
    /* A flood: the peers take turns on one CPU, the printing on the others. */
    r.flood_cpu = o->interval == 0 ? cpus_flood_cpu() : -1;
    if (r.flood_cpu >= 0 && cpus_leave(r.flood_cpu) != 0)
        r.flood_cpu = -1;
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
    /* Not a terminal: a flood is written in large pieces. */
    static char out_buf[1 << 16]; /* glibc sizes its own by st_blksize: 4 KiB */
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, out_buf, _IOFBF, sizeof out_buf);
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
