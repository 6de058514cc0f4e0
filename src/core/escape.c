/* escape: untrusted bytes to terminal-safe text (see escape.h). */
#include "escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t utf8_decode(const char *s, size_t n, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    unsigned c = u[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        len = 1, min = 0;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, min = 0x80, c &= 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, min = 0x800, c &= 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3f);
    }
    /* Overlong forms and surrogates are how filters get fooled: refuse them. */
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    if (cp)
        *cp = c;
    return len;
}

/* Every code point of Unicode categories Cf (format: bidi marks, embeddings,
 * overrides and isolates, zero-width characters, the soft hyphen, the BOM,
 * tags, ...), Zl (U+2028) and Zp (U+2029): invisible, or they hide, join or
 * reorder the text around them. Sorted ranges, first and last inclusive.
 * Generated from Python 3.11's unicodedata, Unicode 14.0.0, by:
 *   import unicodedata; r = []
 *   for cp in range(0x110000):
 *       if unicodedata.category(chr(cp)) in ("Cf", "Zl", "Zp"):
 *           if r and r[-1][1] == cp - 1: r[-1][1] = cp
 *           else: r.append([cp, cp])
 *   print(unicodedata.unidata_version)
 *   print(", ".join("{0x%04x, 0x%04x}" % (a, b) for a, b in r))
 * (a newer Python's unicodedata gives a newer Unicode's table). */
static const struct {
    unsigned first, last;
} format_ranges[] = {
    {0x00ad, 0x00ad},   {0x0600, 0x0605},   {0x061c, 0x061c},   {0x06dd, 0x06dd},
    {0x070f, 0x070f},   {0x0890, 0x0891},   {0x08e2, 0x08e2},   {0x180e, 0x180e},
    {0x200b, 0x200f},   {0x2028, 0x202e},   {0x2060, 0x2064},   {0x2066, 0x206f},
    {0xfeff, 0xfeff},   {0xfff9, 0xfffb},   {0x110bd, 0x110bd}, {0x110cd, 0x110cd},
    {0x13430, 0x13438}, {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001},
    {0xe0020, 0xe007f},
};

static bool is_format_char(unsigned cp)
{
    size_t lo = 0, hi = sizeof format_ranges / sizeof format_ranges[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < format_ranges[mid].first)
            hi = mid;
        else if (cp > format_ranges[mid].last)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* Code points that steer a terminal or hide or reorder text although they
 * are valid UTF-8: C1 controls (some terminals obey them) and the format
 * characters and separators above. */
static bool is_invisible_control(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || is_format_char(cp);
}

/* The escape for one control byte, or NULL when it has no short name. */
static const char *short_escape(unsigned char c)
{
    switch (c) {
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    case '\0':
        return "\\0";
    default:
        return NULL;
    }
}

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Does any byte of x equal b? (No false "no": a "yes" is checked byte by
 * byte.) */
static uint64_t has_byte(uint64_t x, unsigned char b)
{
    uint64_t v = x ^ (ONES * b);
    return (v - ONES) & ~v & HIGHS;
}

static bool word_plain(uint64_t x, bool stop_quote, bool stop_backslash)
{
    uint64_t odd = ((x - ONES * 0x20) & ~x & HIGHS) | (x & HIGHS) | has_byte(x, 0x7f);
    if (stop_quote)
        odd |= has_byte(x, '"');
    if (stop_backslash)
        odd |= has_byte(x, '\\');
    return odd == 0;
}

size_t escape_plain_run(const char *s, size_t n, bool stop_quote, bool stop_backslash)
{
    size_t k = 0;
    uint64_t x;
    while (k + sizeof x <= n &&
           (memcpy(&x, s + k, sizeof x), word_plain(x, stop_quote, stop_backslash)))
        k += sizeof x;
    while (k < n) {
        unsigned char c = (unsigned char)s[k];
        if (c < 0x20 || c >= 0x7f || (c == '"' && stop_quote) || (c == '\\' && stop_backslash))
            break;
        k++;
    }
    return k;
}

size_t escape_bytes(const char *in, size_t n, char *out, size_t cap, int flags, size_t *done)
{
    size_t o = 0, i = 0;
    if (cap == 0) {
        if (done)
            *done = 0;
        return 0;
    }
    while (i < n) {
        /* Plain printable ASCII, the usual case, is copied as a run. */
        size_t run = escape_plain_run(in + i, n - i, false, flags & ESCAPE_BACKSLASH);
        if (run) {
            if (run > cap - 1 - o)
                run = cap - 1 - o;
            memcpy(out + o, in + i, run);
            o += run;
            i += run;
            if (o + 1 >= cap)
                break;
            continue;
        }
        char piece[4 * 4 + 1];
        size_t plen, used;
        unsigned cp = 0;
        size_t ulen = utf8_decode(in + i, n - i, &cp);
        unsigned char c = (unsigned char)in[i];
        if (ulen == 1 && c >= 0x20 && c < 0x7f) {
            if (c == '\\' && (flags & ESCAPE_BACKSLASH)) {
                memcpy(piece, "\\\\", 3);
                plen = 2;
            } else {
                piece[0] = (char)c;
                plen = 1;
            }
            used = 1;
        } else if (ulen > 1 && !is_invisible_control(cp)) {
            memcpy(piece, in + i, ulen);
            plen = used = ulen;
        } else if (ulen > 1) {
            plen = 0;
            for (size_t k = 0; k < ulen; k++)
                plen += (size_t)snprintf(piece + plen, sizeof piece - plen, "\\x%02x",
                                         (unsigned char)in[i + k]);
            used = ulen;
        } else {
            const char *s = short_escape(c);
            if (s) {
                plen = strlen(s);
                memcpy(piece, s, plen);
            } else {
                plen = (size_t)snprintf(piece, sizeof piece, "\\x%02x", c);
            }
            used = 1;
        }
        if (o + plen + 1 > cap)
            break;
        memcpy(out + o, piece, plen);
        o += plen;
        i += used;
    }
    out[o] = '\0';
    if (done)
        *done = i;
    return o;
}

bool escape_is_clean(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0 || cp < 0x20 || cp == 0x7f || is_invisible_control(cp))
            return false;
        i += len;
    }
    return true;
}

size_t utf8_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src), i = 0;
    if (cap == 0)
        return 0;
    while (i < n) {
        size_t len = utf8_decode(src + i, n - i, NULL);
        if (len == 0)
            len = 1;
        if (i + len + 1 > cap)
            break;
        i += len;
    }
    memcpy(dst, src, i);
    dst[i] = '\0';
    return i;
}
