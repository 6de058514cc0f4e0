/* dgram_server: the lesson's "UDP" server, done right.
 *
 * SOCK_DGRAM is connectionless. The server binds a name and that is all the
 * set-up: no listen(), no accept(). Every recvfrom() returns one whole
 * datagram and the address of whoever sent it; the reply goes back to that
 * address with sendto(). One socket serves every client.
 */
#include "peer.h"
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers one datagram; returns 1 when a reply went out. */
static int answer(int fd, const struct peer_buffers *b, ssize_t n, const struct sockaddr_un *from,
                  socklen_t fromlen)
{
    long long cap = (long long)b->in_cap;
    const char *peer = peer_address_text(from, fromlen);
    long long got = n < cap ? n : cap;
    trace_msg("recvfrom", false, b->in, (size_t)got, 1, n - got, peer);
    if (n > cap)
        trace_state("truncated",
                    "the datagram had %zd bytes, the buffer holds %lld: the rest is lost", n, cap);
    if (fromlen <= offsetof(struct sockaddr_un, sun_path) || from->sun_path[0] == '\0') {
        trace_state("no-reply",
                    "the sender never called bind(), so it has no address: no reply can be sent");
        return 0;
    }
    /* MSG_DONTWAIT: a client that reads nothing fills its queue; the reply
     * to it is then dropped (EAGAIN) instead of making every other client
     * wait behind it. A datagram may be lost; a server must not stall. */
    ssize_t sent = traced_sendto(fd, b->out, b->out_len, MSG_DONTWAIT, from);
    if (sent == -1 && errno == EAGAIN) {
        trace_state("reply-dropped", "reply dropped: the queue of the client at %s is full", peer);
        return 0;
    }
    if (sent == -1) {
        trace_state("reply-failed", "sendto() failed with %s: the client at %s is gone",
                    errno_name(errno), peer);
        return 0;
    }
    trace_msg("sendto", true, b->out, b->out_len, 1, 0, peer);
    return 1;
}

int dgram_server_main(const struct options *o)
{
    struct sockaddr_un addr, from;
    socklen_t fromlen;
    long long answered = 0;
    struct peer_buffers b; /* out: the reply; in: one datagram */
    if (peer_buffers_init(&b, o) != 0)
        return 1;

    /* 1. socket(): a datagram socket in the Unix domain. */
    int fd = traced_socket(AF_UNIX, SOCK_DGRAM);
    if (fd == -1)
        return peer_fail("socket");

    /* 2. bind(): a name clients can send to. That is the whole set-up: no
     * listen(), no accept(), because there are no connections to accept. */
    if (!o->no_claim && peer_claim_path(o->server_path, SOCK_DGRAM) == -1)
        return 1; /* (--no-claim skips this: a stale file then fails bind() with EADDRINUSE) */
    peer_address(&addr, o->server_path);
    if (traced_bind(fd, &addr) == -1)
        return peer_fail("bind");
    peer_own_path(o->server_path);
    trace_state("ready", "bound to %s: recvfrom() waits for datagrams", o->server_path);

    /* 3. recvfrom() one datagram and its sender; sendto() the reply there. */
    while (!trace_finishing() && (o->count == 0 || answered < o->count)) {
        ssize_t n = traced_recvfrom(fd, b.in, b.in_cap, &from, &fromlen);
        if (n == -1 && trace_finishing())
            break; /* asked to close */
        if (n == -1)
            return peer_fail("recvfrom");
        answered += answer(fd, &b, n, &from, fromlen);
    }

    /* 4. close() the one socket: there is no connection to close first. */
    traced_close(fd);
    peer_remove_paths();
    peer_buffers_free(&b);
    return trace_exit(0, "%s %lld message%s",
                      trace_finishing() ? "closed on request after answering" : "answered",
                      answered, answered == 1 ? "" : "s");
}
