/* printer: one event as `sockscope run` prints it, the same for a run and
 * for an experiment: a text line (or a JSON line), and with --explain the
 * lessons under it. */
#ifndef SOCKSCOPE_PRINTER_H
#define SOCKSCOPE_PRINTER_H

#include "../core/event.h"
#include "../core/explain.h"
#include "../core/options.h"

struct printer {
    const struct options *o;
    long long t0;           /* the time printed as 0 */
    struct explain explain; /* --explain: what has been said once already */
};

void printer_init(struct printer *p, const struct options *o, long long t0);

/* Prints ev on stdout (not flushed). */
void printer_event(struct printer *p, const struct event *ev);

#endif
