/* experiment: the experiments menu and the screen of one run (see experiment.h). */
#include "experiment.h"

#include "../core/clock.h"
#include "../core/lessons.h"
#include "../proc/peer_link.h"

#include <curses.h> /* KEY_UP and friends: key codes only, no drawing here */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KVIEW_US       250000
#define SHOWED         "what it showed: "
#define READS_PER_CALL 32

static int count_experiments(void)
{
    const char *name;
    int n = 0;
    while (lesson_experiment_title(n, &name))
        n++;
    return n;
}

void experiment_menu(struct experiment *x)
{
    x->menu = true;
    x->running = false;
}

static void add_line(struct experiment *x, const char *text, size_t n)
{
    char *dst = x->line[x->total % EXPERIMENT_LINES];
    size_t o = 0;
    /* Our own program's text, but shown on a terminal: no control byte passes. */
    for (size_t i = 0; i < n && o + 1 < sizeof x->line[0]; i++)
        dst[o++] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? '?' : text[i];
    dst[o] = '\0';
    x->total++;
    if (strncmp(dst, SHOWED, strlen(SHOWED)) == 0)
        snprintf(x->showed, sizeof x->showed, "%s", dst + strlen(SHOWED));
}

bool experiment_key(struct experiment *x, int ch, enum sock_mode mode, bool *start)
{
    int n = count_experiments();
    *start = false;
    if (x->running) {
        if (ch == 27 || ch == 'q' || ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
            experiment_stop(x);
            return true;
        }
        return false;
    }
    if (ch == KEY_UP || ch == 'k')
        x->choice = (x->choice + n - 1) % n;
    else if (ch == KEY_DOWN || ch == 'j')
        x->choice = (x->choice + 1) % n;
    else if (ch >= '1' && ch < '1' + n)
        x->choice = ch - '1';
    else if (ch == 27 || ch == 'q') {
        x->menu = false;
        return true;
    }
    if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || (ch >= '1' && ch < '1' + n)) {
        lesson_experiment_title(x->choice, &x->name);
        x->mode = mode;
        x->menu = false;
        x->running = true;
        *start = true;
    }
    return false;
}

int experiment_start(struct experiment *x)
{
    const char *args[12] = {
        "run",        "--experiment", x->name,  "--mode",       mode_name(x->mode),
        "--interval", "0.3",          "--lang", lessons_lang(), NULL};
    if (lessons_dir()[0]) { /* the same lesson files as the lab */
        args[9] = "--lessons";
        args[10] = lessons_dir();
    }
    char err[256];
    x->total = 0;
    x->showed[0] = '\0';
    x->ended = false;
    x->nksock = 0;
    x->kview_us = 0;
    linebuf_init(&x->lines);
    if (spawn_command(&x->proc, args, err, sizeof err) != 0) {
        add_line(x, err, strlen(err));
        x->ended = true;
        return -1;
    }
    return 0;
}

int experiment_fd(const struct experiment *x)
{
    return x->running && !x->ended ? x->proc.event_fd : -1;
}

bool experiment_read(struct experiment *x)
{
    bool changed = false;
    for (int reads = 0; reads < READS_PER_CALL && x->proc.event_fd >= 0; reads++) {
        long n = linebuf_fill(&x->lines, x->proc.event_fd);
        const char *line;
        size_t len;
        while (linebuf_next(&x->lines, &line, &len)) {
            add_line(x, line, len);
            changed = true;
        }
        if (n == 0) {
            close(x->proc.event_fd);
            x->proc.event_fd = -1;
            spawn_reap(&x->proc, true);
            spawn_status_text(x->proc.wstatus, x->ended_how, sizeof x->ended_how);
            x->ended = true;
            return true;
        }
        if (n < 0)
            break;
    }
    return changed;
}

/* The run's children: the experiment's peers, from /proc. */
static int run_children(pid_t run, int *pids, int cap)
{
    char path[64], buf[512];
    int n = 0;
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)run, (int)run);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    if (fgets(buf, sizeof buf, f)) {
        char *save = NULL;
        for (char *t = strtok_r(buf, " \n", &save); t && n < cap; t = strtok_r(NULL, " \n", &save))
            pids[n++] = atoi(t);
    }
    fclose(f);
    return n;
}

/* "server" or "client": the word after the program's name in its argv. */
static void peer_side_of(int pid, char *out, size_t cap)
{
    char path[64], cmd[64] = "";
    size_t n = 0;
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    FILE *f = fopen(path, "r");
    if (f) {
        n = fread(cmd, 1, sizeof cmd - 1, f);
        fclose(f);
    }
    cmd[n] = '\0';
    size_t first = strlen(cmd) + 1;
    snprintf(out, cap, "%s", first < n ? cmd + first : "");
}

bool experiment_tick(struct experiment *x, long long now)
{
    int pids[8];
    if (!x->running || x->ended || now - x->kview_us < KVIEW_US)
        return false;
    struct ksock k[8];
    int n = run_children(x->proc.pid, pids, 8);
    int got = kview_collect(pids, n, k, 8);
    x->kview_us = now;
    if (got <= 0 && x->nksock > 0)
        return false; /* between two peers, or at the end: keep the last view */
    memcpy(x->ksock, k, sizeof k);
    x->nksock = got;
    for (int i = 0; i < got; i++)
        peer_side_of(k[i].pid, x->side[i], sizeof x->side[i]);
    return true;
}

void experiment_stop(struct experiment *x)
{
    if (x->proc.pid > 0)
        spawn_stop(&x->proc, 1000); /* SIGTERM: it stops its peers and removes its directory */
    memset(&x->proc, 0, sizeof x->proc);
    x->proc.event_fd = x->proc.gate_fd = -1;
    x->running = x->menu = false;
}
