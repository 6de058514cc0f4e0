/* peer_link: a peer's command line, and its events back (see peer_link.h). */
#include "peer_link.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define READS_PER_CALL 32 /* then let the caller's loop look at the rest */

const char *const *peer_link_args(const struct peer_plan *p, enum ev_role role,
                                  struct peer_words *w)
{
    int n = 0;
    snprintf(w->num[0], sizeof w->num[0], "%lld", p->count);
    snprintf(w->num[1], sizeof w->num[1], "%lld", p->pad);
    snprintf(w->num[2], sizeof w->num[2], "%lld", p->buffer);
    /* Plain decimal, as --interval takes it (%g would write 1e-05), to the
     * nanosecond, without trailing zeros. */
    snprintf(w->num[3], sizeof w->num[3], "%.9f", p->interval);
    if (strchr(w->num[3], '.')) {
        size_t len = strlen(w->num[3]);
        while (w->num[3][len - 1] == '0')
            w->num[3][--len] = '\0';
        if (w->num[3][len - 1] == '.')
            w->num[3][--len] = '\0';
    }
    snprintf(w->num[4], sizeof w->num[4], "%lld", p->burst > 1 ? p->burst : 1);
    w->argv[n++] = role == ROLE_SERVER ? "server" : "client";
    w->argv[n++] = "--mode";
    w->argv[n++] = mode_name(p->mode);
    w->argv[n++] = role == ROLE_SERVER ? "--path" : "--server-path";
    w->argv[n++] = p->server_path;
    if (role == ROLE_CLIENT) {
        w->argv[n++] = "--client-path";
        w->argv[n++] = p->client_path;
        w->argv[n++] = "--interval";
        w->argv[n++] = w->num[3];
        if (p->burst > 1) {
            w->argv[n++] = "--burst";
            w->argv[n++] = w->num[4];
        }
    }
    w->argv[n++] = "--count";
    w->argv[n++] = w->num[0];
    w->argv[n++] = "--pad";
    w->argv[n++] = w->num[1];
    w->argv[n++] = "--buffer";
    w->argv[n++] = w->num[2];
    w->argv[n] = NULL;
    return w->argv;
}

/* JSON lines from a peer that has no ring. */
static bool read_lines(int *fd, struct linebuf *lb, enum ev_role role, peer_event_fn fn, void *ctx,
                       long long *bad)
{
    for (int reads = 0; reads < READS_PER_CALL && *fd >= 0; reads++) {
        long n = linebuf_fill(lb, *fd);
        const char *line;
        size_t len;
        while (linebuf_next(lb, &line, &len)) {
            struct event ev;
            if (event_from_json(&ev, line, len) == 0 && ev.role == role)
                fn(&ev, ctx);
            else
                (*bad)++;
        }
        *bad += lb->dropped;
        lb->dropped = 0;
        if (n == 0) {
            if (linebuf_finish(lb)) /* a last line cut short */
                (*bad)++;
            close(*fd);
            *fd = -1;
            return false;
        }
        if (n < 0)
            break;
    }
    return *fd >= 0;
}

bool peer_link_bell(struct peer_proc *p)
{
    char bytes[64];
    for (int reads = 0; reads < READS_PER_CALL && p->event_fd >= 0; reads++) {
        ssize_t n = read(p->event_fd, bytes, sizeof bytes);
        if (n == 0)
            return false;
        if (n < 0)
            return errno == EAGAIN || errno == EINTR;
    }
    return p->event_fd >= 0;
}

bool peer_link_peek(struct peer_proc *p, enum ev_role role, struct event *ev, long long *bad)
{
    const void *rec;
    size_t size;
    while ((rec = ring_peek(&p->ring, &size)) != NULL) {
        if (evrec_to_event(rec, size, role, p->pid, ev) == 0) {
            if (ev->kind == EV_EXIT)
                p->ring.exit_read = true;
            return true;
        }
        (*bad)++;
        ring_next(&p->ring);
    }
    if (p->ring.broken && !p->ring.exit_read) {
        (*bad)++;
        p->ring.exit_read = true; /* counted once; and no slot exit after it */
    }
    return false;
}

void peer_link_next(struct peer_proc *p)
{
    ring_next(&p->ring);
}

bool peer_link_slot_exit(struct peer_proc *p, enum ev_role role, struct event *ev)
{
    int status;
    long long t;
    char reason[EVENT_ARGS_MAX];
    if (p->ring.exit_read || !ring_exit(&p->ring, &status, &t, reason, sizeof reason))
        return false;
    p->ring.exit_read = true;
    memset(ev, 0, sizeof *ev);
    ev->t_us = t;
    ev->role = role;
    ev->pid = p->pid;
    ev->kind = EV_EXIT;
    ev->status = status;
    event_set(ev->detail, sizeof ev->detail, reason);
    return true;
}

#define RECORDS_PER_CALL 65536 /* then the caller's loop looks at the rest */

/* Hands the records there are now to fn; returns how many. */
static int read_records(struct peer_proc *p, enum ev_role role, peer_event_fn fn, void *ctx,
                        long long *bad, int budget)
{
    struct event ev;
    int n = 0;
    while (n < budget && peer_link_peek(p, role, &ev, bad)) {
        peer_link_next(p);
        fn(&ev, ctx);
        n++;
    }
    ring_release(&p->ring);
    return n;
}

bool peer_link_read(struct peer_proc *p, struct linebuf *lb, enum ev_role role, peer_event_fn fn,
                    void *ctx, long long *bad)
{
    if (!p->ring.sh)
        return read_lines(&p->event_fd, lb, role, fn, ctx, bad);
    if (p->event_fd < 0)
        return false;
    bool alive = peer_link_bell(p);
    int budget = RECORDS_PER_CALL;
    do
        budget -= read_records(p, role, fn, ctx, bad, budget);
    while (alive && budget > 0 && !ring_arm(&p->ring));
    if (alive)
        return true;
    struct event ev;
    read_records(p, role, fn, ctx, bad, RECORDS_PER_CALL); /* all of it is there now */
    if (peer_link_slot_exit(p, role, &ev))
        fn(&ev, ctx);
    peer_link_close(p);
    return false;
}

void peer_link_close(struct peer_proc *p)
{
    if (p->event_fd >= 0)
        close(p->event_fd);
    p->event_fd = -1;
    ring_close(&p->ring);
}
