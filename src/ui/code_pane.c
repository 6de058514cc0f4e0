/* code_pane: the peer's source around its next call (see code_pane.h). */
#include "code_pane.h"

#include "../core/lessons.h"
#include "../core/sources.h"
#include "text.h"
#include "theme.h"

#include <stdio.h>
#include <string.h>

#define TAB_STOP 8

static void draw_rule(const struct rect *r, const char *title)
{
    const struct glyphs *g = theme_glyphs();
    attr_t a = theme_attr(S_RULE);
    char padded[256];
    attron(a);
    for (int i = 0; i < r->w; i++)
        mvaddstr(r->y, r->x + i, g->hline);
    attroff(a);
    snprintf(padded, sizeof padded, " %s ", title);
    text_put(r->y, r->x + 2, r->w - 4, padded, a | A_BOLD, false);
}

/* A source line made fit to draw: tabs expanded to spaces, any other
 * control byte shown as '?'. */
static void displayable(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int col = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t') {
            do
                out[o++] = ' ';
            while (++col % TAB_STOP && o + 1 < cap);
            continue;
        }
        out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        col += (c & 0xc0) != 0x80; /* a UTF-8 character counts once */
    }
    out[o] = '\0';
}

/* The rows below the rule, one line each, the lit one in the middle when
 * the file allows: its number on the left, then the line, cut with an
 * ellipsis when too long. */
static void draw_lines(const struct rect *r, const struct source_file *f, int lit)
{
    int rows = r->h - 1, count = sources_line_count(f);
    int first = lit - (rows - 1) / 2;
    if (first > count - rows + 1)
        first = count - rows + 1;
    if (first < 1)
        first = 1;
    char num[16];
    int numw = snprintf(num, sizeof num, "%d", first + rows - 1);
    if (numw < 3)
        numw = 3;
    for (int i = 0; i < rows; i++) {
        int n = first + i, y = r->y + 1 + i;
        const char *start;
        size_t len;
        char text[1024], lineno[16], row[1100];
        attr_t a = n == lit ? theme_attr(S_NEXT) : 0;
        text_put(y, r->x, r->w, "", a, true);
        if (!sources_line(f, n, &start, &len))
            continue;
        displayable(start, len, text, sizeof text);
        snprintf(lineno, sizeof lineno, "%*d", numw < 12 ? numw : 12, n);
        snprintf(row, sizeof row, "%s%.15s  %.1000s", n == lit ? theme_glyphs()->marker : " ", lineno,
                 text);
        text_put_cut(y, r->x, r->w, row, a);
    }
}

void code_pane_draw(const struct rect *r, const struct pane_line *call, bool next)
{
    char title[256], named[EVENT_NAME_MAX + 4], name[EVENT_SRC_MAX];
    const struct source_file *f = NULL;
    int line = 0;
    if (r->h < 2)
        return;
    for (int i = 1; i < r->h; i++)
        text_put(r->y + i, r->x, r->w, "", 0, true);
    if (!call) {
        draw_rule(r, ui_text("code.title"));
        text_put_cut(r->y + 1, r->x + 1, r->w - 2, ui_text("code.none"), 0);
        return;
    }
    snprintf(named, sizeof named, "%s()", call->call);
    ui_fill(title, sizeof title, next ? "code.next" : "code.inside",
            (const char *const[]){"src", call->src[0] ? call->src : "?", "call", named, NULL});
    draw_rule(r, title);
    if (sources_split(call->src, name, sizeof name, &line))
        f = sources_find(name);
    if (!f || line > sources_line_count(f)) {
        ui_fill(title, sizeof title, "code.missing",
                (const char *const[]){"src", call->src[0] ? call->src : "?", NULL});
        text_put_cut(r->y + 1, r->x + 1, r->w - 2, title, 0);
        return;
    }
    draw_lines(r, f, line);
}
