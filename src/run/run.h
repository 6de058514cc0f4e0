/* run: `sockscope run`: a real server and a real client in a private
 * directory, their events merged in time order on stdout, without a screen. */
#ifndef SOCKSCOPE_RUN_H
#define SOCKSCOPE_RUN_H

#include "../core/options.h"

/* Returns the exit status: 0 when both peers finished cleanly, 1 when one
 * failed (its reason on stderr), 130 when interrupted. */
int run_main(const struct options *o);

#endif
