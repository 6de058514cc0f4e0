/* Unit tests: layout arithmetic at the sizes people use. */
#include "../../src/ui/layout.h"
#include "check.h"

static bool inside(const struct rect *r, int cols, int lines)
{
    return r->y >= 0 && r->x >= 0 && r->y + r->h <= lines && r->x + r->w <= cols;
}

/* Every part in the screen, in order, none overlapping, nothing left over. */
static void check_size(int cols, int lines)
{
    struct layout l;
    layout_compute(&l, cols, lines);
    CHECK(!l.too_small);
    const struct rect *rows[] = {&l.title,       &l.head[0], &l.pane[0],  &l.table_rule, &l.table,
                                 &l.lesson_rule, &l.lesson,  &l.counters, &l.keys};
    int y = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        CHECK(inside(rows[i], cols, lines));
        CHECK(rows[i]->y == y);
        y += rows[i]->h;
    }
    CHECK(y == lines);
    CHECK(l.pane[0].w + 1 + l.pane[1].w == cols);
    CHECK(l.pane[1].x == l.divider_x + 1);
    CHECK(l.pane[0].h == l.pane[1].h && l.pane[0].h >= 8);
    CHECK(l.table.h == 6);
    CHECK(l.table_label_w + 2 + 2 * l.table_cell_w <= cols);
    CHECK(l.table_cell_w >= 30); /* "close accepted, then listener" fits */
}

int main(void)
{
    struct layout l;
    check_size(80, 24);
    layout_compute(&l, 80, 24);
    CHECK(l.pane[0].h == 8 && l.lesson.h == 2 && l.pane[0].w == 40);
    CHECK(l.counters.h == 3); /* a heading line and one per side */
    check_size(200, 60);
    layout_compute(&l, 200, 60);
    CHECK(l.pane[0].h == 43 && l.lesson.h == 3 && l.pane[1].w == 99);
    check_size(120, 40);
    layout_compute(&l, 79, 24);
    CHECK(l.too_small);
    layout_compute(&l, 80, 23);
    CHECK(l.too_small);
    layout_compute(&l, 60, 20);
    CHECK(l.too_small);
    return check_report();
}
