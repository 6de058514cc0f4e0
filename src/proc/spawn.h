/* spawn: start, steer, stop and reap one peer process.
 *
 * A peer is this same binary (see spawn_set_program) run as `sockscope
 * server` or `sockscope client`, so `ps` shows two real programs. It
 * reports events into a shared ring (ring.h) on fd 5, writes a byte on fd 3
 * (a pipe whose other end we poll) when we sleep, and, when gated, waits for
 * one byte on fd 4 before each socket call. It dies with us
 * (PR_SET_PDEATHSIG).
 */
#ifndef SOCKSCOPE_SPAWN_H
#define SOCKSCOPE_SPAWN_H

#include "ring.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct peer_proc {
    pid_t pid;        /* 0 when none is running */
    int event_fd;     /* read end of the event pipe, non-blocking; -1 after EOF */
    int gate_fd;      /* write end of the gate; -1 when free-running */
    struct ring ring; /* its events (a peer; a command has none) */
    bool reaped;
    int wstatus; /* from waitpid(), once reaped */
};

/* Remembers this program's own path (readlink of /proc/self/exe at start),
 * which every peer is started from. Resolved once, at start: under valgrind
 * /proc/self/exe itself is valgrind's tool, while the link it reads back is
 * our program, so `valgrind --trace-children=yes sockscope run` follows the
 * peers too. Returns 0, or -1 (then /proc/self/exe is used). */
int spawn_set_program(void);

/* The fds a peer finds its pipes on. */
#define SPAWN_EVENT_FD 3
#define SPAWN_GATE_FD  4
#define SPAWN_RING_FD  5

/* Starts `sockscope ARGS...` (args ends with NULL; the event and gate
 * flags are added here). quiet sends its stdout and stderr to /dev/null
 * (for the lab, whose screen they would spoil). Returns 0, or -1 with a
 * message in err. */
int spawn_peer(struct peer_proc *p, const char *const args[], bool gated, bool quiet, char *err,
               size_t errcap);

/* Starts `sockscope ARGS...` with its stdout and stderr on a pipe whose
 * read end is p->event_fd (non-blocking), ungated: a command whose output
 * a parent shows (the lab runs `sockscope run --experiment` this way).
 * Returns 0, or -1 with a message in err. */
int spawn_command(struct peer_proc *p, const char *const args[], char *err, size_t errcap);

/* Lets a gated peer make its next call. Returns 0, or -1 when it is gone. */
int spawn_gate_step(struct peer_proc *p);

/* Asks a gated peer to wind down (GATE_FINISH): it reads this before its
 * next call. Returns 0, or -1 when it is gone. */
int spawn_gate_finish(struct peer_proc *p);

/* Closes the gate: the peer runs freely from now on. */
void spawn_gate_open(struct peer_proc *p);

/* Reaps the peer if it has exited (or waits for it when block).
 * Returns true once it is reaped. */
bool spawn_reap(struct peer_proc *p, bool block);

/* Asks the peer to stop (SIGTERM: it removes its files); after grace_ms
 * SIGKILL. Always reaps it, and closes our ends of its pipes. */
void spawn_stop(struct peer_proc *p, int grace_ms);

/* Sends sig to a running peer. */
int spawn_signal(struct peer_proc *p, int sig);

/* "exited 0", "killed by SIGKILL", ... from a wait status. */
const char *spawn_status_text(int wstatus, char *buf, size_t cap);

#endif
