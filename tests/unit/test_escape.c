/* Unit tests: escaping untrusted bytes for the terminal. */
#include "../../src/core/escape.h"
#include "check.h"

static const char *esc(const char *in, size_t n, int flags)
{
    static char out[256];
    escape_bytes(in, n, out, sizeof out, flags, NULL);
    return out;
}

static void control_bytes(void)
{
    CHECK_STR(esc("a\nb\tc\r", 6, 0), "a\\nb\\tc\\r");
    CHECK_STR(esc("x\0y", 3, 0), "x\\0y");
    CHECK_STR(esc("\x07\x7f", 2, 0), "\\x07\\x7f");
    /* A colour change and a cursor move arrive as visible text. */
    CHECK_STR(esc("\x1b[31mred\x1b[2J", 12, 0), "\\x1b[31mred\\x1b[2J");
    CHECK(escape_is_clean("plain text", 10));
    CHECK(!escape_is_clean("\x1b[0m", 4));
    CHECK(!escape_is_clean("a\x7f", 2)); /* DEL: some terminals act on it */
    CHECK(!escape_is_clean("a\x1f", 2));
    CHECK(escape_is_clean("~ ", 2));
}

static void utf8(void)
{
    const char *thai =
        "\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0\xb8\xb5"; /* สวัสดี */
    CHECK_STR(esc(thai, strlen(thai), 0), thai);
    CHECK(escape_is_clean(thai, strlen(thai)));
    CHECK_STR(esc("\xff\xfe", 2, 0), "\\xff\\xfe");          /* never valid */
    CHECK_STR(esc("\xc0\xaf", 2, 0), "\\xc0\\xaf");          /* overlong '/' */
    CHECK_STR(esc("\xed\xa0\x80", 3, 0), "\\xed\\xa0\\x80"); /* a surrogate */
    CHECK_STR(esc("\xe0\xb8", 2, 0), "\\xe0\\xb8");          /* cut short */
    CHECK_STR(esc("\xc2\x9b"
                  "31m",
                  5, 0),
              "\\xc2\\x9b31m");                              /* C1 CSI */
    CHECK_STR(esc("\xe2\x80\xae", 3, 0), "\\xe2\\x80\\xae"); /* bidi override */
    CHECK(!escape_is_clean("\xc2\x9b", 2));
}

static void backslashes_and_bounds(void)
{
    char out[8];
    size_t done;
    CHECK_STR(esc("a\\b", 3, 0), "a\\b");
    CHECK_STR(esc("a\\b", 3, ESCAPE_BACKSLASH), "a\\\\b");
    /* An escape that does not fit is left out whole, never split. */
    size_t n = escape_bytes("abcde\x1b", 6, out, 8, 0, &done);
    CHECK(n == 5);
    CHECK(done == 5);
    CHECK_STR(out, "abcde");
    CHECK(escape_bytes("abc", 3, out, 0, 0, &done) == 0 && done == 0);
    CHECK(escape_bytes("abc", 3, out, 1, 0, &done) == 0 && out[0] == '\0');
}

int main(void)
{
    control_bytes();
    utf8();
    backslashes_and_bounds();
    return check_report();
}
