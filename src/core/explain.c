/* explain: the lessons `sockscope run --explain` prints (see explain.h). */
#include "explain.h"

#include "lessons.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MIN_TEXT_COLS 20 /* a narrow terminal still gets words, not letters */

void explain_init(struct explain *x, enum sock_mode mode, int width)
{
    memset(x, 0, sizeof *x);
    x->mode = mode;
    x->width = width;
}

int explain_width(int fd)
{
    struct winsize ws;
    if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return EXPLAIN_WIDTH;
}

/* One UTF-8 character at s: its length in bytes, its code point in *cp
 * (a stray byte counts as one character of its own). */
static size_t utf8_next(const char *s, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = u[0] < 0x80             ? 1
               : (u[0] & 0xe0) == 0xc0 ? 2
               : (u[0] & 0xf0) == 0xe0 ? 3
               : (u[0] & 0xf8) == 0xf0 ? 4
                                       : 1;
    *cp = n == 1 ? u[0] : u[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xc0) != 0x80) {
            *cp = u[0];
            return 1;
        }
        *cp = *cp << 6 | (u[i] & 0x3f);
    }
    return n;
}

/* Columns a character takes on a terminal: none for combining marks (Thai
 * vowels above and below, tone marks) and zero-width spaces, two for the
 * wide scripts, one otherwise. */
static int columns(unsigned cp)
{
    if (cp == 0x0e31 || (cp >= 0x0e34 && cp <= 0x0e3a) || (cp >= 0x0e47 && cp <= 0x0e4e) ||
        (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200d))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6))
        return 2;
    return 1;
}

static void append(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
    if (*len >= cap)
        return;
    if (n > cap - 1 - *len)
        n = cap - 1 - *len;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
}

void explain_wrap(const char *text, int indent, int width, char *out, size_t cap, size_t *len)
{
    int room = width - indent;
    if (room < MIN_TEXT_COLS)
        room = MIN_TEXT_COLS;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        /* The longest run that fits, ending at a space or after a zero-width space. */
        const char *q = p, *brk = NULL;
        int col = 0;
        while (*q) {
            unsigned cp;
            size_t n = utf8_next(q, &cp);
            int w = columns(cp);
            if (cp == ' ')
                brk = q;
            if (col + w > room && cp != ' ')
                break;
            col += w;
            q += n;
            if (cp == 0x200b)
                brk = q;
        }
        const char *end = !*q ? q : brk && brk > p ? brk : q;
        if (end == p) /* one character wider than the room: it goes alone */
            end = p + utf8_next(p, &(unsigned){0});
        for (int i = 0; i < indent; i++)
            append(out, cap, len, " ", 1);
        size_t n = (size_t)(end - p);
        while (n > 0 && p[n - 1] == ' ')
            n--;
        append(out, cap, len, p, n);
        append(out, cap, len, "\n", 1);
        p = end;
    }
}

/* A lesson text, wrapped under the call; nothing when the text is empty. */
static void say(const struct explain *x, const char *text, char *out, size_t cap, size_t *len)
{
    if (text && text[0])
        explain_wrap(text, EXPLAIN_INDENT, x->width, out, cap, len);
}

/* The errno's lesson, the first time it is met. */
static void say_errno(struct explain *x, const char *err, char *out, size_t cap, size_t *len)
{
    char key[EVENT_NAME_MAX + 8];
    for (int i = 0; i < x->nerrs; i++)
        if (strcmp(x->said_err[i], err) == 0)
            return;
    snprintf(key, sizeof key, "event.%s", err);
    const char *text = lesson_get(key);
    if (!text[0])
        return;
    if (x->nerrs < EXPLAIN_ERRS)
        snprintf(x->said_err[x->nerrs++], sizeof x->said_err[0], "%s", err);
    say(x, text, out, cap, len);
}

size_t explain_event(struct explain *x, const struct event *ev, char *out, size_t cap)
{
    size_t len = 0;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    if (ev->kind == EV_CALL && ev->phase == PHASE_EXIT) {
        say(x, lesson_for(x->mode, ev->role, ev->call), out, cap, &len);
        if (ev->err[0])
            say_errno(x, ev->err, out, cap, &len);
        else if (x->mode == MODE_STREAM && ev->rc == 0 && strcmp(ev->call, "recv") == 0)
            say(x, lesson_get("event.peer-closed"), out, cap, &len);
    } else if (ev->kind == EV_MSG) {
        if (ev->lost > 0)
            say(x, lesson_get("event.truncated"), out, cap, &len);
        if (ev->padding > 0 && !x->said_padding) {
            x->said_padding = true;
            say(x, lesson_get("event.padding"), out, cap, &len);
        }
    }
    return len;
}

size_t explain_blocked(struct explain *x, char *out, size_t cap)
{
    size_t len = 0;
    if (cap == 0)
        return 0;
    out[0] = '\0';
    if (!x->said_blocking) {
        x->said_blocking = true;
        say(x, lesson_get("event.blocking"), out, cap, &len);
    }
    return len;
}
