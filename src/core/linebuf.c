/* linebuf: bounded line splitting (see linebuf.h). */
#include "linebuf.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

void linebuf_init(struct linebuf *lb)
{
    memset(lb, 0, sizeof *lb);
}

static void compact(struct linebuf *lb)
{
    if (lb->start > 0) {
        memmove(lb->data, lb->data + lb->start, lb->len);
        lb->start = 0;
    }
    /* Full and still no end of line: this line is too long. */
    if (lb->len == LINEBUF_CAP) {
        lb->len = 0;
        if (!lb->discarding)
            lb->dropped++;
        lb->discarding = true;
    }
}

long linebuf_fill(struct linebuf *lb, int fd)
{
    compact(lb);
    ssize_t n;
    do
        n = read(fd, lb->data + lb->len, LINEBUF_CAP - lb->len);
    while (n == -1 && errno == EINTR);
    if (n > 0)
        lb->len += (size_t)n;
    return n;
}

size_t linebuf_add(struct linebuf *lb, const char *p, size_t n)
{
    compact(lb);
    size_t room = LINEBUF_CAP - lb->len;
    if (n > room)
        n = room;
    memcpy(lb->data + lb->len, p, n);
    lb->len += n;
    return n;
}

bool linebuf_next(struct linebuf *lb, const char **line, size_t *len)
{
    for (;;) {
        char *s = lb->data + lb->start;
        char *nl = memchr(s, '\n', lb->len);
        if (!nl)
            return false;
        size_t n = (size_t)(nl - s);
        lb->start += n + 1;
        lb->len -= n + 1;
        if (lb->discarding) {
            lb->discarding = false; /* the end of the long line: skip it */
            continue;
        }
        if (n > EVENT_LINE_MAX) {
            lb->dropped++;
            continue;
        }
        *line = s;
        *len = n;
        return true;
    }
}

bool linebuf_finish(struct linebuf *lb)
{
    bool partial = lb->len > 0 && !lb->discarding;
    lb->start = lb->len = 0;
    lb->discarding = false;
    return partial;
}
