/* kernel_strip: the kernel's view, drawn (see kernel_strip.h). */
#include "kernel_strip.h"

#include "../core/lessons.h"
#include "text.h"
#include "theme.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* What a stream sender may queue before send() blocks, by default: the
 * bars are drawn against it. */
#define QUEUE_FULL 212992

/* A small bar for a queue: part of width filled, as v is of full. */
static int draw_bar(int y, int x, int width, long long v, long long full)
{
    const struct glyphs *g = theme_glyphs();
    int n = v <= 0 || full <= 0 ? 0 : (int)((v * width + full - 1) / full);
    if (n > width)
        n = width;
    move(y, x);
    for (int i = 0; i < width; i++) {
        attr_t a = theme_attr(i < n ? S_OUT : S_PLAIN);
        attron(a);
        addstr(i < n ? g->full : g->empty);
        attroff(a);
    }
    return width;
}

static void draw_one(int y, int w, const struct ksock *k, const char *side)
{
    int bar = w >= 120 ? 16 : 8, x = 0;
    bool listener = strcmp(k->state, "LISTEN") == 0;
    char left[256], q[256], path[512];
    snprintf(left, sizeof left, " %s fd %d  %-6s %-6s", side, k->fd, k->state,
             k->type == SOCK_STREAM ? "stream" : "dgram");
    x += text_put(y, x, w - x, left, theme_attr(S_HEAD), false);
    if (listener) /* the kernel queues one more than the backlog */
        snprintf(q, sizeof q, " %s %lld/%lld ", ui_text("kernel.waiting"), k->rq, k->wq + 1);
    else
        snprintf(q, sizeof q, " %s %6lld B ", ui_text("kernel.in"), k->rq);
    x += text_put(y, x, w - x, q, 0, false);
    x += draw_bar(y, x, bar, k->rq, listener ? k->wq + 1 : QUEUE_FULL);
    if (!listener) {
        snprintf(q, sizeof q, "  %s %6lld B ", ui_text("kernel.out"), k->wq);
        x += text_put(y, x, w - x, q, 0, false);
        x += draw_bar(y, x, bar, k->wq, QUEUE_FULL);
    }
    const char *slash = strrchr(k->path, '/');
    snprintf(path, sizeof path, "  %s",
             k->path[0] ? (slash ? slash + 1 : k->path) : ui_text("kernel.no-name"));
    text_put_cut(y, x, w - x, path, 0);
}

void kernel_strip_draw(int rule_y, int y, int h, int w, const struct ksock *k, int n,
                       const char *(*side)(int pid, void *ctx), void *ctx)
{
    const struct glyphs *g = theme_glyphs();
    attron(theme_attr(S_RULE));
    for (int i = 0; i < w; i++)
        mvaddstr(rule_y, i, g->hline);
    attroff(theme_attr(S_RULE));
    char title[192];
    snprintf(title, sizeof title, " %s ", ui_text("kernel.title"));
    text_put(rule_y, 2, w - 4, title, theme_attr(S_RULE) | A_BOLD, false);
    for (int i = 0; i < h; i++) {
        text_put(y + i, 0, w, "", 0, true);
        if (i == 0 && n <= 0)
            text_put(y, 1, w - 2, ui_text(n < 0 ? "kernel.unreadable" : "kernel.none"), 0, false);
        else if (i < n)
            draw_one(y + i, w, &k[i], side(k[i].pid, ctx));
    }
}
