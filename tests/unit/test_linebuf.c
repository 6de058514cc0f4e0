/* Unit tests: bounded line splitting of peer output. */
#include "../../src/core/linebuf.h"
#include "check.h"

#include <stdlib.h>

static void lines(void)
{
    static struct linebuf lb;
    const char *line;
    size_t len;
    linebuf_init(&lb);
    linebuf_add(&lb, "one\ntw", 6);
    CHECK(linebuf_next(&lb, &line, &len) && len == 3 && memcmp(line, "one", 3) == 0);
    CHECK(!linebuf_next(&lb, &line, &len));
    linebuf_add(&lb, "o\n\n", 3);
    CHECK(linebuf_next(&lb, &line, &len) && len == 3 && memcmp(line, "two", 3) == 0);
    CHECK(linebuf_next(&lb, &line, &len) && len == 0);
    linebuf_add(&lb, "tail", 4);
    CHECK(linebuf_finish(&lb)); /* an incomplete last line is reported */
    CHECK(!linebuf_next(&lb, &line, &len));
}

static void too_long(void)
{
    static struct linebuf lb;
    const char *line;
    size_t len;
    char *big = malloc(LINEBUF_CAP * 2);
    memset(big, 'x', LINEBUF_CAP * 2);
    linebuf_init(&lb);
    /* Longer than the buffer itself: dropped whole, in pieces. */
    size_t off = 0;
    while (off < LINEBUF_CAP * 2) {
        off += linebuf_add(&lb, big + off, LINEBUF_CAP * 2 - off);
        CHECK(!linebuf_next(&lb, &line, &len));
    }
    linebuf_add(&lb, "\nok\n", 4);
    CHECK(linebuf_next(&lb, &line, &len) && len == 2 && memcmp(line, "ok", 2) == 0);
    CHECK(lb.dropped == 1);
    /* Longer than an event line but shorter than the buffer: dropped too. */
    linebuf_add(&lb, big, EVENT_LINE_MAX + 1);
    linebuf_add(&lb, "\nfine\n", 6);
    CHECK(linebuf_next(&lb, &line, &len) && len == 4);
    CHECK(lb.dropped == 2);
    free(big);
}

int main(void)
{
    lines();
    too_long();
    return check_report();
}
