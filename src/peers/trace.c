/* trace: real calls, reported before and after, behind an optional gate. */
#include "trace.h"

#include "../core/clock.h"
#include "../core/escape.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* One peer process traces one side, so its state is the module's own. */
static struct {
    enum ev_role role;
    long long pid;
    int out_fd; /* event fd, or stdout */
    bool json;
    bool standalone; /* no parent reads our events: failures also go to stderr */
    int gate_fd;     /* -1 once open or when there is none */
    long long seq;
    long long t0;
    struct ev_stats stats;
    volatile sig_atomic_t exited;    /* the exit is reported: say nothing more */
    volatile sig_atomic_t finishing; /* SIGUSR1 came: wind down */
} T = {.out_fd = 1, .gate_fd = -1};

void trace_init(enum ev_role role, const struct options *o)
{
    T.role = role;
    T.pid = getpid();
    T.out_fd = o->event_fd >= 0 ? o->event_fd : 1;
    T.json = o->event_fd >= 0 || o->format == FORMAT_JSONL;
    T.standalone = o->event_fd < 0;
    T.gate_fd = o->gate_fd;
    T.t0 = clock_now_us();
}

/* write() until all of it is out; a line is short, so this is one call. */
static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w == -1 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* nobody listens any more: events are best effort */
        p += w, n -= (size_t)w;
    }
}

static void emit(struct event *ev)
{
    char line[EVENT_LINE_MAX];
    size_t n;
    int saved = errno;
    ev->t_us = clock_now_us();
    ev->role = T.role;
    ev->pid = T.pid;
    if (T.json) {
        n = event_to_json(ev, line, sizeof line);
    } else {
        n = event_to_text(ev, T.t0, line, sizeof line - 1);
        if (n)
            line[n++] = '\n';
    }
    if (n)
        write_all(T.out_fd, line, n);
    errno = saved;
}

/* Waits at the gate until the call may go (returns true) or must be left
 * out because the side is finishing (false). GATE_GO lets the call happen;
 * GATE_FINISH says "wind down": a call this side leaves out when finishing
 * is then not made, any other call goes on waiting for its GATE_GO. End of
 * file opens the gate for good. */
static bool gate_wait(bool skippable)
{
    char b;
    while (T.gate_fd >= 0) {
        if (skippable && T.finishing)
            return false;
        ssize_t r = read(T.gate_fd, &b, 1);
        if (r == 1 && b == GATE_FINISH)
            T.finishing = 1;
        else if (r == 1)
            return true;
        else if (!(r == -1 && errno == EINTR)) {
            close(T.gate_fd);
            T.gate_fd = -1;
        }
    }
    return !(skippable && T.finishing);
}

static void call_event(struct event *ev, const char *name, const char *args)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = EV_CALL;
    ev->seq = T.seq;
    snprintf(ev->call, sizeof ev->call, "%s", name);
    event_set(ev->args, sizeof ev->args, args);
}

static void on_finish(int sig)
{
    (void)sig;
    T.finishing = 1;
}

void trace_catch_finish(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_finish; /* no SA_RESTART: a blocked call returns EINTR */
    sigaction(SIGUSR1, &sa, NULL);
}

bool trace_finishing(void)
{
    return T.finishing != 0;
}

/* Reports the call about to be made and waits at the gate. Returns false,
 * with errno ECANCELED, when the call must not be made: the side is
 * finishing and this is a call it leaves out then. Asked before the call
 * was announced, nothing is reported; asked while it waited at the gate,
 * its line says it was not made. file and line say where the peer makes
 * the call (its "src": "stream_server.c:57"). */
static bool enter(const char *file, int line, const char *name, const char *args, bool gated,
                  bool skippable)
{
    struct event ev;
    errno = ECANCELED;
    if (skippable && T.finishing)
        return false;
    T.seq++;
    call_event(&ev, name, args);
    ev.phase = PHASE_ENTER;
    ev.gated = gated && T.gate_fd >= 0;
    const char *base = strrchr(file, '/');
    snprintf(ev.src, sizeof ev.src, "%s:%d", base ? base + 1 : file, line);
    emit(&ev);
    if ((gated && !gate_wait(skippable)) || (skippable && T.finishing)) {
        trace_state("skipped", "%s() left out: this side is closing", name);
        errno = ECANCELED;
        return false;
    }
    return true;
}

/* The calls that begin something new, which a finishing side leaves out:
 * a client's connect() and its next message; a server's wait for a new
 * client (accept) or a new datagram (recvfrom). A reply still goes out and
 * a recv() still reads what is there, so the other side sees the close. */
static bool begins_new(const char *call)
{
    if (T.role == ROLE_CLIENT)
        return strcmp(call, "connect") == 0 || strcmp(call, "send") == 0 ||
               strcmp(call, "sendto") == 0;
    return strcmp(call, "accept") == 0 || strcmp(call, "recvfrom") == 0;
}

/* Reports the result; rc and errno as the call left them. */
static long long leave(const char *name, const char *args, long long rc, int err)
{
    struct event ev;
    call_event(&ev, name, args);
    ev.phase = PHASE_EXIT;
    ev.rc = rc;
    if (rc == -1) {
        /* EINTR is a signal stopping the call (the lab's close request), not
         * a failure of the call: it is reported, not counted. */
        if (err != EINTR)
            T.stats.errors++;
        snprintf(ev.err, sizeof ev.err, "%s", errno_name(err));
        snprintf(ev.errtext, sizeof ev.errtext, "%s", strerror(err));
    }
    emit(&ev);
    errno = err;
    return rc;
}

static void quote_path(char *out, size_t cap, const struct sockaddr_un *a)
{
    snprintf(out, cap, "\"%s\"", a->sun_path);
}

int traced_socket_at(const char *file, int line, int domain, int type)
{
    const char *args = type == SOCK_STREAM ? "AF_UNIX, SOCK_STREAM, 0" : "AF_UNIX, SOCK_DGRAM, 0";
    enter(file, line, "socket", args, true, false);
    int fd = socket(domain, type, 0);
    return (int)leave("socket", args, fd, errno);
}

/* Blocks (SIG_BLOCK) or lets in (SIG_UNBLOCK) the signals that stop a side. */
static void hold_stops(int how)
{
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGHUP);
    sigprocmask(how, &stops, NULL);
}

int traced_bind_at(const char *file, int line, int fd, const struct sockaddr_un *addr)
{
    char args[EVENT_ARGS_MAX], path[EVENT_PATH_MAX + 2];
    quote_path(path, sizeof path, addr);
    snprintf(args, sizeof args, "%d, %s", fd, path);
    enter(file, line, "bind", args, true, false);
    /* A stop signal between bind() making the file and the side noting it
     * as its own would leave a file nobody removes: the stop signals wait
     * until trace_bound() (peer_own_path() calls it), or a failed bind(). */
    hold_stops(SIG_BLOCK);
    int rc = bind(fd, (const struct sockaddr *)addr, sizeof *addr);
    int err = errno;
    if (rc == -1)
        trace_bound();
    return (int)leave("bind", args, rc, err);
}

void trace_bound(void)
{
    hold_stops(SIG_UNBLOCK);
}

int traced_listen_at(const char *file, int line, int fd, int backlog)
{
    char args[32];
    snprintf(args, sizeof args, "%d, %d", fd, backlog);
    enter(file, line, "listen", args, true, false);
    int rc = listen(fd, backlog);
    return (int)leave("listen", args, rc, errno);
}

int traced_accept_at(const char *file, int line, int fd, struct sockaddr_un *peer)
{
    char args[32];
    socklen_t len = sizeof *peer;
    snprintf(args, sizeof args, "%d, &peer, &len", fd);
    if (peer)
        memset(peer, 0, sizeof *peer);
    if (!enter(file, line, "accept", args, true, begins_new("accept")))
        return -1;
    int rc = accept(fd, (struct sockaddr *)peer, peer ? &len : NULL);
    return (int)leave("accept", args, rc, errno);
}

int traced_connect_at(const char *file, int line, int fd, const struct sockaddr_un *addr)
{
    char args[EVENT_ARGS_MAX], path[EVENT_PATH_MAX + 2];
    quote_path(path, sizeof path, addr);
    snprintf(args, sizeof args, "%d, %s", fd, path);
    if (!enter(file, line, "connect", args, true, begins_new("connect")))
        return -1;
    int rc = connect(fd, (const struct sockaddr *)addr, sizeof *addr);
    return (int)leave("connect", args, rc, errno);
}

/* "How are you !!!"... : the start of the data, as a student would write it. */
static void preview(char *out, size_t cap, const void *buf, size_t len)
{
    size_t text = strnlen(buf, len), used;
    char esc[48];
    escape_bytes(buf, text, esc, sizeof esc, ESCAPE_BACKSLASH, &used);
    snprintf(out, cap, "\"%s\"%s", esc, used < len ? "..." : "");
}

static void count_send(ssize_t rc)
{
    T.stats.send_calls++;
    if (rc > 0)
        T.stats.bytes_out += rc;
}

static void count_recv(ssize_t rc, size_t len)
{
    T.stats.recv_calls++;
    if (rc > 0)
        T.stats.bytes_in += (size_t)rc < len ? rc : (ssize_t)len;
}

/* The flags as C writes them, in the order strace shows them. */
static const char *flag_names(int flags)
{
    return flags & MSG_DONTWAIT ? "MSG_DONTWAIT|MSG_NOSIGNAL" : "MSG_NOSIGNAL";
}

ssize_t traced_send_at(const char *file, int line, int fd, const void *buf, size_t len, int flags)
{
    char args[EVENT_ARGS_MAX], data[80];
    flags |= MSG_NOSIGNAL;
    preview(data, sizeof data, buf, len);
    snprintf(args, sizeof args, "%d, %s, %zu, %s", fd, data, len, flag_names(flags));
    if (!enter(file, line, "send", args, true, begins_new("send")))
        return -1;
    ssize_t rc = send(fd, buf, len, flags);
    int err = errno;
    count_send(rc);
    return (ssize_t)leave("send", args, rc, err);
}

ssize_t traced_recv_at(const char *file, int line, int fd, void *buf, size_t len)
{
    char args[64];
    snprintf(args, sizeof args, "%d, buf, %zu, 0", fd, len);
    if (!enter(file, line, "recv", args, true, false))
        return -1;
    ssize_t rc = recv(fd, buf, len, 0);
    int err = errno;
    count_recv(rc, len);
    return (ssize_t)leave("recv", args, rc, err);
}

ssize_t traced_sendto_at(const char *file, int line, int fd, const void *buf, size_t len, int flags,
                         const struct sockaddr_un *to)
{
    char args[EVENT_ARGS_MAX], data[80], path[EVENT_PATH_MAX + 2];
    flags |= MSG_NOSIGNAL;
    preview(data, sizeof data, buf, len);
    quote_path(path, sizeof path, to);
    snprintf(args, sizeof args, "%d, %s, %zu, %s, %s", fd, data, len, flag_names(flags), path);
    if (!enter(file, line, "sendto", args, true, begins_new("sendto")))
        return -1;
    ssize_t rc = sendto(fd, buf, len, flags, (const struct sockaddr *)to, sizeof *to);
    int err = errno;
    count_send(rc);
    return (ssize_t)leave("sendto", args, rc, err);
}

ssize_t traced_recvfrom_at(const char *file, int line, int fd, void *buf, size_t len,
                           struct sockaddr_un *from, socklen_t *fromlen)
{
    char args[64];
    snprintf(args, sizeof args, "%d, buf, %zu, MSG_TRUNC, &from, &len", fd, len);
    memset(from, 0, sizeof *from);
    *fromlen = sizeof *from;
    if (!enter(file, line, "recvfrom", args, true, begins_new("recvfrom")))
        return -1;
    ssize_t rc = recvfrom(fd, buf, len, MSG_TRUNC, (struct sockaddr *)from, fromlen);
    int err = errno;
    count_recv(rc, len);
    return (ssize_t)leave("recvfrom", args, rc, err);
}

int traced_close_at(const char *file, int line, int fd)
{
    char args[16];
    snprintf(args, sizeof args, "%d", fd);
    enter(file, line, "close", args, true, false);
    int rc = close(fd);
    return (int)leave("close", args, rc, errno);
}

int traced_unlink_at(const char *file, int line, const char *path)
{
    char args[EVENT_PATH_MAX + 4];
    snprintf(args, sizeof args, "\"%s\"", path);
    enter(file, line, "unlink", args, true, false);
    int rc = unlink(path);
    return (int)leave("unlink", args, rc, errno);
}

int traced_poll_at(const char *file, int line, struct pollfd *fds, nfds_t n)
{
    char args[EVENT_ARGS_MAX];
    int o = snprintf(args, sizeof args, "[");
    for (nfds_t i = 0; i < n && o < (int)sizeof args - 24; i++)
        o += snprintf(args + o, sizeof args - (size_t)o, "%s%d", i ? ", " : "", fds[i].fd);
    snprintf(args + o, sizeof args - (size_t)o, "], %lu, -1", (unsigned long)n);
    enter(file, line, "poll", args, false, false);
    int rc = poll(fds, n, -1);
    return (int)leave("poll", args, rc, errno);
}

static void emit_stats(void)
{
    struct event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = EV_STATS;
    ev.stats = T.stats;
    emit(&ev);
}

void trace_msg(const char *call, bool out, const char *data, size_t n, long long messages,
               long long lost, const char *peer)
{
    struct event ev;
    size_t text = strnlen(data, n);
    memset(&ev, 0, sizeof ev);
    ev.kind = EV_MSG;
    snprintf(ev.call, sizeof ev.call, "%s", call);
    ev.out = out;
    ev.bytes = (long long)n;
    escape_bytes(data, text, ev.text, sizeof ev.text, ESCAPE_BACKSLASH, NULL);
    ev.text_bytes = (long long)text;
    for (size_t i = 0; i < n; i++)
        ev.padding += data[i] == '\0';
    ev.messages = messages;
    ev.lost = lost;
    event_set(ev.peer, sizeof ev.peer, peer ? peer : "");
    if (out)
        T.stats.msgs_out += messages;
    else
        T.stats.msgs_in += messages;
    T.stats.lost += lost;
    emit(&ev);
    emit_stats();
}

void trace_state(const char *state, const char *fmt, ...)
{
    struct event ev;
    char detail[EVENT_ARGS_MAX];
    va_list ap;
    memset(&ev, 0, sizeof ev);
    ev.kind = EV_STATE;
    snprintf(ev.state, sizeof ev.state, "%s", state);
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    event_set(ev.detail, sizeof ev.detail, detail);
    emit(&ev);
}

int trace_exit(int status, const char *fmt, ...)
{
    struct event ev;
    char reason[EVENT_ARGS_MAX];
    va_list ap;
    emit_stats();
    memset(&ev, 0, sizeof ev);
    ev.kind = EV_EXIT;
    ev.status = status;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    event_set(ev.detail, sizeof ev.detail, reason);
    emit(&ev);
    T.exited = 1;
    if (status != 0 && T.standalone)
        dprintf(2, "sockscope %s: %s\n", event_role_name(T.role), ev.detail);
    return status;
}

/* ---- from a signal handler: only async-signal-safe calls below ---- */

static size_t put_str(char *out, size_t o, size_t cap, const char *s)
{
    while (*s && o + 1 < cap)
        out[o++] = *s++;
    return o;
}

static size_t put_num(char *out, size_t o, size_t cap, long long v)
{
    char digits[24];
    int k = 0;
    if (v < 0) {
        o = put_str(out, o, cap, "-");
        v = -v;
    }
    do
        digits[k++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    while (k > 0 && o + 1 < cap)
        out[o++] = digits[--k];
    return o;
}

void trace_exit_from_signal(int status, const char *reason)
{
    char line[512];
    size_t o = 0;
    long long t = clock_now_us(); /* clock_gettime is async-signal-safe */
    if (T.exited)
        return;
    if (T.json) {
        o = put_str(line, o, sizeof line, "{\"v\":1,\"t_us\":");
        o = put_num(line, o, sizeof line, t);
        o = put_str(line, o, sizeof line, ",\"role\":\"");
        o = put_str(line, o, sizeof line, event_role_name(T.role));
        o = put_str(line, o, sizeof line, "\",\"pid\":");
        o = put_num(line, o, sizeof line, T.pid);
        o = put_str(line, o, sizeof line, ",\"kind\":\"exit\",\"status\":");
        o = put_num(line, o, sizeof line, status);
        o = put_str(line, o, sizeof line, ",\"reason\":\"");
        o = put_str(line, o, sizeof line, reason); /* our own text: nothing to escape */
        o = put_str(line, o, sizeof line, "\"}\n");
    } else {
        long long rel = t - T.t0, frac = rel % 1000000;
        o = put_str(line, o, sizeof line, "   ");
        o = put_num(line, o, sizeof line, rel / 1000000);
        o = put_str(line, o, sizeof line, ".");
        for (long long d = 100000; d > 1 && frac < d; d /= 10)
            o = put_str(line, o, sizeof line, "0");
        o = put_num(line, o, sizeof line, frac);
        o = put_str(line, o, sizeof line, " ");
        o = put_str(line, o, sizeof line, event_role_name(T.role));
        o = put_str(line, o, sizeof line, " * exit ");
        o = put_num(line, o, sizeof line, status);
        o = put_str(line, o, sizeof line, ": ");
        o = put_str(line, o, sizeof line, reason);
        o = put_str(line, o, sizeof line, "\n");
    }
    write_all(T.out_fd, line, o);
}
