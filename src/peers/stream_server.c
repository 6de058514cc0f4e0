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
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLIENTS 16

struct client {
    int fd; /* the socket accept() returned for this client */
    char path[SOCK_PATH_MAX + 1];
    long long have; /* bytes of its next message that recv() has taken so far */
};

/* Done when N messages are answered, or when asked to close and the last
 * client has gone: a closing server takes no new client, but lets the ones
 * it has finish, so each of them sees its reply and then its own close. */
static bool done(const struct options *o, long long answered, int nclients)
{
    return (o->count > 0 && answered >= o->count) || (trace_finishing() && nclients == 0);
}

int stream_server_main(const struct options *o)
{
    struct sockaddr_un addr, peer;
    struct client clients[MAX_CLIENTS];
    int nclients = 0;
    long long answered = 0;
    bool incoming = false;     /* poll() said a new client is waiting */
    const char *failed = NULL; /* the call that failed, if one did */
    struct peer_buffers b;     /* out: the reply; in: what recv() fills */
    if (peer_buffers_init(&b, o) != 0)
        return 1;

    /* 1. socket(): a stream socket in the Unix domain. It is only a file
     * descriptor so far: no name, no connection. */
    int lfd = traced_socket(AF_UNIX, SOCK_STREAM);
    if (lfd == -1)
        return peer_fail("socket");

    /* 2. bind(): give it a name in the file system so that clients can find
     * it. bind() creates the socket file and fails if any file is there, so
     * a stale one is cleared first, carefully. */
    if (!o->no_claim && peer_claim_path(o->server_path, SOCK_STREAM) == -1)
        return 1; /* (--no-claim skips this: a stale file then fails bind() with EADDRINUSE) */
    peer_address(&addr, o->server_path);
    if (traced_bind(lfd, &addr) == -1)
        return peer_fail("bind");
    peer_own_path(o->server_path);

    /* 3. listen(): make it a listening socket. The kernel now completes
     * connections by itself and queues up to `backlog` of them until accept()
     * takes one, so a client's connect() can succeed before our accept(). */
    if (traced_listen(lfd, (int)o->backlog) == -1)
        return peer_fail("listen");
    trace_state("listening", "listening on %s, backlog %lld", o->server_path, o->backlog);

    /* Steps 4 to 7 repeat: client after client, message after message. */
    while (!done(o, answered, nclients)) {
        /* 4. accept(): take the next client from the backlog. It returns a
         * NEW socket, connected to that one client; lfd goes on listening.
         * With no client yet there is nothing else to wait for, so accept()
         * itself waits; with clients, poll() below said one is waiting. */
        if (nclients == 0 || incoming) {
            if (!incoming)
                trace_state("waiting", "no client yet: accept() blocks until one connects");
            incoming = false;
            int fd = traced_accept(lfd, &peer);
            if (fd == -1 && errno == ECONNABORTED)
                continue; /* that client gave up before we took it: not our failure */
            if (fd == -1) {
                failed = trace_finishing() ? NULL : "accept"; /* asked to close: no new client */
                break;
            }
            if (nclients == MAX_CLIENTS) { /* full: said, and closed at once */
                trace_state("refused", "%d clients already: the one at %s is refused",
                            MAX_CLIENTS, peer_address_text(&peer, sizeof peer));
                traced_close(fd);
                continue;
            }
            struct client *c = &clients[nclients++];
            *c = (struct client){.fd = fd};
            snprintf(c->path, sizeof c->path, "%s", peer_address_text(&peer, sizeof peer));
            trace_state("connected",
                        "accept() made fd %d for the client at %s; fd %d goes on listening", fd,
                        c->path, lfd);
        }

        /* 5. poll(): wait until a client has sent something (or closed), or
         * a new one is waiting. Closing, new clients wait in the backlog:
         * the listening socket is left out. (Full, a new one is accepted
         * and refused at once, so that the backlog never fills with clients
         * nobody will serve.) */
        struct pollfd fds[MAX_CLIENTS + 1];
        nfds_t n = 0;
        for (int i = 0; i < nclients; i++)
            fds[n++] = (struct pollfd){.fd = clients[i].fd, .events = POLLIN};
        bool listening = !trace_finishing();
        if (listening)
            fds[n++] = (struct pollfd){.fd = lfd, .events = POLLIN};
        if (traced_poll(fds, n) == -1) {
            if (errno == EINTR)
                continue; /* the request to close: the clients still finish */
            failed = "poll";
            break;
        }

        /* From the last client down, so closing one (the last takes its
         * place) does not move one not yet seen. */
        for (int i = nclients - 1; i >= 0 && !done(o, answered, nclients); i--) {
            struct client *c = &clients[i];
            bool gone = false;
            if (!fds[i].revents)
                continue;

            /* 6. recv() what this client sent, on its own socket. A stream
             * has no message edges: one recv() may return part of a message
             * or several, so whole messages are counted by bytes (--pad; with
             * --pad 0 each recv() is taken as one). 0 means the client closed. */
            ssize_t got = traced_recv(c->fd, b.in, b.in_cap);
            if (got == -1 && trace_finishing())
                continue; /* interrupted by the request to close: the close step follows */
            long long whole = 0;
            if (got == 0) {
                trace_state("peer-closed",
                            "peer closed: recv() returned 0, the client closed its end");
                gone = true;
            } else if (got == -1) {
                trace_state("peer-error", "recv() failed with %s: dropping the client at %s",
                            errno_name(errno), c->path);
                gone = true;
            } else {
                c->have += got;
                whole = o->pad > 0 ? c->have / o->pad : 1;
                c->have = o->pad > 0 ? c->have % o->pad : 0;
                trace_msg("recv", false, b.in, (size_t)got, whole, 0, c->path);
                if (c->have > 0)
                    trace_state("partial",
                                "%lld of %lld bytes of the next message so far: recv() again",
                                c->have, o->pad);
            }

            /* 7. send() one reply for each whole message, on the same
             * socket. send() may take less than all of it (a short write):
             * send the rest. MSG_NOSIGNAL: a client that has gone makes
             * send() fail with EPIPE instead of killing us with SIGPIPE.
             * MSG_DONTWAIT: the server never waits for one client. A client
             * that reads nothing fills its socket's queue; then its reply no
             * longer fits (EAGAIN) and that client is dropped, so that it
             * cannot stall the others. */
            for (long long k = 0; k < whole && !gone && !done(o, answered, nclients); k++) {
                size_t sent = 0;
                while (sent < b.out_len && !gone) {
                    ssize_t w = traced_send(c->fd, b.out + sent, b.out_len - sent, MSG_DONTWAIT);
                    if (w == -1 && errno == EAGAIN) {
                        trace_state("dropped",
                                    "the client at %s reads nothing and its queue is full: "
                                    "dropped, so that the others are not kept waiting",
                                    c->path);
                        gone = true;
                    } else if (w == -1) {
                        trace_state("peer-error", "send() failed with %s: the client at %s is gone",
                                    errno_name(errno), c->path);
                        gone = true;
                    } else {
                        sent += (size_t)w;
                        if (sent < b.out_len)
                            trace_state("short-write",
                                        "send() took %zd of %zu bytes: sending the rest", w,
                                        b.out_len - sent + (size_t)w);
                    }
                }
                if (!gone) {
                    trace_msg("send", true, b.out, b.out_len, 1, 0, c->path);
                    answered++;
                }
            }

            /* 8. close(), for this client: once it has gone, close the
             * socket accept() made for it. The listening socket stays. */
            if (gone) {
                traced_close(c->fd);
                *c = clients[--nclients];
            }
        }
        incoming = listening && fds[n - 1].revents != 0;
    }
    int err = errno;

    /* 8. close(), at the end: the accepted connections first, then the
     * listening socket. close() does not remove the socket file: unlink()
     * does, on the way out. */
    while (nclients > 0)
        traced_close(clients[--nclients].fd);
    traced_close(lfd);
    peer_buffers_free(&b);
    if (failed) {
        errno = err;
        return peer_fail(failed);
    }
    peer_remove_paths();
    return trace_exit(0, "%s %lld message%s",
                      trace_finishing() ? "closed on request after answering" : "answered",
                      answered, answered == 1 ? "" : "s");
}
