/* code_pane: v, the peer's own source in the table's and the lesson's place.
 *
 * A few lines of the file that makes the call the screen explains (the one
 * Space moves next; when nobody can move, the call a side is inside), with
 * that call's line lit, and a rule naming the file and the line:
 * "stream_server.c:57  next: accept()". The lines are the source built
 * into this binary (sources.h), the very file that runs.
 */
#ifndef SOCKSCOPE_CODE_PANE_H
#define SOCKSCOPE_CODE_PANE_H

#include "../core/session.h"
#include "layout.h"

#include <stdbool.h>

/* Draws in r (its first row is the rule). call: the pending call's line,
 * or NULL when there is none; next: Space makes it next (else a side is
 * inside it). */
void code_pane_draw(const struct rect *r, const struct pane_line *call, bool next);

#endif
