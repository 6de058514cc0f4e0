/* lab_draw: title, panes, table, lesson, counters, keys (see lab_draw.h). */
#include "lab_draw.h"

#include "../core/lessons.h"
#include "../core/steps.h"
#include "code_pane.h"
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
    if (title && *title) {
        char padded[256];
        snprintf(padded, sizeof padded, " %s ", title);
        text_put(y, x + 2, w - 4, padded, a | A_BOLD, false);
    }
}

/* The directory's tail: enough to find it with ss -x. */
static const char *dir_tail(const char *dir, char *buf, size_t cap)
{
    const char *slash = strrchr(dir, '/');
    snprintf(buf, cap, "%s", slash ? slash + 1 : dir);
    return buf;
}

static const char *pace_text(const struct lab *l, char *buf, size_t cap)
{
    long long to_go = lab_to_go(l);
    char n[32];
    if (l->closing)
        return ui_fill(buf, cap, "title.closing", NULL);
    if (l->auto_run) {
        snprintf(n, sizeof n, "%.3g", l->interval);
        return ui_fill(buf, cap, "title.auto", (const char *const[]){"seconds", n, NULL});
    }
    if (to_go > 0) {
        snprintf(n, sizeof n, "%lld", to_go);
        return ui_fill(buf, cap, "title.sending", (const char *const[]){"n", n, NULL});
    }
    return ui_fill(buf, cap, "title.step", NULL);
}

static void draw_title(const struct frame *f, long long now)
{
    const struct lab *l = f->lab;
    const struct layout *ly = f->ly;
    char left[1024], right[512], pace[256], rate[128] = "", tail[SOCK_PATH_MAX + 8];
    long long secs = (now - l->started_us) / 1000000;
    bool stream = l->mode == MODE_STREAM;
    const char *dot = theme_glyphs()->dot;
    /* A rate only while exchanges run on their own; stepping has none. */
    if ((l->auto_run || lab_to_go(l) > 0) && !l->closing)
        snprintf(rate, sizeof rate, "%.1f %s  ", l->rate, ui_text("title.rate"));
    snprintf(right, sizeof right, "  %s%s  %02lld:%02lld ", rate,
             dir_tail(l->dir, tail, sizeof tail), secs / 60, secs % 60);
    char set[256], settings[300] = "";
    lab_settings(l, set, sizeof set);
    if (set[0])
        snprintf(settings, sizeof settings, "  %s", set);
    snprintf(left, sizeof left, " sockscope  %s %s %s %s AF_UNIX  %s%s",
             stream ? "STREAM" : "DATAGRAM", dot, stream ? "SOCK_STREAM" : "SOCK_DGRAM", dot,
             pace_text(l, pace, sizeof pace), settings);
    if (text_width(left) + text_width(right) > ly->title.w) /* AF_UNIX makes room first */
        snprintf(left, sizeof left, " sockscope  %s %s %s  %s%s", stream ? "STREAM" : "DATAGRAM",
                 dot, stream ? "SOCK_STREAM" : "SOCK_DGRAM", pace, settings);
    if (text_width(left) + text_width(right) > ly->title.w) /* then the name and the type */
        snprintf(left, sizeof left, " %s  %s%s", stream ? "SOCK_STREAM" : "SOCK_DGRAM", pace,
                 settings);
    int rw = text_width(right);
    text_put(ly->title.y, 0, ly->title.w, "", theme_attr(S_TITLE), true);
    text_put_cut(ly->title.y, 0, ly->title.w - rw, left, theme_attr(S_TITLE));
    text_put(ly->title.y, ly->title.w - rw, rw, right, theme_attr(S_TITLE), false);
}

/* How a side is doing, in the lab's language: "blocked in accept(), listening". */
static const char *side_status(const struct session *s, enum ev_role r, char *buf, size_t cap)
{
    static const char *const states[] = {"listening",   "ready",      "waiting", "connected",
                                         "peer-closed", "peer-error", "partial", "truncated"};
    const struct side_view *v = &s->side[r];
    const struct pane_line *l = session_pending_line(s, r);
    char key[48], named[EVENT_NAME_MAX + 4], state[96] = "";
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        if (strcmp(v->state, states[i]) == 0) {
            snprintf(key, sizeof key, "state.%s", states[i]);
            snprintf(state, sizeof state, "%s", ui_text(key));
        }
    if (!v->started)
        return ui_fill(buf, cap, "head.not-running", NULL);
    if (v->ended) {
        int code;
        char sig[32];
        if (sscanf(v->ended_how, "exited %d", &code) == 1) {
            snprintf(key, sizeof key, "%d", code);
            return ui_fill(buf, cap, "head.exited", (const char *const[]){"code", key, NULL});
        }
        if (sscanf(v->ended_how, "killed by %31s", sig) == 1)
            return ui_fill(buf, cap, "head.killed", (const char *const[]){"signal", sig, NULL});
        snprintf(buf, cap, "%s", v->ended_how);
        return buf;
    }
    if (l) {
        snprintf(named, sizeof named, "%s()", l->call);
        ui_fill(buf, cap, "head.blocked", (const char *const[]){"call", named, NULL});
        if (state[0])
            snprintf(buf + strlen(buf), cap - strlen(buf), ", %s", state);
        return buf;
    }
    snprintf(buf, cap, "%s", state[0] ? state : ui_text("head.starting"));
    return buf;
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
    char status[512], head[768];
    bool mover = f->mover == (int)r;
    char named[EVENT_NAME_MAX + 4];
    snprintf(named, sizeof named, "%s()", call ? call : "");
    const char *const kv[] = {"call", named, NULL};
    if (mover)
        ui_fill(status, sizeof status, "head.next", kv);
    else if (session_at_gate(&l->session, r))
        ui_fill(status, sizeof status, "head.waits", kv);
    else
        side_status(&l->session, r, status, sizeof status);
    snprintf(head, sizeof head, "%s %s pid %lld %s %s", mover ? g->marker : "",
             ui_text(r == ROLE_SERVER ? "side.server" : "side.client"), v->pid, g->dot, status);
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

/* Rows the lines [first, end) take, at most limit. */
static int rows_of(const struct frame *f, enum ev_role r, const struct row_style *st, size_t first,
                   size_t end, int limit)
{
    int rows = 0;
    for (size_t i = first; i < end && rows < limit; i++) {
        struct pane_row tmp[PANE_ROWS_MAX];
        rows += pane_rows(session_line(&f->lab->session, r, i), st, f->ly->pane[r].w, tmp);
    }
    return rows;
}

/* The pane, from its newest shown line upwards; scrolled back to its
 * oldest lines, from the top down. Scrolled back, its last row says how
 * many lines are newer and how to get back to them. */
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
        char more[512], count[24];
        snprintf(count, sizeof count, "%zu", back);
        int o = snprintf(more, sizeof more, " %s ", theme_glyphs()->down);
        ui_fill(more + o, sizeof more - (size_t)o, "pane.newer",
                (const char *const[]){"n", count, NULL});
        bottom--;
        text_put(p->y + bottom, p->x, p->w, "", theme_attr(S_WARN), true);
        text_put_cut(p->y + bottom, p->x, p->w, more, theme_attr(S_WARN));
    }
    size_t end = n - back;
    size_t first = end;
    while (first > 0 && rows_of(f, r, &st, first - 1, end, bottom + 1) <= bottom)
        first--;
    if (first == 0) /* the oldest lines: fill from the top, as far as they go */
        while (end < n - (back ? 1 : 0) && rows_of(f, r, &st, 0, end + 1, bottom + 1) <= bottom)
            end++;
    int rows = rows_of(f, r, &st, first, end, bottom + 1);
    int y = first == 0 && rows < bottom ? 0 : bottom - rows;
    for (size_t i = first; i < end; i++) {
        const struct pane_line *line = session_line(s, r, i);
        struct pane_row rr[PANE_ROWS_MAX];
        st.mover = line == pending;
        int k = pane_rows(line, &st, p->w, rr);
        for (int j = 0; j < k; j++, y++)
            if (y >= 0 && y < bottom)
                draw_row(p->y + y, p->x, p->w, &rr[j]);
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
    static const char *const heading[2] = {"table.stream", "table.dgram"};
    draw_rule(ly->table_rule.y, 0, ly->table_rule.w, ui_text("table.step"), theme_attr(S_RULE));
    for (int c = 0; c < 2; c++) {
        char h[96];
        snprintf(h, sizeof h, " %s ", ui_text(heading[c]));
        text_put(ly->table_rule.y, x[c], cw, h, theme_attr(S_HEAD) | (c == cur ? A_UNDERLINE : 0),
                 false);
    }
    for (int i = 0; i < STEPS_ROWS; i++) {
        const struct steps_row *row = steps_row(i);
        char label[512], cell[512];
        int y = ly->table.y + i;
        snprintf(label, sizeof label, " %s", ui_text(row->label));
        text_put(y, 0, lw, label, i == focus ? theme_attr(S_ROW) : 0, true);
        for (int c = 0; c < 2; c++) {
            attr_t a = i == focus ? theme_attr(c == cur ? S_CELL : S_ROW) : 0;
            snprintf(cell, sizeof cell, " %s", ui_text(row->cell[c]));
            text_put(y, x[c], cw, cell, a, true);
        }
    }
}

static const char *lab_side_of(int pid, void *ctx)
{
    const struct lab *l = ctx;
    return ui_text(pid == l->proc[ROLE_SERVER].pid ? "side.server" : "side.client");
}

/* K: the peers' sockets as ss -x shows them, in the table's place. */
static void draw_kernel(const struct frame *f)
{
    const struct layout *ly = f->ly;
    kernel_strip_draw(ly->table_rule.y, ly->table.y, ly->table.h, ly->table.w, f->lab->ksock,
                      f->lab->nksock, lab_side_of, (void *)f->lab);
}

/* v: the source of the call explained, from the table's rule down to the
 * lesson's last line. */
static void draw_code(const struct frame *f)
{
    const struct layout *ly = f->ly;
    struct rect r = ly->table_rule;
    r.h = ly->lesson.y + ly->lesson.h - r.y;
    const struct pane_line *call =
        f->focus ? session_pending_line(&f->lab->session, f->focus_role) : NULL;
    code_pane_draw(&r, call, f->mover == (int)f->focus_role);
}

/* The lesson, wrapped into the rectangle's lines (cleared first). */
static void draw_wrapped(const struct rect *r, const char *text, attr_t a)
{
    for (int i = 0; i < r->h; i++)
        text_put(r->y + i, 0, r->w, "", a, true);
    text_wrap(r->y, 1, r->w - 2, r->h, text, a);
}

static void draw_lesson(const struct frame *f)
{
    const struct lab *l = f->lab;
    const struct session *s = &l->session;
    const struct layout *ly = f->ly;
    char rule[512];
    const char *text;
    if (f->focus) {
        text = lesson_for(l->mode, f->focus_role, f->focus);
        char named[EVENT_NAME_MAX + 4];
        snprintf(named, sizeof named, "%s()", f->focus);
        ui_fill(rule, sizeof rule, f->focus_role == ROLE_SERVER ? "why.server" : "why.client",
                (const char *const[]){"call", named, NULL});
    } else if (s->side[ROLE_SERVER].ended && s->side[ROLE_CLIENT].ended) {
        text = lesson_closed(l->mode);
        ui_fill(rule, sizeof rule, "why.closed", NULL);
    } else {
        text = lesson_start(l->mode);
        ui_fill(rule, sizeof rule, "why.start", NULL);
    }
    draw_rule(ly->lesson_rule.y, 0, ly->lesson_rule.w, rule, theme_attr(S_RULE));
    draw_wrapped(&ly->lesson, text, 0);
}

/* The counters as a small table, so each number has its heading and the
 * lines fit 80 columns however large the numbers grow (to 99999 exchanges). */
static void draw_counters(const struct frame *f)
{
    static const char *const keys[] = {"count.sent",     "count.bytes-out", "count.received",
                                       "count.bytes-in", "count.send",      "count.recv",
                                       "count.lost",     "count.errors"};
    const char *head[sizeof keys / sizeof keys[0]];
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        head[i] = ui_text(keys[i]);
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
        width[c] = text_width(head[c]);
        for (int r = 0; r < ROLE_COUNT; r++) {
            int w = snprintf(cell[r][c], sizeof cell[r][c], "%lld", v[r][c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    const char *side[ROLE_COUNT] = {ui_text("side.server"), ui_text("side.client")};
    int label =
        1 + (text_width(side[0]) > text_width(side[1]) ? text_width(side[0]) : text_width(side[1]));
    int total = label;
    for (int c = 0; c < N; c++)
        total += width[c] + 2;
    int gap = total <= ly->counters.w ? 2 : 1;
    for (int line = 0; line < 1 + ROLE_COUNT; line++) {
        char out[512];
        int o = 0;
        const char *name = line == 0 ? "" : side[line - 1];
        o += snprintf(out + o, sizeof out - (size_t)o, " %s%*s", name, label - 1 - text_width(name),
                      "");
        for (int c = 0; c < N && o < (int)sizeof out - 1; c++) {
            const char *t = line == 0 ? head[c] : cell[line - 1][c];
            /* Right-aligned by columns, not bytes: a Thai heading has marks of no width. */
            o += snprintf(out + o, sizeof out - (size_t)o, "%*s%*s%s", gap, "",
                          width[c] - text_width(t), "", t);
        }
        text_put(ly->counters.y + line, 0, ly->counters.w, "", 0, true);
        text_put_cut(ly->counters.y + line, 0, ly->counters.w, out,
                     line == 0 ? theme_attr(S_HEAD) : 0);
    }
    if (s->bad_lines) {
        char bad[300];
        char n[24];
        snprintf(n, sizeof n, "%lld", s->bad_lines);
        char said[256];
        ui_fill(said, sizeof said, "count.bad-lines", (const char *const[]){"n", n, NULL});
        snprintf(bad, sizeof bad, " %s ", said);
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
    char status[1024];
    const char *say = l->kill_prompt ? ui_text("notice.kill-which")
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
        text_put(ly->keys.y, w - 5, 5, ui_text("keys.help.bar"), theme_attr(S_KEYLABEL), false);
        return;
    }
    /* The last key (quit) always has its place; the others while they fit. */
    size_t last = n;
    while (last > 0 && !k[last - 1].bar)
        last--;
    int reserve = last ? text_width(ui_text(k[last - 1].bar)) + 4 : 0;
    for (size_t i = 0; i < n; i++) {
        char key[16];
        if (!k[i].bar)
            continue;
        snprintf(key, sizeof key, "%.*s", (int)strcspn(k[i].name, " "), k[i].name);
        int need = text_width(key) + text_width(ui_text(k[i].bar)) + 1;
        if (x + need > w - (i + 1 < last ? reserve : 0))
            continue;
        x += text_put(ly->keys.y, x, w - x, key, theme_attr(S_KEY), false);
        x += text_put(ly->keys.y, x, w - x, ui_text(k[i].bar), theme_attr(S_KEYLABEL), false);
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
    if (l->code_view)
        draw_code(&f);
    else if (l->kernel_view)
        draw_kernel(&f);
    else
        draw_table(&f);
    if (!l->code_view)
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
    char title[160];
    snprintf(title, sizeof title, " %s", ui_text("help.title"));
    text_put(y++, 0, cols, title, theme_attr(S_TITLE), true);
    /* At 80x24 every key fits, with the notes below them. */
    for (size_t i = 0; i < n && y < lines - 1; i++) {
        if (!k[i].help)
            continue;
        text_put(y, 2, 12, k[i].name, A_BOLD, false);
        text_put_cut(y++, 15, cols - 16, ui_text(k[i].help), 0);
    }
    if (lines - y > 3) /* a blank line before the notes, when there is room for it */
        y++;
    const char *notes[] = {"help.note1", "help.note2", "help.note3"};
    for (size_t i = 0; i < 3 && y < lines; i++)
        text_put_cut(y++, 2, cols - 3, ui_text(notes[i]), 0);
}

void too_small_draw(int cols, int lines)
{
    char msg[256], need[16], have[16];
    erase();
    snprintf(need, sizeof need, "%dx%d", LAYOUT_MIN_COLS, LAYOUT_MIN_LINES);
    snprintf(have, sizeof have, "%dx%d", cols, lines);
    ui_fill(msg, sizeof msg, "small.need", (const char *const[]){"need", need, "have", have, NULL});
    int y = lines / 2 - 1;
    text_put(y > 0 ? y : 0, 0, cols, msg, A_BOLD, false);
    text_put(y + 1 > 0 ? y + 1 : 1, 0, cols, ui_text("small.hint"), 0, false);
}
