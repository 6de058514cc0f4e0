/* Unit tests: binary event records, from a peer's evrec_buf to the event
 * its parent prints.
 *
 * A record must turn into exactly the event the JSON line format carries:
 * the same args text as C reads them (and strace shows), the same errno
 * name and text, every string escaped. Records are untrusted input for the
 * parent: a record whose sizes or names do not add up is refused. The
 * decoder keeps the last argument text made for each call; a record that
 * differs in one byte must never get the text of the one before. */
#include "../../src/core/escape.h"
#include "../../src/core/event.h"
#include "../../src/core/evrec.h"
#include "check.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#define PID 4242

static const char *const srv_sock = "/tmp/sockscope-Ab12Cd/stream-server.sock";
static const char *const cli_sock = "/tmp/sockscope-Ab12Cd/stream-client.sock";
static const char *const dgram_sock = "/tmp/sockscope-Ab12Cd/dgram-server.sock";

/* "How are you !!!" and its padding: the lesson's 1024-byte message. */
static char hello[1024];

/* Starts a call's record as a peer does (trace.c's call_begin). */
static void call_rec(struct evrec_buf *b, enum ev_call c, long long seq, long long fd,
                     long long len, const char *src)
{
    evrec_begin(b, EV_CALL);
    b->h.call = (uint8_t)c;
    b->h.seq = seq;
    b->h.t_us = 1000 + seq;
    b->h.n[N_FD] = fd;
    b->h.n[N_LEN] = len;
    evrec_str(b, 0, src, strlen(src));
}

static void enter_rec(struct evrec_buf *b, bool gated)
{
    b->h.phase = PHASE_ENTER;
    b->h.t_us = 1000 + b->h.seq;
    b->h.bits = gated ? EVREC_GATED : 0;
}

static void exit_rec(struct evrec_buf *b, long long rc, int err)
{
    b->h.phase = PHASE_EXIT;
    b->h.bits = 0;
    b->h.t_us = 1000 + b->h.seq + 5;
    b->h.n[N_RC] = rc;
    b->h.n[N_ERR] = rc == -1 ? err : 0;
}

/* Finishes the record and decodes it into ev; the return of evrec_to_event(). */
static int decode(struct evrec_buf *b, enum ev_role role, struct event *ev)
{
    size_t size = evrec_finish(b);
    CHECK(size % 8 == 0);
    CHECK(size >= sizeof b->h && size <= EVREC_MAX);
    CHECK(size == b->h.size);
    return evrec_to_event(&b->h, size, role, PID, ev);
}

/* The JSON line of ev, in a static buffer. Also: that line reads back as
 * the same event, and writes again as the same line. */
static const char *json_of(const struct event *ev)
{
    static char line[EVENT_LINE_MAX];
    char again[EVENT_LINE_MAX];
    struct event back;
    size_t n = event_to_json(ev, line, sizeof line);
    CHECK(n > 0);
    CHECK(n > 0 && line[n - 1] == '\n');
    CHECK(event_from_json(&back, line, n) == 0);
    size_t m = event_to_json(&back, again, sizeof again);
    CHECK(m == n && memcmp(again, line, n) == 0);
    return line;
}

/* Every string of the event is safe to put on a terminal. */
static void check_clean(const struct event *ev)
{
    const char *f[] = {ev->src,  ev->call, ev->args,  ev->err,   ev->errtext,
                       ev->text, ev->peer, ev->state, ev->detail};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        CHECK(escape_is_clean(f[i], strlen(f[i])));
}

/* The args of a call's enter and exit, and that both phases carry them. */
static void check_call(struct evrec_buf *b, const char *call, const char *args)
{
    struct event ev;
    enter_rec(b, true);
    CHECK(decode(b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.kind == EV_CALL && ev.phase == PHASE_ENTER && ev.gated);
    CHECK_STR(ev.call, call);
    CHECK_STR(ev.args, args);
    check_clean(&ev);
    json_of(&ev);
    exit_rec(b, 0, 0);
    CHECK(decode(b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.kind == EV_CALL && ev.phase == PHASE_EXIT && !ev.gated);
    CHECK_STR(ev.call, call);
    CHECK_STR(ev.args, args);
    CHECK(ev.rc == 0 && ev.err[0] == '\0' && ev.errtext[0] == '\0');
    CHECK(ev.src[0] == '\0'); /* an exit has no src */
    check_clean(&ev);
    json_of(&ev);
}

static void socket_calls(void)
{
    struct evrec_buf b;
    struct event ev;
    call_rec(&b, CALL_SOCKET, 1, -1, SOCK_STREAM, "stream_server.c:57");
    enter_rec(&b, true);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.t_us == 1001 && ev.role == ROLE_SERVER && ev.pid == PID && ev.seq == 1);
    CHECK_STR(ev.src, "stream_server.c:57");
    CHECK_STR(json_of(&ev),
              "{\"v\":1,\"t_us\":1001,\"role\":\"server\",\"pid\":4242,\"kind\":\"call\",\"seq\":1,"
              "\"phase\":\"enter\",\"call\":\"socket\",\"args\":\"AF_UNIX, SOCK_STREAM, 0\","
              "\"gated\":true,\"src\":\"stream_server.c:57\"}\n");
    exit_rec(&b, 3, 0);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK_STR(json_of(&ev),
              "{\"v\":1,\"t_us\":1006,\"role\":\"server\",\"pid\":4242,\"kind\":\"call\",\"seq\":1,"
              "\"phase\":\"exit\",\"call\":\"socket\",\"args\":\"AF_UNIX, SOCK_STREAM, 0\","
              "\"rc\":3,\"errno\":null}\n");
    char text[EVENT_LINE_MAX];
    CHECK(event_to_text(&ev, 1000, text, sizeof text) > 0);
    CHECK_STR(text, "   0.000006 server socket(AF_UNIX, SOCK_STREAM, 0) = 3");

    call_rec(&b, CALL_SOCKET, 1, -1, SOCK_DGRAM, "dgram_client.c:30");
    check_call(&b, "socket", "AF_UNIX, SOCK_DGRAM, 0");
    /* Not gated: the enter says so, and has no src when the peer gave none. */
    call_rec(&b, CALL_SOCKET, 2, -1, SOCK_DGRAM, "");
    enter_rec(&b, false);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    CHECK_STR(json_of(&ev),
              "{\"v\":1,\"t_us\":1002,\"role\":\"client\",\"pid\":4242,\"kind\":\"call\",\"seq\":2,"
              "\"phase\":\"enter\",\"call\":\"socket\",\"args\":\"AF_UNIX, SOCK_DGRAM, 0\","
              "\"gated\":false}\n");
}

static void path_calls(void)
{
    struct evrec_buf b;
    struct event ev;
    char args[EVENT_ARGS_MAX];

    call_rec(&b, CALL_BIND, 2, 3, 0, "stream_server.c:61");
    evrec_str(&b, 1, srv_sock, strlen(srv_sock));
    snprintf(args, sizeof args, "3, \"%s\"", srv_sock);
    check_call(&b, "bind", args);

    /* A newline and an escape sequence in the path come out escaped. */
    const char nl[] = "/tmp/a\nb.sock";
    call_rec(&b, CALL_BIND, 2, 3, 0, "stream_server.c:61");
    evrec_str(&b, 1, nl, strlen(nl));
    check_call(&b, "bind", "3, \"/tmp/a\\nb.sock\"");
    enter_rec(&b, false);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK_STR(json_of(&ev),
              "{\"v\":1,\"t_us\":1002,\"role\":\"server\",\"pid\":4242,\"kind\":\"call\",\"seq\":2,"
              "\"phase\":\"enter\",\"call\":\"bind\",\"args\":\"3, \\\"/tmp/a\\\\nb.sock\\\"\","
              "\"gated\":false,\"src\":\"stream_server.c:61\"}\n");
    const char esc[] = "/tmp/\x1b[31mred\x7f.sock";
    call_rec(&b, CALL_BIND, 2, 3, 0, "stream_server.c:61");
    evrec_str(&b, 1, esc, strlen(esc));
    check_call(&b, "bind", "3, \"/tmp/\\x1b[31mred\\x7f.sock\"");

    call_rec(&b, CALL_LISTEN, 3, 3, 5, "stream_server.c:70");
    check_call(&b, "listen", "3, 5");
    call_rec(&b, CALL_ACCEPT, 4, 3, 0, "stream_server.c:80");
    check_call(&b, "accept", "3, &peer, &len");
    exit_rec(&b, 4, 0);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.rc == 4);

    call_rec(&b, CALL_CONNECT, 2, 4, 0, "stream_client.c:44");
    evrec_str(&b, 1, srv_sock, strlen(srv_sock));
    snprintf(args, sizeof args, "4, \"%s\"", srv_sock);
    check_call(&b, "connect", args);

    call_rec(&b, CALL_CLOSE, 9, 4, 0, "stream_client.c:90");
    check_call(&b, "close", "4");
    call_rec(&b, CALL_UNLINK, 10, -1, 0, "stream_server.c:99");
    evrec_str(&b, 1, srv_sock, strlen(srv_sock));
    snprintf(args, sizeof args, "\"%s\"", srv_sock);
    check_call(&b, "unlink", args);
    call_rec(&b, CALL_RECV, 5, 6, 1024, "stream_server.c:88");
    check_call(&b, "recv", "6, buf, 1024, 0");
    call_rec(&b, CALL_RECVFROM, 5, 3, 1024, "dgram_server.c:60");
    check_call(&b, "recvfrom", "3, buf, 1024, MSG_TRUNC, &from, &len");
}

/* The data's preview as trace.c keeps it: up to the first NUL, at most
 * EVREC_PREVIEW bytes. */
static void add_preview(struct evrec_buf *b, const void *buf, size_t len)
{
    size_t text = strnlen(buf, len < EVREC_PREVIEW ? len : EVREC_PREVIEW);
    evrec_str(b, 1, buf, text);
}

static void send_calls(void)
{
    struct evrec_buf b;
    struct event ev;
    char args[EVENT_ARGS_MAX];

    call_rec(&b, CALL_SEND, 6, 5, sizeof hello, "stream_client.c:50");
    b.h.n[N_FLAGS] = MSG_NOSIGNAL;
    add_preview(&b, hello, sizeof hello);
    check_call(&b, "send", "5, \"How are you !!!\"..., 1024, MSG_NOSIGNAL");
    enter_rec(&b, true);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    CHECK_STR(json_of(&ev),
              "{\"v\":1,\"t_us\":1006,\"role\":\"client\",\"pid\":4242,\"kind\":\"call\",\"seq\":6,"
              "\"phase\":\"enter\",\"call\":\"send\","
              "\"args\":\"5, \\\"How are you !!!\\\"..., 1024, MSG_NOSIGNAL\","
              "\"gated\":true,\"src\":\"stream_client.c:50\"}\n");
    exit_rec(&b, 1024, 0);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    char text[EVENT_LINE_MAX];
    CHECK(event_to_text(&ev, 1011 - 11097, text, sizeof text) > 0);
    CHECK_STR(text,
              "   0.011097 client send(5, \"How are you !!!\"..., 1024, MSG_NOSIGNAL) = 1024");

    /* More than EVREC_PREVIEW bytes of text, MSG_DONTWAIT: the preview
     * shows what fits (47 characters) and says there is more. */
    const char *lorem = "The quick brown fox jumps over the lazy dog; the quick brown fox jumps "
                        "over the lazy dog once more.";
    size_t len = strlen(lorem);
    CHECK(len > EVREC_PREVIEW);
    call_rec(&b, CALL_SEND, 7, 5, (long long)len, "stream_client.c:52");
    b.h.n[N_FLAGS] = MSG_DONTWAIT | MSG_NOSIGNAL;
    add_preview(&b, lorem, len);
    CHECK(b.h.len[1] == EVREC_PREVIEW);
    snprintf(args, sizeof args, "5, \"%.47s\"..., %zu, MSG_DONTWAIT|MSG_NOSIGNAL", lorem, len);
    check_call(&b, "send", args);

    /* All of a short text without a NUL: no "...". */
    call_rec(&b, CALL_SEND, 8, 5, 2, "stream_client.c:52");
    b.h.n[N_FLAGS] = MSG_NOSIGNAL;
    add_preview(&b, "hi", 2);
    check_call(&b, "send", "5, \"hi\", 2, MSG_NOSIGNAL");
    /* A backslash is doubled and a newline escaped, as in C source. */
    call_rec(&b, CALL_SEND, 8, 5, 5, "stream_client.c:52");
    b.h.n[N_FLAGS] = MSG_NOSIGNAL;
    add_preview(&b, "a\\b\n!", 5);
    check_call(&b, "send", "5, \"a\\\\b\\n!\", 5, MSG_NOSIGNAL");
    /* Thai stays readable. */
    const char *thai = "\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0\xb8\xb5";
    call_rec(&b, CALL_SEND, 8, 5, 18, "stream_client.c:52");
    b.h.n[N_FLAGS] = MSG_NOSIGNAL;
    add_preview(&b, thai, 18);
    snprintf(args, sizeof args, "5, \"%s\", 18, MSG_NOSIGNAL", thai);
    check_call(&b, "send", args);

    call_rec(&b, CALL_SENDTO, 6, 4, sizeof hello, "dgram_client.c:48");
    b.h.n[N_FLAGS] = MSG_NOSIGNAL;
    add_preview(&b, hello, sizeof hello);
    evrec_str(&b, 2, dgram_sock, strlen(dgram_sock));
    snprintf(args, sizeof args, "4, \"How are you !!!\"..., 1024, MSG_NOSIGNAL, \"%s\"",
             dgram_sock);
    check_call(&b, "sendto", args);
    exit_rec(&b, 1024, 0);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    CHECK(event_to_text(&ev, 1011 - 8681, text, sizeof text) > 0);
    CHECK_STR(text, "   0.008681 client sendto(4, \"How are you !!!\"..., 1024, MSG_NOSIGNAL, "
                    "\"/tmp/sockscope-Ab12Cd/dgram-server.sock\") = 1024");
}

static void poll_calls(void)
{
    struct evrec_buf b;
    struct event ev;
    int32_t fds[] = {3, 5, 7};
    call_rec(&b, CALL_POLL, 11, -1, 3, "stream_server.c:120");
    evrec_str(&b, 1, fds, sizeof fds);
    check_call(&b, "poll", "[3, 5, 7], 3, -1");
    enter_rec(&b, false);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK(!ev.gated);
    CHECK_STR(
        json_of(&ev),
        "{\"v\":1,\"t_us\":1011,\"role\":\"server\",\"pid\":4242,\"kind\":\"call\",\"seq\":11,"
        "\"phase\":\"enter\",\"call\":\"poll\",\"args\":\"[3, 5, 7], 3, -1\","
        "\"gated\":false,\"src\":\"stream_server.c:120\"}\n");
    exit_rec(&b, 2, 0);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.rc == 2);
    call_rec(&b, CALL_POLL, 12, -1, 0, "stream_server.c:120");
    check_call(&b, "poll", "[], 0, -1");
    /* A -1 entry (an unused slot) is shown as C has it. */
    int32_t more[] = {-1, 4};
    call_rec(&b, CALL_POLL, 13, -1, 2, "stream_server.c:120");
    evrec_str(&b, 1, more, sizeof more);
    check_call(&b, "poll", "[-1, 4], 2, -1");
}

static void failed_calls(void)
{
    struct evrec_buf b;
    struct event ev;
    char want[EVENT_ARGS_MAX];
    call_rec(&b, CALL_CONNECT, 2, 4, 0, "stream_client.c:44");
    evrec_str(&b, 1, srv_sock, strlen(srv_sock));
    exit_rec(&b, -1, ECONNREFUSED);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    CHECK(ev.rc == -1);
    CHECK_STR(ev.err, "ECONNREFUSED");
    CHECK_STR(ev.errtext, strerror(ECONNREFUSED));
    CHECK_STR(ev.errtext, "Connection refused");
    snprintf(want, sizeof want,
             "{\"v\":1,\"t_us\":1007,\"role\":\"client\",\"pid\":4242,\"kind\":\"call\",\"seq\":2,"
             "\"phase\":\"exit\",\"call\":\"connect\",\"args\":\"4, \\\"%s\\\"\",\"rc\":-1,"
             "\"errno\":\"ECONNREFUSED\",\"error\":\"Connection refused\"}\n",
             srv_sock);
    CHECK_STR(json_of(&ev), want);
    char text[EVENT_LINE_MAX];
    CHECK(event_to_text(&ev, 1007, text, sizeof text) > 0);
    snprintf(want, sizeof want,
             "   0.000000 client connect(4, \"%s\") = -1 ECONNREFUSED (Connection refused)",
             srv_sock);
    CHECK_STR(text, want);

    /* Other errors: their names and texts. */
    static const struct {
        int err;
        const char *name;
    } errs[] = {{ENOENT, "ENOENT"},      {EADDRINUSE, "EADDRINUSE"}, {EINTR, "EINTR"},
                {EAGAIN, "EAGAIN"},      {EPIPE, "EPIPE"},           {ECONNRESET, "ECONNRESET"},
                {EMSGSIZE, "EMSGSIZE"},  {ENOTCONN, "ENOTCONN"},     {EBADF, "EBADF"},
                {ECANCELED, "ECANCELED"}};
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        call_rec(&b, CALL_RECV, 5, 6, 1024, "stream_server.c:88");
        exit_rec(&b, -1, errs[i].err);
        CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
        CHECK_STR(ev.err, errs[i].name);
        CHECK_STR(ev.errtext, strerror(errs[i].err));
        json_of(&ev);
    }
    /* A number that is no errno: named "E?", with the C library's text. */
    call_rec(&b, CALL_RECV, 5, 6, 1024, "stream_server.c:88");
    exit_rec(&b, -1, 4000);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK_STR(ev.err, "E?");
    CHECK_STR(ev.errtext, "Unknown error 4000");
    /* -1 without an errno, and an errno without -1: no error shown. */
    call_rec(&b, CALL_RECV, 5, 6, 1024, "stream_server.c:88");
    exit_rec(&b, -1, 0);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.rc == -1 && ev.err[0] == '\0' && ev.errtext[0] == '\0');
    CHECK(strstr(json_of(&ev), "\"rc\":-1,\"errno\":null}") != NULL);
    exit_rec(&b, 0, 0);
    b.h.n[N_ERR] = EPIPE;
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.rc == 0 && ev.err[0] == '\0');
    /* A negative errno is no errno either. */
    exit_rec(&b, -1, 0);
    b.h.n[N_ERR] = -5;
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.err[0] == '\0');
}

static void msgs(void)
{
    struct evrec_buf b;
    struct event ev;
    char want[EVENT_LINE_MAX];

    evrec_begin(&b, EV_MSG);
    b.h.t_us = 11394;
    b.h.call = CALL_RECV;
    b.h.n[N_BYTES] = 1024;
    b.h.n[N_TEXT_BYTES] = 15;
    b.h.n[N_PADDING] = 1009;
    b.h.n[N_MESSAGES] = 1;
    evrec_str(&b, 0, hello, strlen(hello));
    evrec_str(&b, 1, cli_sock, strlen(cli_sock));
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.kind == EV_MSG && !ev.out && ev.bytes == 1024);
    CHECK_STR(ev.call, "recv");
    CHECK_STR(ev.text, "How are you !!!");
    CHECK_STR(ev.peer, cli_sock);
    snprintf(want, sizeof want,
             "{\"v\":1,\"t_us\":11394,\"role\":\"server\",\"pid\":4242,\"kind\":\"msg\","
             "\"call\":\"recv\",\"dir\":\"in\",\"bytes\":1024,\"text\":\"How are you !!!\","
             "\"text_bytes\":15,\"padding\":1009,\"messages\":1,\"lost\":0,\"peer\":\"%s\"}\n",
             cli_sock);
    CHECK_STR(json_of(&ev), want);
    char text[EVENT_LINE_MAX];
    CHECK(event_to_text(&ev, 0, text, sizeof text) > 0);
    snprintf(want, sizeof want,
             "   0.011394 server <- received 1024 bytes, text 15, padding 1009: "
             "\"How are you !!!\" from %s",
             cli_sock);
    CHECK_STR(text, want);

    /* Out, by sendto, with what a small buffer cut off and two messages;
     * the text up to its first NUL, escaped with backslashes doubled. */
    const char data[] = "ok\\\n\x1b\0tail";
    evrec_begin(&b, EV_MSG);
    b.h.t_us = 20;
    b.h.call = CALL_SENDTO;
    b.h.bits = EVREC_OUT;
    b.h.n[N_BYTES] = 100;
    b.h.n[N_TEXT_BYTES] = 5;
    b.h.n[N_PADDING] = 95;
    b.h.n[N_MESSAGES] = 2;
    b.h.n[N_LOST] = 7;
    evrec_str(&b, 0, data, sizeof data - 1);
    evrec_str(&b, 1, "/tmp/p\tq", 8);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    CHECK(ev.out && ev.messages == 2 && ev.lost == 7 && ev.padding == 95 && ev.text_bytes == 5);
    CHECK_STR(ev.call, "sendto");
    CHECK_STR(ev.text, "ok\\\\\\n\\x1b");
    CHECK_STR(ev.peer, "/tmp/p\\tq");
    check_clean(&ev);
    CHECK_STR(
        json_of(&ev),
        "{\"v\":1,\"t_us\":20,\"role\":\"client\",\"pid\":4242,\"kind\":\"msg\","
        "\"call\":\"sendto\",\"dir\":\"out\",\"bytes\":100,\"text\":\"ok\\\\\\\\\\\\n\\\\x1b\","
        "\"text_bytes\":5,\"padding\":95,\"messages\":2,\"lost\":7,\"peer\":\"/tmp/p\\\\tq\"}\n");

    /* The longest text a record keeps fills the event's field. */
    static char big[EVREC_TEXT + 100];
    memset(big, 'x', sizeof big - 1);
    evrec_begin(&b, EV_MSG);
    b.h.call = CALL_SEND;
    b.h.bits = EVREC_OUT;
    evrec_str(&b, 0, big, EVREC_TEXT);
    evrec_str(&b, 1, "", 0);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    CHECK(strlen(ev.text) == EVENT_TEXT_MAX - 1);
    CHECK(ev.peer[0] == '\0');
    json_of(&ev);
}

static void state_stats_exit(void)
{
    struct evrec_buf b;
    struct event ev;

    evrec_begin(&b, EV_STATE);
    b.h.t_us = 77;
    evrec_str(&b, 0, "listening", 9);
    const char *detail = "waiting for a client on /tmp/x.sock";
    evrec_str(&b, 1, detail, strlen(detail));
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK(ev.kind == EV_STATE);
    CHECK_STR(json_of(&ev),
              "{\"v\":1,\"t_us\":77,\"role\":\"server\",\"pid\":4242,\"kind\":\"state\","
              "\"state\":\"listening\",\"detail\":\"waiting for a client on "
              "/tmp/x.sock\"}\n");
    char text[EVENT_LINE_MAX];
    CHECK(event_to_text(&ev, 77, text, sizeof text) > 0);
    CHECK_STR(text, "   0.000000 server * listening: waiting for a client on /tmp/x.sock");
    /* A detail that would clear the screen is shown, not obeyed. */
    evrec_begin(&b, EV_STATE);
    evrec_str(&b, 0, "x\ny", 3);
    evrec_str(&b, 1, "\x1b[2J", 4);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    CHECK_STR(ev.state, "x\\ny");
    CHECK_STR(ev.detail, "\\x1b[2J");
    check_clean(&ev);
    /* Any call number is fine where there is no call. */
    b.h.call = 200;
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);

    evrec_begin(&b, EV_STATS);
    b.h.t_us = 88;
    for (int i = 0; i < EVREC_NUMS; i++)
        b.h.n[i] = i + 1;
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    CHECK(ev.kind == EV_STATS && ev.stats.msgs_out == 1 && ev.stats.errors == 8);
    CHECK_STR(json_of(&ev),
              "{\"v\":1,\"t_us\":88,\"role\":\"client\",\"pid\":4242,\"kind\":\"stats\","
              "\"msgs_out\":1,\"msgs_in\":2,\"bytes_out\":3,\"bytes_in\":4,"
              "\"send_calls\":5,\"recv_calls\":6,\"bytes_lost\":7,\"errors\":8}\n");
    CHECK(event_to_text(&ev, 0, text, sizeof text) == 0);

    evrec_begin(&b, EV_EXIT);
    b.h.t_us = 99;
    b.h.n[N_STATUS] = 0;
    evrec_str(&b, 0, "done", 4);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    CHECK(ev.kind == EV_EXIT && ev.status == 0);
    CHECK_STR(json_of(&ev),
              "{\"v\":1,\"t_us\":99,\"role\":\"client\",\"pid\":4242,\"kind\":\"exit\","
              "\"status\":0,\"reason\":\"done\"}\n");
    evrec_begin(&b, EV_EXIT);
    b.h.n[N_STATUS] = 3;
    evrec_str(&b, 0, "connect: No such file or directory", 34);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    CHECK(ev.status == 3);
    CHECK_STR(ev.detail, "connect: No such file or directory");
    CHECK(event_to_text(&ev, 0, text, sizeof text) > 0);
    CHECK_STR(text, "   0.000000 client * exit 3: connect: No such file or directory");
}

/* Garbage in every field, as a reused struct event holds: decoding must clear it. */
static void stale(struct event *ev)
{
    memset(ev, 'Z', sizeof *ev);
}

/* A valid call record in b, size returned. */
static size_t valid_rec(struct evrec_buf *b)
{
    call_rec(b, CALL_BIND, 2, 3, 0, "stream_server.c:61");
    evrec_str(b, 1, "/tmp/x.sock", 11);
    enter_rec(b, true);
    return evrec_finish(b);
}

static void invalid(void)
{
    struct evrec_buf b;
    struct event ev;
    size_t size = valid_rec(&b);
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == 0);

    /* Smaller than the header. */
    CHECK(evrec_to_event(&b.h, 0, ROLE_SERVER, PID, &ev) == -1);
    CHECK(evrec_to_event(&b.h, sizeof b.h - 1, ROLE_SERVER, PID, &ev) == -1);
    b.h.size = sizeof b.h - 8;
    CHECK(evrec_to_event(&b.h, sizeof b.h - 8, ROLE_SERVER, PID, &ev) == -1);
    /* The size field differs from the size. */
    size = valid_rec(&b);
    CHECK(evrec_to_event(&b.h, size + 8, ROLE_SERVER, PID, &ev) == -1);
    CHECK(evrec_to_event(&b.h, size - 8, ROLE_SERVER, PID, &ev) == -1);
    b.h.size = 0;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    /* A time before the clock's start: CLOCK_MONOTONIC is never negative. */
    size = valid_rec(&b);
    b.h.t_us = -1;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.t_us = 0;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == 0);
    /* No such kind. */
    size = valid_rec(&b);
    b.h.kind = EV_KIND_COUNT;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.kind = 255;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    /* No such phase. */
    size = valid_rec(&b);
    b.h.phase = 2;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.phase = 255;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    /* No such call, for a call and for a message. */
    size = valid_rec(&b);
    b.h.call = CALL_COUNT;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.call = 255;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.call = CALL_POLL;
    stale(&ev);
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == 0);
    evrec_begin(&b, EV_MSG);
    evrec_str(&b, 0, "hi", 2);
    evrec_str(&b, 1, "", 0);
    b.h.call = CALL_COUNT;
    size = evrec_finish(&b);
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.call = CALL_RECV;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == 0);

    /* String lengths past the record: each alone, and only their sum. */
    size = valid_rec(&b); /* 96 + 18 + 11 = 125 -> 128: 32 bytes of strings */
    size_t room = size - sizeof b.h;
    CHECK(room == 32);
    b.h.len[0] = (uint16_t)(room + 1);
    b.h.len[1] = 0;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.len[0] = 0;
    b.h.len[2] = (uint16_t)(room + 1);
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.len[0] = 12, b.h.len[1] = 12, b.h.len[2] = 9;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.len[0] = 0xffff, b.h.len[1] = 0xffff, b.h.len[2] = 0xffff;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    b.h.len[0] = 1, b.h.len[1] = 0xffff, b.h.len[2] = 0;
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == -1);
    /* All of the room, exactly: fine. */
    b.h.len[0] = 12, b.h.len[1] = 12, b.h.len[2] = 8;
    stale(&ev);
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == 0);
    check_clean(&ev);

    /* A header alone is a valid record of every kind (empty strings). */
    static const uint8_t kinds[] = {EV_CALL, EV_MSG, EV_STATE, EV_STATS, EV_EXIT};
    for (size_t k = 0; k < sizeof kinds; k++) {
        evrec_begin(&b, kinds[k]);
        size = evrec_finish(&b);
        CHECK(size == sizeof b.h);
        stale(&ev);
        CHECK(evrec_to_event(&b.h, size, ROLE_CLIENT, PID, &ev) == 0);
        CHECK(ev.kind == kinds[k]);
        check_clean(&ev);
        json_of(&ev);
    }
}

/* Builders that change one thing, for the argument cache. */
static const char *send_args(int fd, const char *data, size_t len, int flags)
{
    static struct event ev;
    struct evrec_buf b;
    call_rec(&b, CALL_SEND, 1, fd, (long long)len, "x.c:1");
    b.h.n[N_FLAGS] = flags;
    add_preview(&b, data, len);
    enter_rec(&b, false);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    return ev.args;
}

static const char *path_args(enum ev_call c, int fd, const char *path)
{
    static struct event ev;
    struct evrec_buf b;
    call_rec(&b, c, 1, fd, 0, "x.c:1");
    evrec_str(&b, 1, path, strlen(path));
    exit_rec(&b, 0, 0);
    CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
    return ev.args;
}

static const char *sendto_args(int fd, const char *data, const char *path)
{
    static struct event ev;
    struct evrec_buf b;
    call_rec(&b, CALL_SENDTO, 1, fd, (long long)strlen(data), "x.c:1");
    b.h.n[N_FLAGS] = MSG_NOSIGNAL;
    evrec_str(&b, 1, data, strlen(data));
    evrec_str(&b, 2, path, strlen(path));
    enter_rec(&b, false);
    CHECK(decode(&b, ROLE_CLIENT, &ev) == 0);
    return ev.args;
}

static void arg_cache(void)
{
    /* The same args twice, then one thing changed at a time. */
    CHECK_STR(send_args(5, "hello", 5, MSG_NOSIGNAL), "5, \"hello\", 5, MSG_NOSIGNAL");
    CHECK_STR(send_args(5, "hello", 5, MSG_NOSIGNAL), "5, \"hello\", 5, MSG_NOSIGNAL");
    CHECK_STR(send_args(6, "hello", 5, MSG_NOSIGNAL), "6, \"hello\", 5, MSG_NOSIGNAL");
    CHECK_STR(send_args(5, "hello", 5, MSG_NOSIGNAL), "5, \"hello\", 5, MSG_NOSIGNAL");
    CHECK_STR(send_args(5, "hellp", 5, MSG_NOSIGNAL), "5, \"hellp\", 5, MSG_NOSIGNAL");
    CHECK_STR(send_args(5, "hellp", 6, MSG_NOSIGNAL), "5, \"hellp\"..., 6, MSG_NOSIGNAL");
    CHECK_STR(send_args(5, "hellp", 6, MSG_NOSIGNAL | MSG_DONTWAIT),
              "5, \"hellp\"..., 6, MSG_DONTWAIT|MSG_NOSIGNAL");
    CHECK_STR(send_args(5, "jellp", 6, MSG_NOSIGNAL | MSG_DONTWAIT),
              "5, \"jellp\"..., 6, MSG_DONTWAIT|MSG_NOSIGNAL");

    CHECK_STR(path_args(CALL_BIND, 3, "/tmp/a.sock"), "3, \"/tmp/a.sock\"");
    CHECK_STR(path_args(CALL_BIND, 3, "/tmp/a.sock"), "3, \"/tmp/a.sock\"");
    CHECK_STR(path_args(CALL_BIND, 3, "/tmp/b.sock"), "3, \"/tmp/b.sock\"");
    CHECK_STR(path_args(CALL_BIND, 4, "/tmp/b.sock"), "4, \"/tmp/b.sock\"");
    CHECK_STR(path_args(CALL_BIND, 4, "/tmp/b.sockx"), "4, \"/tmp/b.sockx\"");
    /* Another call with the same numbers and path has its own text. */
    CHECK_STR(path_args(CALL_CONNECT, 4, "/tmp/b.sockx"), "4, \"/tmp/b.sockx\"");
    CHECK_STR(path_args(CALL_UNLINK, 4, "/tmp/b.sockx"), "\"/tmp/b.sockx\"");
    CHECK_STR(path_args(CALL_BIND, 4, "/tmp/b.sockx"), "4, \"/tmp/b.sockx\"");
    CHECK_STR(path_args(CALL_UNLINK, 4, "/tmp/b.sock\n"), "\"/tmp/b.sock\\n\"");

    /* sendto: a byte of the path, or bytes moved between data and path. */
    CHECK_STR(sendto_args(4, "hi", "/tmp/s1"), "4, \"hi\", 2, MSG_NOSIGNAL, \"/tmp/s1\"");
    CHECK_STR(sendto_args(4, "hi", "/tmp/s2"), "4, \"hi\", 2, MSG_NOSIGNAL, \"/tmp/s2\"");
    CHECK_STR(sendto_args(4, "hi", "/tmp/s2"), "4, \"hi\", 2, MSG_NOSIGNAL, \"/tmp/s2\"");
    CHECK_STR(sendto_args(4, "hi/", "tmp/s2"), "4, \"hi/\", 3, MSG_NOSIGNAL, \"tmp/s2\"");

    /* A long path, twice. */
    char path[201];
    memset(path, 'p', sizeof path - 1);
    path[200] = '\0';
    char want[EVENT_ARGS_MAX];
    snprintf(want, sizeof want, "4, \"hi\", 2, MSG_NOSIGNAL, \"%.200s\"", path);
    want[EVENT_ARGS_MAX - 1] = '\0';
    for (int i = 0; i < 2; i++)
        CHECK_STR(sendto_args(4, "hi", path), want);
    /* Strings too long to be kept: still right, every time. */
    char bigpath[330];
    memset(bigpath, 'q', sizeof bigpath - 1);
    bigpath[sizeof bigpath - 1] = '\0';
    const char *a = path_args(CALL_BIND, 4, bigpath);
    CHECK(strncmp(a, "4, \"qqqq", 8) == 0 && strlen(a) == EVENT_ARGS_MAX - 1);
    bigpath[2] = 'r';
    a = path_args(CALL_BIND, 4, bigpath);
    CHECK(strncmp(a, "4, \"qqrq", 8) == 0);
    CHECK_STR(path_args(CALL_BIND, 4, "/tmp/b.sockx"), "4, \"/tmp/b.sockx\"");

    /* poll: one fd of the list changed. */
    struct evrec_buf b;
    struct event ev;
    int32_t fds[] = {3, 5};
    for (int i = 0; i < 3; i++) {
        if (i == 2)
            fds[1] = 6;
        call_rec(&b, CALL_POLL, 1, -1, 2, "x.c:1");
        evrec_str(&b, 1, fds, sizeof fds);
        enter_rec(&b, false);
        CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
        CHECK_STR(ev.args, i < 2 ? "[3, 5], 2, -1" : "[3, 6], 2, -1");
    }
    /* socket: only the type changed. */
    for (int i = 0; i < 4; i++) {
        call_rec(&b, CALL_SOCKET, 1, -1, i % 2 ? SOCK_DGRAM : SOCK_STREAM, "x.c:1");
        enter_rec(&b, false);
        CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
        CHECK_STR(ev.args, i % 2 ? "AF_UNIX, SOCK_DGRAM, 0" : "AF_UNIX, SOCK_STREAM, 0");
    }
    /* listen: only the backlog. */
    for (int i = 0; i < 3; i++) {
        call_rec(&b, CALL_LISTEN, 1, 3, 5 + (i == 2), "x.c:1");
        exit_rec(&b, 0, 0);
        CHECK(decode(&b, ROLE_SERVER, &ev) == 0);
        CHECK_STR(ev.args, i < 2 ? "3, 5" : "3, 6");
    }
}

static void names(void)
{
    static const char *const all[CALL_COUNT] = {"socket",   "bind",  "listen", "accept",
                                                "connect",  "send",  "recv",   "sendto",
                                                "recvfrom", "close", "unlink", "poll"};
    for (int i = 0; i < CALL_COUNT; i++) {
        CHECK_STR(evrec_call_name((enum ev_call)i), all[i]);
        CHECK(evrec_call_id(all[i]) == (enum ev_call)i);
    }
    CHECK_STR(evrec_call_name(CALL_COUNT), "?");
    CHECK(evrec_call_id("read") == CALL_COUNT);
    CHECK(evrec_call_id("") == CALL_COUNT);
}

/* evrec_str keeps what fits, and the record never passes EVREC_MAX. */
static void builder(void)
{
    static char big[EVREC_MAX * 2];
    struct evrec_buf b;
    struct event ev;
    memset(big, 'a', sizeof big);
    evrec_begin(&b, EV_STATE);
    evrec_str(&b, 0, big, 1000);
    evrec_str(&b, 1, big, 5000);
    evrec_str(&b, 2, big, 10);
    CHECK(b.h.len[0] == 1000);
    CHECK(b.h.len[1] == sizeof b.s - 1000);
    CHECK(b.h.len[2] == 0);
    size_t size = evrec_finish(&b);
    CHECK(size == EVREC_MAX);
    CHECK(evrec_to_event(&b.h, size, ROLE_SERVER, PID, &ev) == 0);
    CHECK(strlen(ev.state) == EVENT_NAME_MAX - 1 && strlen(ev.detail) == EVENT_ARGS_MAX - 1);
    /* begin starts afresh. */
    evrec_begin(&b, EV_EXIT);
    CHECK(b.used == 0 && b.h.len[0] == 0 && b.h.len[1] == 0 && b.h.n[0] == 0);
    evrec_str(&b, 0, "x", 1);
    CHECK(evrec_finish(&b) == sizeof b.h + 8);
}

int main(void)
{
    strcpy(hello, "How are you !!!");
    names();
    builder();
    socket_calls();
    path_calls();
    send_calls();
    poll_calls();
    failed_calls();
    msgs();
    state_stats_exit();
    invalid();
    arg_cache();
    return check_report();
}
