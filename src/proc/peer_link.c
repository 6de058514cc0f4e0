/* peer_link: a peer's command line, and its events back (see peer_link.h). */
#include "peer_link.h"

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

bool peer_link_read(int *fd, struct linebuf *lb, enum ev_role role, peer_event_fn fn, void *ctx,
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
