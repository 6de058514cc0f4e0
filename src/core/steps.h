/* steps: the lesson's comparison table as data.
 *
 * The lesson's five rows (server set-up, exchange, close; client set-up,
 * exchange) and one it leaves implicit, the client's close, each with a
 * stream cell and a datagram cell; and the rule that puts a call of one
 * side in its row. The lab draws it and highlights the call Space makes.
 */
#ifndef SOCKSCOPE_STEPS_H
#define SOCKSCOPE_STEPS_H

#include "event.h"
#include "options.h"

#define STEPS_ROWS 6

/* The words are keys of the lesson files' screen words (ui_text()), so
 * the table speaks the lab's language: "table.server1" is "server 1. set up". */
struct steps_row {
    const char *label;   /* "table.server1" */
    const char *cell[2]; /* [MODE_STREAM], [MODE_DGRAM]: "table.server1.stream" */
};

const struct steps_row *steps_row(int i);

/* The row that call of role belongs to, or -1 for a call of no row.
 * unlink() belongs to its side's close row: it removes the socket file. */
int steps_row_of(enum ev_role role, const char *call);

#endif
