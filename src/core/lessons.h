/* lessons: every sentence sockscope says to teach, as data.
 *
 * The texts live in assets/lessons/LANG.txt (the format is described at
 * the top of en.txt and in the README), one file per language, which a
 * teacher can edit without a compiler. The English file is also built in:
 * when a lesson file is missing or malformed, or lacks an entry, the
 * built-in English says it instead. Keys name what is explained:
 * call.MODE.SIDE.NAME, event.NAME, exp.NAME.MODE, start.MODE, ui.NAME...
 */
#ifndef SOCKSCOPE_LESSONS_H
#define SOCKSCOPE_LESSONS_H

#include "event.h"
#include "options.h"

#include <stdbool.h>
#include <stddef.h>

/* Reads DIR/LANG.txt and speaks it from now on ("en" or "th"). Returns 0;
 * or -1 with "FILE:LINE: what is wrong" in err, and English stays. */
int lessons_use(const char *dir, const char *lang, char *err, size_t errcap);

/* The language asked for: given ("en", "th"), else "th" when LC_ALL,
 * LC_MESSAGES or LANG (the first one set) starts with "th", else "en". */
const char *lessons_pick(const char *given);

/* Finds the lesson files (given dir, or lessons_find_dir()) and uses lang.
 * Returns 0; or -1 with a message for the user in err (English is used). */
int lessons_setup(const char *dir, const char *lang, char *err, size_t errcap);

/* The directory lessons_setup() found ("" when none). */
const char *lessons_dir(void);

/* The language in use: "en", or the one lessons_use() loaded. */
const char *lessons_lang(void);

/* Where the lesson files are: DIR when given; else next to the binary
 * (the build tree: BIN_DIR/lessons); else the installed data directory.
 * Returns 0, or -1 when none has en.txt. */
int lessons_find_dir(const char *given, char *out, size_t cap);

/* Checks a lesson file's text without using it: 0, or -1 with
 * "NAME:LINE: what is wrong" in err. */
int lessons_check(const char *name, const char *text, size_t len, char *err, size_t errcap);

/* The text of key, in the language in use, else in English, else "". */
const char *lesson_get(const char *key);

/* Is key in the language in use (not only in English)? */
bool lesson_has(const char *key);

/* The explanation of call, made by role in mode; never NULL. */
const char *lesson_for(enum sock_mode mode, enum ev_role role, const char *call);

/* What to do first, before any call has happened. */
const char *lesson_start(enum sock_mode mode);

/* What the close rows showed, once both sides have exited. */
const char *lesson_closed(enum sock_mode mode);

/* What an experiment showed (sockscope run --experiment), with {names}
 * the experiment fills with what it measured; "" when unknown. */
const char *lesson_experiment(const char *name, enum sock_mode mode);

/* The i-th experiment of the menu: returns its one-line title and sets
 * *name; NULL past the last. */
const char *lesson_experiment_title(int i, const char **name);

/* A word or line of the screen itself: ui_text("keys.step.bar") is "Step". */
const char *ui_text(const char *key);

/* Copies a text into out with each {name} replaced by its value: kv is
 * name, value, name, value, ..., NULL. Unknown {names} stay as they are. */
void lesson_fill(char *out, size_t cap, const char *text, const char *const *kv);

/* ui_text(key), filled (lesson_fill) with kv. */
const char *ui_fill(char *out, size_t cap, const char *key, const char *const *kv);

#endif
