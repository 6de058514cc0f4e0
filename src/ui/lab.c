/* lab: peers, events and gates behind the lab screen (see lab.h). */
#include "lab.h"

#include "../core/clock.h"
#include "../core/lessons.h"
#include "../proc/peer_link.h"
#include "../proc/sockdir.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLOSE_RETRY_US 500000 /* a finish signal may land just before a blocking call */
#define CLOSE_RETRIES  5
#define KVIEW_US       250000 /* the kernel's view is read this often while shown */

/* The peers' pids and the open lab, for the crash handler. */
static volatile pid_t crash_pids[ROLE_COUNT];
static struct lab *volatile crash_lab;
static char crash_pid_file[SOCK_PATH_MAX + 16];

/* Async-signal-safe, as lab_close does it: SIGTERM (a peer removes its
 * socket file), up to 300 ms for the peers to go, then SIGKILL; then the
 * files and the directory. */
void lab_crash_cleanup(void)
{
    const struct timespec tick = {0, 10 * 1000 * 1000};
    for (int r = 0; r < ROLE_COUNT; r++)
        if (crash_pids[r] > 0)
            kill(crash_pids[r], SIGTERM);
    for (int i = 0; i < 30; i++) {
        bool left = false;
        for (int r = 0; r < ROLE_COUNT; r++) {
            if (crash_pids[r] > 0 && waitpid(crash_pids[r], NULL, WNOHANG) == 0)
                left = true;
            else
                crash_pids[r] = 0;
        }
        if (!left)
            break;
        nanosleep(&tick, NULL);
    }
    for (int r = 0; r < ROLE_COUNT; r++)
        if (crash_pids[r] > 0) {
            kill(crash_pids[r], SIGKILL);
            waitpid(crash_pids[r], NULL, 0);
            crash_pids[r] = 0;
        }
    struct lab *l = crash_lab;
    if (l) {
        for (int r = 0; r < ROLE_COUNT; r++)
            unlink(l->path[r]);
        unlink(crash_pid_file);
        rmdir(l->dir);
    }
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
                                   .pad = l->pad,
                                   .buffer = l->buffer,
                                   .interval = 0,
                                   .burst = l->burst};
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
    l->auto_run = l->closing = l->kill_prompt = l->drove = false;
    l->target = 0;
    l->scroll = 0;
    l->started_us = l->rate_t_us = clock_now_us();
    l->rate_base = 0;
    l->rate = 0;
    l->close_signals = 0;
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
    l->burst = 1;
    l->buffer = DEFAULT_BUFFER;
    l->pad = DEFAULT_PAD;
    if (sockdir_private(l->dir, sizeof l->dir, err, errcap) != 0)
        return -1;
    set_paths(l);
    sockdir_join(crash_pid_file, sizeof crash_pid_file, l->dir, SOCKDIR_PID_FILE);
    crash_lab = l;
    if (start_peers(l, err, errcap) != 0) {
        stop_peers(l);
        crash_lab = NULL;
        sockdir_remove(l->dir);
        return -1;
    }
    return 0;
}

void lab_close(struct lab *l)
{
    experiment_stop(&l->exp);
    stop_peers(l);
    crash_lab = NULL;
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
    peer_link_read(&l->proc[role], &l->lines[role], role, take_event, &rd, &l->session.bad_lines);
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
    session_stepped(&l->session, (enum ev_role)role, clock_now_us());
    return true;
}

/* A server blocked in the kernel waiting for a NEW client or datagram
 * (accept, or a datagram server's recvfrom) hears no gate: only a signal
 * reaches it there. Not poll(): a stream server in poll() still has a
 * client, whose close will wake it, so that it makes its recv() and the
 * student sees it return 0. */
static bool blocked_waiting_for_new(const struct session *s)
{
    const struct side_view *v = &s->side[ROLE_SERVER];
    const char *call = session_pending_call(s, ROLE_SERVER);
    if (!call || v->ended || session_at_gate(s, ROLE_SERVER))
        return false;
    return strcmp(call, "accept") == 0 || (s->mode == MODE_DGRAM && strcmp(call, "recvfrom") == 0);
}

/* The close row. Both sides were told at c (GATE_FINISH on their gates):
 * the client makes no new exchange and closes once its reply is in; the
 * server takes no new client and closes each accepted socket when its
 * client has gone, then the listening one. What is left here: once the
 * client has gone, a server blocked waiting for a new client is woken with
 * SIGUSR1 (its call returns EINTR for real). The signal is sent again if
 * it landed just before the call began. */
static void drive_close(struct lab *l, long long now)
{
    const struct session *s = &l->session;
    bool client_gone = s->side[ROLE_CLIENT].ended;
    if (client_gone && blocked_waiting_for_new(s) && l->close_signals < CLOSE_RETRIES &&
        (l->close_signals == 0 || now - l->close_signalled_us >= CLOSE_RETRY_US) &&
        spawn_signal(&l->proc[ROLE_SERVER], SIGUSR1) == 0) {
        l->close_signals++;
        l->close_signalled_us = now;
    }
    if (client_gone && s->side[ROLE_SERVER].ended)
        l->closing = false;
}

/* Is the client at its gate with a call in this list? */
static bool client_next_is(const struct session *s, const char *const calls[])
{
    const char *next = session_pending_call(s, ROLE_CLIENT);
    if (!next || !session_at_gate(s, ROLE_CLIENT))
        return false;
    for (int i = 0; calls[i]; i++)
        if (strcmp(next, calls[i]) == 0)
            return true;
    return false;
}

/* Must the server's call, let go, wait for the client? Known from the
 * events alone, with no need to give it SESSION_SETTLE_US to return, when
 * the client waits at its gate (it does nothing until we say) and has left
 * nothing for that call to take: an accept() while the client has not yet
 * connected, a datagram server's recvfrom() once every datagram the client
 * sent has been received. (A stream server's recv() follows its poll(),
 * which said there is something to take.) Then the call blocks for sure,
 * and the client's turn has come. */
static bool server_must_wait(const struct session *s)
{
    static const char *const before_connect[] = {"socket", "bind", "connect", NULL};
    const struct side_view *server = &s->side[ROLE_SERVER], *client = &s->side[ROLE_CLIENT];
    const char *call = session_pending_call(s, ROLE_SERVER);
    if (!call || server->ended || !server->stepped)
        return false;
    if (strcmp(call, "accept") == 0)
        return client_next_is(s, before_connect);
    if (s->mode == MODE_DGRAM && strcmp(call, "recvfrom") == 0)
        return session_at_gate(s, ROLE_CLIENT) && client->stats.msgs_out == server->stats.msgs_in;
    return false;
}

/* The side a driven exchange moves now, or a TURN_ value: the turn Space
 * would take, except that a server call known to wait for the client
 * (above) hands the turn to the client at once, without a settling time.
 * So a burst goes on as soon as each event that lets it arrives. */
static int driven_turn(const struct session *s, long long now)
{
    int who = session_whose_turn(s, now);
    if (who == TURN_WAIT && server_must_wait(s))
        who = ROLE_CLIENT;
    return who;
}

bool lab_drive(struct lab *l, long long now)
{
    struct session *s = &l->session;
    if (l->closing) {
        drive_close(l, now);
        return l->auto_run && step(l, session_whose_turn(s, now));
    }
    if (l->auto_run && session_exchanges(s) >= l->target && now >= l->next_auto_us)
        l->target = session_exchanges(s) + 1;
    if (session_exchanges(s) < l->target) {
        /* Each side at most once: a side let go sends its next event
         * before it can be moved again, and that event calls us back. */
        bool stepped = false;
        l->drove = true;
        for (int i = 0; i < ROLE_COUNT && step(l, driven_turn(s, now)); i++)
            stepped = true;
        return stepped;
    }
    /* Once a driven exchange is done, a datagram server is let into its next
     * recvfrom(), as a stream server is already in poll(): it waits for the
     * next message, the same on every run, whichever report came first. */
    const char *call = session_pending_call(s, ROLE_SERVER);
    if (l->drove && l->mode == MODE_DGRAM && call && strcmp(call, "recvfrom") == 0 &&
        session_whose_turn(s, now) == ROLE_SERVER)
        return step(l, ROLE_SERVER);
    return false;
}

/* The sooner of a wake-up time (-1: none yet) and a delay (past due: 0). */
static long long sooner(long long a, long long delay)
{
    if (delay < 0)
        delay = 0;
    return a < 0 || delay < a ? delay : a;
}

long long lab_wakeup(const struct lab *l, long long now)
{
    long long wake = -1, settle = session_settles_at(&l->session, now);
    if (l->kernel_view)
        wake = sooner(wake, l->kview_us + KVIEW_US - now);
    if (settle >= 0) /* the turn may change then: look again */
        wake = sooner(wake, settle - now);
    if (l->closing && l->close_signals > 0)
        wake = sooner(wake, CLOSE_RETRY_US);
    if (l->auto_run && session_exchanges(&l->session) >= l->target)
        wake = sooner(wake, l->next_auto_us - now);
    return wake;
}

long long lab_to_go(const struct lab *l)
{
    long long have = session_exchanges(&l->session);
    return l->target > have ? l->target - have : 0;
}

bool lab_busy(const struct lab *l)
{
    return l->auto_run || l->closing || lab_to_go(l) > 0;
}

static bool read_kernel_view(struct lab *l, long long now)
{
    int pids[ROLE_COUNT], n = 0;
    if (!l->kernel_view || now - l->kview_us < KVIEW_US)
        return false;
    for (int r = 0; r < ROLE_COUNT; r++)
        if (l->proc[r].pid > 0 && !l->proc[r].reaped)
            pids[n++] = l->proc[r].pid;
    l->nksock = kview_collect(pids, n, l->ksock, (int)(sizeof l->ksock / sizeof l->ksock[0]));
    l->kview_us = now;
    return true;
}

bool lab_tick(struct lab *l, long long now)
{
    bool changed = read_kernel_view(l, now);
    long long dt = now - l->rate_t_us;
    if (dt < 1000000)
        return changed;
    long long n = session_exchanges(&l->session);
    l->rate = (double)(n - l->rate_base) * 1e6 / (double)dt;
    l->rate_base = n;
    l->rate_t_us = now;
    return true;
}

/* "blocked in accept()", "exited 0": a side, in a few words. */
static const char *side_words(const struct session *s, enum ev_role r, char *buf, size_t cap)
{
    const struct side_view *v = &s->side[r];
    const char *call = session_pending_call(s, r);
    char named[EVENT_NAME_MAX + 4];
    snprintf(named, sizeof named, "%s()", call ? call : "");
    if (v->ended)
        snprintf(buf, cap, "%s", v->ended_how);
    else if (call)
        ui_fill(buf, cap, "head.blocked", (const char *const[]){"call", named, NULL});
    else
        ui_fill(buf, cap, "notice.running", NULL);
    return buf;
}

/* Why Space cannot move anybody, from the sides' states. */
static void say_nobody_moves(struct lab *l)
{
    const struct session *s = &l->session;
    char a[64], b[64];
    if (s->side[ROLE_SERVER].ended && s->side[ROLE_CLIENT].ended) {
        notice(l, ui_text("notice.both-exited"));
        return;
    }
    ui_fill(l->notice, sizeof l->notice, "notice.nobody-moves",
            (const char *const[]){"server", side_words(s, ROLE_SERVER, a, sizeof a), "client",
                                  side_words(s, ROLE_CLIENT, b, sizeof b), NULL});
}

enum key_result lab_step_next(struct lab *l, bool patient)
{
    int who = session_whose_turn(&l->session, clock_now_us());
    l->scroll = 0; /* Space always shows the newest lines, where the step happens */
    l->drove = false;
    if (who == TURN_WAIT && patient)
        return KEY_LATER;
    if (who < 0 || !step(l, who))
        say_nobody_moves(l);
    return KEY_DONE;
}

enum key_result lab_step_side(struct lab *l, enum ev_role role, bool patient)
{
    const struct side_view *v = &l->session.side[role];
    l->scroll = 0;
    l->drove = false;
    if (step(l, role))
        return KEY_DONE;
    if (patient && v->started && !v->ended && !session_pending_call(&l->session, role))
        return KEY_LATER; /* between two calls: its next gate is a moment away */
    ui_fill(l->notice, sizeof l->notice,
            role == ROLE_SERVER ? (v->ended ? "notice.server-exited" : "notice.server-busy")
                                : (v->ended ? "notice.client-exited" : "notice.client-busy"),
            NULL);
    return KEY_DONE;
}

const char *lab_status(const struct lab *l, char *buf, size_t cap)
{
    const struct session *s = &l->session;
    bool server_gone = s->side[ROLE_SERVER].ended, client_gone = s->side[ROLE_CLIENT].ended;
    buf[0] = '\0';
    if (server_gone && client_gone)
        ui_fill(buf, cap, "notice.both-exited", NULL);
    else if (l->closing)
        ui_fill(buf, cap, "notice.closing", NULL);
    else if (server_gone || client_gone)
        ui_fill(buf, cap, server_gone ? "notice.server-gone" : "notice.client-gone", NULL);
    return buf;
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

/* Can the client still start exchanges? Says why not when it cannot. */
static bool can_exchange(struct lab *l, const char *what)
{
    const struct session *s = &l->session;
    const char *gone = s->side[ROLE_CLIENT].ended   ? "notice.why-client-exited"
                       : s->side[ROLE_SERVER].ended ? "notice.why-server-exited"
                       : l->closing                 ? "notice.why-closing"
                                                    : NULL;
    if (gone)
        ui_fill(l->notice, sizeof l->notice, "notice.needs-both",
                (const char *const[]){"what", ui_text(what), "why", ui_text(gone), NULL});
    return gone == NULL;
}

void lab_toggle_auto(struct lab *l, long long now)
{
    if (!l->auto_run && !can_exchange(l, "notice.what-auto"))
        return;
    l->auto_run = !l->auto_run;
    l->next_auto_us = now;
    /* Stopping: the exchange under way still finishes (lock-step: every
     * message the client sent gets its reply), so the sides agree. */
    l->target = l->session.side[ROLE_CLIENT].stats.msgs_out;
}

void lab_change_speed(struct lab *l, bool faster)
{
    double v = faster ? l->interval / 2 : l->interval * 2;
    if (v < 0.015625)
        v = 0.015625;
    if (v > 8)
        v = 8;
    l->interval = v;
}

void lab_send(struct lab *l, int exchanges)
{
    long long have = session_exchanges(&l->session);
    if (!can_exchange(l, exchanges == 1 ? "notice.what-exchange" : "notice.what-burst"))
        return;
    l->target = (l->target > have ? l->target : have) + exchanges;
}

void lab_start_close(struct lab *l)
{
    if (l->closing)
        return;
    l->closing = true;
    l->close_signals = 0;
    l->target = session_exchanges(&l->session);
    for (int r = 0; r < ROLE_COUNT; r++)
        spawn_gate_finish(&l->proc[r]); /* read before its next call: nothing is cut short */
}

void lab_kill(struct lab *l, enum ev_role role)
{
    l->kill_prompt = false;
    if (spawn_signal(&l->proc[role], SIGKILL) == 0)
        notice(l, ui_text(role == ROLE_SERVER ? "notice.server-killed" : "notice.client-killed"));
    else
        notice(l, ui_text("notice.not-running"));
}

/* New flags for the peers: start them again, at the same pace. */
static void restart_with(struct lab *l)
{
    bool was_auto = l->auto_run;
    lab_restart(l);
    l->auto_run = was_auto;
    l->next_auto_us = clock_now_us();
}

void lab_set_burst(struct lab *l, long long n)
{
    l->burst = l->burst == n ? 1 : n;
    restart_with(l);
}

void lab_scale_buffer(struct lab *l, bool up)
{
    long long b = up ? l->buffer * 2 : l->buffer / 2;
    if (b < 16 || b > 65536) {
        char n[24];
        snprintf(n, sizeof n, "%lld", l->buffer);
        ui_fill(l->notice, sizeof l->notice, "notice.buffer-limits",
                (const char *const[]){"now", n, NULL});
        return;
    }
    l->buffer = b;
    restart_with(l);
}

void lab_toggle_pad(struct lab *l)
{
    l->pad = l->pad ? 0 : DEFAULT_PAD;
    restart_with(l);
}

const char *lab_settings(const struct lab *l, char *buf, size_t cap)
{
    char n[24], part[96];
    size_t o = 0;
    buf[0] = '\0';
    if (l->burst > 1) {
        snprintf(n, sizeof n, "%lld", l->burst);
        ui_fill(part, sizeof part, "settings.burst", (const char *const[]){"n", n, NULL});
        o += (size_t)snprintf(buf + o, cap - o, "%s", part);
    }
    if (l->buffer != DEFAULT_BUFFER && o < cap) {
        snprintf(n, sizeof n, "%lld", l->buffer);
        ui_fill(part, sizeof part, "settings.buffer", (const char *const[]){"n", n, NULL});
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", o ? ", " : "", part);
    }
    if (l->pad != DEFAULT_PAD && o < cap)
        snprintf(buf + o, cap - o, "%s%s", o ? ", " : "", ui_text("settings.no-pad"));
    return buf;
}

bool lab_in_experiment(const struct lab *l)
{
    return l->exp.menu || l->exp.running;
}

void lab_experiment_key(struct lab *l, int ch)
{
    bool start, was_running = l->exp.running;
    bool left = experiment_key(&l->exp, ch, l->mode, &start);
    if (start) {
        stop_peers(l); /* the run's own peers take their place */
        experiment_start(&l->exp);
    }
    if (left && was_running)
        lab_restart(l);
}

void lab_scroll(struct lab *l, int delta)
{
    long long most = 0;
    for (int r = 0; r < ROLE_COUNT; r++) {
        long long n = (long long)session_line_count(&l->session, (enum ev_role)r);
        most = n > most ? n : most;
    }
    long long v = (long long)l->scroll + delta;
    l->scroll = (int)(v < 0 ? 0 : v > most - 1 ? (most > 0 ? most - 1 : 0) : v);
}

void lab_toggle_lang(struct lab *l)
{
    char err[512];
    const char *next = strcmp(lessons_lang(), "th") == 0 ? "en" : "th";
    if (!lessons_dir()[0]) {
        notice(l, ui_text("notice.no-lessons"));
        return;
    }
    if (lessons_use(lessons_dir(), next, err, sizeof err) != 0)
        snprintf(l->notice, sizeof l->notice, "%s", err); /* English stays */
}
