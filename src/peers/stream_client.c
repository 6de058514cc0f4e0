/* stream_client: the lesson's "TCP" client, done right.
 *
 * A stream client connect()s to the server's socket file; from then on it
 * simply send()s and recv()s on its one socket: the connection knows where
 * the data goes, so no address is named again.
 */
#include "peer.h"
#include "stream_io.h"
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* recv() until at least one whole reply is in; 0 when the server closed. */
static long long await_reply(int fd, char *buf, size_t cap, struct stream_reader *r,
                             const char *peer)
{
    long long whole = 0;
    while (whole == 0) {
        bool closed;
        whole = stream_recv_messages(fd, buf, cap, r, peer, &closed);
        if (closed) {
            trace_state("peer-closed",
                        "peer closed: recv() returned 0, the server closed the connection");
            return 0;
        }
        if (whole == -1)
            return -1;
    }
    return whole;
}

int stream_client_main(const struct options *o)
{
    struct sockaddr_un self, server;
    struct stream_reader reader = {.pad = o->pad};
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

    /* 4. send() a message (or --burst of them, back to back), recv() the
     * replies; again after the interval. (Asked to close, the calls return
     * -1 and the loop ends.) */
    while (!trace_finishing() && (o->count == 0 || sent < o->count)) {
        long long batch = peer_batch(o, sent), sent_now = 0, replies = 0;
        for (; sent_now < batch; sent_now++, sent++)
            if (stream_send_message(fd, b.out, b.out_len, o->server_path) == -1) {
                if (trace_finishing())
                    break;
                peer_buffers_free(&b);
                return peer_fail("send");
            }
        /* With --pad 0 there are no message edges: the server may have read
         * the burst as one message and answered once, so wait for one recv()
         * of data, whatever it holds. With the lesson's fixed size, count. */
        long long want = o->pad > 0 ? sent_now : sent_now > 0;
        while (replies < want) {
            long long got = await_reply(fd, b.in, b.in_cap, &reader, o->server_path);
            if (got == -1 && trace_finishing())
                break;
            if (got == -1) {
                peer_buffers_free(&b);
                return peer_fail("recv");
            }
            if (got == 0) {
                traced_close(fd);
                peer_remove_paths();
                peer_buffers_free(&b);
                return trace_exit(1, "the server closed the connection after %lld message%s", sent,
                                  sent == 1 ? "" : "s");
            }
            replies += got;
        }
        if (o->count == 0 || sent < o->count)
            peer_sleep(o->interval);
    }

    /* 5. close(): the server's recv() now returns 0, "peer closed". */
    traced_close(fd);
    peer_remove_paths();
    peer_buffers_free(&b);
    return trace_exit(0, "%s %lld message%s%s",
                      trace_finishing() ? "closed on request after" : "sent", sent,
                      sent == 1 ? "" : "s", trace_finishing() ? "" : ", every one answered");
}
