/* sources: the peers' own source files, built into the binary.
 *
 * The lab's code pane shows the line of a peer's source that makes the
 * call Space lets go: a call's enter event says where it is made ("src":
 * "stream_server.c:57", see trace.h), and this module finds that file, as
 * it was compiled into this very binary (CMakeLists.txt embeds it), and
 * its lines. No curses here, so it is unit-tested.
 */
#ifndef SOCKSCOPE_SOURCES_H
#define SOCKSCOPE_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

struct source_file {
    const char *name; /* basename: "stream_server.c" */
    const char *text; /* the whole file, as compiled; a C source has no NUL */
};

/* The built-in file of that basename (a path is cut to its basename), or NULL. */
const struct source_file *sources_find(const char *name);

/* The i-th built-in file, NULL past the last. */
const struct source_file *sources_at(int i);

/* Splits a src ("stream_server.c:57") into the file's name and its line.
 * Returns false when it is not of that form. */
bool sources_split(const char *src, char *name, size_t cap, int *line);

/* Lines in the file (a last line without '\n' counts). */
int sources_line_count(const struct source_file *f);

/* Line n (from 1) of the file, without its '\n': *start and *len. Returns
 * false past the last line. */
bool sources_line(const struct source_file *f, int n, const char **start, size_t *len);

#endif
