/* experiment_draw: the experiments menu and a run's screen (see experiment.h). */
#include "../core/lessons.h"
#include "experiment.h"
#include "kernel_strip.h"
#include "text.h"
#include "theme.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define KERNEL_ROWS 6

static void draw_menu(const struct experiment *x, int cols, int lines)
{
    const char *name, *title;
    int y = 2;
    char head[160];
    snprintf(head, sizeof head, " %s", ui_text("exp.menu-title"));
    text_put(0, 0, cols, head, theme_attr(S_TITLE), true);
    for (int i = 0; (title = lesson_experiment_title(i, &name)) && y < lines - 2; i++, y++) {
        char row[256];
        attr_t a = i == x->choice ? theme_attr(S_NEXT) : 0;
        snprintf(row, sizeof row, " %d  %-14s %s", i + 1, name, title);
        text_put(y, 1, cols - 2, "", a, true);
        text_put_cut(y, 1, cols - 2, row, a);
    }
    snprintf(head, sizeof head, " %s", ui_text("exp.menu-keys"));
    text_put(lines - 1, 0, cols, head, 0, true);
}

/* The side that held a socket, as read with the kernel's view. */
static const char *peer_side(int pid, void *ctx)
{
    const struct experiment *x = ctx;
    for (int i = 0; i < x->nksock; i++)
        if (x->ksock[i].pid == pid)
            return ui_text(strcmp(x->side[i], "server") == 0 ? "side.server" : "side.client");
    return "";
}

static void draw_run(const struct experiment *x, int cols, int lines)
{
    char title[160];
    int kernel_y = lines - KERNEL_ROWS - 1, showed_h = 3;
    int list_h = kernel_y - 1 - showed_h - 1;
    title[0] = ' ';
    ui_fill(title + 1, sizeof title - 1, x->ended ? "exp.title-done" : "exp.title-running",
            (const char *const[]){"name", x->name, "mode",
                                  ui_text(x->mode == MODE_STREAM ? "mode.stream" : "mode.dgram"),
                                  NULL});
    text_put(0, 0, cols, title, theme_attr(S_TITLE), true);
    long long first = x->total > list_h ? x->total - list_h : 0;
    for (int i = 0; i < list_h; i++) {
        long long k = first + i;
        text_put(1 + i, 0, cols, "", 0, true);
        if (k < x->total && k >= x->total - EXPERIMENT_LINES)
            text_put_cut(1 + i, 0, cols, x->line[k % EXPERIMENT_LINES], 0);
    }
    int y = 1 + list_h;
    const struct glyphs *g = theme_glyphs();
    for (int i = 0; i < cols; i++)
        mvaddstr(y, i, g->hline);
    char showed[96];
    snprintf(showed, sizeof showed, " %s ", ui_text("exp.showed"));
    text_put(y, 2, cols - 4, showed, A_BOLD, false);
    const char *p = x->showed[0] ? x->showed
                    : x->ended   ? x->ended_how
                                 : ui_text("exp.still-running");
    for (int i = 0; i < showed_h; i++)
        text_put(y + 1 + i, 0, cols, "", 0, true);
    text_wrap(y + 1, 1, cols - 2, showed_h, p, x->showed[0] ? theme_attr(S_ROW) : 0);
    kernel_strip_draw(kernel_y, kernel_y + 1, KERNEL_ROWS - 1, cols, x->ksock, x->nksock, peer_side,
                      (void *)x);
    char keys[160];
    snprintf(keys, sizeof keys, " %s", ui_text("exp.run-keys"));
    text_put(lines - 1, 0, cols, keys, 0, true);
}

void experiment_draw(const struct experiment *x, int cols, int lines)
{
    erase();
    if (x->menu)
        draw_menu(x, cols, lines);
    else
        draw_run(x, cols, lines);
}
