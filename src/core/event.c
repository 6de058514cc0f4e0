/* event: event lines to and from JSON and text (see event.h). */
#include "event.h"

#include "escape.h"
#include "json.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[EV_KIND_COUNT] = {"call", "msg", "state", "stats", "exit"};
static const char *const role_names[ROLE_COUNT] = {"server", "client"};

const char *event_kind_name(enum ev_kind k)
{
    return (unsigned)k < EV_KIND_COUNT ? kind_names[k] : "?";
}

const char *event_role_name(enum ev_role r)
{
    return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

/* The C library's own name for the number (glibc 2.32 and later), so every
 * errno it knows is named, spelled as its macro. It has none for numbers
 * that are no errno: NULL, or "0" for 0. */
const char *errno_name(int e)
{
    const char *name = e > 0 ? strerrorname_np(e) : NULL;
    return name ? name : "E?";
}

void event_set(char *field, size_t cap, const char *src)
{
    escape_bytes(src, strlen(src), field, cap, 0, NULL);
}

static void json_call(struct jbuf *jb, const struct event *ev)
{
    json_int(jb, "seq", ev->seq);
    json_str(jb, "phase", ev->phase == PHASE_ENTER ? "enter" : "exit");
    json_str(jb, "call", ev->call);
    json_str(jb, "args", ev->args);
    if (ev->phase == PHASE_ENTER) {
        json_bool(jb, "gated", ev->gated);
        if (ev->src[0])
            json_str(jb, "src", ev->src);
        return;
    }
    json_int(jb, "rc", ev->rc);
    if (ev->err[0]) {
        json_str(jb, "errno", ev->err);
        json_str(jb, "error", ev->errtext);
    } else {
        json_null(jb, "errno");
    }
}

static void json_msg(struct jbuf *jb, const struct event *ev)
{
    json_str(jb, "call", ev->call);
    json_str(jb, "dir", ev->out ? "out" : "in");
    json_int(jb, "bytes", ev->bytes);
    json_str(jb, "text", ev->text);
    json_int(jb, "text_bytes", ev->text_bytes);
    json_int(jb, "padding", ev->padding);
    json_int(jb, "messages", ev->messages);
    json_int(jb, "lost", ev->lost);
    json_str(jb, "peer", ev->peer);
}

static void json_stats(struct jbuf *jb, const struct ev_stats *s)
{
    json_int(jb, "msgs_out", s->msgs_out);
    json_int(jb, "msgs_in", s->msgs_in);
    json_int(jb, "bytes_out", s->bytes_out);
    json_int(jb, "bytes_in", s->bytes_in);
    json_int(jb, "send_calls", s->send_calls);
    json_int(jb, "recv_calls", s->recv_calls);
    json_int(jb, "bytes_lost", s->lost);
    json_int(jb, "errors", s->errors);
}

size_t event_to_json(const struct event *ev, char *out, size_t cap)
{
    struct jbuf jb;
    jbuf_init(&jb, out, cap);
    json_open(&jb);
    json_int(&jb, "v", EVENT_VERSION);
    json_int(&jb, "t_us", ev->t_us);
    json_str(&jb, "role", event_role_name(ev->role));
    json_int(&jb, "pid", ev->pid);
    json_str(&jb, "kind", event_kind_name(ev->kind));
    switch (ev->kind) {
    case EV_CALL:
        json_call(&jb, ev);
        break;
    case EV_MSG:
        json_msg(&jb, ev);
        break;
    case EV_STATE:
        json_str(&jb, "state", ev->state);
        json_str(&jb, "detail", ev->detail);
        break;
    case EV_STATS:
        json_stats(&jb, &ev->stats);
        break;
    case EV_EXIT:
        json_int(&jb, "status", ev->status);
        json_str(&jb, "reason", ev->detail);
        break;
    case EV_KIND_COUNT:
        break;
    }
    json_close(&jb);
    return jb.full ? 0 : jb.len;
}

/* ---- parsing ---- */

struct parse_ctx {
    struct event *ev;
    bool have_v, have_kind, have_role, bad;
};

static int name_index(const char *s, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* Integer fields, by name and offset, so the parser is one loop. */
#define INT_FIELD(name, member)                                                                    \
    {                                                                                              \
        name, offsetof(struct event, member)                                                       \
    }
static const struct {
    const char *name;
    size_t off;
} int_fields[] = {
    INT_FIELD("t_us", t_us),
    INT_FIELD("pid", pid),
    INT_FIELD("seq", seq),
    INT_FIELD("rc", rc),
    INT_FIELD("bytes", bytes),
    INT_FIELD("text_bytes", text_bytes),
    INT_FIELD("padding", padding),
    INT_FIELD("messages", messages),
    INT_FIELD("lost", lost),
    INT_FIELD("msgs_out", stats.msgs_out),
    INT_FIELD("msgs_in", stats.msgs_in),
    INT_FIELD("bytes_out", stats.bytes_out),
    INT_FIELD("bytes_in", stats.bytes_in),
    INT_FIELD("send_calls", stats.send_calls),
    INT_FIELD("recv_calls", stats.recv_calls),
    INT_FIELD("bytes_lost", stats.lost),
    INT_FIELD("errors", stats.errors),
};

#define STR_FIELD(name, member)                                                                    \
    {                                                                                              \
        name, offsetof(struct event, member), sizeof(((struct event *)0)->member)                  \
    }
static const struct {
    const char *name;
    size_t off, cap;
} str_fields[] = {
    STR_FIELD("call", call),     STR_FIELD("args", args),     STR_FIELD("errno", err),
    STR_FIELD("error", errtext), STR_FIELD("text", text),     STR_FIELD("peer", peer),
    STR_FIELD("state", state),   STR_FIELD("detail", detail), STR_FIELD("reason", detail),
    STR_FIELD("src", src),
};

static bool parse_enum(struct parse_ctx *c, const char *key, const char *s)
{
    struct event *ev = c->ev;
    int i;
    if (strcmp(key, "kind") == 0) {
        if ((i = name_index(s, kind_names, EV_KIND_COUNT)) < 0)
            return false;
        ev->kind = (enum ev_kind)i, c->have_kind = true;
    } else if (strcmp(key, "role") == 0) {
        if ((i = name_index(s, role_names, ROLE_COUNT)) < 0)
            return false;
        ev->role = (enum ev_role)i, c->have_role = true;
    } else if (strcmp(key, "phase") == 0) {
        if (strcmp(s, "enter") != 0 && strcmp(s, "exit") != 0)
            return false;
        ev->phase = s[1] == 'n' ? PHASE_ENTER : PHASE_EXIT;
    } else if (strcmp(key, "dir") == 0) {
        if (strcmp(s, "in") != 0 && strcmp(s, "out") != 0)
            return false;
        ev->out = s[0] == 'o';
    }
    return true;
}

static bool on_member(const char *key, const struct json_value *v, void *vctx)
{
    struct parse_ctx *c = vctx;
    char *base = (char *)c->ev;
    if (v->type == JSON_INT || v->type == JSON_BOOL) {
        if (strcmp(key, "v") == 0)
            c->have_v = v->num == EVENT_VERSION;
        else if (strcmp(key, "gated") == 0)
            c->ev->gated = v->num != 0;
        else if (strcmp(key, "status") == 0)
            c->ev->status = (int)v->num;
        for (size_t i = 0; i < sizeof int_fields / sizeof int_fields[0]; i++)
            if (strcmp(key, int_fields[i].name) == 0)
                memcpy(base + int_fields[i].off, &v->num, sizeof v->num);
        return true;
    }
    if (v->type != JSON_STRING)
        return true; /* null: leave the field empty */
    if (!parse_enum(c, key, v->str))
        return false;
    for (size_t i = 0; i < sizeof str_fields / sizeof str_fields[0]; i++)
        if (strcmp(key, str_fields[i].name) == 0)
            escape_bytes(v->str, v->len, base + str_fields[i].off, str_fields[i].cap, 0, NULL);
    return true;
}

int event_from_json(struct event *ev, const char *line, size_t n)
{
    struct parse_ctx c = {.ev = ev};
    memset(ev, 0, sizeof *ev);
    if (n > EVENT_LINE_MAX || json_parse_flat(line, n, on_member, &c) != 0)
        return -1;
    return c.have_v && c.have_kind && c.have_role ? 0 : -1;
}

/* ---- text ---- */

static size_t text_call(const struct event *ev, char *out, size_t cap)
{
    if (ev->phase == PHASE_ENTER)
        return 0;
    if (ev->err[0])
        return (size_t)snprintf(out, cap, "%s(%s) = %lld %s (%s)", ev->call, ev->args, ev->rc,
                                ev->err, ev->errtext);
    return (size_t)snprintf(out, cap, "%s(%s) = %lld", ev->call, ev->args, ev->rc);
}

static size_t text_msg(const struct event *ev, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s %s %lld bytes, text %lld, padding %lld: \"%s\"",
                     ev->out ? "->" : "<-", ev->out ? "sent" : "received", ev->bytes,
                     ev->text_bytes, ev->padding, ev->text);
    if (n >= 0 && (size_t)n < cap && ev->peer[0])
        n += snprintf(out + n, cap - (size_t)n, " %s %s", ev->out ? "to" : "from", ev->peer);
    if (n >= 0 && (size_t)n < cap && ev->lost > 0)
        n += snprintf(out + n, cap - (size_t)n, " (%lld bytes cut off and lost)", ev->lost);
    if (n >= 0 && (size_t)n < cap && ev->messages > 1)
        n += snprintf(out + n, cap - (size_t)n, " (%lld messages in one call)", ev->messages);
    return n < 0 ? 0 : (size_t)n;
}

size_t event_to_text(const struct event *ev, long long t0, char *out, size_t cap)
{
    /* A peer's time is untrusted: no overflow, whatever it says. */
    long long t;
    if (__builtin_sub_overflow(ev->t_us, t0, &t))
        t = ev->t_us < t0 ? LLONG_MIN : LLONG_MAX;
    unsigned long long mag = t < 0 ? 0ULL - (unsigned long long)t : (unsigned long long)t;
    char secs[32];
    snprintf(secs, sizeof secs, "%s%llu", t < 0 ? "-" : "", mag / 1000000);
    int head =
        snprintf(out, cap, "%4s.%06llu %-6s ", secs, mag % 1000000, event_role_name(ev->role));
    size_t n = 0;
    if (head < 0 || (size_t)head >= cap)
        return 0;
    char *body = out + head;
    size_t room = cap - (size_t)head;
    switch (ev->kind) {
    case EV_CALL:
        n = text_call(ev, body, room);
        break;
    case EV_MSG:
        n = text_msg(ev, body, room);
        break;
    case EV_STATE:
        n = (size_t)snprintf(body, room, "* %s: %s", ev->state, ev->detail);
        break;
    case EV_EXIT:
        n = (size_t)snprintf(body, room, "* exit %d: %s", ev->status, ev->detail);
        break;
    case EV_STATS:
    case EV_KIND_COUNT:
        break;
    }
    if (n == 0)
        return 0;
    n += (size_t)head;
    return n < cap ? n : cap - 1;
}
