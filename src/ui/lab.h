/* lab: the lab screen's state and what its keys do.
 *
 * It owns the two peers of the current mode (started gated, so nothing
 * happens until we say), reads their events into the session, and moves
 * them through their gates: one call per Space, or on its own in auto
 * mode, for one exchange (s), a burst (b), or the close row (c).
 * Drawing is lab_draw.c; the main loop is ui_main.c.
 */
#ifndef SOCKSCOPE_LAB_H
#define SOCKSCOPE_LAB_H

#include "../core/linebuf.h"
#include "../core/options.h"
#include "../core/session.h"
#include "../proc/kview.h"
#include "../proc/spawn.h"
#include "experiment.h"
#include "tour.h"

#include <stdbool.h>

#define LAB_BURST 100

struct lab {
    enum sock_mode mode;
    char dir[SOCK_PATH_MAX + 1];
    char path[ROLE_COUNT][SOCK_PATH_MAX + 1];
    struct peer_proc proc[ROLE_COUNT];
    struct linebuf lines[ROLE_COUNT];
    struct session session;

    /* What the peers are started with; a key that changes one restarts
     * both with the new flags (the same ones `sockscope client` takes). */
    long long burst;  /* --burst: messages the client sends back to back */
    long long buffer; /* --buffer: each side's receive buffer */
    long long pad;    /* --pad: the lesson's 1024, or 0 for the text alone */
    bool kernel_view; /* K: what ss -x shows of the peers' sockets, in the table's place */
    bool code_view;   /* v: the mover's source, in place of the table and the lesson */
    struct ksock ksock[8];
    int nksock;         /* -1 when it could not be read */
    long long kview_us; /* when it was read */

    bool auto_run;
    double interval;        /* seconds between exchanges in auto mode */
    long long next_auto_us; /* when auto mode starts the next exchange */
    long long target;       /* step on our own until this many exchanges */
    bool closing;           /* c: wind both sides down */
    long long close_signalled_us;
    int close_signals; /* SIGUSR1s sent to a server blocked waiting for a new client */

    struct experiment exp; /* e: the menu, or a run in the peers' place */
    struct tour tour;      /* t: the guided tour, over the lab */
    bool kill_prompt;      /* k pressed: waiting for s or c */
    bool help;             /* the help screen is up */
    int scroll;            /* lines scrolled back from the newest; 0 follows */
    bool drove;            /* s, b or auto moved the sides since the last key that stepped */
    long long started_us;
    long long rate_t_us, rate_base; /* rate: exchanges since rate_t_us */
    double rate;
    char notice[1024]; /* what the last key did not do, and why; "" when it worked */
    bool quit;
};

/* What a key's action asks of the main loop. */
enum key_result {
    KEY_DONE,  /* acted (or said why not) */
    KEY_LATER, /* a side is on its way to its gate: try this key again soon */
};

/* Makes the private directory and starts the peers. 0, or -1 and err. */
int lab_open(struct lab *l, const struct options *o, char *err, size_t errcap);

/* Stops the peers and removes the directory. */
void lab_close(struct lab *l);

/* Reads what a peer wrote; returns true when the screen changed. */
bool lab_read(struct lab *l, enum ev_role role, long long now);

/* A child exited (SIGCHLD): reap it. Returns true when one was reaped. */
bool lab_reap(struct lab *l);

/* Lets the next call through where auto mode, a burst or closing wants it,
 * as soon as the events allow: a server call that must wait for the client
 * (an accept() before it has connected, a datagram recvfrom() with nothing
 * on its way) hands the turn over at once, with no settling time, and both
 * sides may be let go in one call. Returns true when something was stepped. */
bool lab_drive(struct lab *l, long long now);

/* Microseconds until lab_drive() or the clock needs us again, or -1. */
long long lab_wakeup(const struct lab *l, long long now);

/* Updates the messages-per-second figure (once a second is enough) and,
 * while it is shown, the kernel's view (a few times a second). Returns
 * true when something shown changed. */
bool lab_tick(struct lab *l, long long now);

/* Actions, one per key. A step key is patient: while a side is still on
 * its way to its next gate it answers KEY_LATER, and the main loop asks
 * again (bounded), so keys typed faster than the peers move are all acted
 * on, in order. Impatient, it says why nothing can move. */
enum key_result lab_step_next(struct lab *l, bool patient);
enum key_result lab_step_side(struct lab *l, enum ev_role role, bool patient);
void lab_toggle_mode(struct lab *l);
void lab_restart(struct lab *l);
void lab_toggle_auto(struct lab *l, long long now);
void lab_change_speed(struct lab *l, bool faster);
void lab_send(struct lab *l, int exchanges);
void lab_start_close(struct lab *l);
void lab_kill(struct lab *l, enum ev_role role);

/* 1, 2, 3: the client sends that many messages back to back before it
 * reads (pressing the one in force goes back to 1); [ and ]: halve or
 * double the receive buffers (16 B to 64 KiB); p: the lesson's padding on
 * or off. Each restarts both peers with the new flags. */
void lab_set_burst(struct lab *l, long long n);
void lab_scale_buffer(struct lab *l, bool up);
void lab_toggle_pad(struct lab *l);

/* What differs from the lesson's defaults, in a few words ("" when
 * nothing): "2 msgs at once, buffer 16 B, no padding". */
const char *lab_settings(const struct lab *l, char *buf, size_t cap);

/* L: English and Thai in turn, from the lesson files, live. */
void lab_toggle_lang(struct lab *l);

/* Scrolls the panes back (delta > 0) or forward, by lines, never past
 * the oldest line of the longer pane nor the newest. */
void lab_scroll(struct lab *l, int delta);

/* Is an exchange running on its own (auto, s or b) or the close row? */
bool lab_busy(const struct lab *l);

/* Exchanges still to go for s or b (0 when none). */
long long lab_to_go(const struct lab *l);

/* One line on what the lab is doing now, made from its state each time it
 * is drawn, so it is never stale: "closing: ...", "both sides closed: ...";
 * "" when there is nothing to say. */
const char *lab_status(const struct lab *l, char *buf, size_t cap);

/* A key while the experiments menu or a run is up (the lab's peers are
 * stopped while a run shows, and started again after it). */
void lab_experiment_key(struct lab *l, int ch);

/* Is the experiments menu or a run up? */
bool lab_in_experiment(const struct lab *l);

/* For the crash handler: stop the peers (async-signal-safe). */
void lab_crash_cleanup(void);

#endif
