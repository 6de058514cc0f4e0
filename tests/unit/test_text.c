/* Unit tests: display columns of UTF-8 text (src/ui/text.c).
 *
 * Every string the lab draws is cut to its pane by text_fit(), and panes
 * are laid out by text_width(). Counting bytes instead of columns would
 * break Thai (marks that take no column), CJK (two columns each) and the
 * lab's own glyphs (three bytes, one column); cutting inside a character
 * would put invalid UTF-8 on the screen. Only wchar functions are tested
 * here; text_put() itself needs a terminal.
 */
#include "../../src/ui/text.h"
#include "check.h"

#include <locale.h>

#define THAI     "\xe0\xb8\x97\xe0\xb8\xb5\xe0\xb9\x88\xe0\xb8\x99\xe0\xb8\xb5\xe0\xb9\x88" /* ที่นี่ */
#define CJK      "\xe6\xbc\xa2\xe5\xad\x97" /* 漢字 */
#define ARROW    "\xe2\x86\x92"             /* → */
#define ELLIPSIS "\xe2\x80\xa6"             /* … */

/* Characters in a UTF-8 string: bytes that do not continue a sequence. */
static int chars_of(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void widths(void)
{
    CHECK(text_width("") == 0);
    CHECK(text_width("recv(5, buf, 1024, 0)") == 21);
    CHECK(text_width(ARROW) == 1);
    CHECK(text_width(ELLIPSIS) == 1);
    CHECK(text_width(ARROW " 1024 B") == 8);
    CHECK(chars_of(THAI) == 6);
    CHECK(text_width(THAI) == 2); /* two consonants; the marks take no column */
    CHECK(text_width(THAI) < chars_of(THAI));
    CHECK(text_width(CJK) == 4);
    CHECK(text_width("a" CJK "b") == 6);
    CHECK(text_width("\xff") == 1); /* an invalid byte still takes its column */
}

static void fit_ascii(void)
{
    int used = -1;
    CHECK(text_fit("hello", 3, &used) == 3 && used == 3);
    CHECK(text_fit("hello", 10, &used) == 5 && used == 5);
    CHECK(text_fit("hello", 0, &used) == 0 && used == 0);
    CHECK(text_fit("hello", 5, NULL) == 5);
}

static void fit_wide_and_marks(void)
{
    int used = -1;
    /* "a漢": the wide character would overflow 2 columns, so it stays out. */
    CHECK(text_fit("a" CJK, 2, &used) == 1 && used == 1);
    CHECK(text_fit("a" CJK, 3, &used) == 4 && used == 3);
    CHECK(text_fit(CJK, 1, &used) == 0 && used == 0);
    CHECK(text_fit(ARROW ARROW, 1, &used) == 3 && used == 1);
    /* A consonant keeps its marks: 1 column is ที่, all 9 bytes of it. */
    CHECK(text_fit(THAI, 1, &used) == 9 && used == 1);
    CHECK(text_fit(THAI, 2, &used) == strlen(THAI) && used == 2);
}

/* Columns of the one character that starts s. */
static int next_char_width(const char *s)
{
    char one[8] = {s[0]};
    for (size_t i = 1; i < sizeof one - 1 && ((unsigned char)s[i] & 0xc0) == 0x80; i++)
        one[i] = s[i];
    return text_width(one);
}

/* At every width, the cut falls between characters and uses what it says. */
static void fit_never_splits(void)
{
    const char *s = "x" THAI CJK ARROW "y" ELLIPSIS CJK;
    for (int cols = 0; cols <= text_width(s) + 1; cols++) {
        int used = -1;
        size_t n = text_fit(s, cols, &used);
        char prefix[64];
        bool boundary = s[n] == '\0' || ((unsigned char)s[n] & 0xc0) != 0x80;
        if (!boundary)
            fprintf(stderr, "cols %d: cut at byte %zu, inside a character\n", cols, n);
        CHECK(boundary);
        CHECK(used <= cols);
        snprintf(prefix, sizeof prefix, "%.*s", (int)n, s);
        CHECK(text_width(prefix) == used);
        /* Stopped early only because the next character would not fit. */
        if (s[n])
            CHECK(used + next_char_width(s + n) > cols);
    }
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        printf("skipped: no C.UTF-8 locale\n");
        return 77;
    }
    widths();
    fit_ascii();
    fit_wide_and_marks();
    fit_never_splits();
    return check_report();
}
