/* Unit tests: the lesson's comparison table (src/core/steps.c).
 *
 * The lab highlights the row of the call being made; a call put in the
 * wrong row points the student at the wrong step of the lesson, and an
 * empty cell leaves a hole in the table. So: every label and cell has
 * text, and every call of both sides lands in its row.
 *
 * A client's close() and unlink() are left unasserted on purpose: whether
 * they get a row of their own is being decided in src/.
 */
#include "../../src/core/steps.h"
#include "check.h"

static void every_cell_has_text(void)
{
    for (int i = 0; i < STEPS_ROWS; i++) {
        const struct steps_row *r = steps_row(i);
        CHECK(r != NULL);
        if (!r)
            continue;
        CHECK(r->label && r->label[0]);
        CHECK(r->cell[MODE_STREAM] && r->cell[MODE_STREAM][0]);
        CHECK(r->cell[MODE_DGRAM] && r->cell[MODE_DGRAM][0]);
    }
}

static void out_of_range_rows(void)
{
    CHECK(steps_row(-1) == NULL);
    CHECK(steps_row(STEPS_ROWS) == NULL);
    CHECK(steps_row(STEPS_ROWS + 1) == NULL);
}

/* Every name in calls is in row want for role. */
static void calls_in_row(enum ev_role role, const char *const *calls, int want)
{
    for (; *calls; calls++) {
        int got = steps_row_of(role, *calls);
        if (got != want)
            fprintf(stderr, "%s %s(): row %d, want %d\n", event_role_name(role), *calls, got, want);
        CHECK(got == want);
    }
}

static void server_rows(void)
{
    static const char *const setup[] = {"socket", "bind", "listen", "accept", NULL};
    static const char *const data[] = {"send", "recv", "sendto", "recvfrom", "poll", NULL};
    static const char *const closing[] = {"close", NULL};
    calls_in_row(ROLE_SERVER, setup, 0);
    calls_in_row(ROLE_SERVER, data, 1);
    calls_in_row(ROLE_SERVER, closing, 2);
}

static void client_rows(void)
{
    static const char *const setup[] = {"socket", "bind", "connect", NULL};
    static const char *const data[] = {"send", "recv", "sendto", "recvfrom", NULL};
    calls_in_row(ROLE_CLIENT, setup, 3);
    calls_in_row(ROLE_CLIENT, data, 4);
}

static void unknown_calls(void)
{
    CHECK(steps_row_of(ROLE_SERVER, "dance") == -1);
    CHECK(steps_row_of(ROLE_CLIENT, "") == -1);
}

int main(void)
{
    every_cell_has_text();
    out_of_range_rows();
    server_rows();
    client_rows();
    unknown_calls();
    return check_report();
}
