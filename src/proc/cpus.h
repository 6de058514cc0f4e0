/* cpus: where a lock-step flood runs fastest.
 *
 * Two processes that take turns (a client waits for each answer) run
 * fastest on one CPU: handing over is then a switch on that CPU, not a
 * wakeup sent to another, which costs more than the work. A reader that
 * prints what they do runs best beside them, on the other CPUs, so that
 * it never takes their turn. `sockscope run --interval 0` places its
 * peers and itself so; `sockscope bench` pins its bare loop the same way,
 * so the two compare like with like.
 */
#ifndef SOCKSCOPE_CPUS_H
#define SOCKSCOPE_CPUS_H

#include <sys/types.h>

/* The CPU for a flood's two peers: the last one this process may use, or
 * -1 when it may use only one (then nothing is placed). */
int cpus_flood_cpu(void);

/* Keeps process pid (0: this one) on cpu. Returns 0, or -1 with errno. */
int cpus_pin(pid_t pid, int cpu);

/* Keeps this process off cpu, on every other CPU it may use. */
int cpus_leave(int cpu);

#endif
