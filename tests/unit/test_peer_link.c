/* Unit tests: the command line a parent starts a peer with
 * (src/proc/peer_link.c, peer_link_args()).
 *
 * `sockscope run` and the lab both start their peers with these words; one
 * wrong flag or number and the peer refuses to start, or runs with the
 * wrong count, padding or interval. So the exact words are checked, in
 * order, for both sides in both modes, and the list ends with NULL.
 */
#include "../../src/proc/peer_link.h"
#include "check.h"

/* The words match want exactly, and no more. */
static void check_words(const char *const *got, const char *const *want)
{
    size_t i = 0;
    for (; want[i]; i++) {
        CHECK(got[i] != NULL);
        if (!got[i])
            return;
        CHECK_STR(got[i], want[i]);
    }
    CHECK(got[i] == NULL);
}

static void server_words(void)
{
    struct peer_words w;
    struct peer_plan p = {.mode = MODE_STREAM,
                          .server_path = "/tmp/d/stream-server.sock",
                          .client_path = "/tmp/d/stream-client.sock",
                          .count = 5,
                          .pad = 1024,
                          .buffer = 100,
                          .interval = 0.25};
    const char *const stream[] = {
        "server",  "--mode", "stream", "--path", "/tmp/d/stream-server.sock",
        "--count", "5",      "--pad",  "1024",   "--buffer",
        "100",     NULL};
    check_words(peer_link_args(&p, ROLE_SERVER, &w), stream);

    p.mode = MODE_DGRAM;
    p.server_path = "/s";
    p.count = 0;
    p.pad = 0;
    p.buffer = 1048576;
    const char *const dgram[] = {"server", "--mode", "dgram", "--path",   "/s",      "--count",
                                 "0",      "--pad",  "0",     "--buffer", "1048576", NULL};
    check_words(peer_link_args(&p, ROLE_SERVER, &w), dgram);
}

static void client_words(void)
{
    struct peer_words w;
    struct peer_plan p = {.mode = MODE_STREAM,
                          .server_path = "/tmp/d/stream-server.sock",
                          .client_path = "/tmp/d/stream-client.sock",
                          .count = 3,
                          .pad = 2048,
                          .buffer = 1024,
                          .interval = 0.25};
    const char *const stream[] = {"client",
                                  "--mode",
                                  "stream",
                                  "--server-path",
                                  "/tmp/d/stream-server.sock",
                                  "--client-path",
                                  "/tmp/d/stream-client.sock",
                                  "--interval",
                                  "0.25",
                                  "--count",
                                  "3",
                                  "--pad",
                                  "2048",
                                  "--buffer",
                                  "1024",
                                  NULL};
    check_words(peer_link_args(&p, ROLE_CLIENT, &w), stream);

    p.mode = MODE_DGRAM;
    p.server_path = "/s";
    p.client_path = "/c";
    p.count = 1000000000;
    p.pad = 7;
    p.buffer = 1;
    p.interval = 0;
    const char *const dgram[] = {"client", "--mode",        "dgram",      "--server-path",
                                 "/s",     "--client-path", "/c",         "--interval",
                                 "0",      "--count",       "1000000000", "--pad",
                                 "7",      "--buffer",      "1",          NULL};
    check_words(peer_link_args(&p, ROLE_CLIENT, &w), dgram);
}

/* Whole seconds and fractions are written as a person would type them:
 * plain decimal, which is all --interval takes (never "1e-05"), to the
 * nanosecond. */
static void interval_words(void)
{
    struct peer_words w;
    struct peer_plan p = {.mode = MODE_STREAM, .server_path = "/s", .client_path = "/c"};
    const double in[] = {1, 0.2, 2.5, 3600, 0, 0.00001, 0.123456789, 3599.999999999};
    const char *const out[] = {"1",       "0.2",         "2.5",           "3600", "0",
                               "0.00001", "0.123456789", "3599.999999999"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        p.interval = in[i];
        const char *const *a = peer_link_args(&p, ROLE_CLIENT, &w);
        CHECK_STR(a[7], "--interval");
        CHECK_STR(a[8], out[i]);
    }
}

int main(void)
{
    server_words();
    client_words();
    interval_words();
    return check_report();
}
