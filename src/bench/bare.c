/* bare: the peers' calls, untraced, timed (see bare.h). */
#include "bare.h"

#include "../core/clock.h"
#include "../proc/cpus.h"
#include "../proc/sockdir.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSG       1024
#define WAIT_S    5
#define BACKLOG   12
#define NO_SOCKET -1

/* The two ends and where they live. */
struct ends {
    char dir[SOCK_PATH_MAX + 1];
    struct sockaddr_un server, client;
    int listener, server_fd, client_fd; /* server_fd: the stream server's accepted one */
};

static int fail(char *err, size_t cap, const char *what)
{
    snprintf(err, cap, "%s: %s", what, strerror(errno));
    return -1;
}

static void address(struct sockaddr_un *a, const char *dir, const char *name)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    sockdir_join(a->sun_path, sizeof a->sun_path, dir, name);
}

/* A socket bound to a, with the bounded waits. */
static int bound(int type, const struct sockaddr_un *a)
{
    struct timeval tv = {WAIT_S, 0};
    int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd == -1)
        return -1;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == -1 ||
        bind(fd, (const struct sockaddr *)a, sizeof *a) == -1) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Both ends, bound (and for a stream, connected: the listener's backlog
 * holds the connection until the server accepts it). */
static int setup(struct ends *e, enum sock_mode mode, char *err, size_t cap)
{
    int type = mode == MODE_STREAM ? SOCK_STREAM : SOCK_DGRAM;
    e->listener = e->server_fd = e->client_fd = NO_SOCKET;
    if (sockdir_private(e->dir, sizeof e->dir, err, cap) != 0)
        return -1;
    address(&e->server, e->dir, "server.sock");
    address(&e->client, e->dir, "client.sock");
    int s = bound(type, &e->server);
    if (s == -1)
        return fail(err, cap, "the bare loop's server socket");
    if (mode == MODE_STREAM) {
        e->listener = s;
        if (listen(s, BACKLOG) == -1)
            return fail(err, cap, "listen");
    } else {
        e->server_fd = s;
    }
    e->client_fd = bound(type, &e->client);
    if (e->client_fd == -1)
        return fail(err, cap, "the bare loop's client socket");
    if (mode == MODE_STREAM &&
        connect(e->client_fd, (const struct sockaddr *)&e->server, sizeof e->server) == -1)
        return fail(err, cap, "connect");
    return 0;
}

static void teardown(struct ends *e)
{
    int fds[] = {e->listener, e->server_fd, e->client_fd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] != NO_SOCKET)
            close(fds[i]);
    if (e->dir[0])
        sockdir_remove(e->dir);
}

/* Receives one whole message of MSG bytes (a stream may hand it over in
 * pieces, as the peers allow for). */
static bool recv_message(int fd, char *buf)
{
    for (size_t got = 0; got < MSG;) {
        ssize_t n = recv(fd, buf + got, MSG - got, 0);
        if (n <= 0)
            return false;
        got += (size_t)n;
    }
    return true;
}

/* The stream server: poll(), recv(), send() with MSG_DONTWAIT, per message. */
static int stream_server(struct ends *e, long long count)
{
    char in[MSG], out[MSG] = DEFAULT_SERVER_MESSAGE;
    int conn = accept(e->listener, NULL, NULL);
    if (conn == -1)
        return 1;
    for (long long i = 0; i < count; i++) {
        struct pollfd p[2] = {{.fd = conn, .events = POLLIN},
                              {.fd = e->listener, .events = POLLIN}};
        if (poll(p, 2, WAIT_S * 1000) != 1 || !recv_message(conn, in) ||
            send(conn, out, MSG, MSG_DONTWAIT | MSG_NOSIGNAL) != MSG)
            return 1;
    }
    return 0;
}

/* The datagram server: recvfrom() with MSG_TRUNC, sendto() the sender. */
static int dgram_server(struct ends *e, long long count)
{
    char in[MSG], out[MSG] = DEFAULT_SERVER_MESSAGE;
    for (long long i = 0; i < count; i++) {
        struct sockaddr_un from;
        socklen_t len = sizeof from;
        if (recvfrom(e->server_fd, in, MSG, MSG_TRUNC, (struct sockaddr *)&from, &len) != MSG ||
            sendto(e->server_fd, out, MSG, MSG_DONTWAIT | MSG_NOSIGNAL,
                   (const struct sockaddr *)&from, len) != MSG)
            return 1;
    }
    return 0;
}

/* One exchange from the client's side; false when it failed. */
static bool client_exchange(struct ends *e, enum sock_mode mode, char *in, const char *out)
{
    if (mode == MODE_STREAM)
        return send(e->client_fd, out, MSG, MSG_NOSIGNAL) == MSG && recv_message(e->client_fd, in);
    struct sockaddr_un from;
    socklen_t len = sizeof from;
    return sendto(e->client_fd, out, MSG, MSG_NOSIGNAL, (const struct sockaddr *)&e->server,
                  sizeof e->server) == MSG &&
           recvfrom(e->client_fd, in, MSG, MSG_TRUNC, (struct sockaddr *)&from, &len) == MSG;
}

/* The answering process: the server's side, then its exit status. */
static void serve(struct ends *e, enum sock_mode mode, long long count, int cpu)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    close(e->client_fd);
    if (cpu >= 0 && cpus_pin(0, cpu) == -1)
        _exit(3);
    _exit(mode == MODE_STREAM ? stream_server(e, count) : dgram_server(e, count));
}

double bare_rate(enum sock_mode mode, long long count, int cpu, const volatile sig_atomic_t *stop,
                 char *err, size_t errcap)
{
    struct ends e = {.dir = ""};
    char in[MSG], out[MSG] = DEFAULT_CLIENT_MESSAGE;
    long long i = 0, t = 0;
    int status = 0;
    if (setup(&e, mode, err, errcap) != 0) {
        teardown(&e);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        serve(&e, mode, count, cpu);
    int fork_errno = errno;
    if (pid > 0 && (cpu < 0 || cpus_pin(0, cpu) == 0)) {
        t = clock_now_us();
        for (i = 0; i < count && !*stop; i++)
            if (!client_exchange(&e, mode, in, out))
                break;
        t = clock_now_us() - t;
    }
    int loop_errno = errno;
    if (pid > 0) {
        if (i < count)
            kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
            ;
    }
    teardown(&e);
    if (pid == -1) {
        snprintf(err, errcap, "fork: %s", strerror(fork_errno));
        return -1;
    }
    if (i < count) {
        snprintf(err, errcap, "stopped at exchange %lld of %lld: %s", i + 1, count,
                 *stop                  ? "asked to stop"
                 : loop_errno == EAGAIN ? "no answer within 5 s"
                                        : strerror(loop_errno));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errcap, "its answering process failed (wait status %#x)", (unsigned)status);
        return -1;
    }
    return (double)count * 1e6 / (double)(t > 0 ? t : 1);
}
