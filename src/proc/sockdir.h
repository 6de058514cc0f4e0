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

/* The file in a private directory that names the session that made it:
 * "PID STARTTIME\n", STARTTIME being field 22 of /proc/PID/stat. */
#define SOCKDIR_PID_FILE ".pid"

/* A new private directory (mkdtemp, 0700) in $TMPDIR, else
 * $XDG_RUNTIME_DIR, else /tmp, with its pid file. First, quietly, removes
 * the ones there that sessions killed outright (SIGKILL) left behind: of
 * the mkdtemp pattern, ours, 0700, holding only sockets and a pid file
 * that names a process that is gone (or a pid reused by one that started
 * later). Anything else is left alone. Returns 0, or -1 with a message in
 * err. */
int sockdir_private(char *out, size_t cap, char *err, size_t errcap);

/* Removes whatever a dead peer left in a private directory, and its pid
 * file, then the directory itself. Returns the number of files other than
 * the pid file it had to remove, or -1. */
int sockdir_remove(const char *dir);

/* out = dir/name; returns -1 when that would not fit in cap. */
int sockdir_join(char *out, size_t cap, const char *dir, const char *name);

#endif
