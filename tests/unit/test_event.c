/* Unit tests: event lines to and from JSON, and their text form. */
#include "../../src/core/event.h"
#include "check.h"

#include <limits.h>
#include <string.h>

#include <errno.h>

static struct event round_trip(const struct event *in)
{
    char line[EVENT_LINE_MAX];
    struct event out;
    size_t n = event_to_json(in, line, sizeof line);
    CHECK(n > 0 && line[n - 1] == '\n');
    CHECK(event_from_json(&out, line, n) == 0);
    return out;
}

static void call_events(void)
{
    struct event ev = {.t_us = 1234,
                       .role = ROLE_SERVER,
                       .pid = 77,
                       .kind = EV_CALL,
                       .seq = 2,
                       .phase = PHASE_EXIT,
                       .rc = -1};
    strcpy(ev.call, "connect");
    strcpy(ev.args, "3, \"/run/x.sock\"");
    strcpy(ev.err, "ECONNREFUSED");
    strcpy(ev.errtext, "Connection refused");
    struct event back = round_trip(&ev);
    CHECK(back.t_us == 1234 && back.pid == 77 && back.seq == 2 && back.rc == -1);
    CHECK(back.kind == EV_CALL && back.phase == PHASE_EXIT && back.role == ROLE_SERVER);
    CHECK_STR(back.args, "3, \"/run/x.sock\"");
    CHECK_STR(back.err, "ECONNREFUSED");

    char text[512];
    event_to_text(&back, 1234, text, sizeof text);
    CHECK_STR(
        text,
        "   0.000000 server connect(3, \"/run/x.sock\") = -1 ECONNREFUSED (Connection refused)");
    ev.phase = PHASE_ENTER;
    ev.gated = true;
    snprintf(ev.src, sizeof ev.src, "stream_client.c:40");
    back = round_trip(&ev);
    CHECK(back.phase == PHASE_ENTER && back.gated);
    CHECK_STR(back.src, "stream_client.c:40"); /* where the call is made, for the code pane */
    CHECK(event_to_text(&back, 0, text, sizeof text) == 0); /* enter has no text line */
}

static void msg_and_stats(void)
{
    struct event ev = {.t_us = 2500000,
                       .role = ROLE_CLIENT,
                       .kind = EV_MSG,
                       .out = false,
                       .bytes = 1024,
                       .text_bytes = 12,
                       .padding = 1012,
                       .messages = 1};
    strcpy(ev.call, "recv");
    strcpy(ev.text, "OK,I got it!");
    strcpy(ev.peer, "/tmp/s.sock");
    struct event back = round_trip(&ev);
    CHECK(!back.out && back.bytes == 1024 && back.padding == 1012 && back.messages == 1);
    char text[512];
    event_to_text(&back, 500000, text, sizeof text);
    CHECK_STR(text, "   2.000000 client <- received 1024 bytes, text 12, padding 1012: \"OK,I got "
                    "it!\" from /tmp/s.sock");

    struct event st = {.role = ROLE_SERVER,
                       .kind = EV_STATS,
                       .stats = {.msgs_out = 3,
                                 .msgs_in = 4,
                                 .bytes_out = 3072,
                                 .bytes_in = 4096,
                                 .send_calls = 3,
                                 .recv_calls = 5,
                                 .errors = 1}};
    back = round_trip(&st);
    CHECK(memcmp(&back.stats, &st.stats, sizeof st.stats) == 0);

    struct event ex = {.role = ROLE_CLIENT, .kind = EV_EXIT, .status = 1};
    strcpy(ex.detail, "connect() failed");
    back = round_trip(&ex);
    CHECK(back.status == 1);
    CHECK_STR(back.detail, "connect() failed");
}

static void untrusted_lines(void)
{
    struct event ev;
    const char *esc =
        "{\"v\":1,\"role\":\"client\",\"kind\":\"msg\",\"text\":\"\\u001b[2Jhi\\u0007\"}";
    CHECK(event_from_json(&ev, esc, strlen(esc)) == 0);
    CHECK_STR(ev.text, "\\x1b[2Jhi\\x07"); /* arrives escaped, never raw */
    const char *extra =
        "{\"v\":1,\"role\":\"server\",\"kind\":\"state\",\"state\":\"x\",\"future\":5}";
    CHECK(event_from_json(&ev, extra, strlen(extra)) == 0);
    const char *bad[] = {
        "{\"v\":2,\"role\":\"server\",\"kind\":\"state\"}",
        "{\"v\":1,\"role\":\"nobody\",\"kind\":\"state\"}",
        "{\"v\":1,\"role\":\"server\",\"kind\":\"dance\"}",
        "{\"v\":1,\"kind\":\"state\"}",
        "{\"v\":1,\"role\":\"server\",\"kind\":\"call\",\"phase\":\"middle\"}",
        "garbage",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(event_from_json(&ev, bad[i], strlen(bad[i])) == -1);
    /* A very long text is cut to the field, still a valid event. */
    char line[EVENT_LINE_MAX];
    int n =
        snprintf(line, sizeof line, "{\"v\":1,\"role\":\"server\",\"kind\":\"msg\",\"text\":\"");
    memset(line + n, 'x', 3000);
    strcpy(line + n + 3000, "\"}");
    CHECK(event_from_json(&ev, line, strlen(line)) == 0);
    CHECK(strlen(ev.text) < EVENT_TEXT_MAX);
}

/* A line is at most EVENT_LINE_MAX bytes: one more and it is refused. */
static void line_limit(void)
{
    static char line[EVENT_LINE_MAX + 2];
    struct event ev;
    const char *head = "{\"v\":1,\"role\":\"server\",\"kind\":\"state\"}";
    memset(line, ' ', sizeof line);
    memcpy(line, head, strlen(head));
    CHECK(event_from_json(&ev, line, EVENT_LINE_MAX) == 0);
    CHECK(event_from_json(&ev, line, EVENT_LINE_MAX + 1) == -1);
}

static void names(void)
{
    CHECK_STR(errno_name(ENOENT), "ENOENT");
    CHECK_STR(errno_name(ECONNREFUSED), "ECONNREFUSED");
    CHECK_STR(errno_name(EPIPE), "EPIPE");
    CHECK_STR(errno_name(123456), "E?");
    CHECK_STR(event_kind_name(EV_STATS), "stats");
}

/* errno names come from the C library (strerrorname_np), so every errno it
 * knows has its name, not only those a hand table listed. */
static void errno_names_from_libc(void)
{
    CHECK_STR(errno_name(ENOENT), "ENOENT");
    CHECK_STR(errno_name(ECONNREFUSED), "ECONNREFUSED");
    CHECK_STR(errno_name(EADDRINUSE), "EADDRINUSE");
    CHECK_STR(errno_name(EMSGSIZE), "EMSGSIZE");
    CHECK_STR(errno_name(EPIPE), "EPIPE");
    CHECK_STR(errno_name(EINTR), "EINTR");
    /* Ones the old table did not have. */
    CHECK_STR(errno_name(ESRCH), "ESRCH");
    CHECK_STR(errno_name(ENOTEMPTY), "ENOTEMPTY");
    CHECK_STR(errno_name(EHOSTUNREACH), "EHOSTUNREACH");
    CHECK_STR(errno_name(EPROTONOSUPPORT), "EPROTONOSUPPORT");
    /* Numbers that are no errno. */
    CHECK_STR(errno_name(123456), "E?");
    CHECK_STR(errno_name(-1), "E?");
    CHECK_STR(errno_name(0), "E?");
}

/* A peer's time is untrusted: the farthest ones print without overflow
 * (UBSan in CI would stop on one). */
static void extreme_times(void)
{
    struct event ev = {.kind = EV_EXIT, .role = ROLE_SERVER, .status = 0, .detail = "x"};
    char out[256];
    ev.t_us = LLONG_MIN;
    CHECK(event_to_text(&ev, 1000000, out, sizeof out) > 0);
    CHECK(strncmp(out, "-9223372036854.775808 server", 28) == 0);
    ev.t_us = LLONG_MAX;
    CHECK(event_to_text(&ev, -5, out, sizeof out) > 0);
    CHECK(strncmp(out, "9223372036854.775807 server", 27) == 0);
    ev.t_us = 1500000;
    CHECK(event_to_text(&ev, 2000000, out, sizeof out) > 0);
    CHECK(strncmp(out, "  -0.500000 server", 18) == 0);
    ev.t_us = 12000001;
    CHECK(event_to_text(&ev, 0, out, sizeof out) > 0);
    CHECK(strncmp(out, "  12.000001 server", 18) == 0);
}

int main(void)
{
    extreme_times();
    call_events();
    msg_and_stats();
    untrusted_lines();
    line_limit();
    names();
    errno_names_from_libc();
    return check_report();
}
