/* evrec: binary event records, built by a peer, read by its parent (see evrec.h). */
#include "evrec.h"

#include "escape.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static const char *const call_names[CALL_COUNT] = {"socket",   "bind",  "listen", "accept",
                                                   "connect",  "send",  "recv",   "sendto",
                                                   "recvfrom", "close", "unlink", "poll"};

const char *evrec_call_name(enum ev_call c)
{
    return (unsigned)c < CALL_COUNT ? call_names[c] : "?";
}

enum ev_call evrec_call_id(const char *name)
{
    for (int i = 0; i < CALL_COUNT; i++)
        if (strcmp(name, call_names[i]) == 0)
            return (enum ev_call)i;
    return CALL_COUNT;
}

void evrec_begin(struct evrec_buf *b, enum ev_kind kind)
{
    memset(&b->h, 0, sizeof b->h);
    b->h.kind = (uint8_t)kind;
    b->used = 0;
}

void evrec_str(struct evrec_buf *b, int i, const void *s, size_t n)
{
    size_t room = sizeof b->s - b->used;
    if (n > room)
        n = room;
    if (n > UINT16_MAX)
        n = UINT16_MAX;
    memcpy(b->s + b->used, s, n);
    b->used += n;
    b->h.len[i] = (uint16_t)n;
}

size_t evrec_finish(struct evrec_buf *b)
{
    size_t size = (sizeof b->h + b->used + 7) & ~(size_t)7;
    b->h.size = (uint32_t)size;
    return size;
}

/* ---- reading ---- */

/* A record's strings, located and checked. */
struct strs {
    const char *p[EVREC_STRS];
    size_t n[EVREC_STRS];
};

static int locate(const struct evrec *h, size_t size, struct strs *s)
{
    size_t at = sizeof *h;
    for (int i = 0; i < EVREC_STRS; i++) {
        if (h->len[i] > size - at)
            return -1;
        s->p[i] = (const char *)h + at;
        s->n[i] = h->len[i];
        at += h->len[i];
    }
    return 0;
}

/* Copies untrusted bytes into a fixed field, escaped for display. */
static void put_field(char *field, size_t cap, const char *s, size_t n)
{
    escape_bytes(s, n, field, cap, 0, NULL);
}

/* "How are you !!!"... : the start of the data, as a student would write it. */
static void preview(char *out, size_t cap, const char *data, size_t kept, long long len)
{
    size_t text = strnlen(data, kept), used;
    char esc[48];
    escape_bytes(data, text, esc, sizeof esc, ESCAPE_BACKSLASH, &used);
    snprintf(out, cap, "\"%s\"%s", esc, (long long)used < len ? "..." : "");
}

/* The flags as C writes them, in the order strace shows them. */
static const char *flag_names(long long flags)
{
    return flags & MSG_DONTWAIT ? "MSG_DONTWAIT|MSG_NOSIGNAL" : "MSG_NOSIGNAL";
}

static void poll_args(char *out, size_t cap, const struct strs *s, long long nfds)
{
    int o = snprintf(out, cap, "[");
    for (size_t i = 0; i + 4 <= s->n[1] && o < (int)cap - 24; i += 4) {
        int32_t fd;
        memcpy(&fd, s->p[1] + i, sizeof fd);
        o += snprintf(out + o, cap - (size_t)o, "%s%d", i ? ", " : "", (int)fd);
    }
    snprintf(out + o, cap - (size_t)o, "], %lld, -1", nfds);
}

/* The arguments as C reads them: 3, "/path" -- the text the peer itself
 * would have written, and strace shows. */
static void call_args(const struct evrec *h, const struct strs *s, char *out, size_t cap)
{
    long long fd = h->n[N_FD], len = h->n[N_LEN];
    char data[80];
    switch ((enum ev_call)h->call) {
    case CALL_SOCKET:
        snprintf(out, cap, "AF_UNIX, %s, 0", len == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM");
        break;
    case CALL_BIND:
    case CALL_CONNECT:
        snprintf(out, cap, "%lld, \"%.*s\"", fd, (int)s->n[1], s->p[1]);
        break;
    case CALL_LISTEN:
        snprintf(out, cap, "%lld, %lld", fd, len);
        break;
    case CALL_ACCEPT:
        snprintf(out, cap, "%lld, &peer, &len", fd);
        break;
    case CALL_SEND:
        preview(data, sizeof data, s->p[1], s->n[1], len);
        snprintf(out, cap, "%lld, %s, %lld, %s", fd, data, len, flag_names(h->n[N_FLAGS]));
        break;
    case CALL_SENDTO:
        preview(data, sizeof data, s->p[1], s->n[1], len);
        snprintf(out, cap, "%lld, %s, %lld, %s, \"%.*s\"", fd, data, len, flag_names(h->n[N_FLAGS]),
                 (int)s->n[2], s->p[2]);
        break;
    case CALL_RECV:
        snprintf(out, cap, "%lld, buf, %lld, 0", fd, len);
        break;
    case CALL_RECVFROM:
        snprintf(out, cap, "%lld, buf, %lld, MSG_TRUNC, &from, &len", fd, len);
        break;
    case CALL_CLOSE:
        snprintf(out, cap, "%lld", fd);
        break;
    case CALL_UNLINK:
        snprintf(out, cap, "\"%.*s\"", (int)s->n[1], s->p[1]);
        break;
    case CALL_POLL:
        poll_args(out, cap, s, len);
        break;
    case CALL_COUNT:
        out[0] = '\0';
        break;
    }
}

/* A flood makes the same calls with the same arguments again and again:
 * the last text made for each call is kept with what it was made from. */
static struct made_args {
    struct evrec h; /* call, n[N_FD], n[N_LEN], n[N_FLAGS] and len[] count */
    char s[EVREC_PREVIEW + EVENT_PATH_MAX * 2];
    char args[EVENT_ARGS_MAX];
} made[CALL_COUNT];

static bool same_args(const struct evrec *a, const struct evrec *b, const struct strs *s,
                      const char *kept)
{
    if (a->n[N_FD] != b->n[N_FD] || a->n[N_LEN] != b->n[N_LEN] || a->n[N_FLAGS] != b->n[N_FLAGS] ||
        a->len[1] != b->len[1] || a->len[2] != b->len[2])
        return false;
    return memcmp(kept, s->p[1], s->n[1]) == 0 && memcmp(kept + s->n[1], s->p[2], s->n[2]) == 0;
}

/* The escaped arguments of the call into out. */
static void args_of(const struct evrec *h, const struct strs *s, char *out, size_t cap)
{
    char args[EVENT_ARGS_MAX * 2];
    struct made_args *m = &made[h->call];
    bool cacheable = s->n[1] + s->n[2] <= sizeof m->s;
    if (cacheable && m->h.size && same_args(&m->h, h, s, m->s)) {
        snprintf(out, cap, "%s", m->args);
        return;
    }
    args[0] = '\0';
    call_args(h, s, args, sizeof args);
    event_set(out, cap, args);
    if (cacheable) {
        m->h = *h;
        m->h.size = 1;
        memcpy(m->s, s->p[1], s->n[1]);
        memcpy(m->s + s->n[1], s->p[2], s->n[2]);
        snprintf(m->args, sizeof m->args, "%s", out);
    }
}

static void to_call(const struct evrec *h, const struct strs *s, struct event *ev)
{
    ev->seq = h->seq;
    ev->phase = h->phase ? PHASE_EXIT : PHASE_ENTER;
    strcpy(ev->call, call_names[h->call]); /* our own names, shorter than the field */
    args_of(h, s, ev->args, sizeof ev->args);
    if (ev->phase == PHASE_ENTER) {
        ev->gated = h->bits & EVREC_GATED;
        put_field(ev->src, sizeof ev->src, s->p[0], s->n[0]);
        return;
    }
    ev->rc = h->n[N_RC];
    int err = (int)h->n[N_ERR];
    if (ev->rc == -1 && err > 0) {
        const char *text = strerrordesc_np(err);
        snprintf(ev->err, sizeof ev->err, "%s", errno_name(err));
        if (text)
            snprintf(ev->errtext, sizeof ev->errtext, "%s", text);
        else
            snprintf(ev->errtext, sizeof ev->errtext, "Unknown error %d", err);
    }
}

static void to_msg(const struct evrec *h, const struct strs *s, struct event *ev)
{
    snprintf(ev->call, sizeof ev->call, "%s", call_names[h->call]);
    ev->out = h->bits & EVREC_OUT;
    ev->bytes = h->n[N_BYTES];
    escape_bytes(s->p[0], strnlen(s->p[0], s->n[0]), ev->text, sizeof ev->text, ESCAPE_BACKSLASH,
                 NULL);
    ev->text_bytes = h->n[N_TEXT_BYTES];
    ev->padding = h->n[N_PADDING];
    ev->messages = h->n[N_MESSAGES];
    ev->lost = h->n[N_LOST];
    put_field(ev->peer, sizeof ev->peer, s->p[1], s->n[1]);
}

static void to_stats(const struct evrec *h, struct event *ev)
{
    struct ev_stats *st = &ev->stats;
    st->msgs_out = h->n[0], st->msgs_in = h->n[1];
    st->bytes_out = h->n[2], st->bytes_in = h->n[3];
    st->send_calls = h->n[4], st->recv_calls = h->n[5];
    st->lost = h->n[6], st->errors = h->n[7];
}

/* Empties every field, as memset() would for what any reader looks at,
 * without writing all 2 KiB of it for each of a flood's events. */
static void clear(struct event *ev)
{
    const struct event zero = {0};
    memcpy(ev, &zero, offsetof(struct event, src));
    ev->src[0] = ev->call[0] = ev->args[0] = ev->err[0] = ev->errtext[0] = '\0';
    ev->rc = 0;
    ev->out = false;
    ev->bytes = ev->text_bytes = ev->padding = ev->messages = ev->lost = 0;
    ev->text[0] = ev->peer[0] = ev->state[0] = ev->detail[0] = '\0';
    ev->stats = zero.stats;
    ev->status = 0;
}

int evrec_to_event(const void *rec, size_t size, enum ev_role role, long long pid, struct event *ev)
{
    const struct evrec *h = rec;
    struct strs s;
    /* Times are CLOCK_MONOTONIC's: never below zero. */
    if (size < sizeof *h || h->size != size || h->kind >= EV_KIND_COUNT || h->phase > 1 ||
        h->t_us < 0 || locate(h, size, &s) != 0)
        return -1;
    if ((h->kind == EV_CALL || h->kind == EV_MSG) && h->call >= CALL_COUNT)
        return -1;
    clear(ev);
    ev->t_us = h->t_us;
    ev->role = role;
    ev->pid = pid;
    ev->kind = (enum ev_kind)h->kind;
    switch (ev->kind) {
    case EV_CALL:
        to_call(h, &s, ev);
        break;
    case EV_MSG:
        to_msg(h, &s, ev);
        break;
    case EV_STATE:
        put_field(ev->state, sizeof ev->state, s.p[0], s.n[0]);
        put_field(ev->detail, sizeof ev->detail, s.p[1], s.n[1]);
        break;
    case EV_STATS:
        to_stats(h, ev);
        break;
    case EV_EXIT:
        ev->status = (int)h->n[N_STATUS];
        put_field(ev->detail, sizeof ev->detail, s.p[0], s.n[0]);
        break;
    case EV_KIND_COUNT:
        return -1;
    }
    return 0;
}
