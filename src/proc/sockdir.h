/* sockdir: where socket files live.
 *
 * Never the lesson's shared /tmp names: a standalone peer uses a directory
 * of its user's own (mode 0700), and every lab or run session makes a fresh
 * private one with mkdtemp() and removes it on the way out.
 */
#ifndef SOCKSCOPE_SOCKDIR_H
#define SOCKSCOPE_SOCKDIR_H

#include <stddef.h>

/* $XDG_RUNTIME_DIR/sockscope, else /tmp/sockscope-UID; created 0700 when
 * missing, refused when it is not a directory of ours that only we can
 * enter. Returns 0, or -1 with a message in err. */
int sockdir_user(char *out, size_t cap, char *err, size_t errcap);

/* A new private directory (mkdtemp, 0700) in $TMPDIR, else
 * $XDG_RUNTIME_DIR, else /tmp. Returns 0, or -1 with a message in err. */
int sockdir_private(char *out, size_t cap, char *err, size_t errcap);

/* Removes whatever a dead peer left in a private directory, then the
 * directory itself. Returns the number of files it had to remove, or -1. */
int sockdir_remove(const char *dir);

/* out = dir/name; returns -1 when that would not fit in cap. */
int sockdir_join(char *out, size_t cap, const char *dir, const char *name);

#endif
