/* layout: where each part of the lab goes, for a terminal of a given size.
 *
 * Pure arithmetic, no curses, so it is unit-tested at 80x24 and 200x60.
 * Top to bottom: title; the two panes' headers; the panes (server left,
 * client right), which take all the height left over; a rule with the
 * table's headings, then the comparison table; the lesson; the counters
 * (a heading line and a line per side); the key bar, where notices show.
 */
#ifndef SOCKSCOPE_LAYOUT_H
#define SOCKSCOPE_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_MIN_COLS  80
#define LAYOUT_MIN_LINES 24

struct rect {
    int y, x, h, w;
};

struct layout {
    bool too_small;
    struct rect title;
    struct rect head[2], pane[2];    /* [ROLE_SERVER], [ROLE_CLIENT] */
    int divider_x;                   /* the column between the panes */
    struct rect table_rule, table;   /* a rule with the table's title, then the table */
    int table_label_w, table_cell_w; /* the table's columns */
    struct rect lesson_rule, lesson;
    struct rect counters, keys;
};

void layout_compute(struct layout *l, int cols, int lines);

#endif
