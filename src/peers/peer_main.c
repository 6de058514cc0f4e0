/* peer_main: `sockscope server` and `sockscope client`: where the socket
 * files go, signals, tracing, then the side that the mode asks for. */
#include "../proc/sockdir.h"
#include "peer.h"
#include "trace.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

/* A descriptor the lab hands a peer must be open, and open for what it is
 * used for: --event-fd for writing, --gate-fd for reading (need: O_WRONLY or
 * O_RDONLY). options.c checks only the number, as it does no I/O. Returns 0
 * (also when the flag was not given), or -1 with the reason in err. */
static int check_fd(const char *flag, int fd, int need, char *err, size_t cap)
{
    if (fd < 0)
        return 0;
    int fl = fcntl(fd, F_GETFL);
    if (fl == -1) {
        snprintf(err, cap, "--%s %d is not an open file descriptor", flag, fd);
        return -1;
    }
    if ((fl & O_PATH) || ((fl & O_ACCMODE) != O_RDWR && (fl & O_ACCMODE) != need)) {
        snprintf(err, cap, "--%s %d is not open for %s", flag, fd,
                 need == O_WRONLY ? "writing" : "reading");
        return -1;
    }
    return 0;
}

/* --ring-fd: the parent's event ring, mapped here, with the event fd to
 * wake the parent. Returns 0 (also without it), or -1 with err set. */
static int check_ring(const struct options *o, char *err, size_t cap)
{
    if (o->ring_fd < 0)
        return 0;
    if (o->event_fd < 0) {
        snprintf(err, cap, "--ring-fd needs --event-fd, the fd that wakes the parent");
        return -1;
    }
    if (fcntl(o->ring_fd, F_GETFL) == -1) {
        snprintf(err, cap, "--ring-fd %d is not an open file descriptor", o->ring_fd);
        return -1;
    }
    return trace_use_ring(o->ring_fd, err, cap);
}

/* Fills the paths the user did not give, in the per-user directory. */
static int default_paths(struct options *o)
{
    char dir[SOCK_PATH_MAX + 1], err[256];
    if (o->server_path[0] && (o->cmd == CMD_SERVER || o->client_path[0]))
        return 0;
    if (sockdir_user(dir, sizeof dir, err, sizeof err) != 0) {
        trace_exit(1, "%s", err);
        return -1;
    }
    char server[32], client[40];
    snprintf(server, sizeof server, "%s-server.sock", mode_name(o->mode));
    /* One per process: several clients may run at once. */
    snprintf(client, sizeof client, "%s-client-%d.sock", mode_name(o->mode), (int)getpid());
    if ((!o->server_path[0] && sockdir_join(o->server_path, sizeof o->server_path, dir, server)) ||
        (!o->client_path[0] && sockdir_join(o->client_path, sizeof o->client_path, dir, client))) {
        trace_exit(1, "the socket directory %s is too long for a socket address", dir);
        return -1;
    }
    return 0;
}

int peer_main(const struct options *given)
{
    struct options o = *given;
    bool server = o.cmd == CMD_SERVER;
    char err[96];
    /* Before anything is traced: a usage error, as options_parse's are. */
    if (check_fd("event-fd", o.event_fd, O_WRONLY, err, sizeof err) != 0 ||
        check_fd("gate-fd", o.gate_fd, O_RDONLY, err, sizeof err) != 0 ||
        check_ring(&o, err, sizeof err) != 0) {
        fprintf(stderr, "sockscope: %s\n%s", err, options_usage(o.cmd));
        return 2;
    }
    /* A name each tool shows (ps, top, pgrep, ss -xp), within the kernel's
     * 15 characters: "sockscope-srv" and "sockscope-cli", not "exe". */
    prctl(PR_SET_NAME, server ? "sockscope-srv" : "sockscope-cli");
    peer_catch_signals();
    trace_catch_finish();
    trace_init(server ? ROLE_SERVER : ROLE_CLIENT, &o);
    if (default_paths(&o) != 0)
        return 1;
    if (server)
        trace_state("started", "%s server, pid %d, socket %s", mode_name(o.mode), (int)getpid(),
                    o.server_path);
    else
        trace_state("started", "%s client, pid %d, socket %s, server %s", mode_name(o.mode),
                    (int)getpid(), o.client_path, o.server_path);
    if (o.mode == MODE_STREAM)
        return server ? stream_server_main(&o) : stream_client_main(&o);
    return server ? dgram_server_main(&o) : dgram_client_main(&o);
}
