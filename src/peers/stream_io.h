/* stream_io: messages over a byte stream.
 *
 * A stream socket delivers bytes, not messages: one send() may need more
 * than one call to go out (a short write), and one recv() may return part
 * of a message or several at once. The lesson's messages have a fixed size
 * (--pad, 1024 bytes), so a receiver counts whole messages by bytes; with
 * --pad 0 there is no boundary at all, and each recv() is taken as one.
 */
#ifndef SOCKSCOPE_STREAM_IO_H
#define SOCKSCOPE_STREAM_IO_H

#include <stdbool.h>
#include <stddef.h>

struct stream_reader {
    long long pad;  /* message size; 0 = each recv() is one message */
    long long have; /* bytes of the message being received */
};

/* Sends all len bytes, one send() after another; reports the message once
 * it is all out. Returns 0, or -1 with errno set. */
int stream_send_message(int fd, const char *buf, size_t len, const char *peer);

/* Makes one recv() and reports what really arrived. Returns how many whole
 * messages it completed (0 is normal: a part), 0 with *closed set when the
 * peer closed its end, or -1 with errno set. */
long long stream_recv_messages(int fd, char *buf, size_t cap, struct stream_reader *r,
                               const char *peer, bool *closed);

#endif
