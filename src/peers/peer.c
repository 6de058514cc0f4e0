/* peer: the helpers the four teaching programs share (see peer.h). */
#include "peer.h"

#include "../proc/sockdir.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The socket files this process made, with the device and inode bind()
 * gave each: only that very file is removed, still a socket, never one
 * that somebody put at the path since. Read by the signal handler, so a
 * slot is filled before the count that makes it visible. */
static struct {
    char path[SOCK_PATH_MAX + 1];
    dev_t dev;
    ino_t ino;
} owned[2];
static volatile sig_atomic_t owned_count;

/* The side's buffers, so that an exit on an error frees them too. */
static struct peer_buffers *live_buffers;

/* Is the file at owned slot i still the socket we made? (lstat() is
 * async-signal-safe: the signal handler asks this too.) */
static bool still_ours(int i)
{
    struct stat st;
    return lstat(owned[i].path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_dev == owned[i].dev &&
           st.st_ino == owned[i].ino;
}

void peer_address(struct sockaddr_un *addr, const char *path)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    strncpy(addr->sun_path, path, sizeof addr->sun_path - 1);
}

const char *peer_address_text(const struct sockaddr_un *addr, socklen_t len)
{
    /* An unbound AF_UNIX socket has an address of just the family. */
    if (len <= offsetof(struct sockaddr_un, sun_path) || addr->sun_path[0] == '\0')
        return "(unbound)";
    return addr->sun_path;
}

/* Is somebody bound to path? A connect() that is refused says no. These
 * are real calls, so they are reported like every other one. The socket is
 * non-blocking: a live server whose backlog is full would make connect()
 * wait; here it fails at once with EAGAIN, which says "somebody is there". */
static bool nobody_answers(const char *path, int type, bool *busy)
{
    struct sockaddr_un addr;
    int fd = traced_socket(AF_UNIX, type);
    bool stale;
    *busy = false;
    if (fd == -1)
        return false;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    peer_address(&addr, path);
    stale = traced_connect(fd, &addr) == -1 && errno == ECONNREFUSED;
    *busy = !stale && errno == EAGAIN;
    traced_close(fd);
    return stale;
}

/* The path cannot be had: the side exits (its exit is reported), freeing
 * its buffers first. */
static int claim_failed(void)
{
    if (live_buffers)
        peer_buffers_free(live_buffers);
    return -1;
}

int peer_claim_path(const char *path, int type)
{
    struct stat st;
    if (lstat(path, &st) == -1) {
        if (errno == ENOENT)
            return 0;
        trace_exit(1, "cannot use %s: %s (%s)", path, errno_name(errno), strerror(errno));
        return claim_failed();
    }
    if (!S_ISSOCK(st.st_mode)) {
        trace_exit(1, "%s exists and is not a socket: left untouched; choose another path", path);
        return claim_failed();
    }
    bool busy;
    if (!nobody_answers(path, type, &busy)) {
        trace_exit(1, "a server is already running at %s%s: left untouched", path,
                   busy ? " (so busy that its backlog is full)" : "");
        return claim_failed();
    }
    /* The lesson deletes whatever is there; we only remove a socket that
     * nobody answers on, the file a crashed server leaves behind. */
    if (traced_unlink(path) == -1) {
        trace_exit(1, "cannot remove the stale socket %s: %s", path, strerror(errno));
        return claim_failed();
    }
    trace_state("stale-removed", "%s was a stale socket file (connect: ECONNREFUSED): removed",
                path);
    return 0;
}

void peer_own_path(const char *path)
{
    struct stat st;
    if (owned_count < 2 && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        snprintf(owned[owned_count].path, sizeof owned[0].path, "%s", path);
        owned[owned_count].dev = st.st_dev;
        owned[owned_count].ino = st.st_ino;
        owned_count = owned_count + 1;
    }
    trace_bound(); /* noted: a stop signal may come now, the file goes with it */
}

void peer_remove_paths(void)
{
    int n = owned_count;
    owned_count = 0;
    for (int i = 0; i < n; i++) {
        if (still_ours(i))
            traced_unlink(owned[i].path);
        else
            trace_state("not-ours",
                        "%s is no longer the socket this side made (removed or replaced): left "
                        "untouched",
                        owned[i].path);
    }
}

static void on_stop_signal(int sig)
{
    static const char *const reasons[] = {
        [SIGHUP] = "stopped by SIGHUP; its socket files removed",
        [SIGINT] = "stopped by SIGINT; its socket files removed",
        [SIGTERM] = "stopped by SIGTERM; its socket files removed",
    };
    for (int i = 0; i < owned_count; i++)
        if (still_ours(i))
            unlink(owned[i].path);
    trace_exit_from_signal(0, reasons[sig]);
    _exit(0);
}

void peer_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigfillset(&sa.sa_mask); /* one handler at a time */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* Sends use MSG_NOSIGNAL already; this also covers writing events to a
     * parent that went away. */
    signal(SIGPIPE, SIG_IGN);
}

int peer_buffers_init(struct peer_buffers *b, const struct options *o)
{
    size_t len = strlen(o->message);
    size_t pad = o->pad > 0 ? (size_t)o->pad : 0;
    b->out = calloc(1, (pad > len ? pad : len) + 1);
    b->in = malloc((size_t)o->buffer);
    b->in_cap = (size_t)o->buffer;
    if (!b->out || !b->in) {
        peer_buffers_free(b);
        trace_exit(1, "out of memory for %zu-byte buffers", b->in_cap + pad);
        return -1;
    }
    live_buffers = b;
    memcpy(b->out, o->message, len);
    b->out_len = pad > 0 ? pad : len; /* --pad 0: exactly the text, no NUL */
    return 0;
}

void peer_buffers_free(struct peer_buffers *b)
{
    if (b == live_buffers)
        live_buffers = NULL;
    free(b->out);
    free(b->in);
    b->out = b->in = NULL;
}

long long peer_batch(const struct options *o, long long sent)
{
    long long n = o->burst > 1 ? o->burst : 1;
    if (o->count > 0 && o->count - sent < n)
        n = o->count - sent;
    return n;
}

void peer_sleep(double seconds)
{
    struct timespec ts;
    if (seconds <= 0)
        return;
    trace_flush(); /* the last reply is shown while the side pauses */
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* What a student should try next, for the errors a peer meets most. */
static const char *hint_for(const char *call, int err)
{
    bool reaching = strcmp(call, "connect") == 0 || strcmp(call, "sendto") == 0;
    switch (err) {
    case ENOENT:
        return reaching ? "is the server running? start 'sockscope server' first"
                        : "the directory does not exist";
    case ECONNREFUSED:
        return "a socket file is there but nobody is bound to it: start the server again";
    case EACCES:
    case EROFS:
        return "no permission to make a socket file there: choose another path";
    case EMSGSIZE:
        return "a datagram travels in one piece and this one is too big: use a smaller --pad";
    case EPIPE:
    case ECONNRESET:
        return "the other side closed the connection";
    case EADDRINUSE:
        return "another socket is bound to that path";
    default:
        return NULL;
    }
}

int peer_fail(const char *call)
{
    int err = errno;
    if (live_buffers)
        peer_buffers_free(live_buffers); /* no leak on the way out */
    const char *hint = hint_for(call, err);
    peer_remove_paths();
    return trace_exit(1, "%s() failed: %s (%s)%s%s", call, errno_name(err), strerror(err),
                      hint ? ": " : "", hint ? hint : "");
}
