/* json: bounded writer and strict flat-object reader (see json.h). */
#include "json.h"

#include "escape.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jbuf_init(struct jbuf *jb, char *mem, size_t cap)
{
    jb->p = mem;
    jb->len = 0;
    jb->cap = cap;
    jb->full = cap == 0;
    if (cap)
        mem[0] = '\0';
}

static void put(struct jbuf *jb, const char *s, size_t n)
{
    if (jb->full || jb->len + n + 1 > jb->cap) {
        jb->full = true;
        return;
    }
    memcpy(jb->p + jb->len, s, n);
    jb->len += n;
    jb->p[jb->len] = '\0';
}

static void put_quoted(struct jbuf *jb, const char *s)
{
    size_t n = strlen(s), i = 0;
    put(jb, "\"", 1);
    while (i < n) {
        size_t run = escape_plain_run(s + i, n - i, true, true);
        if (run) { /* the usual case, copied as one piece */
            put(jb, s + i, run);
            i += run;
            continue;
        }
        unsigned cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (len == 0) {
            put(jb, "\\ufffd", 6); /* keep the output valid UTF-8 */
            i++;
        } else if (c == '"' || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c;
            put(jb, esc, 2);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(jb, esc, 6);
            i++;
        } else {
            put(jb, s + i, len);
            i += len;
        }
    }
    put(jb, "\"", 1);
}

/* Keys are the program's own plain names (json.h): written as they are,
 * in place, with no escaping (a flood writes millions of them). */
static void put_key(struct jbuf *jb, const char *key)
{
    size_t n = strlen(key);
    if (jb->full || jb->len + n + 5 > jb->cap) {
        jb->full = true;
        return;
    }
    char *p = jb->p + jb->len;
    if (jb->len > 1)
        *p++ = ',';
    *p++ = '"';
    memcpy(p, key, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    *p = '\0';
    jb->len = (size_t)(p - jb->p);
}

void json_open(struct jbuf *jb)
{
    put(jb, "{", 1);
}

void json_close(struct jbuf *jb)
{
    put(jb, "}\n", 2);
}

void json_str(struct jbuf *jb, const char *key, const char *val)
{
    put_key(jb, key);
    put_quoted(jb, val);
}

void json_int(struct jbuf *jb, const char *key, long long val)
{
    char num[24];
    size_t at = sizeof num;
    /* By hand: a flood writes millions of these, and printf's machinery
     * costs more than the digits. Negated as unsigned, so LLONG_MIN works. */
    unsigned long long u = val < 0 ? 0ULL - (unsigned long long)val : (unsigned long long)val;
    do
        num[--at] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (val < 0)
        num[--at] = '-';
    put_key(jb, key);
    put(jb, num + at, sizeof num - at);
}

void json_bool(struct jbuf *jb, const char *key, bool val)
{
    put_key(jb, key);
    put(jb, val ? "true" : "false", val ? 4 : 5);
}

void json_null(struct jbuf *jb, const char *key)
{
    put_key(jb, key);
    put(jb, "null", 4);
}

/* ---- reader ---- */

struct cursor {
    const char *s;
    size_t n, i;
};

static void skip_ws(struct cursor *c)
{
    while (c->i < c->n &&
           (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\r' || c->s[c->i] == '\n'))
        c->i++;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char h = s[k];
        v <<= 4;
        if (h >= '0' && h <= '9')
            v |= (unsigned)(h - '0');
        else if (h >= 'a' && h <= 'f')
            v |= (unsigned)(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F')
            v |= (unsigned)(h - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static size_t utf8_encode(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Reads a \u escape (the cursor is on the 'u'), joining surrogate pairs;
 * a lone surrogate becomes U+FFFD. */
static int read_u_escape(struct cursor *c, unsigned *cp)
{
    if (c->i + 5 > c->n || hex4(c->s + c->i + 1, cp) != 0)
        return -1;
    c->i += 5;
    if (*cp >= 0xd800 && *cp <= 0xdbff && c->i + 6 <= c->n && c->s[c->i] == '\\' &&
        c->s[c->i + 1] == 'u') {
        unsigned lo;
        if (hex4(c->s + c->i + 2, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff) {
            *cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
            c->i += 6;
            return 0;
        }
    }
    if (*cp >= 0xd800 && *cp <= 0xdfff)
        *cp = 0xfffd;
    return 0;
}

static char simple_unescape(char e)
{
    switch (e) {
    case '"':
        return '"';
    case '\\':
        return '\\';
    case '/':
        return '/';
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

/* Reads a string into out (cap bytes); the cursor is on the opening quote. */
static int read_string(struct cursor *c, char *out, size_t cap, size_t *outlen)
{
    size_t o = 0;
    c->i++;
    while (c->i < c->n) {
        unsigned char ch = (unsigned char)c->s[c->i];
        char enc[4];
        size_t elen;
        if (ch == '"') {
            c->i++;
            out[o] = '\0';
            *outlen = o;
            return 0;
        }
        if (ch < 0x20)
            return -1;
        if (ch == '\\') {
            if (++c->i >= c->n)
                return -1;
            if (c->s[c->i] == 'u') {
                unsigned cp;
                if (read_u_escape(c, &cp) != 0)
                    return -1;
                elen = utf8_encode(cp, enc);
            } else {
                enc[0] = simple_unescape(c->s[c->i++]);
                if (enc[0] == 0)
                    return -1;
                elen = 1;
            }
        } else {
            elen = utf8_decode(c->s + c->i, c->n - c->i, NULL);
            if (elen == 0)
                return -1;
            memcpy(enc, c->s + c->i, elen);
            c->i += elen;
        }
        if (o + elen + 1 > cap)
            return -1;
        memcpy(out + o, enc, elen);
        o += elen;
    }
    return -1;
}

static int read_int(struct cursor *c, long long *out)
{
    char digits[24];
    size_t k = 0;
    if (c->i < c->n && c->s[c->i] == '-')
        digits[k++] = c->s[c->i++];
    size_t start = k;
    while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9') {
        if (k + 1 >= sizeof digits)
            return -1;
        digits[k++] = c->s[c->i++];
    }
    if (k == start)
        return -1;
    digits[k] = '\0';
    errno = 0;
    *out = strtoll(digits, NULL, 10);
    return errno == ERANGE ? -1 : 0;
}

static int read_word(struct cursor *c, const char *word)
{
    size_t len = strlen(word);
    if (c->n - c->i < len || memcmp(c->s + c->i, word, len) != 0)
        return -1;
    c->i += len;
    return 0;
}

static int read_value(struct cursor *c, struct json_value *v, char *sbuf)
{
    char ch = c->s[c->i];
    memset(v, 0, sizeof *v);
    if (ch == '"') {
        v->type = JSON_STRING;
        v->str = sbuf;
        return read_string(c, sbuf, JSON_STRING_MAX + 1, &v->len);
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) {
        v->type = JSON_INT;
        return read_int(c, &v->num);
    }
    if (ch == 't' || ch == 'f') {
        v->type = JSON_BOOL;
        v->num = ch == 't';
        return read_word(c, ch == 't' ? "true" : "false");
    }
    v->type = JSON_NULL;
    return read_word(c, "null");
}

int json_parse_flat(const char *s, size_t n, json_member_fn fn, void *ctx)
{
    char key[128], sbuf[JSON_STRING_MAX + 1];
    struct cursor c = {s, n, 0};
    skip_ws(&c);
    if (c.i >= c.n || s[c.i++] != '{')
        return -1;
    skip_ws(&c);
    if (c.i < c.n && s[c.i] == '}') {
        c.i++;
    } else {
        for (;;) {
            size_t klen;
            struct json_value v;
            skip_ws(&c);
            if (c.i >= c.n || s[c.i] != '"' || read_string(&c, key, sizeof key, &klen) != 0)
                return -1;
            skip_ws(&c);
            if (c.i >= c.n || s[c.i++] != ':')
                return -1;
            skip_ws(&c);
            if (c.i >= c.n || read_value(&c, &v, sbuf) != 0)
                return -1;
            if (!fn(key, &v, ctx))
                return -1;
            skip_ws(&c);
            if (c.i < c.n && s[c.i] == ',') {
                c.i++;
                continue;
            }
            if (c.i < c.n && s[c.i] == '}') {
                c.i++;
                break;
            }
            return -1;
        }
    }
    skip_ws(&c);
    return c.i == c.n ? 0 : -1;
}
