/* Unit tests: a pane line as rows. What a student needs must survive a
 * 40-column pane: the whole call with its result, the address a datagram
 * went to or came from, and the accept note's listening fd. Rows never
 * overflow their width, and only the call Space makes wears the marker. */
#include "../../src/ui/pane_rows.h"
#include "../../src/ui/text.h"
#include "check.h"

#include <locale.h>
#include <string.h>

static const struct row_style base = {.dir = "/tmp/sockscope-AbCdEf",
                                      .ellipsis = "\xe2\x80\xa6",
                                      .out = "\xe2\x86\x92",
                                      .in = "\xe2\x86\x90",
                                      .marker = "\xe2\x96\xb6",
                                      .dot = "\xc2\xb7",
                                      .mode = MODE_DGRAM};

/* All rows' text joined by single spaces, for "does it say X" checks. */
static const char *joined(const struct pane_row *rows, int n)
{
    static char out[4 * PANE_ROW_BYTES];
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *t = rows[i].text;
        while (*t == ' ')
            t++;
        strcat(out, t);
        strcat(out, " ");
    }
    return out;
}

static void fits(const struct pane_row *rows, int n, int width)
{
    for (int i = 0; i < n; i++) {
        int rw = rows[i].result[0] ? text_width(rows[i].result) + 1 : 0;
        CHECK(text_width(rows[i].text) + rw <= width);
    }
}

static struct pane_line call_line(const char *call, const char *args, enum call_status st)
{
    struct pane_line p = {.kind = LINE_CALL, .status = st, .seq = 3, .rc = 1024};
    snprintf(p.call, sizeof p.call, "%s", call);
    snprintf(p.text, sizeof p.text, "%s", args);
    return p;
}

static void sendto_keeps_its_destination(void)
{
    struct pane_row rows[PANE_ROWS_MAX];
    struct pane_line p = call_line("sendto",
                                   "5, \"How are you !!!\"..., 1024, MSG_NOSIGNAL, "
                                   "\"/tmp/sockscope-AbCdEf/dgram-server.sock\"",
                                   CALL_DONE);
    int n = pane_rows(&p, &base, 39, rows);
    CHECK(n >= 2 && n <= PANE_ROWS_MAX);
    fits(rows, n, 39);
    CHECK(strstr(joined(rows, n), "\"\xe2\x80\xa6/dgram-server.sock\")") != NULL);
    CHECK(strstr(joined(rows, n), "/tmp/sockscope") == NULL); /* the directory is shortened */
    CHECK_STR(rows[n - 1].result, "= 1024");
    CHECK(rows[n - 1].result_look == RES_OK);
    CHECK(strncmp(rows[0].text, "  3 sendto(", 11) == 0); /* no marker: not the mover */
    /* Wide enough, the same call is one row. */
    n = pane_rows(&p, &base, 100, rows);
    CHECK(n == 1);
}

/* After a burst the calls number in the hundreds and thousands: the number
 * takes the room it needs, and the call still wraps whole, never cut. */
static void long_call_numbers(void)
{
    struct pane_row rows[PANE_ROWS_MAX];
    struct row_style st = base;
    st.mover = true;
    for (long long seq = 9; seq <= 10000; seq *= 10) {
        struct pane_line p =
            call_line("send", "5, \"How are you !!!\"..., 1024, MSG_NOSIGNAL", CALL_NEXT);
        p.seq = seq + 4;
        int n = pane_rows(&p, &st, 39, rows);
        CHECK(n < PANE_ROWS_MAX);
        fits(rows, n, 39);
        CHECK(strstr(joined(rows, n), "1024, MSG_NOSIGNAL)") != NULL);
        char want[32];
        snprintf(want, sizeof want, "\xe2\x96\xb6%lld send(", p.seq);
        CHECK(strncmp(rows[0].text, want, strlen(want)) == 0);
    }
}

static void only_the_mover_is_marked(void)
{
    struct pane_row rows[PANE_ROWS_MAX];
    struct pane_line p = call_line("accept", "5, &peer, &len", CALL_NEXT);
    struct row_style st = base;
    int n = pane_rows(&p, &st, 40, rows);
    CHECK(n == 1);
    CHECK_STR(rows[0].result, "waits");
    CHECK(rows[0].look == LOOK_WAITS);
    CHECK(strstr(rows[0].text, "\xe2\x96\xb6") == NULL);
    st.mover = true;
    n = pane_rows(&p, &st, 40, rows);
    CHECK_STR(rows[0].result, "next");
    CHECK(rows[0].look == LOOK_NEXT);
    CHECK(strncmp(rows[0].text, "\xe2\x96\xb6 3 accept(", 12) == 0);
    /* A failed call shows its errno; one left out says so. */
    p.status = CALL_FAILED;
    p.rc = -1;
    snprintf(p.err, sizeof p.err, "EINTR");
    pane_rows(&p, &base, 40, rows);
    CHECK_STR(rows[0].result, "= -1 EINTR");
    p.status = CALL_SKIPPED;
    pane_rows(&p, &base, 40, rows);
    CHECK_STR(rows[0].result, "not made");
}

static void messages_say_where(void)
{
    struct pane_row rows[PANE_ROWS_MAX];
    struct pane_line m = {.kind = LINE_MSG,
                          .out = false,
                          .bytes = 1024,
                          .text_bytes = 15,
                          .padding = 1009,
                          .messages = 1};
    snprintf(m.text, sizeof m.text, "How are you !!!");
    snprintf(m.peer, sizeof m.peer, "/tmp/sockscope-AbCdEf/dgram-client.sock");
    int n = pane_rows(&m, &base, 40, rows);
    CHECK(n == 2);
    fits(rows, n, 40);
    CHECK(strstr(rows[0].text, "\xe2\x86\x90 1024 B \"How are you !!!\" + 1009 NUL") != NULL);
    CHECK(strstr(rows[1].text, "from \xe2\x80\xa6/dgram-client.sock") != NULL);
    m.out = true;
    n = pane_rows(&m, &base, 120, rows);
    CHECK(n == 1);
    CHECK(strstr(rows[0].text, "+ 1009 NUL to \xe2\x80\xa6/dgram-client.sock") != NULL);
    /* What a small buffer lost, and a stream recv() with several messages. */
    m.out = false;
    m.lost = 3000;
    pane_rows(&m, &base, 120, rows);
    CHECK(strstr(rows[0].text, ", 3000 lost") != NULL);
    m.lost = 0;
    m.messages = 3;
    pane_rows(&m, &base, 120, rows);
    CHECK(strstr(rows[0].text, ", 3 msgs") != NULL);
    struct row_style stream = base;
    stream.mode = MODE_STREAM;
    m.messages = 0;
    pane_rows(&m, &stream, 120, rows);
    CHECK(strstr(rows[0].text, ", part of a msg") != NULL);
}

static void notes_wrap_whole(void)
{
    struct pane_row rows[PANE_ROWS_MAX];
    struct pane_line note = {.kind = LINE_NOTE};
    snprintf(note.text, sizeof note.text,
             "accept() made fd 6 for the client at /tmp/sockscope-AbCdEf/stream-client.sock; "
             "fd 5 goes on listening");
    int n = pane_rows(&note, &base, 40, rows);
    CHECK(n >= 2 && n <= PANE_ROWS_MAX);
    fits(rows, n, 40);
    CHECK(strstr(joined(rows, n), "fd 5 goes on listening") != NULL);
    /* A path that only starts like the directory is not shortened. */
    snprintf(note.text, sizeof note.text, "/tmp/sockscope-AbCdEfX/s.sock");
    pane_rows(&note, &base, 80, rows);
    CHECK(strstr(rows[0].text, "/tmp/sockscope-AbCdEfX/s.sock") != NULL);
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        puts("SKIP: no C.UTF-8 locale");
        return 77;
    }
    long_call_numbers();
    sendto_keeps_its_destination();
    only_the_mover_is_marked();
    messages_say_where();
    notes_wrap_whole();
    return check_report();
}
