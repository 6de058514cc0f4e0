/* tour_draw: the guided tour's screen (see tour.h).
 *
 * Top: the lesson's table, as the lab draws it, filling in as the tour
 * goes, with the step's row lit. Below it: the intro, a question with its
 * choices and then the verdict, a step's lesson, or the score. Last line:
 * the keys that work now.
 */
#include "../core/lessons.h"
#include "../core/steps.h"
#include "layout.h"
#include "text.h"
#include "theme.h"
#include "tour.h"

#include <curses.h>
#include <stdio.h>

#define TABLE_Y 2  /* the table's rule; its rows follow */
#define BODY_Y  10 /* the rule over what the step says */

static void draw_rule(int y, int cols, const char *title)
{
    const struct glyphs *g = theme_glyphs();
    attr_t a = theme_attr(S_RULE);
    attron(a);
    for (int i = 0; i < cols; i++)
        mvaddstr(y, i, g->hline);
    attroff(a);
    if (title && *title) {
        char padded[1024];
        snprintf(padded, sizeof padded, " %s ", title);
        text_put(y, 2, cols - 4, padded, a | A_BOLD, false);
    }
}

static const char *mode_word(enum sock_mode m)
{
    return ui_text(m == MODE_STREAM ? "mode.stream" : "mode.dgram");
}

static void draw_title(const struct tour *t, int cols)
{
    char title[1024], n[16], total[16];
    title[0] = ' ';
    snprintf(n, sizeof n, "%d", t->step + 1);
    snprintf(total, sizeof total, "%d", tour_steps());
    if (t->phase == TOUR_INTRO)
        lesson_fill(title + 1, sizeof title - 1, lesson_get("tour.title-start"), NULL);
    else if (t->phase == TOUR_DONE)
        lesson_fill(title + 1, sizeof title - 1, lesson_get("tour.title-end"), NULL);
    else
        lesson_fill(title + 1, sizeof title - 1, lesson_get("tour.title"),
                    (const char *const[]){"mode", mode_word(tour_step_at(t->step)->mode), "n", n,
                                          "total", total, NULL});
    text_put(0, 0, cols, title, theme_attr(S_TITLE), true);
}

/* The lesson's table; a cell shows once the tour has come to it, the
 * step's row is lit, and the cell asked about shows "?". */
static void draw_table(const struct tour *t, int cols, int lines)
{
    struct layout ly;
    layout_compute(&ly, cols, lines);
    int lw = ly.table_label_w, cw = ly.table_cell_w, x[2] = {lw + 1, lw + 2 + cw};
    const struct tour_step *now =
        t->phase == TOUR_INTRO || t->phase == TOUR_DONE ? NULL : tour_step_at(t->step);
    static const char *const heading[2] = {"table.stream", "table.dgram"};
    draw_rule(TABLE_Y, cols, ui_text("table.step"));
    for (int c = 0; c < 2; c++) {
        char h[512];
        snprintf(h, sizeof h, " %s ", ui_text(heading[c]));
        bool cur = now && (int)now->mode == c;
        text_put(TABLE_Y, x[c], cw, h, theme_attr(S_HEAD) | (cur ? A_UNDERLINE : 0), false);
    }
    for (int i = 0; i < STEPS_ROWS; i++) {
        const struct steps_row *row = steps_row(i);
        bool lit = now && now->row == i;
        char label[512], cell[512];
        snprintf(label, sizeof label, " %s", ui_text(row->label));
        text_put(TABLE_Y + 1 + i, 0, lw, label, lit ? theme_attr(S_ROW) : 0, true);
        for (int c = 0; c < 2; c++) {
            enum sock_mode m = (enum sock_mode)c;
            bool here = lit && now->mode == m;
            const char *what = tour_revealed(t, m, i) ? ui_text(row->cell[c]) : here ? "?" : "";
            attr_t a = lit ? theme_attr(here ? S_CELL : S_ROW) : 0;
            snprintf(cell, sizeof cell, " %s", what);
            text_put(TABLE_Y + 1 + i, x[c], cw, cell, a, true);
        }
    }
}

static void draw_question(const struct tour *t, int cols, int bottom)
{
    const struct tour_step *s = tour_step_at(t->step);
    char head[1024], n[16], total[16], why[8], c[8];
    snprintf(n, sizeof n, "%d", tour_question_number(t->step));
    snprintf(total, sizeof total, "%d", tour_questions());
    lesson_fill(head, sizeof head, lesson_get("tour.question"),
                (const char *const[]){"n", n, "total", total, NULL});
    draw_rule(BODY_Y, cols, head);
    int y = BODY_Y + 1;
    y += text_wrap(y, 1, cols - 2, 2, tour_text(t->step, "q"), A_BOLD) + 1;
    for (int k = 1; k <= TOUR_CHOICES; k++, y++) {
        char row[1024];
        attr_t a = 0;
        if (t->phase == TOUR_VERDICT && k == s->answer)
            a = theme_attr(S_OK) | A_BOLD;
        else if (t->phase == TOUR_VERDICT && k == t->chosen)
            a = theme_attr(S_ERR);
        snprintf(c, sizeof c, "c%d", k);
        snprintf(row, sizeof row, " %d  %s", k, tour_text(t->step, c));
        text_put_cut(y, 1, cols - 2, row, a);
    }
    if (t->phase != TOUR_VERDICT)
        return;
    y++;
    char verdict[2048], said[1024];
    snprintf(n, sizeof n, "%d", s->answer);
    lesson_fill(said, sizeof said, lesson_get(t->chosen == s->answer ? "tour.right" : "tour.wrong"),
                (const char *const[]){"n", n, NULL});
    snprintf(why, sizeof why, "why%d", t->chosen);
    snprintf(verdict, sizeof verdict, "%s %s", said, tour_text(t->step, why));
    text_wrap(y, 1, cols - 2, bottom - y, verdict,
              theme_attr(t->chosen == s->answer ? S_OK : S_ERR));
}

static void draw_lesson(const struct tour *t, int cols, int bottom)
{
    const struct tour_step *s = tour_step_at(t->step);
    const struct steps_row *row = steps_row(s->row);
    char head[1024];
    snprintf(head, sizeof head, "%s %s %s", ui_text(row->label), theme_glyphs()->dot,
             ui_text(s->mode == MODE_STREAM ? "table.stream" : "table.dgram"));
    draw_rule(BODY_Y, cols, head);
    text_wrap(BODY_Y + 1, 1, cols - 2, bottom - BODY_Y - 1, tour_text(t->step, NULL), 0);
}

static void draw_end(const struct tour *t, int cols, int bottom)
{
    char score[512];
    draw_rule(BODY_Y, cols, lesson_get("tour.end"));
    text_put(BODY_Y + 1, 1, cols - 2, tour_score(t, score, sizeof score), A_BOLD, false);
    text_wrap(BODY_Y + 3, 1, cols - 2, bottom - BODY_Y - 3, lesson_get("tour.done"), 0);
}

void tour_draw(const struct tour *t, int cols, int lines)
{
    int bottom = lines - 2; /* a blank row above the keys */
    const char *keys = "tour.keys.next";
    erase();
    draw_title(t, cols);
    draw_table(t, cols, lines);
    switch (t->phase) {
    case TOUR_INTRO:
        draw_rule(BODY_Y, cols, "");
        text_wrap(BODY_Y + 1, 1, cols - 2, bottom - BODY_Y - 1, lesson_get("tour.intro"), 0);
        break;
    case TOUR_ASK:
        keys = "tour.keys.answer";
        draw_question(t, cols, bottom);
        break;
    case TOUR_VERDICT:
        draw_question(t, cols, bottom);
        break;
    case TOUR_LESSON:
        draw_lesson(t, cols, bottom);
        break;
    case TOUR_DONE:
        keys = "tour.keys.end";
        draw_end(t, cols, bottom);
        break;
    }
    char bar[512];
    snprintf(bar, sizeof bar, " %s", lesson_get(keys));
    text_put(lines - 1, 0, cols, bar, 0, true);
}
