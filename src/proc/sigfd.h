/* sigfd: signals as a file descriptor, for poll() loops.
 *
 * The signals are blocked and read from a signalfd instead, so a handler
 * never interrupts the loop halfway. Children started through spawn.h get
 * an empty signal mask back before exec. SIGPIPE is ignored: a write to a
 * peer that died is an EPIPE to handle, not a death.
 */
#ifndef SOCKSCOPE_SIGFD_H
#define SOCKSCOPE_SIGFD_H

#include <stddef.h>

/* Returns a non-blocking, close-on-exec signalfd for sigs, or -1. */
int sigfd_open(const int *sigs, size_t n);

#endif
