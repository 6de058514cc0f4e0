/* text: column-aware UTF-8 drawing (see text.h). */
#include "text.h"

#include "theme.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

size_t text_fit(const char *s, int cols, int *used)
{
    mbstate_t st;
    size_t i = 0, n = strlen(s);
    int w = 0;
    memset(&st, 0, sizeof st);
    while (i < n) {
        wchar_t wc;
        size_t len = mbrtowc(&wc, s + i, n - i, &st);
        if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
            len = 1; /* not in this locale's charset: one column per byte */
            wc = L'?';
            memset(&st, 0, sizeof st);
        }
        int cw = wcwidth(wc);
        if (cw < 0)
            cw = 1;
        if (w + cw > cols)
            break;
        w += cw;
        i += len;
    }
    if (used)
        *used = w;
    return i;
}

int text_width(const char *s)
{
    int w;
    text_fit(s, 1 << 30, &w);
    return w;
}

/* Puts the first bytes of s as wide characters: curses then keeps a Thai
 * vowel or tone mark in the cell of the letter it sits on, where counting
 * bytes (or characters) would give it a column of its own. */
static void put_wide(int y, int x, const char *s, size_t bytes)
{
    wchar_t wide[512];
    mbstate_t st;
    size_t n = 0, i = 0;
    memset(&st, 0, sizeof st);
    while (i < bytes && n < sizeof wide / sizeof wide[0] - 1) {
        size_t len = mbrtowc(&wide[n], s + i, bytes - i, &st);
        if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
            wide[n] = L'?'; /* cannot happen for escaped text; never drawn raw */
            len = 1;
            memset(&st, 0, sizeof st);
        }
        n++;
        i += len;
    }
    wide[n] = L'\0';
    mvaddnwstr(y, x, wide, (int)n);
}

int text_put(int y, int x, int w, const char *s, attr_t a, bool pad)
{
    int used = 0;
    if (w <= 0)
        return 0;
    size_t bytes = text_fit(s, w, &used);
    attron(a);
    put_wide(y, x, s, bytes);
    if (pad)
        for (int i = used; i < w; i++)
            addch(' ');
    attroff(a);
    return pad ? w : used;
}

int text_put_cut(int y, int x, int w, const char *s, attr_t a)
{
    const char *ell = theme_glyphs()->ellipsis;
    if (text_width(s) <= w)
        return text_put(y, x, w, s, a, false);
    int ew = text_width(ell), used;
    size_t bytes = text_fit(s, w - ew, &used);
    attron(a);
    put_wide(y, x, s, bytes);
    addstr(ell);
    attroff(a);
    return used + ew;
}

/* text_wrap: see text.h. */
int text_wrap(int y, int x, int w, int rows, const char *text, attr_t a)
{
    const char *p = text;
    int used = 0;
    while (used < rows) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t fit = text_fit(p, w, NULL);
        if (fit == 0)
            break;
        if (p[fit] && used < rows - 1) {
            size_t cut = fit;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut > 0)
                fit = cut;
        }
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)(fit < sizeof line - 1 ? fit : sizeof line - 1),
                 p);
        if (used == rows - 1 && p[fit])
            text_put_cut(y + used, x, w, p, a);
        else
            text_put(y + used, x, w, line, a, false);
        p += fit;
        used++;
    }
    return used;
}
