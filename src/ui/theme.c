/* theme: palette, monochrome scheme and glyphs (see theme.h). */
#include "theme.h"

#include "crt.h"

#include <stdlib.h>

static attr_t styles[S_STYLE_COUNT];

static const struct glyphs utf8_glyphs = {"│", "─", "▶", "↑", "↓", "→", "←", "…", "·", "█", "░"};
static const struct glyphs ascii_glyphs = {"|",  "-",   ">", "^", "v", "->",
                                           "<-", "...", "-", "#", "."};
static const struct glyphs *glyphs = &ascii_glyphs;

/* {style, foreground, background, extra attributes}; -1 is the terminal's own. */
static const struct {
    enum ui_style s;
    short fg, bg;
    attr_t extra;
} palette[] = {
    {S_TITLE, COLOR_BLACK, COLOR_CYAN, A_BOLD},
    {S_HEAD, -1, -1, A_BOLD},
    {S_MOVER, COLOR_BLACK, COLOR_YELLOW, A_BOLD},
    {S_RULE, -1, -1, 0},
    {S_PLAIN, -1, -1, 0},
    {S_CALL, -1, -1, 0},
    {S_OK, COLOR_GREEN, -1, A_BOLD},
    {S_ERR, COLOR_RED, -1, A_BOLD},
    {S_NEXT, COLOR_BLACK, COLOR_YELLOW, A_BOLD},
    {S_BLOCKED, COLOR_MAGENTA, -1, A_BOLD},
    {S_OUT, COLOR_MAGENTA, -1, 0},
    {S_IN, COLOR_GREEN, -1, 0},
    {S_NOTE, -1, -1, 0},
    {S_ROW, -1, -1, A_BOLD},
    {S_CELL, COLOR_BLACK, COLOR_YELLOW, A_BOLD},
    {S_KEY, COLOR_BLACK, COLOR_CYAN, 0},
    {S_KEYLABEL, -1, -1, 0},
    {S_WARN, COLOR_WHITE, COLOR_RED, A_BOLD},
    {S_WAITS, -1, -1, A_BOLD},
};

/* Without colour, reverse marks "where we are", bold marks "look here". */
static const attr_t mono[S_STYLE_COUNT] = {
    [S_TITLE] = A_REVERSE, [S_HEAD] = A_BOLD,    [S_MOVER] = A_REVERSE, [S_NEXT] = A_REVERSE,
    [S_BLOCKED] = A_BOLD,  [S_ERR] = A_BOLD,     [S_ROW] = A_BOLD,      [S_CELL] = A_REVERSE,
    [S_KEY] = A_REVERSE,   [S_WARN] = A_REVERSE, [S_WAITS] = A_BOLD,
};

void theme_init(bool ascii)
{
    const char *no_colour = getenv("NO_COLOR");
    glyphs = !ascii && crt_utf8() ? &utf8_glyphs : &ascii_glyphs;
    bool colour = has_colors() && !(no_colour && no_colour[0]);
    if (colour && start_color() == OK) {
        use_default_colors();
        for (size_t i = 0; i < sizeof palette / sizeof palette[0]; i++) {
            init_pair((short)(i + 1), palette[i].fg, palette[i].bg);
            styles[palette[i].s] = COLOR_PAIR((int)i + 1) | palette[i].extra;
        }
        return;
    }
    for (int s = 0; s < S_STYLE_COUNT; s++)
        styles[s] = mono[s];
}

attr_t theme_attr(enum ui_style s)
{
    return styles[s];
}

const struct glyphs *theme_glyphs(void)
{
    return glyphs;
}
