/* stream_client: the lesson's "TCP" client, done right.
 *
 * A stream client connect()s to the server's socket file; from then on it
 * simply send()s and recv()s on its one socket: the connection knows where
 * the data goes, so no address is named again.
 */
#include "peer.h"
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int stream_client_main(const struct options *o)
{
    struct sockaddr_un self, server;
    long long have = 0; /* bytes of the next reply that recv() has taken so far */
    long long sent = 0;
    struct peer_buffers b;
    if (peer_buffers_init(&b, o) != 0)
        return 1;

    /* 1. socket(): a stream socket, like the server's. */
    int fd = traced_socket(AF_UNIX, SOCK_STREAM);
    if (fd == -1)
        return peer_fail("socket");

    /* 2. bind(): optional for a stream client. The lesson does it, and it
     * gives the client a name that the server's accept() can report. */
    if (peer_claim_path(o->client_path, SOCK_STREAM) == -1)
        return 1;
    peer_address(&self, o->client_path);
    if (traced_bind(fd, &self) == -1)
        return peer_fail("bind");
    peer_own_path(o->client_path);

    /* 3. connect(): fails at once with ENOENT when there is no socket file,
     * and ECONNREFUSED when the file is there but nobody listens on it. */
    peer_address(&server, o->server_path);
    if (traced_connect(fd, &server) == -1 && !trace_finishing()) {
        peer_buffers_free(&b);
        return peer_fail("connect");
    }
    if (!trace_finishing())
        trace_state("connected", "connected to %s", o->server_path);

    /* 4. send() a message (or --burst of them, back to back), then 5. recv()
     * the replies; again after the interval. (Asked to close, the calls
     * return -1 and the loop ends.) */
    while (!trace_finishing() && (o->count == 0 || sent < o->count)) {
        long long batch = peer_batch(o, sent), sent_now = 0, replies = 0;
        for (; sent_now < batch; sent_now++, sent++) {
            /* send() may take less than all of it (a short write): send
             * the rest. MSG_NOSIGNAL: a server that has gone makes send()
             * fail with EPIPE instead of killing us with SIGPIPE. */
            size_t out = 0;
            while (out < b.out_len) {
                ssize_t n = traced_send(fd, b.out + out, b.out_len - out, 0);
                if (n == -1)
                    break;
                out += (size_t)n;
                if (out < b.out_len)
                    trace_state("short-write", "send() took %zd of %zu bytes: sending the rest", n,
                                b.out_len - out + (size_t)n);
            }
            if (out < b.out_len && trace_finishing())
                break;
            if (out < b.out_len) {
                peer_buffers_free(&b);
                return peer_fail("send");
            }
            trace_msg("send", true, b.out, b.out_len, 1, 0, o->server_path);
        }
        /* 5. recv() the replies. A stream has no message edges: one recv()
         * may return part of a reply or several, so whole replies are
         * counted by bytes (the lesson's fixed size, --pad). With --pad 0
         * there are none to count: the server may have read the burst as
         * one message and answered once, so one recv() of data is enough. */
        long long want = o->pad > 0 ? sent_now : sent_now > 0;
        while (replies < want) {
            ssize_t n = traced_recv(fd, b.in, b.in_cap);
            if (n == -1 && trace_finishing())
                break;
            if (n == -1) {
                peer_buffers_free(&b);
                return peer_fail("recv");
            }
            if (n == 0) {
                trace_state("peer-closed",
                            "peer closed: recv() returned 0, the server closed the connection");
                traced_close(fd);
                peer_remove_paths();
                peer_buffers_free(&b);
                return trace_exit(1, "the server closed the connection after %lld message%s", sent,
                                  sent == 1 ? "" : "s");
            }
            have += n;
            long long whole = o->pad > 0 ? have / o->pad : 1;
            have = o->pad > 0 ? have % o->pad : 0;
            trace_msg("recv", false, b.in, (size_t)n, whole, 0, o->server_path);
            if (have > 0)
                trace_state("partial",
                            "%lld of %lld bytes of the next message so far: recv() again", have,
                            o->pad);
            replies += whole;
        }
        if (o->count == 0 || sent < o->count)
            peer_sleep(o->interval);
    }

    /* 6. close(): the server's recv() now returns 0, "peer closed". */
    traced_close(fd);
    peer_remove_paths();
    peer_buffers_free(&b);
    return trace_exit(0, "%s %lld message%s%s",
                      trace_finishing() ? "closed on request after" : "sent", sent,
                      sent == 1 ? "" : "s", trace_finishing() ? "" : ", every one answered");
}
