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

/* Every format character (Unicode category Cf) and the line and paragraph
 * separators (Zl, Zp) are invisible or move text: each is escaped, as its
 * UTF-8 bytes like the bidi overrides above, and makes text unclean. */
static void invisible_characters(void)
{
    static const struct {
        const char *utf8, *escaped;
    } cases[] = {
        {"\xd8\x9c", "\\xd8\\x9c"},                   /* U+061C ARABIC LETTER MARK (Cf) */
        {"\xe2\x80\xa8", "\\xe2\\x80\\xa8"},          /* U+2028 LINE SEPARATOR (Zl) */
        {"\xe2\x80\xa9", "\\xe2\\x80\\xa9"},          /* U+2029 PARAGRAPH SEPARATOR (Zp) */
        {"\xe2\x80\x8b", "\\xe2\\x80\\x8b"},          /* U+200B ZERO WIDTH SPACE (Cf) */
        {"\xef\xbb\xbf", "\\xef\\xbb\\xbf"},          /* U+FEFF ZERO WIDTH NO-BREAK SPACE */
        {"\xc2\xad", "\\xc2\\xad"},                   /* U+00AD SOFT HYPHEN (Cf) */
        {"\xe1\xa0\x8e", "\\xe1\\xa0\\x8e"},          /* U+180E MONGOLIAN VOWEL SEPARATOR */
        {"\xe2\x81\xa0", "\\xe2\\x81\\xa0"},          /* U+2060 WORD JOINER (Cf) */
        {"\xf3\xa0\x80\x81", "\\xf3\\xa0\\x80\\x81"}, /* U+E0001 LANGUAGE TAG (Cf) */
        {"\xf3\xa0\x81\xbf", "\\xf3\\xa0\\x81\\xbf"}, /* U+E007F CANCEL TAG, a range's end */
        {"\xef\xbf\xbb", "\\xef\\xbf\\xbb"},          /* U+FFFB INTERLINEAR ANNOTATION */
        {"\xe2\x81\xa6", "\\xe2\\x81\\xa6"},          /* U+2066 LEFT-TO-RIGHT ISOLATE */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char in[16], want[64];
        snprintf(in, sizeof in, "a%sb", cases[i].utf8);
        snprintf(want, sizeof want, "a%sb", cases[i].escaped);
        CHECK_STR(esc(in, strlen(in), 0), want);
        CHECK(!escape_is_clean(in, strlen(in)));
    }
    /* Neighbours of the table's ranges are ordinary text. */
    CHECK_STR(esc("\xc2\xac\xc2\xae", 4, 0), "\xc2\xac\xc2\xae"); /* U+00AC, U+00AE */
    CHECK_STR(esc("\xe2\x80\xa7", 3, 0), "\xe2\x80\xa7");         /* U+2027 HYPHENATION POINT */
    CHECK_STR(esc("\xef\xbb\xbe", 3, 0), "\xef\xbb\xbe");         /* U+FEFE */
    CHECK_STR(esc("\xf3\xa0\x82\x80", 4, 0), "\xf3\xa0\x82\x80"); /* U+E0080 */
    /* Thai with its combining vowel and tone marks (category Mn) is text,
     * not format: it passes through whole. "ภาษาไทย ที่นี่ น้ำ" */
    const char *thai = "\xe0\xb8\xa0\xe0\xb8\xb2\xe0\xb8\xa9\xe0\xb8\xb2\xe0\xb9\x84\xe0\xb8"
                       "\x97\xe0\xb8\xa2 \xe0\xb8\x97\xe0\xb8\xb5\xe0\xb9\x88\xe0\xb8\x99\xe0\xb8"
                       "\xb5\xe0\xb9\x88 \xe0\xb8\x99\xe0\xb9\x89\xe0\xb8\xb3";
    CHECK_STR(esc(thai, strlen(thai), 0), thai);
    CHECK(escape_is_clean(thai, strlen(thai)));
}

/* The plain run is read a word at a time: it must stop exactly where a
 * byte-by-byte reading stops, for every byte at every place in a word. */
static size_t plain_by_bytes(const char *s, size_t n, bool quote, bool backslash)
{
    size_t k = 0;
    while (k < n && (unsigned char)s[k] >= 0x20 && (unsigned char)s[k] < 0x7f &&
           !(quote && s[k] == '"') && !(backslash && s[k] == '\\'))
        k++;
    return k;
}

static void plain_runs(void)
{
    char s[24];
    int wrong = 0;
    for (int c = 0; c < 256; c++)
        for (size_t at = 0; at < sizeof s; at++)
            for (int mode = 0; mode < 4; mode++) {
                memset(s, 'a', sizeof s);
                s[at] = (char)c;
                bool quote = mode & 1, backslash = mode & 2;
                wrong += escape_plain_run(s, sizeof s, quote, backslash) !=
                         plain_by_bytes(s, sizeof s, quote, backslash);
            }
    CHECK(wrong == 0);
    CHECK(escape_plain_run("abc", 0, true, true) == 0);
    CHECK(escape_plain_run("a\"b", 3, false, false) == 3);
    CHECK(escape_plain_run("a\"b", 3, true, false) == 1);
}

int main(void)
{
    plain_runs();
    control_bytes();
    utf8();
    backslashes_and_bounds();
    invisible_characters();
    return check_report();
}
