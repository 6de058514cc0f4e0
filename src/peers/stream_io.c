/* stream_io: whole messages over a byte stream (see stream_io.h). */
#include "stream_io.h"

#include "trace.h"

#include <stdio.h>

int stream_send_message(int fd, const char *buf, size_t len, const char *peer)
{
    size_t sent = 0;
    while (sent < len) {
        ssize_t n = traced_send(fd, buf + sent, len - sent);
        if (n == -1)
            return -1;
        sent += (size_t)n;
        if (sent < len)
            trace_state("short-write", "send() took %zd of %zu bytes: sending the rest", n,
                        len - sent + (size_t)n);
    }
    trace_msg("send", true, buf, len, 1, 0, peer);
    return 0;
}

long long stream_recv_messages(int fd, char *buf, size_t cap, struct stream_reader *r,
                               const char *peer, bool *closed)
{
    long long done;
    ssize_t n = traced_recv(fd, buf, cap);
    *closed = n == 0;
    if (n <= 0)
        return n;
    if (r->pad <= 0) {
        done = 1;
    } else {
        r->have += n;
        done = r->have / r->pad;
        r->have %= r->pad;
    }
    trace_msg("recv", false, buf, (size_t)n, done, 0, peer);
    if (r->have > 0)
        trace_state("partial", "%lld of %lld bytes of the next message so far: recv() again",
                    r->have, r->pad);
    return done;
}
