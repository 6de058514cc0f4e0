/* lab_draw: title, panes, table, lesson, counters, keys (see lab_draw.h). */
#include "lab_draw.h"

#include "../core/lessons.h"
#include "../core/steps.h"
#include "kernel_strip.h"
#include "keys.h"
#include "pane_rows.h"
#include "text.h"
#include "theme.h"

#include <stdio.h>
#include <string.h>

/* What every part of one frame needs to agree on: the side Space moves,
 * and the call the table and the lesson explain. */
struct frame {
    const struct lab *lab;
    const struct layout *ly;
    int mover; /* ROLE_SERVER, ROLE_CLIENT, or < 0 */
    enum ev_role focus_role;
    const char *focus; /* the call explained, or NULL */
};

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

/* The directory's tail: enough to find it with ss -x. */
static const char *dir_tail(const char *dir, char *buf, size_t cap)
{
    const char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return dir;
    snprintf(buf, cap, "%s%s", theme_glyphs()->ellipsis, slash);
    return buf;
}

static const char *pace_text(const struct lab *l, char *buf, size_t cap)
{
    long long to_go = lab_to_go(l);
    if (l->closing)
        snprintf(buf, cap, "closing");
    else if (l->auto_run)
        snprintf(buf, cap, "auto every %.3g s", l->interval);
    else if (to_go > 0)
        snprintf(buf, cap, "sending: %lld to go", to_go);
    else
        snprintf(buf, cap, "step mode");
    return buf;
}

static void draw_title(const struct frame *f, long long now)
{
    const struct lab *l = f->lab;
    const struct layout *ly = f->ly;
    char left[256], right[160], pace[48], rate[32] = "", tail[SOCK_PATH_MAX + 8];
    long long secs = (now - l->started_us) / 1000000;
    bool stream = l->mode == MODE_STREAM;
    const char *dot = theme_glyphs()->dot;
    /* A rate only while exchanges run on their own; stepping has none. */
    if ((l->auto_run || lab_to_go(l) > 0) && !l->closing)
        snprintf(rate, sizeof rate, "%.1f msg/s  ", l->rate);
    snprintf(right, sizeof right, "  %s%s  %02lld:%02lld ", rate,
             dir_tail(l->dir, tail, sizeof tail), secs / 60, secs % 60);
    snprintf(left, sizeof left, " sockscope  %s %s %s %s AF_UNIX  %s",
             stream ? "STREAM" : "DATAGRAM", dot, stream ? "SOCK_STREAM" : "SOCK_DGRAM", dot,
             pace_text(l, pace, sizeof pace));
    if (text_width(left) + text_width(right) > ly->title.w) /* AF_UNIX makes room first */
        snprintf(left, sizeof left, " sockscope  %s %s %s  %s", stream ? "STREAM" : "DATAGRAM", dot,
                 stream ? "SOCK_STREAM" : "SOCK_DGRAM", pace);
    int rw = text_width(right);
    text_put(ly->title.y, 0, ly->title.w, "", theme_attr(S_TITLE), true);
    text_put_cut(ly->title.y, 0, ly->title.w - rw, left, theme_attr(S_TITLE));
    text_put(ly->title.y, ly->title.w - rw, rw, right, theme_attr(S_TITLE), false);
}

/* The pane's header: who, and what it is doing; the side Space moves is
 * marked and highlighted. */
static void draw_head(const struct frame *f, enum ev_role r)
{
    const struct lab *l = f->lab;
    const struct side_view *v = &l->session.side[r];
    const struct rect *h = &f->ly->head[r];
    const struct glyphs *g = theme_glyphs();
    const char *call = session_pending_call(&l->session, r);
    char status[128], head[192];
    bool mover = f->mover == (int)r;
    if (mover)
        snprintf(status, sizeof status, "next: %s()", call);
    else if (session_at_gate(&l->session, r))
        snprintf(status, sizeof status, "waits at %s()", call);
    else
        session_side_status(&l->session, r, status, sizeof status);
    snprintf(head, sizeof head, "%s %s pid %lld %s %s", mover ? g->marker : "",
             r == ROLE_SERVER ? "server" : "client", v->pid, g->dot, status);
    attr_t a = theme_attr(mover ? S_MOVER : S_HEAD);
    text_put(h->y, h->x, h->w, "", a, true);
    text_put_cut(h->y, h->x, h->w, head, a);
}

static attr_t row_attr(enum row_look look)
{
    static const enum ui_style map[] = {
        [LOOK_CALL] = S_CALL, [LOOK_NEXT] = S_NEXT, [LOOK_WAITS] = S_WAITS, [LOOK_OUT] = S_OUT,
        [LOOK_IN] = S_IN,     [LOOK_NOTE] = S_NOTE, [LOOK_EXIT] = S_NOTE,   [LOOK_EXIT_ERR] = S_ERR,
    };
    return theme_attr(map[look]);
}

static attr_t result_attr(enum result_look look)
{
    static const enum ui_style map[] = {
        [RES_NONE] = S_CALL,     [RES_OK] = S_OK,       [RES_ERR] = S_ERR,
        [RES_NEXT] = S_NEXT,     [RES_WAITS] = S_WAITS, [RES_BLOCKED] = S_BLOCKED,
        [RES_SKIPPED] = S_PLAIN,
    };
    return theme_attr(map[look]);
}

static void draw_row(int y, int x, int w, const struct pane_row *row)
{
    int rw = row->result[0] ? text_width(row->result) + 1 : 0;
    attr_t a = row_attr(row->look);
    text_put(y, x, w - rw, "", row->look == LOOK_NEXT ? a : 0, true);
    text_put_cut(y, x, w - rw, row->text, a);
    if (rw) {
        text_put(y, x + w - rw, rw, "", result_attr(row->result_look), true);
        text_put(y, x + w - rw + 1, rw - 1, row->result, result_attr(row->result_look), false);
    }
}

static struct row_style row_style_of(const struct frame *f)
{
    const struct glyphs *g = theme_glyphs();
    return (struct row_style){.dir = f->lab->dir,
                              .ellipsis = g->ellipsis,
                              .out = g->out,
                              .in = g->in,
                              .marker = g->marker,
                              .dot = g->dot,
                              .mode = f->lab->mode,
                              .mover = false};
}

/* The pane, from its newest shown line upwards. Scrolled back, its last
 * row says how many lines are newer and how to get back to them. */
static void draw_pane(const struct frame *f, enum ev_role r)
{
    const struct lab *l = f->lab;
    const struct rect *p = &f->ly->pane[r];
    const struct session *s = &l->session;
    size_t n = session_line_count(s, r);
    size_t back = (size_t)l->scroll < n ? (size_t)l->scroll : n;
    int bottom = p->h;
    struct row_style st = row_style_of(f);
    const struct pane_line *pending = f->mover == (int)r ? session_pending_line(s, r) : NULL;
    if (back > 0) {
        char more[96];
        snprintf(more, sizeof more, " %s %zu newer line%s: End or Space brings them back",
                 theme_glyphs()->down, back, back == 1 ? "" : "s");
        bottom--;
        text_put(p->y + bottom, p->x, p->w, "", theme_attr(S_WARN), true);
        text_put_cut(p->y + bottom, p->x, p->w, more, theme_attr(S_WARN));
    }
    for (size_t i = n - back; i > 0 && bottom > 0; i--) {
        const struct pane_line *line = session_line(s, r, i - 1);
        struct pane_row rows[PANE_ROWS_MAX];
        st.mover = line == pending;
        int k = pane_rows(line, &st, p->w, rows);
        for (int j = k - 1; j >= 0 && bottom > 0; j--)
            draw_row(p->y + --bottom, p->x, p->w, &rows[j]);
    }
}

static void draw_divider(const struct layout *ly)
{
    attron(theme_attr(S_RULE));
    for (int y = ly->head[0].y; y < ly->pane[0].y + ly->pane[0].h; y++)
        mvaddstr(y, ly->divider_x, theme_glyphs()->vline);
    attroff(theme_attr(S_RULE));
}

static void draw_table(const struct frame *f)
{
    const struct layout *ly = f->ly;
    int focus = f->focus ? steps_row_of(f->focus_role, f->focus) : -1;
    int lw = ly->table_label_w, cw = ly->table_cell_w, x[2] = {lw + 1, lw + 2 + cw};
    int cur = f->lab->mode == MODE_STREAM ? 0 : 1;
    static const char *const heading[2] = {" stream (SOCK_STREAM) ", " datagram (SOCK_DGRAM) "};
    draw_rule(ly->table_rule.y, 0, ly->table_rule.w, " step ", theme_attr(S_RULE));
    for (int c = 0; c < 2; c++)
        text_put(ly->table_rule.y, x[c], cw, heading[c],
                 theme_attr(S_HEAD) | (c == cur ? A_UNDERLINE : 0), false);
    for (int i = 0; i < STEPS_ROWS; i++) {
        const struct steps_row *row = steps_row(i);
        char label[64], cell[96];
        int y = ly->table.y + i;
        snprintf(label, sizeof label, " %s", row->label);
        text_put(y, 0, lw, label, i == focus ? theme_attr(S_ROW) : 0, true);
        for (int c = 0; c < 2; c++) {
            attr_t a = i == focus ? theme_attr(c == cur ? S_CELL : S_ROW) : 0;
            snprintf(cell, sizeof cell, " %s", row->cell[c]);
            text_put(y, x[c], cw, cell, a, true);
        }
    }
}

static const char *lab_side_of(int pid, void *ctx)
{
    const struct lab *l = ctx;
    return pid == l->proc[ROLE_SERVER].pid ? "server" : "client";
}

/* K: the peers' sockets as ss -x shows them, in the table's place. */
static void draw_kernel(const struct frame *f)
{
    const struct layout *ly = f->ly;
    kernel_strip_draw(ly->table_rule.y, ly->table.y, ly->table.h, ly->table.w, f->lab->ksock,
                      f->lab->nksock, lab_side_of, (void *)f->lab);
}

/* Word-wraps text into the rectangle's lines; the last line is cut. */
static void draw_wrapped(const struct rect *r, const char *text, attr_t a)
{
    const char *p = text;
    for (int i = 0; i < r->h; i++) {
        int y = r->y + i;
        text_put(y, 0, r->w, "", a, true);
        while (*p == ' ')
            p++;
        if (!*p)
            continue;
        size_t fit = text_fit(p, r->w - 2, NULL);
        if (p[fit] && i < r->h - 1) {
            size_t cut = fit;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut > 0)
                fit = cut;
        }
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(fit < sizeof line - 1 ? fit : sizeof line - 1),
                 p);
        if (i == r->h - 1 && p[fit])
            text_put_cut(y, 1, r->w - 2, p, a);
        else
            text_put(y, 1, r->w - 2, line, a, false);
        p += fit;
    }
}

static void draw_lesson(const struct frame *f)
{
    const struct lab *l = f->lab;
    const struct session *s = &l->session;
    const struct layout *ly = f->ly;
    char rule[96];
    const char *text;
    if (f->focus) {
        text = lesson_for(l->mode, f->focus_role, f->focus);
        snprintf(rule, sizeof rule, " why: %s() on the %s ", f->focus,
                 f->focus_role == ROLE_SERVER ? "server" : "client");
    } else if (s->side[ROLE_SERVER].ended && s->side[ROLE_CLIENT].ended) {
        text = lesson_closed(l->mode);
        snprintf(rule, sizeof rule, " why: both sides closed ");
    } else {
        text = lesson_start(l->mode);
        snprintf(rule, sizeof rule, " why: the start ");
    }
    draw_rule(ly->lesson_rule.y, 0, ly->lesson_rule.w, rule, theme_attr(S_RULE));
    draw_wrapped(&ly->lesson, text, 0);
}

/* The counters as a small table, so each number has its heading and the
 * lines fit 80 columns however large the numbers grow (to 99999 exchanges). */
static void draw_counters(const struct frame *f)
{
    static const char *const head[] = {"sent",   "bytes out", "received", "bytes in",
                                       "send()", "recv()",    "lost B",   "errors"};
    enum { N = sizeof head / sizeof head[0] };
    const struct layout *ly = f->ly;
    const struct session *s = &f->lab->session;
    long long v[ROLE_COUNT][N];
    char cell[ROLE_COUNT][N][24];
    int width[N];
    for (int r = 0; r < ROLE_COUNT; r++) {
        const struct ev_stats *st = &s->side[r].stats;
        long long row[N] = {st->msgs_out,   st->bytes_out,  st->msgs_in, st->bytes_in,
                            st->send_calls, st->recv_calls, st->lost,    st->errors};
        memcpy(v[r], row, sizeof row);
    }
    for (int c = 0; c < N; c++) {
        width[c] = (int)strlen(head[c]);
        for (int r = 0; r < ROLE_COUNT; r++) {
            int w = snprintf(cell[r][c], sizeof cell[r][c], "%lld", v[r][c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    int total = 7;
    for (int c = 0; c < N; c++)
        total += width[c] + 2;
    int gap = total <= ly->counters.w ? 2 : 1;
    for (int line = 0; line < 1 + ROLE_COUNT; line++) {
        char out[256];
        int o = snprintf(out, sizeof out, "%s",
                         line == 0   ? "       "
                         : line == 1 ? " server"
                                     : " client");
        for (int c = 0; c < N && o < (int)sizeof out - 1; c++)
            o += snprintf(out + o, sizeof out - (size_t)o, "%*s%*s", gap, "", width[c],
                          line == 0 ? head[c] : cell[line - 1][c]);
        text_put(ly->counters.y + line, 0, ly->counters.w, "", 0, true);
        text_put_cut(ly->counters.y + line, 0, ly->counters.w, out,
                     line == 0 ? theme_attr(S_HEAD) : 0);
    }
    if (s->bad_lines) {
        char bad[48];
        snprintf(bad, sizeof bad, " bad lines %lld ", s->bad_lines);
        text_put(ly->counters.y, ly->counters.w - text_width(bad), text_width(bad), bad,
                 theme_attr(S_WARN), false);
    }
}

/* The key bar, or in its place what the last key could not do, or what
 * the lab is doing now; F1 stays at its right end. */
static void draw_keys(const struct frame *f)
{
    const struct lab *l = f->lab;
    const struct layout *ly = f->ly;
    char status[EVENT_ARGS_MAX];
    const char *say = l->kill_prompt ? "Kill which side with SIGKILL?  s = server   c = client   "
                                       "any other key = neither"
                      : l->notice[0] ? l->notice
                                     : lab_status(l, status, sizeof status);
    int x = 0, w = ly->keys.w;
    size_t n;
    const struct key_binding *k = keys_table(&n);
    text_put(ly->keys.y, 0, w, "", 0, true);
    if (say[0]) {
        text_put_cut(ly->keys.y, 0, w - 8, say,
                     theme_attr(l->kill_prompt || l->notice[0] ? S_WARN : S_BLOCKED));
        text_put(ly->keys.y, w - 7, 2, "F1", theme_attr(S_KEY), false);
        text_put(ly->keys.y, w - 5, 5, "Help", theme_attr(S_KEYLABEL), false);
        return;
    }
    /* The last key (quit) always has its place; the others while they fit. */
    size_t last = n;
    while (last > 0 && !k[last - 1].bar)
        last--;
    int reserve = last ? text_width(k[last - 1].bar) + 4 : 0;
    for (size_t i = 0; i < n; i++) {
        char key[16];
        if (!k[i].bar)
            continue;
        snprintf(key, sizeof key, "%.*s", (int)strcspn(k[i].name, " "), k[i].name);
        int need = text_width(key) + text_width(k[i].bar) + 1;
        if (x + need > w - (i + 1 < last ? reserve : 0))
            continue;
        x += text_put(ly->keys.y, x, w - x, key, theme_attr(S_KEY), false);
        x += text_put(ly->keys.y, x, w - x, k[i].bar, theme_attr(S_KEYLABEL), false);
        x += text_put(ly->keys.y, x, w - x, " ", 0, false);
    }
}

void lab_draw(const struct lab *l, const struct layout *ly, long long now)
{
    struct frame f = {.lab = l, .ly = ly, .mover = session_whose_turn(&l->session, now)};
    f.focus = session_focus(&l->session, now, &f.focus_role);
    draw_title(&f, now);
    for (int r = 0; r < ROLE_COUNT; r++) {
        draw_head(&f, (enum ev_role)r);
        draw_pane(&f, (enum ev_role)r);
    }
    draw_divider(ly);
    if (l->kernel_view)
        draw_kernel(&f);
    else
        draw_table(&f);
    draw_lesson(&f);
    draw_counters(&f);
    draw_keys(&f);
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
        if (!k[i].help)
            continue;
        text_put(y, 2, 12, k[i].name, A_BOLD, false);
        text_put_cut(y++, 15, cols - 16, k[i].help, 0);
    }
    y++;
    const char *notes[] = {
        "Each pane line is a call that side really made, with its real result.",
        "next: Space makes it. waits: its turn comes later. blocking: in the kernel.",
        "Check it yourself: strace -f -p PID, or ss -x, in another terminal.",
    };
    for (size_t i = 0; i < 3 && y < lines; i++)
        text_put_cut(y++, 2, cols - 3, notes[i], 0);
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
