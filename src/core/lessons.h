/* lessons: the sentences that explain each call, kept as data.
 *
 * One table, looked up by mode, side and call; the UI never holds lesson
 * text of its own. A language is a column: English now, Thai to come.
 */
#ifndef SOCKSCOPE_LESSONS_H
#define SOCKSCOPE_LESSONS_H

#include "event.h"
#include "options.h"

/* The explanation of call, made by role in mode; never NULL. */
const char *lesson_for(enum sock_mode mode, enum ev_role role, const char *call);

/* What the close rows showed, once both sides have exited. */
const char *lesson_closed(enum sock_mode mode);

/* What an experiment showed (sockscope run --experiment), with {names}
 * the experiment fills with what it measured; "" when unknown. */
const char *lesson_experiment(const char *name, enum sock_mode mode);

/* The i-th experiment of the menu: returns its one-line title and sets
 * *name; NULL past the last. */
const char *lesson_experiment_title(int i, const char **name);

/* What to do first, before any call has happened. */
const char *lesson_start(enum sock_mode mode);

#endif
