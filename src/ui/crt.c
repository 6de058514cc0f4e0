/* crt: take the terminal, give it back on every way out (see crt.h). */
#include "crt.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

static bool active;
static void (*crash_cleanup)(void);
static SCREEN *screen;

/* Writes s to stderr from a signal handler: write() alone is safe there. */
static void say(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w, n -= (size_t)w;
    }
}

static void on_crash(int sig)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {{SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"}, {SIGFPE, "SIGFPE"},
                 {SIGILL, "SIGILL"},   {SIGABRT, "SIGABRT"}};
    const char *name = "a fatal signal";
    bool restored = active;
    if (active) {
        curs_set(1);
        endwin(); /* not async-signal-safe, as in htop: the terminal matters more */
        active = false;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            name = names[i].name;
    say("sockscope: crashed with ");
    say(name);
    say(restored ? "; the terminal was restored\n" : "\n");
    if (crash_cleanup)
        crash_cleanup();
    signal(sig, SIG_DFL);
    raise(sig); /* blocked until we return: then it kills, with a core dump where allowed */
}

void crt_on_crash(void (*cleanup)(void))
{
    static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    crash_cleanup = cleanup;
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        signal(fatal[i], on_crash);
}

int crt_init(char *err, size_t errcap)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errcap,
                 "the lab needs a terminal; for a plain transcript use 'sockscope run' "
                 "(add --format jsonl for one event per line)");
        return -1;
    }
    screen = newterm(NULL, stdout, stdin);
    if (!screen) {
        const char *term = getenv("TERM");
        snprintf(err, errcap, "curses cannot use this terminal (TERM=%s); try TERM=xterm-256color",
                 term ? term : "unset");
        return -1;
    }
    /* A terminal that cannot put the cursor where we say (TERM=dumb, or a
     * printing terminal) would show a blank or garbled screen: say so. */
    const char *cup = tigetstr("cup");
    if (cup == NULL || cup == (char *)-1) {
        const char *term = getenv("TERM");
        endwin();
        delscreen(screen);
        screen = NULL;
        snprintf(err, errcap,
                 "this terminal (TERM=%s) cannot move the cursor, so the lab cannot draw; "
                 "use 'sockscope run' for a plain transcript, or a terminal such as "
                 "TERM=xterm-256color",
                 term ? term : "unset");
        return -1;
    }
    /* One write() a frame. curses gathers a frame's output in its own
     * buffer and writes it at the end of refresh(); but ncurses (6.4, at
     * least) counts a new screen as not started until it comes back from
     * endwin(), and until then writes at every cursor move: some 50 write()s
     * a frame, a row or less each, which a terminal may show half-drawn.
     * Out and back in once, before anything is drawn, ends that (a stdio
     * buffer cannot: curses writes to the fd itself). A frame larger than
     * that buffer, (LINES + 2) x (COLS + 6) bytes, as a first full repaint
     * can be, still goes in as many writes as it fills. typeahead(-1): no
     * flush and no poll() of the keyboard in the middle of a frame either;
     * the main loop reads the keys. */
    endwin();
    doupdate();
    typeahead(-1);
    active = true;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    return 0;
}

void crt_done(void)
{
    if (!active)
        return;
    active = false;
    curs_set(1);
    endwin();
    delscreen(screen);
    screen = NULL;
}

void crt_locale(const char *lang)
{
    if (!setlocale(LC_ALL, ""))
        setlocale(LC_ALL, "C.UTF-8");
    if (strcmp(lang, "th") == 0 && !crt_utf8())
        setlocale(LC_CTYPE, "C.UTF-8");
}

bool crt_utf8(void)
{
    return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}
