/* experiment: the lab's experiments (e): a menu, then the screen of one run.
 *
 * A run is `sockscope run --experiment NAME --mode M --interval 0.3`, a
 * child process: its transcript comes in as it happens (a pause between
 * calls, so a person can follow) and ends with what it showed, in one
 * sentence with the measured numbers. Below it, the kernel's view of the
 * experiment's sockets (its peers are the run's children), refreshed as the
 * queues fill. Menu keys: arrows or j/k, Enter, Esc; the run: Esc or q
 * returns to the lab, which starts its peers again.
 */
#ifndef SOCKSCOPE_EXPERIMENT_H
#define SOCKSCOPE_EXPERIMENT_H

#include "../core/linebuf.h"
#include "../core/options.h"
#include "../proc/kview.h"
#include "../proc/spawn.h"

#include <stdbool.h>

#define EXPERIMENT_LINES 300

struct experiment {
    bool menu;    /* the menu is up */
    int choice;   /* the highlighted line */
    bool running; /* the run's screen is up */
    enum sock_mode mode;
    const char *name;
    struct peer_proc proc;
    struct linebuf lines;
    char line[EXPERIMENT_LINES][1024]; /* the transcript, a ring (a Thai sentence is long) */
    long long total;
    char showed[1024]; /* "what it showed: ..." once it has said it */
    bool ended;
    char ended_how[48];
    struct ksock ksock[8];
    char side[8][16]; /* "server" or "client": who held each, when it was read */
    int nksock;
    long long kview_us;
};

/* Opens the menu. */
void experiment_menu(struct experiment *x);

/* A key for the menu or the run's screen. Returns true when the lab must
 * take over again (the menu or the run was left); *start is set when the
 * lab must stop its peers because a run is about to begin. */
bool experiment_key(struct experiment *x, int ch, enum sock_mode mode, bool *start);

/* Starts the chosen run (after the lab stopped its peers). 0, or -1 and a
 * line in the transcript saying why. */
int experiment_start(struct experiment *x);

/* The run's output pipe, or -1. */
int experiment_fd(const struct experiment *x);

/* Reads what the run wrote; reaps it when it has ended. True when changed. */
bool experiment_read(struct experiment *x);

/* Reads the kernel's view of the run's peers, a few times a second. True when read. */
bool experiment_tick(struct experiment *x, long long now);

/* Stops the run, if any, and forgets it. */
void experiment_stop(struct experiment *x);

void experiment_draw(const struct experiment *x, int cols, int lines);

#endif
