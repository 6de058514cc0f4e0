/* layout: rectangles for the lab (see layout.h). */
#include "layout.h"

#include <string.h>

#define TABLE_ROWS   6 /* the table's rows; its headings are on the rule above it */
#define COUNTER_ROWS 3 /* a heading line, then one line per side */

static struct rect row(int y, int cols, int h)
{
    return (struct rect){.y = y, .x = 0, .h = h, .w = cols};
}

void layout_compute(struct layout *l, int cols, int lines)
{
    memset(l, 0, sizeof *l);
    l->too_small = cols < LAYOUT_MIN_COLS || lines < LAYOUT_MIN_LINES;
    if (l->too_small)
        return;
    /* Taller terminals give the lesson a third line; the rest goes to the panes. */
    int lesson_h = lines >= 30 ? 3 : 2;
    int fixed = 1 + 1 + 1 + TABLE_ROWS + 1 + lesson_h + COUNTER_ROWS + 1;
    int pane_h = lines - fixed;
    int y = 0;

    l->title = row(y++, cols, 1);
    l->divider_x = cols / 2;
    l->head[0] = (struct rect){.y = y, .x = 0, .h = 1, .w = l->divider_x};
    l->head[1] = (struct rect){.y = y, .x = l->divider_x + 1, .h = 1, .w = cols - l->divider_x - 1};
    y++;
    l->pane[0] = (struct rect){.y = y, .x = 0, .h = pane_h, .w = l->head[0].w};
    l->pane[1] = (struct rect){.y = y, .x = l->head[1].x, .h = pane_h, .w = l->head[1].w};
    y += pane_h;
    l->table_rule = row(y++, cols, 1);
    l->table = row(y, cols, TABLE_ROWS);
    l->table_label_w = cols >= 120 ? 22 : 17;
    l->table_cell_w = (cols - l->table_label_w - 2) / 2;
    y += TABLE_ROWS;
    l->lesson_rule = row(y++, cols, 1);
    l->lesson = row(y, cols, lesson_h);
    y += lesson_h;
    l->counters = row(y, cols, COUNTER_ROWS);
    y += COUNTER_ROWS;
    l->keys = row(y, cols, 1);
}
