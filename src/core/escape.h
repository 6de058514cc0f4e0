/* escape: turn untrusted bytes into text that is safe to put on a terminal.
 *
 * Anything a peer sends may contain control bytes, escape sequences or broken
 * UTF-8. Every byte that could move the cursor, change colours or confuse a
 * terminal is written as a visible C-style escape instead (\n, \t, \x1b, ...).
 * Printable ASCII and well-formed UTF-8 pass through unchanged, so Thai text
 * stays readable.
 */
#ifndef SOCKSCOPE_ESCAPE_H
#define SOCKSCOPE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/* Flags for escape_bytes(). */
enum {
    /* Double every backslash, so the result reads back unambiguously.
     * Use it for raw payloads; leave it off for text that is already escaped. */
    ESCAPE_BACKSLASH = 1,
};

/* Writes the escaped form of in[0..n) to out (always NUL-terminated when
 * cap > 0) and returns its length. Stops before an escape that would not fit,
 * never splitting one; *done (may be NULL) tells how many input bytes were
 * consumed, so a caller can tell that the text was cut. */
size_t escape_bytes(const char *in, size_t n, char *out, size_t cap, int flags, size_t *done);

/* How many bytes at s are plain printable ASCII (0x20 to 0x7e) that pass
 * unchanged: also not '"' when stop_quote, not '\\' when stop_backslash.
 * The usual text is plain from end to end, so it is read a word at a time. */
size_t escape_plain_run(const char *s, size_t n, bool stop_quote, bool stop_backslash);

/* True when s[0..n) is already safe to display: no control byte, no C1
 * control, no format character (Unicode Cf: bidi controls, zero-width
 * characters, ...) or line or paragraph separator, only well-formed UTF-8. */
bool escape_is_clean(const char *s, size_t n);

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 when the bytes
 * there are not one (overlong, surrogate, beyond U+10FFFF, cut short). The
 * code point goes to *cp when cp is not NULL. */
size_t utf8_decode(const char *s, size_t n, unsigned *cp);

/* Copies src into dst (cap bytes), cut on a character boundary so that no
 * UTF-8 sequence is split. Returns the bytes copied. */
size_t utf8_copy(char *dst, size_t cap, const char *src);

#endif
