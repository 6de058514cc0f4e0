/* steps: the comparison table from the lesson (see steps.h). */
#include "steps.h"

#include <string.h>

static const struct steps_row rows[STEPS_ROWS] = {
    {"server 1. set up", {"bind() listen() accept()", "bind() only"}},
    {"server 2. data", {"send()/recv() on accepted", "sendto()/recvfrom()"}},
    {"server 3. close", {"close accepted, then listener", "close() the one socket"}},
    {"client 1. set up", {"connect() to the server", "no connect() needed"}},
    {"client 2. data", {"send()/recv()", "sendto()/recvfrom()"}},
    {"client 3. close", {"close(): server recv() = 0", "close(): nobody is told"}},
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
