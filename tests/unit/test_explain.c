/* Unit tests: what `sockscope run --explain` adds under the transcript
 * (src/core/explain.c): each finished call's lesson, wrapped and indented;
 * an errno's lesson the first time it is met; peer-closed after a stream
 * recv() = 0; truncated after a datagram cut short; padding once; and the
 * wrapping itself, by columns (a Thai vowel mark takes none).
 */
#include "../../src/core/explain.h"
#include "../../src/core/lessons.h"
#include "check.h"

#include <string.h>

static struct event call(enum ev_role role, const char *name, long long rc, const char *err)
{
    struct event ev = {.kind = EV_CALL, .phase = PHASE_EXIT, .role = role, .rc = rc};
    snprintf(ev.call, sizeof ev.call, "%s", name);
    snprintf(ev.err, sizeof ev.err, "%s", err);
    return ev;
}

/* out, its lines unwrapped: the indent checked and cut, joined with spaces. */
static const char *unwrapped(const char *out, int width, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (const char *p = out; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        bool indented = n > EXPLAIN_INDENT && strspn(p, " ") == EXPLAIN_INDENT;
        CHECK(indented);
        CHECK(nl != NULL);
        CHECK((int)n <= width);
        if (indented)
            o += (size_t)snprintf(buf + o, cap - o, "%s%.*s", o ? " " : "",
                                  (int)(n - EXPLAIN_INDENT), p + EXPLAIN_INDENT);
        p += n + (nl != NULL);
    }
    return buf;
}

static void a_call_and_its_lesson(void)
{
    struct explain x;
    char out[8192], joined[8192];
    explain_init(&x, MODE_STREAM, 78);
    struct event ev = call(ROLE_SERVER, "listen", 0, "");
    size_t n = explain_event(&x, &ev, out, sizeof out);
    CHECK(n == strlen(out) && n > 0);
    CHECK_STR(unwrapped(out, 78, joined, sizeof joined),
              lesson_for(MODE_STREAM, ROLE_SERVER, "listen"));
    /* The same call again says it again: each call line has its lesson. */
    CHECK(explain_event(&x, &ev, out, sizeof out) == n);
    /* A call's enter has no line of its own, so no lesson. */
    ev.phase = PHASE_ENTER;
    CHECK(explain_event(&x, &ev, out, sizeof out) == 0 && out[0] == '\0');
    /* Nor a state line. */
    struct event st = {.kind = EV_STATE};
    CHECK(explain_event(&x, &st, out, sizeof out) == 0);
}

static void errno_once(void)
{
    struct explain x;
    char out[8192], joined[8192], want[8192];
    explain_init(&x, MODE_STREAM, 78);
    struct event ev = call(ROLE_CLIENT, "connect", -1, "ENOENT");
    explain_event(&x, &ev, out, sizeof out);
    snprintf(want, sizeof want, "%s %s", lesson_for(MODE_STREAM, ROLE_CLIENT, "connect"),
             lesson_get("event.ENOENT"));
    CHECK_STR(unwrapped(out, 78, joined, sizeof joined), want);
    explain_event(&x, &ev, out, sizeof out); /* met again: only the call's lesson */
    CHECK_STR(unwrapped(out, 78, joined, sizeof joined),
              lesson_for(MODE_STREAM, ROLE_CLIENT, "connect"));
    ev = call(ROLE_CLIENT, "connect", -1, "ECONNREFUSED");
    explain_event(&x, &ev, out, sizeof out);
    CHECK(strstr(unwrapped(out, 78, joined, sizeof joined), lesson_get("event.ECONNREFUSED")));
    ev = call(ROLE_CLIENT, "connect", -1, "ENOTSOCK"); /* no lesson for it: just the call's */
    explain_event(&x, &ev, out, sizeof out);
    CHECK_STR(unwrapped(out, 78, joined, sizeof joined),
              lesson_for(MODE_STREAM, ROLE_CLIENT, "connect"));
}

static void peer_closed(void)
{
    struct explain x;
    char out[8192], joined[8192], want[8192];
    explain_init(&x, MODE_STREAM, 100);
    struct event ev = call(ROLE_SERVER, "recv", 0, "");
    explain_event(&x, &ev, out, sizeof out);
    snprintf(want, sizeof want, "%s %s", lesson_for(MODE_STREAM, ROLE_SERVER, "recv"),
             lesson_get("event.peer-closed"));
    CHECK_STR(unwrapped(out, 100, joined, sizeof joined), want);
    ev.rc = 1024; /* data: no goodbye */
    explain_event(&x, &ev, out, sizeof out);
    CHECK(strstr(out, lesson_get("event.peer-closed")) == NULL);
    CHECK(strstr(unwrapped(out, 100, joined, sizeof joined), lesson_get("event.peer-closed")) ==
          NULL);
    /* A datagram of 0 bytes is not a goodbye. */
    explain_init(&x, MODE_DGRAM, 100);
    ev = call(ROLE_SERVER, "recvfrom", 0, "");
    explain_event(&x, &ev, out, sizeof out);
    CHECK(strstr(unwrapped(out, 100, joined, sizeof joined), lesson_get("event.peer-closed")) ==
          NULL);
}

static void messages(void)
{
    struct explain x;
    char out[8192], joined[8192], want[8192];
    explain_init(&x, MODE_DGRAM, 78);
    struct event msg = {.kind = EV_MSG, .bytes = 1024, .padding = 1009};
    explain_event(&x, &msg, out, sizeof out);
    CHECK_STR(unwrapped(out, 78, joined, sizeof joined), lesson_get("event.padding"));
    CHECK(explain_event(&x, &msg, out, sizeof out) == 0); /* once */
    msg.lost = 924;
    explain_event(&x, &msg, out, sizeof out);
    CHECK_STR(unwrapped(out, 78, joined, sizeof joined), lesson_get("event.truncated"));
    explain_event(&x, &msg, out, sizeof out); /* each datagram cut short */
    CHECK_STR(unwrapped(out, 78, joined, sizeof joined), lesson_get("event.truncated"));
    explain_init(&x, MODE_DGRAM, 78);
    explain_event(&x, &msg, out, sizeof out);
    snprintf(want, sizeof want, "%s %s", lesson_get("event.truncated"),
             lesson_get("event.padding"));
    CHECK_STR(unwrapped(out, 78, joined, sizeof joined), want);
    CHECK(explain_blocked(&x, out, sizeof out) > 0);
    CHECK_STR(unwrapped(out, 78, joined, sizeof joined), lesson_get("event.blocking"));
    CHECK(explain_blocked(&x, out, sizeof out) == 0);
}

static void wrapping(void)
{
    char out[1024];
    size_t len = 0;
    out[0] = '\0';
    explain_wrap("aaaaaaaaa bbbbbbbbb ccccccccc", 2, 22, out, sizeof out, &len);
    CHECK_STR(out, "  aaaaaaaaa bbbbbbbbb\n  ccccccccc\n");
    CHECK(len == strlen(out));
    len = 0;
    explain_wrap("  one  ", 0, 40, out, sizeof out, &len);
    CHECK_STR(out, "one\n");
    len = 0;
    /* A word longer than the room is cut, never lost. */
    explain_wrap("abcdefghijklmnopqrstuvwxyzabcdefgh x", 0, 20, out, sizeof out, &len);
    CHECK_STR(out, "abcdefghijklmnopqrst\nuvwxyzabcdefgh x\n");
    len = 0;
    /* Thai: กี่ is three characters, two of them marks above: one column.
     * Twenty of them and a space fit 21 columns of room. */
    char thai[512] = "";
    for (int i = 0; i < 20; i++)
        strcat(thai, "\xe0\xb8\x81\xe0\xb8\xb5\xe0\xb9\x88");
    strcat(thai, " \xe0\xb8\x81");
    explain_wrap(thai, 0, 22, out, sizeof out, &len);
    CHECK(strchr(out, '\n') == out + len - 1); /* one line */
    len = 0;
    explain_wrap(thai, 0, 21, out, sizeof out, &len);
    CHECK(strchr(out, '\n') != out + len - 1); /* two */
    len = 0;
    /* Too narrow a width still leaves 20 columns for the words. */
    explain_wrap("aaaa bbbb cccc dddd eeee", 19, 10, out, sizeof out, &len);
    CHECK_STR(out, "                   aaaa bbbb cccc dddd\n                   eeee\n");
    /* A small buffer is filled, never overrun. */
    char small[8];
    len = 0;
    explain_wrap("aaaa bbbb", 0, 40, small, sizeof small, &len);
    CHECK(len == 7 && strlen(small) == 7);
}

int main(void)
{
    a_call_and_its_lesson();
    errno_once();
    peer_closed();
    messages();
    wrapping();
    return check_report();
}
