/* pane_rows: how one pane line reads on screen, in rows of a given width.
 *
 * A call, a message, a note or an exit becomes one to PANE_ROWS_MAX rows:
 * long arguments wrap at a comma or a space instead of being cut, so the
 * destination of a sendto() and the sender that recvfrom() learned stay
 * visible in a 40-column pane. Paths inside the session's directory are
 * written "…/name" (the title shows the directory). No curses here: the
 * rows are plain text with a style, drawn by lab_draw.c and unit-tested.
 */
#ifndef SOCKSCOPE_PANE_ROWS_H
#define SOCKSCOPE_PANE_ROWS_H

#include "../core/session.h"

#include <stdbool.h>

#define PANE_ROWS_MAX  4
#define PANE_ROW_BYTES 512

enum row_look {
    LOOK_CALL,    /* a call that was made, or is being made */
    LOOK_NEXT,    /* the call Space makes */
    LOOK_WAITS,   /* a call at its gate that is not Space's to make */
    LOOK_OUT,     /* data sent */
    LOOK_IN,      /* data received */
    LOOK_NOTE,    /* a state the side reported */
    LOOK_EXIT,    /* the side exited 0 */
    LOOK_EXIT_ERR /* the side exited with a failure */
};

enum result_look { RES_NONE, RES_OK, RES_ERR, RES_NEXT, RES_WAITS, RES_BLOCKED, RES_SKIPPED };

struct pane_row {
    char text[PANE_ROW_BYTES];
    enum row_look look;
    char result[64]; /* right-aligned on the row: "= 1024", "next"...; "" for none */
    enum result_look result_look;
};

/* What the rows depend on besides the line. */
struct row_style {
    const char *dir;                 /* the session's directory, shortened to "…/" */
    const char *ellipsis, *out, *in; /* glyphs: "…", "→", "←" or their ASCII */
    const char *marker, *dot;        /* "▶", "·" */
    enum sock_mode mode;
    bool mover; /* the line is the call Space makes now */
};

/* Fills rows for line p in width columns; returns how many (1..PANE_ROWS_MAX). */
int pane_rows(const struct pane_line *p, const struct row_style *st, int width,
              struct pane_row rows[PANE_ROWS_MAX]);

#endif
