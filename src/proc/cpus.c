/* cpus: one CPU for a flood's peers, the others for its reader (see cpus.h). */
#include "cpus.h"

#include <sched.h>

int cpus_flood_cpu(void)
{
    cpu_set_t allowed;
    int last = -1;
    if (sched_getaffinity(0, sizeof allowed, &allowed) == -1 || CPU_COUNT(&allowed) < 2)
        return -1;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &allowed))
            last = c;
    return last;
}

int cpus_pin(pid_t pid, int cpu)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(pid, sizeof one, &one);
}

int cpus_leave(int cpu)
{
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) == -1)
        return -1;
    CPU_CLR(cpu, &allowed);
    return sched_setaffinity(0, sizeof allowed, &allowed);
}
