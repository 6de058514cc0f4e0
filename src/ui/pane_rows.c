/* pane_rows: a pane line as wrapped rows (see pane_rows.h). */
#include "pane_rows.h"

#include "../core/lessons.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

#define CALL_INDENT 4 /* "▶12 ": the marker, a two-digit call number, a space */
#define MSG_INDENT  2
#define NOTE_INDENT 5

/* Copies src into out, writing every "dir/" as "…/". */
static void shorten(char *out, size_t cap, const char *src, const struct row_style *st)
{
    size_t dl = st->dir ? strlen(st->dir) : 0, o = 0;
    while (*src && o + 1 < cap) {
        if (dl && strncmp(src, st->dir, dl) == 0 && src[dl] == '/') {
            o += (size_t)snprintf(out + o, cap - o, "%s", st->ellipsis);
            src += dl;
            continue;
        }
        out[o++] = *src++;
    }
    out[o < cap ? o : cap - 1] = '\0';
}

/* Where to end a row of text that is too wide: after the last ", " or
 * space that fits, else at the last character that fits. */
static size_t break_at(const char *p, int width)
{
    size_t fit = text_fit(p, width, NULL), cut = fit;
    while (cut > 0 && p[cut] != ' ')
        cut--;
    return cut > 0 ? cut + 1 : fit;
}

/* Wraps text into rows from *n on, the first indented by first, the others
 * by rest; at most PANE_ROWS_MAX rows in all. Returns false when it had to
 * stop early (the last row is then cut by the drawing). */
static bool wrap(const char *text, int width, int first, int rest, enum row_look look,
                 struct pane_row *rows, int *n)
{
    const char *p = text;
    int indent = first;
    while (*n < PANE_ROWS_MAX) {
        struct pane_row *r = &rows[(*n)++];
        int room = width - indent;
        size_t take = *n == PANE_ROWS_MAX || text_width(p) <= room ? strlen(p) : break_at(p, room);
        size_t shown = take;
        while (shown > 0 && p[shown - 1] == ' ')
            shown--;
        snprintf(r->text, sizeof r->text, "%*s%.*s", indent, "", (int)shown, p);
        r->look = look;
        p += take;
        while (*p == ' ')
            p++;
        if (!*p)
            return true;
        indent = rest;
    }
    return false;
}

/* The call's result, or what it is doing. */
static enum result_look call_result(const struct pane_line *p, const struct row_style *st,
                                    char *buf, size_t cap)
{
    switch (p->status) {
    case CALL_NEXT:
        snprintf(buf, cap, "%s", ui_text(st->mover ? "row.next" : "row.waits"));
        return st->mover ? RES_NEXT : RES_WAITS;
    case CALL_RUNNING:
        snprintf(buf, cap, "%s%s",
                 ui_text(session_call_waits(p->call) ? "row.blocking" : "row.running"),
                 st->ellipsis);
        return RES_BLOCKED;
    case CALL_SKIPPED:
        snprintf(buf, cap, "%s", ui_text("row.not-made"));
        return RES_SKIPPED;
    case CALL_CUT_OFF:
        snprintf(buf, cap, "%s", ui_text("row.cut-off"));
        return RES_SKIPPED;
    case CALL_FAILED:
        snprintf(buf, cap, "= %lld %s", p->rc, p->err);
        return RES_ERR;
    default:
        snprintf(buf, cap, "= %lld", p->rc);
        return RES_OK;
    }
}

static int call_rows(const struct pane_line *p, const struct row_style *st, int width,
                     struct pane_row *rows)
{
    char args[EVENT_ARGS_MAX + 64], text[EVENT_ARGS_MAX + 96], res[64];
    enum result_look rl = call_result(p, st, res, sizeof res);
    enum row_look look = rl == RES_NEXT ? LOOK_NEXT : rl == RES_WAITS ? LOOK_WAITS : LOOK_CALL;
    int n = 0, rw = text_width(res) + 1;
    shorten(args, sizeof args, p->text, st);
    snprintf(text, sizeof text, "%s(%s)", p->call, args);
    /* The first row's indent holds the marker and the number: "▶12 ", and
     * one more column a digit once a burst has made call 100 and on. */
    char num[24];
    int first = 2 + snprintf(num, sizeof num, "%2lld", p->seq);
    wrap(text, width, first, CALL_INDENT + 1, look, rows, &n);
    /* The result goes on the last row when it fits there, else on a row of its own. */
    struct pane_row *last = &rows[n - 1];
    if (text_width(last->text) + rw > width && n < PANE_ROWS_MAX) {
        last = &rows[n++];
        last->text[0] = '\0';
        last->look = look;
    }
    snprintf(last->result, sizeof last->result, "%s", res);
    last->result_look = rl;
    /* The marker and the number take the first row's indent. */
    char line0[PANE_ROW_BYTES];
    snprintf(line0, sizeof line0, "%s%s %s", st->mover ? st->marker : " ", num,
             rows[0].text + first);
    snprintf(rows[0].text, sizeof rows[0].text, "%s", line0);
    return n;
}

/* "→ 1024 B "How are you !!!" + 1009 NUL, 3 msgs", then "to …/server.sock". */
static int msg_rows(const struct pane_line *p, const struct row_style *st, int width,
                    struct pane_row *rows)
{
    char extra[256] = "", main[EVENT_ARGS_MAX + 384], addr[EVENT_PATH_MAX + 256],
         peer[EVENT_PATH_MAX];
    int k = 0, n = 0;
    if (p->padding > 0)
        k += snprintf(extra + k, sizeof extra - (size_t)k, " + %lld NUL", p->padding);
    char num[24];
    if (p->lost > 0) {
        snprintf(num, sizeof num, "%lld", p->lost);
        k += snprintf(extra + k, sizeof extra - (size_t)k, ", ");
        ui_fill(extra + k, sizeof extra - (size_t)k, "row.lost",
                (const char *const[]){"n", num, NULL});
    } else if (p->messages > 1) {
        snprintf(num, sizeof num, "%lld", p->messages);
        k += snprintf(extra + k, sizeof extra - (size_t)k, ", ");
        ui_fill(extra + k, sizeof extra - (size_t)k, "row.msgs",
                (const char *const[]){"n", num, NULL});
    } else if (p->messages == 0 && st->mode == MODE_STREAM) {
        snprintf(extra + k, sizeof extra - (size_t)k, ", %s", ui_text("row.part"));
    }
    snprintf(main, sizeof main, "%s %lld B \"%s\"%s", p->out ? st->out : st->in, p->bytes, p->text,
             extra);
    enum row_look look = p->out ? LOOK_OUT : LOOK_IN;
    if (!p->peer[0])
        return wrap(main, width, MSG_INDENT, MSG_INDENT + 2, look, rows, &n), n;
    shorten(peer, sizeof peer, p->peer, st);
    snprintf(addr, sizeof addr, "%s %s", ui_text(p->out ? "row.to" : "row.from"), peer);
    char both[sizeof main + sizeof addr + 2];
    snprintf(both, sizeof both, "%s %s", main, addr);
    if (text_width(both) + MSG_INDENT <= width)
        return wrap(both, width, MSG_INDENT, MSG_INDENT, look, rows, &n), n;
    if (wrap(main, width, MSG_INDENT, MSG_INDENT + 2, look, rows, &n))
        wrap(addr, width, MSG_INDENT + 2, MSG_INDENT + 4, look, rows, &n);
    return n;
}

int pane_rows(const struct pane_line *p, const struct row_style *st, int width,
              struct pane_row rows[PANE_ROWS_MAX])
{
    char text[2 * EVENT_ARGS_MAX], body[EVENT_ARGS_MAX + 64];
    int n = 0;
    memset(rows, 0, sizeof(struct pane_row) * PANE_ROWS_MAX);
    switch (p->kind) {
    case LINE_CALL:
        return call_rows(p, st, width, rows);
    case LINE_MSG:
        return msg_rows(p, st, width, rows);
    case LINE_NOTE:
        shorten(body, sizeof body, p->text, st);
        snprintf(text, sizeof text, "%s %s", st->dot, body);
        wrap(text, width, NOTE_INDENT, NOTE_INDENT + 2, LOOK_NOTE, rows, &n);
        return n;
    case LINE_EXIT:
        shorten(body, sizeof body, p->text, st);
        char code[24];
        snprintf(code, sizeof code, "%lld", p->rc);
        lesson_fill(text, sizeof text, ui_text("row.exit"),
                    (const char *const[]){"code", code, "reason", body, NULL});
        wrap(text, width, NOTE_INDENT, NOTE_INDENT + 2, p->rc ? LOOK_EXIT_ERR : LOOK_EXIT, rows,
             &n);
        return n;
    }
    return 0;
}
