/* steps: the comparison table from the lesson (see steps.h). */
#include "steps.h"

#include <string.h>

static const struct steps_row rows[STEPS_ROWS] = {
    {"table.server1", {"table.server1.stream", "table.server1.dgram"}},
    {"table.server2", {"table.server2.stream", "table.server2.dgram"}},
    {"table.server3", {"table.server3.stream", "table.server3.dgram"}},
    {"table.client1", {"table.client1.stream", "table.client1.dgram"}},
    {"table.client2", {"table.client2.stream", "table.client2.dgram"}},
    {"table.client3", {"table.client3.stream", "table.client3.dgram"}},
};

const struct steps_row *steps_row(int i)
{
    return i >= 0 && i < STEPS_ROWS ? &rows[i] : NULL;
}

static bool is_one_of(const char *call, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(call, *names) == 0)
            return true;
    return false;
}

int steps_row_of(enum ev_role role, const char *call)
{
    static const char *const setup[] = {"socket", "bind", "listen", "accept", "connect", NULL};
    static const char *const data[] = {"send", "recv", "sendto", "recvfrom", "poll", NULL};
    static const char *const close_row[] = {"close", "unlink", NULL};
    int base = role == ROLE_SERVER ? 0 : 3;
    if (is_one_of(call, setup))
        return base;
    if (is_one_of(call, data))
        return base + 1;
    if (is_one_of(call, close_row))
        return base + 2;
    return -1;
}
