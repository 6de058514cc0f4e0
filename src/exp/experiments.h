/* experiments: `sockscope run --experiment NAME`: one difference between
 * stream and datagram sockets, shown with real calls in the chosen mode,
 * then said in one sentence with the numbers that were measured.
 *
 * Each experiment is a short script for the director (director.h): which
 * peer makes its next call, when, and which one is killed or held back. The
 * peers are the four teaching programs, run with flags (--burst, --pad,
 * --buffer, --backlog, --no-claim), so every call shown is theirs.
 */
#ifndef SOCKSCOPE_EXPERIMENTS_H
#define SOCKSCOPE_EXPERIMENTS_H

#include "../core/options.h"

/* Runs o->experiment in o->mode, printing events as `run` does. Returns 0
 * when it ran as planned, 1 when a step went otherwise (said on stderr),
 * 130 when interrupted. */
int experiment_main(const struct options *o);

#endif
