/* Unit tests: what the lab does with a peer's output, through a real pipe:
 * good lines become pane lines, and garbage, over-long lines and broken
 * JSON are counted and skipped, never shown; escape sequences arrive as
 * visible text. */
#include "../../src/ui/lab.h"
#include "check.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static void feed(int fd, const char *s)
{
    size_t n = strlen(s);
    CHECK(write(fd, s, n) == (ssize_t)n);
}

int main(void)
{
    struct lab *l = calloc(1, sizeof *l);
    int p[2];
    CHECK(l && pipe(p) == 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    session_reset(&l->session, MODE_STREAM);
    session_started(&l->session, ROLE_SERVER, 42);
    linebuf_init(&l->lines[ROLE_SERVER]);
    l->proc[ROLE_SERVER].event_fd = p[0];

    feed(p[1], "{\"v\":1,\"t_us\":1,\"role\":\"server\",\"pid\":42,\"kind\":\"state\",\"state\":\"listening\","
               "\"detail\":\"listening on /x\"}\n");
    feed(p[1], "\x1b[2J\x1b[31mnot json at all\n");
    feed(p[1], "{\"v\":1,\"role\":\"server\",\"pid\":42,\"kind\":\"state\",\"detail\":\"unterminated\n");
    char *big = malloc(6000);
    memset(big, 'x', 5999);
    big[5999] = '\0';
    feed(p[1], big);
    feed(p[1], "\n");
    feed(p[1], "{\"v\":1,\"t_us\":2,\"role\":\"client\",\"pid\":42,\"kind\":\"state\",\"state\":\"x\"}\n");
    feed(p[1], "{\"v\":1,\"t_us\":3,\"role\":\"server\",\"pid\":42,\"kind\":\"state\",\"state\":\"peer-closed\","
               "\"detail\":\"\\u001b]0;owned\\u0007 bye\"}\n");
    close(p[1]);

    CHECK(lab_read(l, ROLE_SERVER, 0));
    /* Garbage, broken JSON, the long line, and a line claiming the other role. */
    CHECK(l->session.bad_lines == 4);
    CHECK(session_line_count(&l->session, ROLE_SERVER) == 2);
    CHECK_STR(session_line(&l->session, ROLE_SERVER, 0)->text, "listening on /x");
    CHECK_STR(session_line(&l->session, ROLE_SERVER, 1)->text, "\\x1b]0;owned\\x07 bye");
    CHECK(l->proc[ROLE_SERVER].event_fd == -1); /* end of file seen and closed */
    free(big);
    free(l);
    return check_report();
}
