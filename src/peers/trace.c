/* trace: real calls, reported before and after, behind an optional gate. */
#include "trace.h"

#include "../core/clock.h"
#include "../core/escape.h"
#include "../core/evrec.h"
#include "../proc/ring.h"

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
    int out_fd; /* event fd (the ring's doorbell, with a ring), or stdout */
    bool json;
    bool standalone;  /* no parent reads our events: failures also go to stderr */
    struct ring ring; /* sh is NULL without --ring-fd */
    int gate_fd;      /* -1 once open or when there is none */
    long long seq;
    long long t0;
    struct ev_stats stats;
    struct evrec_buf call;           /* the call being made: its enter, then its exit */
    volatile sig_atomic_t exited;    /* the exit is reported: say nothing more */
    volatile sig_atomic_t finishing; /* SIGUSR1 came: wind down */
} T = {.out_fd = 1, .gate_fd = -1, .ring = {.fd = -1}};

int trace_use_ring(int fd, char *err, size_t errcap)
{
    if (ring_attach(&T.ring, fd, err, errcap) != 0)
        return -1;
    /* The mapping is all we need: the fd goes, so the peer's sockets get
     * the numbers they would have without a ring. */
    close(fd);
    T.ring.fd = -1;
    return 0;
}

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

/* Without a ring, the record becomes the line the parent (or the person
 * at the terminal) reads. */
static void write_line(const struct evrec_buf *b, size_t size)
{
    struct event ev;
    char line[EVENT_LINE_MAX];
    size_t n;
    if (evrec_to_event(&b->h, size, T.role, T.pid, &ev) != 0)
        return;
    if (T.json) {
        n = event_to_json(&ev, line, sizeof line);
    } else {
        n = event_to_text(&ev, T.t0, line, sizeof line - 1);
        if (n)
            line[n++] = '\n';
    }
    if (n)
        write_all(T.out_fd, line, n);
}

/* Sends one record; t is its time, 0 for now. A record in the ring is
 * seen once published: before each call (which may block) and before the
 * side sleeps or exits, so the parent always sees what led up to a wait. */
static void emit(struct evrec_buf *b, long long t)
{
    int saved = errno;
    b->h.t_us = t ? t : clock_now_us();
    size_t size = evrec_finish(b);
    if (!T.ring.sh) {
        write_line(b, size);
    } else {
        ring_put(&T.ring, &b->h, size, T.out_fd);
        if (b->h.kind == EV_EXIT || (b->h.kind == EV_CALL && b->h.phase == PHASE_ENTER))
            ring_publish(&T.ring, T.out_fd);
    }
    errno = saved;
}

void trace_flush(void)
{
    if (T.ring.sh)
        ring_publish(&T.ring, T.out_fd);
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

/* "stream_server.c:57" for file and line, made once per call site: a
 * flood makes the same few calls again and again. */
static const char *src_text(const char *file, int line, size_t *len)
{
    static struct {
        const char *file;
        int line;
        size_t len;
        char text[EVENT_SRC_MAX];
    } cache[32];
    unsigned slot = (unsigned)line % 32;
    if (cache[slot].file != file || cache[slot].line != line) {
        const char *base = strrchr(file, '/');
        int n = snprintf(cache[slot].text, sizeof cache[slot].text, "%s:%d", base ? base + 1 : file,
                         line);
        cache[slot].len =
            n < (int)sizeof cache[slot].text ? (size_t)n : sizeof cache[slot].text - 1;
        cache[slot].file = file;
        cache[slot].line = line;
    }
    *len = cache[slot].len;
    return cache[slot].text;
}

/* Starts the record of a call: where it is made (its "src") and its
 * first arguments. The caller adds the strings of its arguments. */
static struct evrec_buf *call_begin(const char *file, int line, enum ev_call c, long long fd,
                                    long long len)
{
    struct evrec_buf *b = &T.call;
    size_t n;
    const char *src = src_text(file, line, &n);
    evrec_begin(b, EV_CALL);
    b->h.call = (uint8_t)c;
    b->h.n[N_FD] = fd;
    b->h.n[N_LEN] = len;
    evrec_str(b, 0, src, n);
    return b;
}

/* Reports the call about to be made and waits at the gate. Returns false,
 * with errno ECANCELED, when the call must not be made: the side is
 * finishing and this is a call it leaves out then. Asked before the call
 * was announced, nothing is reported; asked while it waited at the gate,
 * its line says it was not made. */
static bool enter(struct evrec_buf *b, bool gated, bool skippable)
{
    errno = ECANCELED;
    if (skippable && T.finishing)
        return false;
    b->h.seq = ++T.seq;
    b->h.phase = PHASE_ENTER;
    b->h.bits = gated && T.gate_fd >= 0 ? EVREC_GATED : 0;
    emit(b, 0);
    if ((gated && !gate_wait(skippable)) || (skippable && T.finishing)) {
        trace_state("skipped", "%s() left out: this side is closing",
                    evrec_call_name((enum ev_call)b->h.call));
        errno = ECANCELED;
        return false;
    }
    return true;
}

/* The calls that begin something new, which a finishing side leaves out:
 * a client's connect() and its next message; a server's wait for a new
 * client (accept) or a new datagram (recvfrom). A reply still goes out and
 * a recv() still reads what is there, so the other side sees the close. */
static bool begins_new(enum ev_call c)
{
    if (T.role == ROLE_CLIENT)
        return c == CALL_CONNECT || c == CALL_SEND || c == CALL_SENDTO;
    return c == CALL_ACCEPT || c == CALL_RECVFROM;
}

/* Reports the result; rc and errno as the call left them, t when it
 * returned (taken at once, so that a merged transcript never shows the
 * other side reacting before this call was done). */
static long long leave(struct evrec_buf *b, long long rc, int err)
{
    long long t = clock_now_us();
    b->h.phase = PHASE_EXIT;
    b->h.n[N_RC] = rc;
    b->h.n[N_ERR] = rc == -1 ? err : 0;
    /* EINTR is a signal stopping the call (the lab's close request), not
     * a failure of the call: it is reported, not counted. */
    if (rc == -1 && err != EINTR)
        T.stats.errors++;
    emit(b, t);
    errno = err;
    return rc;
}

static void add_path(struct evrec_buf *b, int i, const struct sockaddr_un *a)
{
    evrec_str(b, i, a->sun_path, strnlen(a->sun_path, sizeof a->sun_path));
}

int traced_socket_at(const char *file, int line, int domain, int type)
{
    struct evrec_buf *b = call_begin(file, line, CALL_SOCKET, -1, type);
    enter(b, true, false);
    int fd = socket(domain, type, 0);
    return (int)leave(b, fd, errno);
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
    struct evrec_buf *b = call_begin(file, line, CALL_BIND, fd, 0);
    add_path(b, 1, addr);
    enter(b, true, false);
    /* A stop signal between bind() making the file and the side noting it
     * as its own would leave a file nobody removes: the stop signals wait
     * until trace_bound() (peer_own_path() calls it), or a failed bind(). */
    hold_stops(SIG_BLOCK);
    int rc = bind(fd, (const struct sockaddr *)addr, sizeof *addr);
    int err = errno;
    if (rc == -1)
        trace_bound();
    return (int)leave(b, rc, err);
}

void trace_bound(void)
{
    hold_stops(SIG_UNBLOCK);
}

int traced_listen_at(const char *file, int line, int fd, int backlog)
{
    struct evrec_buf *b = call_begin(file, line, CALL_LISTEN, fd, backlog);
    enter(b, true, false);
    int rc = listen(fd, backlog);
    return (int)leave(b, rc, errno);
}

int traced_accept_at(const char *file, int line, int fd, struct sockaddr_un *peer)
{
    socklen_t len = sizeof *peer;
    struct evrec_buf *b = call_begin(file, line, CALL_ACCEPT, fd, 0);
    if (peer)
        memset(peer, 0, sizeof *peer);
    if (!enter(b, true, begins_new(CALL_ACCEPT)))
        return -1;
    int rc = accept(fd, (struct sockaddr *)peer, peer ? &len : NULL);
    return (int)leave(b, rc, errno);
}

int traced_connect_at(const char *file, int line, int fd, const struct sockaddr_un *addr)
{
    struct evrec_buf *b = call_begin(file, line, CALL_CONNECT, fd, 0);
    add_path(b, 1, addr);
    if (!enter(b, true, begins_new(CALL_CONNECT)))
        return -1;
    int rc = connect(fd, (const struct sockaddr *)addr, sizeof *addr);
    return (int)leave(b, rc, errno);
}

/* The first bytes of the data, as many as the event's preview can show. */
static void add_preview(struct evrec_buf *b, const void *buf, size_t len)
{
    size_t text = strnlen(buf, len < EVREC_PREVIEW ? len : EVREC_PREVIEW);
    evrec_str(b, 1, buf, text);
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

ssize_t traced_send_at(const char *file, int line, int fd, const void *buf, size_t len, int flags)
{
    struct evrec_buf *b = call_begin(file, line, CALL_SEND, fd, (long long)len);
    flags |= MSG_NOSIGNAL;
    b->h.n[N_FLAGS] = flags;
    add_preview(b, buf, len);
    if (!enter(b, true, begins_new(CALL_SEND)))
        return -1;
    ssize_t rc = send(fd, buf, len, flags);
    int err = errno;
    count_send(rc);
    return (ssize_t)leave(b, rc, err);
}

ssize_t traced_recv_at(const char *file, int line, int fd, void *buf, size_t len)
{
    struct evrec_buf *b = call_begin(file, line, CALL_RECV, fd, (long long)len);
    if (!enter(b, true, false))
        return -1;
    ssize_t rc = recv(fd, buf, len, 0);
    int err = errno;
    count_recv(rc, len);
    return (ssize_t)leave(b, rc, err);
}

ssize_t traced_sendto_at(const char *file, int line, int fd, const void *buf, size_t len, int flags,
                         const struct sockaddr_un *to)
{
    struct evrec_buf *b = call_begin(file, line, CALL_SENDTO, fd, (long long)len);
    flags |= MSG_NOSIGNAL;
    b->h.n[N_FLAGS] = flags;
    add_preview(b, buf, len);
    add_path(b, 2, to);
    if (!enter(b, true, begins_new(CALL_SENDTO)))
        return -1;
    ssize_t rc = sendto(fd, buf, len, flags, (const struct sockaddr *)to, sizeof *to);
    int err = errno;
    count_send(rc);
    return (ssize_t)leave(b, rc, err);
}

ssize_t traced_recvfrom_at(const char *file, int line, int fd, void *buf, size_t len,
                           struct sockaddr_un *from, socklen_t *fromlen)
{
    struct evrec_buf *b = call_begin(file, line, CALL_RECVFROM, fd, (long long)len);
    memset(from, 0, sizeof *from);
    *fromlen = sizeof *from;
    if (!enter(b, true, begins_new(CALL_RECVFROM)))
        return -1;
    ssize_t rc = recvfrom(fd, buf, len, MSG_TRUNC, (struct sockaddr *)from, fromlen);
    int err = errno;
    count_recv(rc, len);
    return (ssize_t)leave(b, rc, err);
}

int traced_close_at(const char *file, int line, int fd)
{
    struct evrec_buf *b = call_begin(file, line, CALL_CLOSE, fd, 0);
    enter(b, true, false);
    int rc = close(fd);
    return (int)leave(b, rc, errno);
}

int traced_unlink_at(const char *file, int line, const char *path)
{
    struct evrec_buf *b = call_begin(file, line, CALL_UNLINK, -1, 0);
    evrec_str(b, 1, path, strlen(path));
    enter(b, true, false);
    int rc = unlink(path);
    return (int)leave(b, rc, errno);
}

int traced_poll_at(const char *file, int line, struct pollfd *fds, nfds_t n)
{
    int32_t list[64];
    size_t k = 0;
    struct evrec_buf *b = call_begin(file, line, CALL_POLL, -1, (long long)n);
    for (; k < n && k < sizeof list / sizeof list[0]; k++)
        list[k] = fds[k].fd;
    evrec_str(b, 1, list, k * sizeof list[0]);
    enter(b, false, false);
    int rc = poll(fds, n, -1);
    return (int)leave(b, rc, errno);
}

static void emit_stats(void)
{
    struct evrec_buf b;
    const struct ev_stats *s = &T.stats;
    evrec_begin(&b, EV_STATS);
    int64_t v[EVREC_NUMS] = {s->msgs_out,   s->msgs_in,    s->bytes_out, s->bytes_in,
                             s->send_calls, s->recv_calls, s->lost,      s->errors};
    memcpy(b.h.n, v, sizeof v);
    emit(&b, 0);
}

/* NUL bytes in data[0..n): eight at a time where a word is all zero, as
 * the padding of a message is. */
static long long count_nul(const char *data, size_t n)
{
    long long zeros = 0;
    size_t i = 0;
    while (i < n) {
        uint64_t word;
        if (i + sizeof word <= n && (memcpy(&word, data + i, sizeof word), word == 0)) {
            zeros += (long long)sizeof word;
            i += sizeof word;
        } else {
            zeros += data[i++] == '\0';
        }
    }
    return zeros;
}

void trace_msg(const char *call, bool out, const char *data, size_t n, long long messages,
               long long lost, const char *peer)
{
    struct evrec_buf b;
    size_t text = strnlen(data, n);
    evrec_begin(&b, EV_MSG);
    b.h.call = (uint8_t)evrec_call_id(call);
    b.h.bits = out ? EVREC_OUT : 0;
    b.h.n[N_BYTES] = (long long)n;
    b.h.n[N_TEXT_BYTES] = (long long)text;
    b.h.n[N_PADDING] = count_nul(data, n);
    b.h.n[N_MESSAGES] = messages;
    b.h.n[N_LOST] = lost;
    evrec_str(&b, 0, data, text < EVREC_TEXT ? text : EVREC_TEXT);
    evrec_str(&b, 1, peer ? peer : "", peer ? strlen(peer) : 0);
    if (out)
        T.stats.msgs_out += messages;
    else
        T.stats.msgs_in += messages;
    T.stats.lost += lost;
    emit(&b, 0);
    emit_stats();
}

void trace_state(const char *state, const char *fmt, ...)
{
    struct evrec_buf b;
    char detail[EVENT_ARGS_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    evrec_begin(&b, EV_STATE);
    evrec_str(&b, 0, state, strlen(state));
    evrec_str(&b, 1, detail, strlen(detail));
    emit(&b, 0);
}

int trace_exit(int status, const char *fmt, ...)
{
    struct evrec_buf b;
    char reason[EVENT_ARGS_MAX];
    va_list ap;
    emit_stats();
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    evrec_begin(&b, EV_EXIT);
    b.h.n[N_STATUS] = status;
    evrec_str(&b, 0, reason, strlen(reason));
    emit(&b, 0);
    T.exited = 1;
    if (status != 0 && T.standalone) {
        char shown[EVENT_ARGS_MAX];
        event_set(shown, sizeof shown, reason);
        dprintf(2, "sockscope %s: %s\n", event_role_name(T.role), shown);
    }
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
    if (T.ring.sh) { /* the record being written may be cut short: the slot */
        ring_set_exit(&T.ring, status, t, reason);
        return;
    }
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
