/* theme: colours, and what to use instead when there are none.
 *
 * With colours: a small palette chosen for projectors and for dark and
 * light backgrounds alike: text in the terminal's own colour, colour only
 * where it reads on both (red, green, magenta) or on a background of its
 * own (black on yellow or cyan, white on red); nothing dim, no dark blue.
 * Without (NO_COLOR set, or a monochrome terminal): attributes only,
 * reverse and bold, so the current call and the key bar still stand out. Glyphs: box drawing and
 * arrows in UTF-8, plain ASCII otherwise.
 */
#ifndef SOCKSCOPE_THEME_H
#define SOCKSCOPE_THEME_H

#include <curses.h>
#include <stdbool.h>

enum ui_style {
    S_TITLE,
    S_HEAD,
    S_MOVER, /* the pane header of the side that Space moves */
    S_RULE,
    S_PLAIN,
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
    S_WAITS, /* a call at its gate that is not Space's to move */
    S_STYLE_COUNT
};

struct glyphs {
    const char *vline, *hline, *marker, *up, *down, *out, *in, *ellipsis, *dot, *full, *empty;
};

/* Picks colours or attributes; ascii forces ASCII glyphs. */
void theme_init(bool ascii);
attr_t theme_attr(enum ui_style s);
const struct glyphs *theme_glyphs(void);

#endif
