/* explain: `sockscope run --explain`: the lessons under the transcript.
 *
 * Under each call's result line, the lesson's sentence on why that call is
 * made (lesson_for()); after a call that failed, what its errno means
 * (event.ENOENT, ...), the first time that errno is met; after a stream
 * recv() that returned 0, event.peer-closed; after a datagram cut short,
 * event.truncated; after the first message with padding, event.padding.
 * Each is wrapped to a width and indented under the call's text. The texts
 * are looked up each time, in whatever language is loaded (lessons.h).
 */
#ifndef SOCKSCOPE_EXPLAIN_H
#define SOCKSCOPE_EXPLAIN_H

#include "event.h"
#include "options.h"

#include <stdbool.h>
#include <stddef.h>

/* The column a call's text starts at in a text line ("   0.000880 server "). */
#define EXPLAIN_INDENT 19
#define EXPLAIN_WIDTH  78 /* when the output is not a terminal */
#define EXPLAIN_ERRS   32

struct explain {
    enum sock_mode mode;
    int width; /* columns to wrap to */
    bool said_padding, said_blocking;
    int nerrs;
    char said_err[EXPLAIN_ERRS][EVENT_NAME_MAX]; /* errnos explained already */
};

void explain_init(struct explain *x, enum sock_mode mode, int width);

/* The width to wrap to: fd's terminal's, or EXPLAIN_WIDTH when fd is not
 * a terminal. */
int explain_width(int fd);

/* The lessons that follow ev's text line, into out: lines indented by
 * EXPLAIN_INDENT, each ending in '\n'. Returns their length; 0 when ev
 * needs none (or has no text line). */
size_t explain_event(struct explain *x, const struct event *ev, char *out, size_t cap);

/* event.blocking, the first time a call is seen blocked in the kernel. */
size_t explain_blocked(struct explain *x, char *out, size_t cap);

/* text wrapped at spaces to width columns, each line indented by indent
 * spaces and ending in '\n', appended to out at *len. Columns are counted
 * in characters, Thai vowel and tone marks taking none. */
void explain_wrap(const char *text, int indent, int width, char *out, size_t cap, size_t *len);

#endif
