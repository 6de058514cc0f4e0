/* lab_draw: title, panes, table, lesson, counters, keys (see lab_draw.h). */
#include "lab_draw.h"

#include "../core/lessons.h"
#include "../core/steps.h"
#include "keys.h"
#include "text.h"
#include "theme.h"

#include <stdio.h>
#include <string.h>

static void draw_rule(int y, int x, int w, const char *title, attr_t a)
{
    const struct glyphs *g = theme_glyphs();
    attron(a);
    for (int i = 0; i < w; i++)
        mvaddstr(y, x + i, g->hline);
    attroff(a);
    if (title && *title)
        text_put(y, x + 2, w - 4, title, a | A_BOLD, false);
}

static void draw_title(const struct lab *l, const struct layout *ly, long long now)
{
    char left[256], right[64];
    long long secs = (now - l->started_us) / 1000000;
    bool stream = l->mode == MODE_STREAM;
    const char *dot = theme_glyphs()->dot;
    char pace[32];
    if (l->auto_run)
        snprintf(pace, sizeof pace, "auto every %.3g s", l->interval);
    else
        snprintf(pace, sizeof pace, "step mode");
    snprintf(left, sizeof left, " sockscope  %s %s %s %s AF_UNIX  %s  %s",
             stream ? "STREAM" : "DATAGRAM", dot, stream ? "SOCK_STREAM" : "SOCK_DGRAM", dot, pace,
             l->dir);
    snprintf(right, sizeof right, " %.1f msg/s  %02lld:%02lld ", l->rate, secs / 60, secs % 60);
    int rw = text_width(right);
    text_put(ly->title.y, 0, ly->title.w, "", theme_attr(S_TITLE), true);
    text_put_cut(ly->title.y, 0, ly->title.w - rw, left, theme_attr(S_TITLE));
    text_put(ly->title.y, ly->title.w - rw, rw, right, theme_attr(S_TITLE), false);
}

static void draw_head(const struct lab *l, const struct layout *ly, enum ev_role r)
{
    char status[128], head[192];
    const struct side_view *v = &l->session.side[r];
    session_side_status(&l->session, r, status, sizeof status);
    snprintf(head, sizeof head, " %s pid %lld %s %s", r == ROLE_SERVER ? "server" : "client",
             v->pid, theme_glyphs()->dot, status);
    text_put(ly->head[r].y, ly->head[r].x, ly->head[r].w, "", theme_attr(S_HEAD), true);
    text_put_cut(ly->head[r].y, ly->head[r].x, ly->head[r].w, head, theme_attr(S_HEAD));
}

/* What a call line says on its right: its result, or what it is doing. */
static const char *call_result(const struct pane_line *p, char *buf, size_t cap, attr_t *a)
{
    const struct glyphs *g = theme_glyphs();
    switch (p->status) {
    case CALL_NEXT:
        *a = theme_attr(S_NEXT);
        return "next";
    case CALL_RUNNING:
        *a = theme_attr(S_BLOCKED);
        snprintf(buf, cap, "blocking%s", g->ellipsis);
        return buf;
    case CALL_SKIPPED:
        *a = theme_attr(S_DIM);
        return "not made";
    case CALL_FAILED:
        *a = theme_attr(S_ERR);
        snprintf(buf, cap, "= %lld %s", p->rc, p->err);
        return buf;
    default:
        *a = theme_attr(S_OK);
        snprintf(buf, cap, "= %lld", p->rc);
        return buf;
    }
}

static void draw_call(int y, int x, int w, const struct pane_line *p)
{
    char left[EVENT_ARGS_MAX + 64], result[64];
    attr_t ra;
    const char *res = call_result(p, result, sizeof result, &ra);
    bool current = p->status == CALL_NEXT || p->status == CALL_RUNNING;
    int rw = text_width(res) + 1;
    snprintf(left, sizeof left, "%s%3lld %s(%s)", current ? theme_glyphs()->marker : " ", p->seq,
             p->call, p->text);
    attr_t la = p->status == CALL_NEXT ? theme_attr(S_NEXT) : theme_attr(S_CALL);
    text_put(y, x, w - rw, "", la, true);
    text_put_cut(y, x, w - rw, left, la);
    text_put(y, x + w - rw, rw, "", ra, true);
    text_put(y, x + w - rw + 1, rw - 1, res, ra, false);
}

/* A message in a line that fits a 40-column pane: direction, bytes, the
 * text, and what else came with it (the lesson's NUL padding, bytes a small
 * buffer lost, several messages or part of one). */
static void draw_msg(int y, int x, int w, const struct pane_line *p, enum sock_mode mode)
{
    const struct glyphs *g = theme_glyphs();
    char line[EVENT_ARGS_MAX + 128], extra[64] = "";
    int n = 0;
    if (p->padding > 0)
        n += snprintf(extra + n, sizeof extra - (size_t)n, " + %lld NUL", p->padding);
    if (p->lost > 0)
        snprintf(extra + n, sizeof extra - (size_t)n, ", %lld lost", p->lost);
    else if (p->messages > 1)
        snprintf(extra + n, sizeof extra - (size_t)n, ", %lld msgs", p->messages);
    else if (p->messages == 0 && mode == MODE_STREAM)
        snprintf(extra + n, sizeof extra - (size_t)n, ", part of a msg");
    snprintf(line, sizeof line, "  %s %lld B \"%s\"%s", p->out ? g->out : g->in, p->bytes, p->text,
             extra);
    text_put_cut(y, x, w, line, theme_attr(p->out ? S_OUT : S_IN));
}

static void draw_line(int y, int x, int w, const struct pane_line *p, enum sock_mode mode)
{
    char line[EVENT_ARGS_MAX + 64];
    switch (p->kind) {
    case LINE_CALL:
        draw_call(y, x, w, p);
        return;
    case LINE_MSG:
        draw_msg(y, x, w, p, mode);
        return;
    case LINE_NOTE:
        snprintf(line, sizeof line, "     %s %s", theme_glyphs()->dot, p->text);
        text_put_cut(y, x, w, line, theme_attr(S_NOTE));
        return;
    case LINE_EXIT:
        snprintf(line, sizeof line, "     exit %lld: %s", p->rc, p->text);
        text_put_cut(y, x, w, line, theme_attr(p->rc ? S_ERR : S_NOTE));
        return;
    }
}

static void draw_pane(const struct lab *l, const struct layout *ly, enum ev_role r)
{
    const struct rect *p = &ly->pane[r];
    size_t n = session_line_count(&l->session, r);
    size_t back = (size_t)l->scroll;
    size_t end = n > back ? n - back : 0;
    if (end < (size_t)p->h && n >= (size_t)p->h)
        end = (size_t)p->h; /* scrolled to the top: show the first screenful */
    size_t start = end > (size_t)p->h ? end - (size_t)p->h : 0;
    for (int i = 0; i < p->h; i++) {
        move(p->y + i, p->x);
        for (int k = 0; k < p->w; k++)
            addch(' ');
        if (start + (size_t)i < end)
            draw_line(p->y + i, p->x, p->w, session_line(&l->session, r, start + (size_t)i),
                      l->mode);
    }
}

static void draw_divider(const struct layout *ly)
{
    attron(theme_attr(S_RULE));
    for (int y = ly->head[0].y; y < ly->pane[0].y + ly->pane[0].h; y++)
        mvaddstr(y, ly->divider_x, theme_glyphs()->vline);
    attroff(theme_attr(S_RULE));
}

static void draw_table(const struct lab *l, const struct layout *ly)
{
    const struct session *s = &l->session;
    int focus = s->focus_call[0] ? steps_row_of(s->focus_role, s->focus_call) : -1;
    int lw = ly->table_label_w, cw = ly->table_cell_w, x1 = lw + 1, x2 = lw + 2 + cw;
    int cur = l->mode == MODE_STREAM ? 0 : 1;
    draw_rule(ly->table_rule.y, 0, ly->table_rule.w, " the lesson's table: stream vs datagram ",
              theme_attr(S_RULE));
    int y = ly->table.y;
    text_put(y, 0, lw, " step", theme_attr(S_DIM), true);
    text_put(y, x1, cw, " stream (SOCK_STREAM)",
             (cur == 0 ? A_BOLD | A_UNDERLINE : 0) | theme_attr(S_HEAD), true);
    text_put(y, x2, cw, " datagram (SOCK_DGRAM)",
             (cur == 1 ? A_BOLD | A_UNDERLINE : 0) | theme_attr(S_HEAD), true);
    for (int i = 0; i < STEPS_ROWS; i++) {
        const struct steps_row *row = steps_row(i);
        char label[64];
        y++;
        snprintf(label, sizeof label, " %s", row->label);
        text_put(y, 0, lw, label, i == focus ? theme_attr(S_ROW) : 0, true);
        for (int c = 0; c < 2; c++) {
            char cell[96];
            attr_t a = i == focus ? (c == cur ? theme_attr(S_CELL) : theme_attr(S_ROW))
                                  : (c == cur ? 0 : theme_attr(S_DIM));
            snprintf(cell, sizeof cell, " %s", row->cell[c]);
            text_put(y, c == 0 ? x1 : x2, cw, cell, a, true);
        }
    }
}

/* Word-wraps text into the rectangle's lines; the last line is cut. */
static void draw_wrapped(const struct rect *r, int first, int count, const char *text, attr_t a)
{
    const char *p = text;
    for (int i = 0; i < count; i++) {
        int y = r->y + first + i;
        text_put(y, 0, r->w, "", a, true);
        while (*p == ' ')
            p++;
        if (!*p)
            continue;
        size_t fit = text_fit(p, r->w - 2, NULL);
        if (p[fit] && i < count - 1) {
            size_t cut = fit;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut > 0)
                fit = cut;
        }
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(fit < sizeof line - 1 ? fit : sizeof line - 1),
                 p);
        if (i == count - 1 && p[fit])
            text_put_cut(y, 1, r->w - 2, p, a);
        else
            text_put(y, 1, r->w - 2, line, a, false);
        p += fit;
    }
}

static void draw_lesson(const struct lab *l, const struct layout *ly)
{
    const struct session *s = &l->session;
    char rule[96];
    const char *text = s->focus_call[0] ? lesson_for(l->mode, s->focus_role, s->focus_call)
                                        : lesson_start(l->mode);
    snprintf(rule, sizeof rule, " why: %s%s%s ", s->focus_call[0] ? s->focus_call : "the start",
             s->focus_call[0] ? "()" : "",
             s->focus_call[0] ? (s->focus_role == ROLE_SERVER ? " on the server" : " on the client")
                              : "");
    draw_rule(ly->lesson_rule.y, 0, ly->lesson_rule.w, rule, theme_attr(S_RULE));
    int lines = ly->lesson.h;
    if (l->kill_prompt) {
        draw_wrapped(&ly->lesson, 0, lines - 1, text, 0);
        draw_wrapped(
            &ly->lesson, lines - 1, 1,
            "Kill which side with SIGKILL?  s = server   c = client   any other key = neither",
            theme_attr(S_WARN));
    } else if (l->notice[0]) {
        draw_wrapped(&ly->lesson, 0, lines - 1, text, 0);
        draw_wrapped(&ly->lesson, lines - 1, 1, l->notice, theme_attr(S_BLOCKED));
    } else {
        draw_wrapped(&ly->lesson, 0, lines, text, 0);
    }
}

static void draw_counters(const struct lab *l, const struct layout *ly)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct ev_stats *st = &l->session.side[r].stats;
        char line[256];
        snprintf(line, sizeof line,
                 " %-6s sent %lld (%lld B)  received %lld (%lld B)  calls: %lld send, %lld recv  "
                 "errors %lld",
                 r == ROLE_SERVER ? "server" : "client", st->msgs_out, st->bytes_out, st->msgs_in,
                 st->bytes_in, st->send_calls, st->recv_calls, st->errors);
        if (r == ROLE_CLIENT && l->session.bad_lines)
            snprintf(line + strlen(line), sizeof line - strlen(line), "  bad lines %lld",
                     l->session.bad_lines);
        text_put(ly->counters.y + r, 0, ly->counters.w, "", 0, true);
        text_put_cut(ly->counters.y + r, 0, ly->counters.w, line, 0);
    }
}

static void draw_keys(const struct layout *ly)
{
    size_t n;
    const struct key_binding *k = keys_table(&n);
    int x = 0, w = ly->keys.w;
    text_put(ly->keys.y, 0, w, "", 0, true);
    for (size_t i = 0; i < n; i++) {
        char key[16];
        if (!k[i].bar)
            continue;
        snprintf(key, sizeof key, "%.*s", (int)strcspn(k[i].name, " "), k[i].name);
        int need = text_width(key) + text_width(k[i].bar) + 1;
        if (x + need > w)
            break;
        x += text_put(ly->keys.y, x, w - x, key, theme_attr(S_KEY), false);
        x += text_put(ly->keys.y, x, w - x, k[i].bar, theme_attr(S_KEYLABEL), false);
        x += text_put(ly->keys.y, x, w - x, " ", 0, false);
    }
}

void lab_draw(const struct lab *l, const struct layout *ly, long long now)
{
    draw_title(l, ly, now);
    for (int r = 0; r < ROLE_COUNT; r++) {
        draw_head(l, ly, (enum ev_role)r);
        draw_pane(l, ly, (enum ev_role)r);
    }
    draw_divider(ly);
    draw_table(l, ly);
    draw_lesson(l, ly);
    draw_counters(l, ly);
    draw_keys(ly);
}

void help_draw(int cols, int lines)
{
    size_t n;
    const struct key_binding *k = keys_table(&n);
    int y = 0;
    erase();
    text_put(y++, 0, cols, " sockscope help: every key (any key returns)", theme_attr(S_TITLE),
             true);
    /* At 80x24 every key fits, with the notes below them. */
    for (size_t i = 0; i < n && y < lines - 1; i++) {
        text_put(y, 2, 12, k[i].name, A_BOLD, false);
        text_put_cut(y++, 15, cols - 16, k[i].help, 0);
    }
    y++;
    const char *notes[] = {
        "Each pane line is a call that side really made, with its real result.",
        "next: waits for your key.  blocking: in the kernel, waiting for the peer.",
        "Check it yourself: strace -f -p PID, or ss -x, in another terminal.",
    };
    for (size_t i = 0; i < 3 && y < lines; i++)
        text_put_cut(y++, 2, cols - 3, notes[i], theme_attr(S_DIM));
}

void too_small_draw(int cols, int lines)
{
    char msg[128];
    erase();
    snprintf(msg, sizeof msg, "sockscope needs at least %dx%d; this terminal is %dx%d",
             LAYOUT_MIN_COLS, LAYOUT_MIN_LINES, cols, lines);
    int y = lines / 2 - 1;
    text_put(y > 0 ? y : 0, 0, cols, msg, A_BOLD, false);
    text_put(y + 1 > 0 ? y + 1 : 1, 0, cols, "make it bigger, or press q to quit", 0, false);
}
