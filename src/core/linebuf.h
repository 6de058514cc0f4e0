/* linebuf: cut a peer's byte stream into lines, with a bound.
 *
 * Peer output is untrusted: a line longer than EVENT_LINE_MAX is dropped
 * whole (and counted), never grown into without limit.
 */
#ifndef SOCKSCOPE_LINEBUF_H
#define SOCKSCOPE_LINEBUF_H

#include "event.h"

#include <stdbool.h>
#include <stddef.h>

#define LINEBUF_CAP (4 * EVENT_LINE_MAX)

struct linebuf {
    char data[LINEBUF_CAP];
    size_t start, len; /* unread bytes are data[start .. start+len) */
    bool discarding;   /* inside a line that was too long */
    long long dropped; /* lines dropped for their length */
};

void linebuf_init(struct linebuf *lb);

/* One read() from fd into the buffer. Returns the bytes read, 0 at end of
 * file, -1 when nothing is there now (EAGAIN) or on error. */
long linebuf_fill(struct linebuf *lb, int fd);

/* Adds bytes directly (tests and fuzzing). Returns how many fit. */
size_t linebuf_add(struct linebuf *lb, const char *p, size_t n);

/* The next whole line, without its '\n'; false when there is none yet. The
 * line stays valid until the next fill or add. */
bool linebuf_next(struct linebuf *lb, const char **line, size_t *len);

/* At end of file: a last line with no '\n' is incomplete; drops it and
 * returns true if there was one. */
bool linebuf_finish(struct linebuf *lb);

#endif
