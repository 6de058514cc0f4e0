/* Unit tests: the sentences that explain each call (src/core/lessons.c).
 *
 * The lab shows lesson_for() under the panes for every call a side makes,
 * so each of those calls needs a sentence, the sentence must be about that
 * call, and a datagram sentence must not teach a stream's behaviour (a
 * datagram has no connection: nothing "returns 0" when the other side
 * closes). The calls listed here are the ones the four peers really make.
 */
#include "../../src/core/lessons.h"
#include "check.h"

struct side_calls {
    enum sock_mode mode;
    enum ev_role role;
    const char *calls[10];
};

static const struct side_calls sides[] = {
    {MODE_STREAM,
     ROLE_SERVER,
     {"socket", "bind", "listen", "accept", "poll", "recv", "send", "close", "unlink", NULL}},
    {MODE_STREAM,
     ROLE_CLIENT,
     {"socket", "bind", "connect", "send", "recv", "close", "unlink", NULL}},
    {MODE_DGRAM, ROLE_SERVER, {"socket", "bind", "recvfrom", "sendto", "close", "unlink", NULL}},
    {MODE_DGRAM, ROLE_CLIENT, {"socket", "bind", "sendto", "recvfrom", "close", "unlink", NULL}},
};

/* What only a stream does, said as if it happened here: a datagram
 * sentence containing one is wrong. (A datagram sentence may still name a
 * stream's calls to say what differs, as in "a stream server would use
 * recv() on an accepted socket".) */
static const char *const stream_only[] = {
    "recv() now returns 0",
    "returns 0",
    "peer closed",
};

static void report(const struct side_calls *s, const char *call, const char *what, const char *text)
{
    fprintf(stderr, "%s %s %s(): %s: \"%s\"\n", mode_name(s->mode), event_role_name(s->role), call,
            what, text ? text : "(null)");
}

/* The sentence exists and names its call: "close(" for close. */
static void names_its_call(const struct side_calls *s, const char *call, const char *text)
{
    char named[32];
    snprintf(named, sizeof named, "%s(", call);
    bool ok = text && text[0] && strstr(text, named);
    if (!ok)
        report(s, call, "no sentence naming the call", text);
    CHECK(ok);
}

static void no_stream_talk(const struct side_calls *s, const char *call, const char *text)
{
    if (s->mode != MODE_DGRAM || !text)
        return;
    for (size_t i = 0; i < sizeof stream_only / sizeof stream_only[0]; i++) {
        bool ok = strstr(text, stream_only[i]) == NULL;
        if (!ok)
            report(s, call, stream_only[i], text);
        CHECK(ok);
    }
}

static void every_call_explained(void)
{
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        const struct side_calls *s = &sides[i];
        for (const char *const *c = s->calls; *c; c++) {
            const char *text = lesson_for(s->mode, s->role, *c);
            names_its_call(s, *c, text);
            no_stream_talk(s, *c, text);
        }
    }
}

/* The two datagram close sentences, named here so a failure is plain. */
static void dgram_close(void)
{
    const char *server = lesson_for(MODE_DGRAM, ROLE_SERVER, "close");
    const char *client = lesson_for(MODE_DGRAM, ROLE_CLIENT, "close");
    CHECK(strstr(server, "recv() now returns 0") == NULL);
    CHECK(strstr(client, "recv() now returns 0") == NULL);
    /* A stream client's close does make the server's recv() return 0. */
    CHECK(strstr(lesson_for(MODE_STREAM, ROLE_CLIENT, "close"), "returns 0") != NULL);
}

static void start_and_unknown(void)
{
    const char *stream = lesson_start(MODE_STREAM), *dgram = lesson_start(MODE_DGRAM);
    CHECK(stream && stream[0] && dgram && dgram[0]);
    CHECK(strcmp(stream, dgram) != 0);
    CHECK(lesson_for(MODE_STREAM, ROLE_SERVER, "dance") != NULL); /* never NULL */
}

int main(void)
{
    every_call_explained();
    dgram_close();
    start_and_unknown();
    return check_report();
}
