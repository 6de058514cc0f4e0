/* clock: the one clock every process here reads (CLOCK_MONOTONIC), so that
 * two peers' event times compare. Async-signal-safe. */
#ifndef SOCKSCOPE_CLOCK_H
#define SOCKSCOPE_CLOCK_H

long long clock_now_us(void);

#endif
