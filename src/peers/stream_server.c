/* stream_server: the lesson's "TCP" server, done right.
 *
 * SOCK_STREAM is connection-oriented. The server sets up one listening
 * socket (socket, bind, listen); accept() then returns a NEW socket for each
 * client, and the data flows on that new socket with recv() and send().
 *
 * Several clients at once: this server is one process with a poll() loop,
 * not a process per client. poll() says which sockets are ready, so the
 * server never waits on one client while another talks, and every call it
 * makes shows up in one place, in the order it happened. While no client is
 * connected there is nothing else to watch, so it simply blocks in accept(),
 * as the lesson's server does.
 */
#include "peer.h"
#include "stream_io.h"
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLIENTS 16

struct client {
    int fd; /* the socket accept() returned for this client */
    char path[SOCK_PATH_MAX + 1];
    struct stream_reader reader;
};

struct server {
    const struct options *o;
    int listen_fd;
    struct client clients[MAX_CLIENTS];
    int nclients;
    long long answered;
    struct peer_buffers bufs; /* out: the reply; in: what recv() fills */
};

/* Done when N messages are answered, or when asked to close and the last
 * client has gone: a closing server takes no new client, but lets the ones
 * it has finish, so each of them sees its reply and then its own close. */
static int finished(const struct server *s)
{
    return (s->o->count > 0 && s->answered >= s->o->count) ||
           (trace_finishing() && s->nclients == 0);
}

static int accept_client(struct server *s)
{
    struct sockaddr_un peer;
    int fd = traced_accept(s->listen_fd, &peer);
    if (fd == -1)
        return errno == ECONNABORTED ? 0 : -1; /* that client gave up: not our failure */
    struct client *c = &s->clients[s->nclients++];
    c->fd = fd;
    snprintf(c->path, sizeof c->path, "%s", peer_address_text(&peer, sizeof peer));
    c->reader = (struct stream_reader){.pad = s->o->pad};
    trace_state("connected", "accept() made fd %d for the client at %s; fd %d goes on listening",
                fd, c->path, s->listen_fd);
    return 0;
}

static void drop_client(struct server *s, int i)
{
    traced_close(s->clients[i].fd);
    s->clients[i] = s->clients[--s->nclients];
}

/* One recv() from client i, and one reply for every whole message in it. */
static void serve_client(struct server *s, int i)
{
    struct client *c = &s->clients[i];
    bool closed;
    long long whole =
        stream_recv_messages(c->fd, s->bufs.in, s->bufs.in_cap, &c->reader, c->path, &closed);
    if (whole == -1 && trace_finishing())
        return; /* interrupted by the request to close: the close step follows */
    if (closed || whole == -1) {
        if (closed)
            trace_state("peer-closed", "peer closed: recv() returned 0, the client closed its end");
        else
            trace_state("peer-error", "recv() failed with %s: dropping the client at %s",
                        errno_name(errno), c->path);
        drop_client(s, i);
        return;
    }
    for (long long k = 0; k < whole && !finished(s); k++) {
        if (stream_send_message(c->fd, s->bufs.out, s->bufs.out_len, c->path) == -1) {
            /* EPIPE or ECONNRESET: the client left. MSG_NOSIGNAL kept us alive to say so. */
            trace_state("peer-error", "send() failed with %s: the client at %s is gone",
                        errno_name(errno), c->path);
            drop_client(s, i);
            return;
        }
        s->answered++;
    }
}

/* Waits for whatever comes next, a new client or data, and handles it. */
static int serve(struct server *s)
{
    while (!finished(s)) {
        struct pollfd fds[MAX_CLIENTS + 1];
        nfds_t n = 0;
        if (s->nclients == 0) {
            trace_state("waiting", "no client yet: accept() blocks until one connects");
            if (accept_client(s) == -1)
                return trace_finishing() ? 0 : -1;
            continue;
        }
        for (int i = 0; i < s->nclients; i++)
            fds[n++] = (struct pollfd){.fd = s->clients[i].fd, .events = POLLIN};
        /* When full, or closing, new clients wait in the backlog. */
        if (s->nclients < MAX_CLIENTS && !trace_finishing())
            fds[n++] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
        if (traced_poll(fds, n) == -1) {
            if (errno == EINTR)
                continue; /* the request to close: the clients still finish */
            return -1;
        }
        /* From the last client down, so dropping one does not move one not yet seen. */
        for (int i = s->nclients - 1; i >= 0 && !finished(s); i--)
            if (fds[i].revents)
                serve_client(s, i);
        if (!finished(s) && n > (nfds_t)s->nclients && fds[n - 1].fd == s->listen_fd &&
            fds[n - 1].revents && accept_client(s) == -1)
            return trace_finishing() ? 0 : -1;
    }
    return 0;
}

int stream_server_main(const struct options *o)
{
    struct server s = {.o = o};
    struct sockaddr_un addr;
    if (peer_buffers_init(&s.bufs, o) != 0)
        return 1;

    /* 1. socket(): a stream socket in the Unix domain. It is only a file
     * descriptor so far: no name, no connection. */
    s.listen_fd = traced_socket(AF_UNIX, SOCK_STREAM);
    if (s.listen_fd == -1)
        return peer_fail("socket");

    /* 2. bind(): give it a name in the file system so that clients can find
     * it. bind() creates the socket file and fails if any file is there, so
     * a stale one is cleared first, carefully. */
    if (!o->no_claim && peer_claim_path(o->server_path, SOCK_STREAM) == -1)
        return 1; /* (--no-claim skips this: a stale file then fails bind() with EADDRINUSE) */
    peer_address(&addr, o->server_path);
    if (traced_bind(s.listen_fd, &addr) == -1)
        return peer_fail("bind");
    peer_own_path(o->server_path);

    /* 3. listen(): make it a listening socket. The kernel now completes
     * connections by itself and queues up to `backlog` of them until accept()
     * takes one, so a client's connect() can succeed before our accept(). */
    if (traced_listen(s.listen_fd, (int)o->backlog) == -1)
        return peer_fail("listen");
    trace_state("listening", "listening on %s, backlog %lld", o->server_path, o->backlog);

    /* 4. accept() clients; recv() and send() on the socket accept() returns. */
    int rc = serve(&s);
    int err = errno;

    /* 5. close(): the accepted connections first, then the listening socket.
     * close() does not remove the socket file: unlink() does. */
    while (s.nclients > 0)
        drop_client(&s, s.nclients - 1);
    traced_close(s.listen_fd);
    peer_buffers_free(&s.bufs);
    if (rc == -1) {
        errno = err;
        return peer_fail("accept");
    }
    peer_remove_paths();
    return trace_exit(0, "%s %lld message%s",
                      trace_finishing() ? "closed on request after answering" : "answered",
                      s.answered, s.answered == 1 ? "" : "s");
}
