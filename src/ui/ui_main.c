/* ui_main: the lab's main loop.
 *
 * One poll() over the keyboard, both peers' event pipes and a signalfd
 * (child exits, SIGINT/SIGTERM/SIGHUP, window size), with a timeout for
 * auto mode and the clock. The screen is redrawn only when something
 * changed, at most about 30 times a second; idle, the loop sleeps.
 */
#include "../core/clock.h"
#include "../core/lessons.h"
#include "../core/options.h"
#include "../proc/sigfd.h"
#include "crt.h"
#include "keys.h"
#include "lab.h"
#include "lab_draw.h"
#include "layout.h"
#include "theme.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#define FRAME_US    33000   /* at most ~30 frames a second */
#define CLOCK_US    1000000 /* the elapsed time and the rate change once a second */
#define KEY_QUEUE   256     /* keys typed ahead of the peers */
#define PATIENCE_US 1500000 /* how long a step key waits for a side on its way */
#define RETRY_US    10000   /* how soon a waiting key is tried again */

int ui_main(const struct options *o);

/* Keys wait here in the order they were typed: a step key that finds a
 * side still on its way to its gate is tried again, and the keys behind it
 * wait their turn, so sixteen Spaces typed at once make sixteen calls. */
struct key_queue {
    int keys[KEY_QUEUE];
    int head, count;
    long long waiting_since; /* when the key at the head first had to wait; 0 if not */
};

struct ui {
    struct lab lab;
    struct layout layout;
    struct key_queue keys;
    int sig_fd;
    bool dirty;
    long long last_draw_us;
    long long settle_at; /* a call let go settles then; 0 if none */
};

static enum key_result on_key(struct lab *l, int ch, long long now, bool patient)
{
    if (ch == KEY_RESIZE)
        return KEY_DONE;
    if (l->help) {
        l->help = false;
        return KEY_DONE;
    }
    if (l->tour.up) {
        tour_key(&l->tour, ch);
        return KEY_DONE;
    }
    if (lab_in_experiment(l)) {
        lab_experiment_key(l, ch);
        return KEY_DONE;
    }
    if (l->kill_prompt) {
        l->kill_prompt = false;
        if (ch == 's')
            lab_kill(l, ROLE_SERVER);
        else if (ch == 'c')
            lab_kill(l, ROLE_CLIENT);
        else
            snprintf(l->notice, sizeof l->notice, "%s", ui_text("notice.nothing-killed"));
        return KEY_DONE;
    }
    const struct key_binding *b = keys_find(ch);
    if (!b) {
        snprintf(l->notice, sizeof l->notice, "%s", ui_text("notice.unknown-key"));
        return KEY_DONE;
    }
    l->notice[0] = '\0'; /* a notice lasts until the next key */
    return b->run(l, now, patient);
}

static void queue_key(struct ui *u, int ch)
{
    struct key_queue *q = &u->keys;
    if (q->count == KEY_QUEUE) {
        snprintf(u->lab.notice, sizeof u->lab.notice, "%s", ui_text("notice.too-many-keys"));
        return;
    }
    q->keys[(q->head + q->count++) % KEY_QUEUE] = ch;
}

/* Acts on the typed keys in order, until one has to wait. */
static void run_keys(struct ui *u, long long now)
{
    struct key_queue *q = &u->keys;
    while (q->count > 0 && !u->lab.quit) {
        if (!q->waiting_since)
            q->waiting_since = now;
        bool patient = now - q->waiting_since < PATIENCE_US;
        int ch = q->keys[q->head];
        /* Too small, the screen says only "make it bigger, or press q": a
         * key that would make a call nobody can see is not taken. */
        bool shown = !u->layout.too_small || ch == 'q' || ch == KEY_F(10) || ch == KEY_RESIZE;
        if (shown && on_key(&u->lab, ch, now, patient) == KEY_LATER)
            return;
        q->head = (q->head + 1) % KEY_QUEUE;
        q->count--;
        q->waiting_since = 0;
        u->dirty = true;
    }
}

/* The window changed size: tell curses, in this one place. */
static void on_resize(struct ui *u)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    layout_compute(&u->layout, COLS, LINES);
    clearok(curscr, TRUE);
}

static void on_signals(struct ui *u)
{
    struct signalfd_siginfo si;
    while (read(u->sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGCHLD)
            lab_reap(&u->lab);
        else if (si.ssi_signo == SIGWINCH)
            on_resize(u);
        else
            u->lab.quit = true; /* SIGINT, SIGTERM, SIGHUP: leave the clean way */
    }
    u->dirty = true;
}

static void draw(struct ui *u, long long now)
{
    erase();
    if (u->layout.too_small)
        too_small_draw(COLS, LINES);
    else if (u->lab.help)
        help_draw(COLS, LINES);
    else if (u->lab.tour.up)
        tour_draw(&u->lab.tour, COLS, LINES);
    else if (lab_in_experiment(&u->lab))
        experiment_draw(&u->lab.exp, COLS, LINES);
    else
        lab_draw(&u->lab, &u->layout, now);
    refresh();
    u->dirty = false;
    u->last_draw_us = now;
}

/* How long poll() may sleep, in milliseconds. */
static int timeout_ms(const struct ui *u, long long now)
{
    long long t = CLOCK_US - (now - u->last_draw_us) % CLOCK_US;
    long long wake = lab_wakeup(&u->lab, now);
    if (u->dirty)
        t = FRAME_US - (now - u->last_draw_us);
    if (wake >= 0 && wake < t)
        t = wake;
    if (u->keys.count > 0 && t > RETRY_US)
        t = RETRY_US;
    if (u->lab.exp.running && !u->lab.exp.ended && t > 250000)
        t = 250000; /* the kernel's view of a run fills as it goes */
    if (t < 0)
        t = 0;
    return (int)((t + 999) / 1000);
}

static void loop(struct ui *u)
{
    struct lab *l = &u->lab;
    while (!l->quit) {
        long long now = clock_now_us();
        u->dirty |= lab_tick(l, now);
        u->dirty |= experiment_tick(&l->exp, now);
        if (now - u->last_draw_us >= CLOCK_US)
            u->dirty = true; /* the clock and the rate */
        /* The side Space moves may change when a call let go settles. */
        long long settle = session_settles_at(&l->session, now);
        if (settle >= 0 || u->settle_at)
            u->dirty = true;
        u->settle_at = settle >= 0 ? settle : 0;
        if (u->dirty && now - u->last_draw_us >= FRAME_US)
            draw(u, now);
        struct pollfd fds[3 + ROLE_COUNT] = {{.fd = STDIN_FILENO, .events = POLLIN},
                                             {.fd = u->sig_fd, .events = POLLIN}};
        for (int r = 0; r < ROLE_COUNT; r++)
            fds[2 + r] = (struct pollfd){.fd = l->proc[r].event_fd, .events = POLLIN};
        fds[2 + ROLE_COUNT] = (struct pollfd){.fd = experiment_fd(&l->exp), .events = POLLIN};
        if (poll(fds, 3 + ROLE_COUNT, timeout_ms(u, now)) == -1 && errno != EINTR)
            break;
        now = clock_now_us();
        if (fds[0].revents & (POLLHUP | POLLERR))
            l->quit = true; /* the terminal went away */
        for (int ch; (ch = getch()) != ERR;)
            queue_key(u, ch);
        if (fds[1].revents)
            on_signals(u);
        for (int r = 0; r < ROLE_COUNT; r++)
            if (fds[2 + r].revents)
                u->dirty |= lab_read(l, (enum ev_role)r, now);
        if (fds[2 + ROLE_COUNT].revents)
            u->dirty |= experiment_read(&l->exp);
        run_keys(u, now);
        u->dirty |= lab_drive(l, now);
    }
}

static int catch_signals(struct ui *u)
{
    static const int sigs[] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGWINCH};
    u->sig_fd = sigfd_open(sigs, sizeof sigs / sizeof sigs[0]);
    return u->sig_fd == -1 ? -1 : 0;
}

int ui_main(const struct options *o)
{
    static struct ui u; /* the session keeps history: not for the stack */
    char err[256], lessons_err[512] = "";
    const char *lang = lessons_pick(o->lang);
    crt_locale(lang);
    if (lessons_setup(o->lessons, lang, lessons_err, sizeof lessons_err) != 0 && o->lessons) {
        fprintf(stderr, "sockscope: %s\n", lessons_err); /* asked for by name: say so, stop */
        return 2;
    }
    if (catch_signals(&u) != 0) {
        fprintf(stderr, "sockscope: signalfd: %s\n", strerror(errno));
        return 1;
    }
    if (crt_init(err, sizeof err) != 0) {
        fprintf(stderr, "sockscope: %s\n", err);
        return 2;
    }
    crt_on_crash(lab_crash_cleanup);
    theme_init(o->ascii);
    if (lab_open(&u.lab, o, err, sizeof err) != 0) {
        crt_done();
        fprintf(stderr, "sockscope: %s\n", err);
        return 1;
    }
    if (lessons_err[0]) /* found files that are broken: say so where it is seen */
        snprintf(u.lab.notice, sizeof u.lab.notice, "%s", lessons_err);
    if (o->tour)
        tour_open(&u.lab.tour);
    layout_compute(&u.layout, COLS, LINES);
    u.dirty = true;
    loop(&u);
    lab_close(&u.lab);
    crt_done();
    return 0;
}
