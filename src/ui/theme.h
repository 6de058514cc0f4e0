/* theme: colours, and what to use instead when there are none.
 *
 * With colours: a small palette. Without (NO_COLOR set, or a monochrome
 * terminal): attributes only, reverse and bold, so the current call and
 * the key bar still stand out. Glyphs: box drawing and arrows in UTF-8,
 * plain ASCII otherwise.
 */
#ifndef SOCKSCOPE_THEME_H
#define SOCKSCOPE_THEME_H

#include <curses.h>
#include <stdbool.h>

enum ui_style {
    S_TITLE,
    S_HEAD,
    S_RULE,
    S_DIM,
    S_CALL,
    S_OK,
    S_ERR,
    S_NEXT,
    S_BLOCKED,
    S_OUT,
    S_IN,
    S_NOTE,
    S_ROW,
    S_CELL,
    S_KEY,
    S_KEYLABEL,
    S_WARN,
    S_STYLE_COUNT
};

struct glyphs {
    const char *vline, *hline, *marker, *up, *down, *out, *in, *ellipsis, *dot;
};

/* Picks colours or attributes; ascii forces ASCII glyphs. */
void theme_init(bool ascii);
attr_t theme_attr(enum ui_style s);
const struct glyphs *theme_glyphs(void);

#endif
