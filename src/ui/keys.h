/* keys: every key of the lab, in one table, like htop's Action bindings.
 *
 * The key bar and the help screen are both made from this table, so they
 * can never disagree with what the keys do.
 */
#ifndef SOCKSCOPE_KEYS_H
#define SOCKSCOPE_KEYS_H

#include "lab.h"

#include <stddef.h>

struct key_binding {
    int codes[4];     /* the keys that do it; 0 ends the list */
    const char *name; /* how the help screen writes the keys */
    const char *bar;  /* label in the key bar, NULL when not shown there */
    const char *help; /* one line for the help screen; NULL: told by the line before */
    /* Does it; a step key may answer KEY_LATER while patient (see lab.h). */
    enum key_result (*run)(struct lab *l, long long now, bool patient);
};

const struct key_binding *keys_table(size_t *count);

/* The binding for a key code, or NULL. */
const struct key_binding *keys_find(int code);

#endif
