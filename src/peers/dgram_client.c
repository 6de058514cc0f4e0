/* dgram_client: the lesson's "UDP" client, done right (and named so).
 *
 * No connect(): every sendto() names the server's address. The client must
 * bind() a name of its own, because over AF_UNIX an unbound datagram socket
 * has no address, and the server could not reply to it.
 */
#include "peer.h"
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dgram_client_main(const struct options *o)
{
    struct sockaddr_un self, server, from;
    socklen_t fromlen;
    long long sent = 0;
    struct peer_buffers b;
    if (peer_buffers_init(&b, o) != 0)
        return 1;

    /* 1. socket(): a datagram socket, like the server's. */
    int fd = traced_socket(AF_UNIX, SOCK_DGRAM);
    if (fd == -1)
        return peer_fail("socket");

    /* 2. bind(): our own address, where the server's reply will be sent. */
    if (peer_claim_path(o->client_path, SOCK_DGRAM) == -1)
        return 1;
    peer_address(&self, o->client_path);
    if (traced_bind(fd, &self) == -1)
        return peer_fail("bind");
    peer_own_path(o->client_path);

    /* 3. sendto() the server's address, recvfrom() its reply; no connect().
     * sendto() fails with ENOENT when there is no socket file, ECONNREFUSED
     * when nobody is bound to it, EMSGSIZE when the datagram is too big. */
    peer_address(&server, o->server_path);
    while (!trace_finishing() && (o->count == 0 || sent < o->count)) {
        long long batch = peer_batch(o, sent), sent_now = 0;
        for (; sent_now < batch; sent_now++, sent++) {
            ssize_t n = traced_sendto(fd, b.out, b.out_len, 0, &server);
            if (n == -1 && trace_finishing())
                break; /* asked to close */
            if (n == -1) {
                peer_buffers_free(&b);
                return peer_fail("sendto");
            }
            trace_msg("sendto", true, b.out, b.out_len, 1, 0, o->server_path);
        }
        /* One recvfrom() per datagram sent: each reply comes whole, alone. */
        for (long long k = 0; k < sent_now; k++) {
            ssize_t n = traced_recvfrom(fd, b.in, b.in_cap, &from, &fromlen);
            if (n == -1 && trace_finishing())
                break;
            if (n == -1) {
                peer_buffers_free(&b);
                return peer_fail("recvfrom");
            }
            long long got = n < o->buffer ? n : o->buffer;
            trace_msg("recvfrom", false, b.in, (size_t)got, 1, n - got,
                      peer_address_text(&from, fromlen));
            if (n > got)
                trace_state("truncated",
                            "the datagram had %zd bytes, the buffer holds %lld: the rest is lost",
                            n, o->buffer);
        }
        if (o->count == 0 || sent < o->count)
            peer_sleep(o->interval);
    }

    /* 4. close() the socket. */
    traced_close(fd);
    peer_remove_paths();
    peer_buffers_free(&b);
    return trace_exit(0, "%s %lld message%s%s",
                      trace_finishing() ? "closed on request after" : "sent", sent,
                      sent == 1 ? "" : "s", trace_finishing() ? "" : ", every one answered");
}
