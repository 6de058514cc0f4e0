/* session: events to pane lines, states and totals (see session.h). */
#include "session.h"

#include "escape.h"

#include <stdio.h>
#include <string.h>

void session_reset(struct session *s, enum sock_mode mode)
{
    memset(s, 0, sizeof *s);
    s->mode = mode;
    for (int r = 0; r < ROLE_COUNT; r++)
        s->side[r].pending = -1;
}

void session_started(struct session *s, enum ev_role role, long long pid)
{
    s->side[role].pid = pid;
    s->side[role].started = true;
}

/* Line number n of a side, while the ring still holds it. */
static const struct pane_line *line_get(const struct side_view *v, long long n)
{
    if (n < 0 || n >= v->total || n < v->total - SESSION_LINES)
        return NULL;
    return &v->lines[n % SESSION_LINES];
}

static struct pane_line *line_at(struct side_view *v, long long n)
{
    return (struct pane_line *)line_get(v, n);
}

static struct pane_line *add_line(struct side_view *v, enum line_kind kind)
{
    struct pane_line *l = &v->lines[v->total % SESSION_LINES];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    v->total++;
    return l;
}

static bool is_call(const char *call, const char *a, const char *b)
{
    return strcmp(call, a) == 0 || strcmp(call, b) == 0;
}

/* A finished call: what it adds to the side's counters. */
static void count_call(struct ev_stats *st, const struct event *ev)
{
    if (is_call(ev->call, "send", "sendto")) {
        st->send_calls++;
        if (ev->rc > 0)
            st->bytes_out += ev->rc;
    } else if (is_call(ev->call, "recv", "recvfrom")) {
        st->recv_calls++;
    }
    if (ev->err[0] && strcmp(ev->err, "EINTR") != 0)
        st->errors++;
}

static void on_call(struct side_view *v, const struct event *ev)
{
    struct pane_line *l;
    if (ev->phase == PHASE_ENTER) {
        l = add_line(v, LINE_CALL);
        l->status = ev->gated ? CALL_NEXT : CALL_RUNNING;
        l->seq = ev->seq;
        snprintf(l->call, sizeof l->call, "%s", ev->call);
        snprintf(l->text, sizeof l->text, "%s", ev->args);
        snprintf(l->src, sizeof l->src, "%s", ev->src);
        v->pending = v->total - 1;
        v->at_gate = ev->gated;
        v->stepped = false;
        return;
    }
    l = line_at(v, v->pending);
    if (!l || l->seq != ev->seq) { /* its enter was lost: show the result anyway */
        l = add_line(v, LINE_CALL);
        l->seq = ev->seq;
        snprintf(l->call, sizeof l->call, "%s", ev->call);
        snprintf(l->text, sizeof l->text, "%s", ev->args);
    }
    count_call(&v->stats, ev);
    snprintf(v->last_call, sizeof v->last_call, "%s", ev->call);
    l->rc = ev->rc;
    l->status = ev->err[0] ? CALL_FAILED : CALL_DONE;
    snprintf(l->err, sizeof l->err, "%s", ev->err);
    v->pending = -1;
    v->at_gate = v->stepped = false;
}

static void on_msg(struct side_view *v, const struct event *ev)
{
    struct pane_line *l = add_line(v, LINE_MSG);
    l->out = ev->out;
    l->bytes = ev->bytes;
    l->text_bytes = ev->text_bytes;
    l->padding = ev->padding;
    l->messages = ev->messages;
    l->lost = ev->lost;
    snprintf(l->call, sizeof l->call, "%s", ev->call);
    utf8_copy(l->text, sizeof l->text, ev->text);
    utf8_copy(l->peer, sizeof l->peer, ev->peer);
    if (ev->out) {
        v->stats.msgs_out += ev->messages;
    } else {
        v->stats.msgs_in += ev->messages;
        v->stats.bytes_in += ev->bytes;
        v->stats.lost += ev->lost;
    }
}

/* States the header already says, or that the message line before them
 * says already ("part of a msg", "1008 lost"): no note of their own. */
static bool quiet_state(const char *state)
{
    static const char *const quiet[] = {"started", "waiting", "partial", "truncated"};
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
        if (strcmp(state, quiet[i]) == 0)
            return true;
    return false;
}

static void on_state(struct side_view *v, const struct event *ev)
{
    if (strcmp(ev->state, "skipped") == 0) {
        struct pane_line *l = line_at(v, v->pending);
        if (l)
            l->status = CALL_SKIPPED;
        v->pending = -1;
        v->at_gate = v->stepped = false;
    } else {
        snprintf(v->state, sizeof v->state, "%s", ev->state);
    }
    if (!quiet_state(ev->state)) {
        struct pane_line *l = add_line(v, LINE_NOTE);
        snprintf(l->call, sizeof l->call, "%s", ev->state);
        snprintf(l->text, sizeof l->text, "%s", ev->detail);
    }
}

bool session_apply(struct session *s, const struct event *ev)
{
    struct side_view *v = &s->side[ev->role];
    if (!v->started || ev->pid != v->pid)
        return false; /* a line from a process that is not this run's */
    switch (ev->kind) {
    case EV_CALL:
        on_call(v, ev);
        return true;
    case EV_MSG:
        on_msg(v, ev);
        return true;
    case EV_STATE:
        on_state(v, ev);
        return true;
    case EV_STATS:
        v->reported = ev->stats;
        return false;
    case EV_EXIT: {
        struct pane_line *l = add_line(v, LINE_EXIT);
        l->rc = ev->status;
        snprintf(l->text, sizeof l->text, "%s", ev->detail);
        return true;
    }
    default:
        return false;
    }
}

void session_stepped(struct session *s, enum ev_role role, long long now_us)
{
    struct side_view *v = &s->side[role];
    struct pane_line *l = line_at(v, v->pending);
    v->stepped = true;
    v->stepped_us = now_us;
    if (l && l->status == CALL_NEXT)
        l->status = CALL_RUNNING;
}

void session_ended(struct session *s, enum ev_role role, const char *how)
{
    struct side_view *v = &s->side[role];
    struct pane_line *l = line_at(v, v->pending);
    v->ended = true;
    snprintf(v->ended_how, sizeof v->ended_how, "%s", how);
    if (l && l->status == CALL_NEXT)
        l->status = CALL_SKIPPED; /* it died before making the call */
    else if (l && l->status == CALL_RUNNING)
        l->status = CALL_CUT_OFF; /* it died inside the call: no result ever came */
    v->pending = -1;
    v->at_gate = v->stepped = false;
}

bool session_at_gate(const struct session *s, enum ev_role role)
{
    const struct side_view *v = &s->side[role];
    return v->started && !v->ended && v->pending >= 0 && v->at_gate && !v->stepped;
}

bool session_call_waits(const char *call)
{
    return strcmp(call, "accept") == 0 || strcmp(call, "poll") == 0 || strcmp(call, "recv") == 0 ||
           strcmp(call, "recvfrom") == 0;
}

/* Is the side still on its way to its next gate? Between two calls, or
 * inside one that does not wait for the other side (bind, listen, send...),
 * it is: moving the client while the server is on its way would race it (a
 * connect() before its listen() is refused). */
static bool settling(const struct side_view *v, long long now_us)
{
    return v->pending >= 0 && v->stepped && now_us - v->stepped_us < SESSION_SETTLE_US;
}

static bool on_its_way(const struct session *s, enum ev_role role, long long now_us)
{
    const struct side_view *v = &s->side[role];
    const char *call = session_pending_call(s, role);
    if (!v->started || v->ended || session_at_gate(s, role))
        return false;
    return !call || !session_call_waits(call) || settling(v, now_us);
}

/* A client in the middle of a burst (it has just sent, and sends again
 * next) goes before a server that would read: a program that sends back to
 * back does not wait for its reader, and that is what --burst shows. */
static bool client_sending_on(const struct session *s)
{
    const char *server = session_pending_call(s, ROLE_SERVER);
    const char *client = session_pending_call(s, ROLE_CLIENT);
    const char *last = s->side[ROLE_CLIENT].last_call;
    return session_at_gate(s, ROLE_SERVER) && session_at_gate(s, ROLE_CLIENT) && server &&
           client && is_call(server, "recv", "recvfrom") && is_call(client, "send", "sendto") &&
           is_call(last, "send", "sendto");
}

int session_whose_turn(const struct session *s, long long now_us)
{
    if (client_sending_on(s))
        return ROLE_CLIENT;
    if (session_at_gate(s, ROLE_SERVER))
        return ROLE_SERVER;
    if (on_its_way(s, ROLE_SERVER, now_us))
        return TURN_WAIT;
    if (session_at_gate(s, ROLE_CLIENT))
        return ROLE_CLIENT;
    if (on_its_way(s, ROLE_CLIENT, now_us))
        return TURN_WAIT;
    return TURN_NONE;
}

long long session_settles_at(const struct session *s, long long now_us)
{
    long long at = -1;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct side_view *v = &s->side[r];
        if (!v->ended && settling(v, now_us) && (at < 0 || v->stepped_us + SESSION_SETTLE_US < at))
            at = v->stepped_us + SESSION_SETTLE_US;
    }
    return at;
}

const char *session_focus(const struct session *s, long long now_us, enum ev_role *role)
{
    int who = session_whose_turn(s, now_us);
    if (who >= 0) {
        *role = (enum ev_role)who;
        return session_pending_call(s, *role);
    }
    for (int r = 0; r < ROLE_COUNT; r++) {
        const char *call = session_pending_call(s, (enum ev_role)r);
        if (call) {
            *role = (enum ev_role)r;
            return call;
        }
    }
    return NULL;
}

const struct pane_line *session_pending_line(const struct session *s, enum ev_role role)
{
    return line_get(&s->side[role], s->side[role].pending);
}

const char *session_pending_call(const struct session *s, enum ev_role role)
{
    const struct side_view *v = &s->side[role];
    const struct pane_line *l = line_get(v, v->pending);
    return l ? l->call : NULL;
}

long long session_exchanges(const struct session *s)
{
    return s->side[ROLE_CLIENT].stats.msgs_in;
}

static const char *readable_state(const char *state)
{
    static const struct {
        const char *state, *text;
    } names[] = {
        {"listening", "listening"},          {"ready", "bound, no connection"},
        {"waiting", "waiting for a client"}, {"connected", "connected"},
        {"peer-closed", "peer closed"},      {"peer-error", "peer gone"},
        {"partial", "part of a message"},    {"truncated", "datagram cut short"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(state, names[i].state) == 0)
            return names[i].text;
    return "";
}

const char *session_side_status(const struct session *s, enum ev_role role, char *buf, size_t cap)
{
    const struct side_view *v = &s->side[role];
    const struct pane_line *l = line_get(v, v->pending);
    const char *state = readable_state(v->state);
    const char *sep = state[0] ? ", " : "";
    if (!v->started)
        snprintf(buf, cap, "not running");
    else if (v->ended)
        snprintf(buf, cap, "%s", v->ended_how);
    else if (l && l->status == CALL_NEXT)
        snprintf(buf, cap, "next: %s()%s%s", l->call, sep, state);
    else if (l)
        snprintf(buf, cap, "blocked in %s()%s%s", l->call, sep, state);
    else
        snprintf(buf, cap, "%s", state[0] ? state : "starting");
    return buf;
}

size_t session_line_count(const struct session *s, enum ev_role role)
{
    const struct side_view *v = &s->side[role];
    return (size_t)(v->total < SESSION_LINES ? v->total : SESSION_LINES);
}

const struct pane_line *session_line(const struct session *s, enum ev_role role, size_t i)
{
    const struct side_view *v = &s->side[role];
    long long first = v->total - (long long)session_line_count(s, role);
    return line_get(v, first + (long long)i);
}
