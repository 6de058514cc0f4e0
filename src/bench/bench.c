/* bench: how much the tracing costs, measured, not guessed.
 *
 * For each mode, in one run, N lock-step exchanges of 1024-byte messages:
 *   - the bare loop (bare.h): the peers' own socket calls, untraced, between
 *     two processes, with both ends pinned to one CPU (the fastest a
 *     lock-step ping-pong goes: no wake-up crosses CPUs) and unpinned;
 *   - `sockscope run --interval 0` with --format jsonl and --format text
 *     (two traced peers, every call reported, events merged by the parent),
 *     and the same of a --baseline program when one is given.
 * The measurements of a mode are interleaved (bare 1 CPU, the runs, bare
 * any CPU) so that a noisy machine weighs on them alike, and the whole
 * sequence is done --rounds times. Each row shows its best round (the most
 * exchanges per second, and that round's CPU and RSS): on a shared machine
 * the fastest is the one the neighbours disturbed least, and one sample
 * alone varies too much to compare. run's best rate over the pinned bare
 * loop's best is the headline: it is what to compare across machines and
 * builds.
 *
 * A run's CPU time is split between run itself and its two peers: run
 * reaps its peers before it exits, so the zombie's /proc/PID/stat holds its
 * own time (utime, stime) and theirs (cutime, cstime); it is read before the
 * zombie is reaped (waitid with WNOWAIT). wait4()'s ru_maxrss of the run
 * child is the largest of run and every descendant it reaped.
 *
 * (It also counts the pages the forked child had before exec: a copy of
 * bench, smaller than run.)
 *
 * Bounded: the bare loop's sockets time out (SO_RCVTIMEO, SO_SNDTIMEO), a
 * run gets a generous deadline, and every child is killed and reaped on
 * any failure; children die with us (PR_SET_PDEATHSIG). SIGINT, SIGTERM
 * and SIGHUP stop bench the same clean way (a run is asked with SIGTERM).
 */
#include "bare.h"

#include "../core/clock.h"
#include "../core/escape.h"
#include "../core/json.h"
#include "../core/options.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MSG          1024

int bench_main(const struct options *o);

/* One `PROGRAM run` measured. CPU figures are microseconds per exchange,
 * negative when /proc could not tell them. */
struct run_result {
    enum out_format format;
    bool baseline; /* the --baseline program, not this one */
    double rate;   /* exchanges per second, fork to exit */
    double peers_us, parent_us;
    long maxrss_kib;
};

/* A run row over the rounds: every round's rate, and the best round. */
struct run_row {
    double rates[BENCH_MAX_ROUNDS];
    struct run_result best; /* the round with the highest rate */
};

struct mode_result {
    enum sock_mode mode;
    int rounds;
    /* exchanges per second: the best round's, and every round's */
    double bare_pinned, bare_unpinned;
    double bare_pinned_rates[BENCH_MAX_ROUNDS], bare_unpinned_rates[BENCH_MAX_ROUNDS];
    struct run_row runs[4];
    int nruns;
};

static cpu_set_t allowed; /* where we may run, as we started */
static int ncpus, pin_cpu;
static sigset_t sigchld;
static int null_fd = -1;
static volatile sig_atomic_t stop_signal; /* SIGINT, SIGTERM or SIGHUP came */

static void on_stop(int sig)
{
    stop_signal = sig;
}

/* The signals that stop bench: caught without SA_RESTART, so that a send(),
 * recv() or sigtimedwait() they interrupt returns EINTR and we clean up. */
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void catch_stop_signals(struct sigaction old[3])
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; i++)
        sigaction(stop_signals[i], &sa, &old[i]);
}

static void restore_stop_signals(const struct sigaction old[3])
{
    for (int i = 0; i < 3; i++)
        sigaction(stop_signals[i], &old[i], NULL);
}

/* In a child: the signals as they were before bench (exec resets caught
 * ones anyway; this is for the bare loop's child, which does not exec). */
static void child_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    for (int i = 0; i < 3; i++)
        signal(stop_signals[i], SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static void close_fd(int *fd)
{
    if (*fd != -1)
        close(*fd);
    *fd = -1;
}

/* Reaps pid, retrying on EINTR; returns its wait status, or -1. */
static int reap(pid_t pid, struct rusage *ru)
{
    int status;
    pid_t r;
    do
        r = wait4(pid, &status, 0, ru);
    while (r == -1 && errno == EINTR);
    return r == pid ? status : -1;
}

static const char *status_text(int status, char *buf, size_t cap)
{
    if (status == -1)
        snprintf(buf, cap, "could not be reaped");
    else if (WIFEXITED(status))
        snprintf(buf, cap, "exited %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, cap, "was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(buf, cap, "ended with wait status %#x", (unsigned)status);
    return buf;
}

/* ---- the bare loop (bare.h) ---- */

/* Exchanges per second of the bare loop, or -1 with a message on stderr.
 * pinned: both processes on pin_cpu; else wherever the scheduler likes. */
static double bare_measure(enum sock_mode mode, long long count, bool pinned)
{
    char err[256] = "";
    double rate = bare_rate(mode, count, pinned ? pin_cpu : -1, &stop_signal, err, sizeof err);
    if (pinned)
        sched_setaffinity(0, sizeof allowed, &allowed); /* bare_rate pinned us too */
    if (rate < 0 && !stop_signal)
        fprintf(stderr, "sockscope bench: the bare %s loop (%s): %s\n", mode_name(mode),
                pinned ? "1 CPU" : "any CPU", err);
    return rate;
}

/* ---- sockscope run ---- */

/* Waits until pid has exited, leaving it a zombie, or until deadline (on
 * clock_now_us()). SIGCHLD is blocked: sigtimedwait() wakes us the moment
 * it comes. Returns 0 when it has exited, -1 at the deadline, -2 when a
 * stop signal came (if with_stop). */
static int wait_exited(pid_t pid, long long deadline, bool with_stop)
{
    for (;;) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
            return 0;
        if (with_stop && stop_signal)
            return -2;
        long long left = deadline - clock_now_us();
        if (left <= 0)
            return -1;
        /* In slices: a stop signal that comes just before sigtimedwait()
         * is seen within 100 ms. SIGCHLD still ends the wait at once. */
        if (left > 100000)
            left = 100000;
        struct timespec ts = {0, (long)left * 1000};
        sigtimedwait(&sigchld, NULL, &ts);
    }
}

/* utime, stime, cutime, cstime of a process (a zombie too), in clock ticks. */
static int read_cpu(pid_t pid, long long ticks[4])
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* The name, in parentheses, may hold spaces and ')': fields 3 on
     * follow the last ')'. utime is field 14. */
    char *p = strrchr(buf, ')');
    if (!p || sscanf(p + 1, " %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %lld %lld %lld %lld",
                     &ticks[0], &ticks[1], &ticks[2], &ticks[3]) != 4)
        return -1;
    return 0;
}

/* What a failed run wrote to its stderr (the last 2000 bytes), to ours. */
static void show_stderr(int fd)
{
    char buf[2001];
    off_t end = fd == -1 ? -1 : lseek(fd, 0, SEEK_END);
    if (end <= 0)
        return;
    off_t from = end > 2000 ? end - 2000 : 0;
    ssize_t n = pread(fd, buf, (size_t)(end - from), from);
    if (n <= 0)
        return;
    buf[n] = '\0';
    fprintf(stderr, "its stderr%s:\n%s%s", from ? " (the end)" : "", buf,
            buf[n - 1] == '\n' ? "" : "\n");
}

/* Measures `program run --mode M --interval 0 --count N --format F` into r.
 * Returns 0, or -1 with a message on stderr (the child killed and reaped). */
static int run_once(const char *program, enum sock_mode mode, long long count, struct run_result *r)
{
    const char *fmt = r->format == FORMAT_JSONL ? "jsonl" : "text";
    const char *label = r->baseline ? "the baseline's" : "this program's";
    char n[24], st[96];
    snprintf(n, sizeof n, "%lld", count);
    const char *const argv[] = {program,      "run", "--mode",  mode_name(mode),
                                "--interval", "0",   "--count", n,
                                "--format",   fmt,   NULL};
    /* its stderr, shown if it fails; a file, so that it never blocks */
    int err_fd = memfd_create("sockscope-bench-stderr", MFD_CLOEXEC);
    pid_t parent = getpid();
    /* Generous: 2 minutes, and 20 ms an exchange (a sanitizer build or
     * valgrind is slow); a run that takes longer is stuck. */
    long long limit_us = 120000000LL + count * 20000LL;

    fflush(NULL);
    long long t0 = clock_now_us();
    pid_t pid = fork();
    if (pid == 0) {
        child_signals();
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* run's peers die with run */
        if (getppid() != parent)
            _exit(127);
        if (dup2(null_fd, 1) == -1 || (err_fd != -1 && dup2(err_fd, 2) == -1))
            _exit(127);
        execv(program, (char *const *)argv);
        dprintf(2, "cannot start %s: %s\n", program, strerror(errno));
        _exit(127);
    }
    if (pid == -1) {
        fprintf(stderr, "sockscope bench: fork: %s\n", strerror(errno));
        close_fd(&err_fd);
        return -1;
    }
    int waited = wait_exited(pid, t0 + limit_us, true);
    if (waited != 0) {
        /* SIGTERM first: run stops its peers and removes its directory. */
        kill(pid, SIGTERM);
        if (wait_exited(pid, clock_now_us() + 3000000, false) != 0)
            kill(pid, SIGKILL);
        reap(pid, NULL);
        if (waited == -2) {
            close_fd(&err_fd);
            return -1;
        }
        fprintf(stderr,
                "sockscope bench: %s `%s run --mode %s --interval 0 --count %s --format %s` did "
                "not end within %lld s\n",
                label, program, mode_name(mode), n, fmt, limit_us / 1000000);
        show_stderr(err_fd);
        close_fd(&err_fd);
        return -1;
    }
    long long t = clock_now_us() - t0;
    long long ticks[4];
    bool have_cpu = read_cpu(pid, ticks) == 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    int status = reap(pid, &ru);
    if (status != 0) {
        fprintf(stderr,
                "sockscope bench: %s `%s run --mode %s --interval 0 --count %s --format %s` %s\n",
                label, program, mode_name(mode), n, fmt, status_text(status, st, sizeof st));
        show_stderr(err_fd);
        close_fd(&err_fd);
        return -1;
    }
    close_fd(&err_fd);
    double per_tick = 1e6 / (double)sysconf(_SC_CLK_TCK) / (double)count;
    r->rate = (double)count * 1e6 / (double)(t > 0 ? t : 1);
    r->parent_us = have_cpu ? (double)(ticks[0] + ticks[1]) * per_tick : -1;
    r->peers_us = have_cpu ? (double)(ticks[2] + ticks[3]) * per_tick : -1;
    r->maxrss_kib = ru.ru_maxrss;
    return 0;
}

/* ---- one mode, and the report ---- */

/* One bare loop of a round: its rate into rates[round], the best kept. */
static int bare_round(enum sock_mode mode, long long count, bool pinned, int round, double *rates,
                      double *best)
{
    double rate = bare_measure(mode, count, pinned);
    if (rate < 0)
        return -1;
    rates[round] = rate;
    if (rate > *best)
        *best = rate;
    return 0;
}

static int bench_mode(const char *self, const char *baseline, enum sock_mode mode, long long count,
                      int rounds, struct mode_result *m)
{
    memset(m, 0, sizeof *m);
    m->mode = mode;
    m->rounds = rounds;
    m->nruns = baseline ? 4 : 2; /* jsonl [, baseline jsonl], text [, baseline text] */
    for (int round = 0; round < rounds; round++) {
        /* Each round interleaved: what noise there is falls on all of them alike. */
        if (bare_round(mode, count, true, round, m->bare_pinned_rates, &m->bare_pinned) != 0)
            return -1;
        for (int i = 0; i < m->nruns; i++) {
            struct run_row *row = &m->runs[i];
            struct run_result r;
            memset(&r, 0, sizeof r);
            r.format = i < m->nruns / 2 ? FORMAT_JSONL : FORMAT_TEXT;
            r.baseline = baseline && i % 2 == 1;
            if (run_once(r.baseline ? baseline : self, mode, count, &r) != 0)
                return -1;
            row->rates[round] = r.rate;
            if (round == 0 || r.rate > row->best.rate)
                row->best = r;
        }
        if (bare_round(mode, count, false, round, m->bare_unpinned_rates, &m->bare_unpinned) != 0)
            return -1;
    }
    return 0;
}

static void print_cpu(double us)
{
    if (us < 0)
        printf("  %14s", "-");
    else
        printf("  %14.2f", us);
}

/* The spread of a row's rates over the rounds: (highest - lowest) /
 * highest, in percent; "-" for one round. */
static void print_spread(const double *rates, int n)
{
    double lo = rates[0], hi = rates[0];
    for (int i = 1; i < n; i++) {
        if (rates[i] < lo)
            lo = rates[i];
        if (rates[i] > hi)
            hi = rates[i];
    }
    if (n < 2)
        printf("  %6s", "-");
    else
        printf("  %5.0f%%", 100.0 * (hi - lo) / hi);
}

static void print_rows(const struct mode_result *m)
{
    const char *mode = mode_name(m->mode);
    printf("%-6s  %-28s  %11.0f", mode, "bare loop, 1 CPU", m->bare_pinned);
    print_spread(m->bare_pinned_rates, m->rounds);
    printf("  %14.2f  %16.2f\n", 1.0, m->bare_pinned / m->bare_unpinned);
    printf("%-6s  %-28s  %11.0f", mode, "bare loop, any CPU", m->bare_unpinned);
    print_spread(m->bare_unpinned_rates, m->rounds);
    printf("  %14.2f  %16.2f\n", m->bare_unpinned / m->bare_pinned, 1.0);
    for (int i = 0; i < m->nruns; i++) {
        const struct run_result *r = &m->runs[i].best;
        char what[40];
        snprintf(what, sizeof what, "%srun --format %s", r->baseline ? "baseline " : "",
                 r->format == FORMAT_JSONL ? "jsonl" : "text");
        printf("%-6s  %-28s  %11.0f", mode, what, r->rate);
        print_spread(m->runs[i].rates, m->rounds);
        printf("  %14.2f  %16.2f", r->rate / m->bare_pinned, r->rate / m->bare_unpinned);
        print_cpu(r->peers_us);
        print_cpu(r->parent_us);
        printf("  %11ld\n", r->maxrss_kib);
    }
    fflush(stdout);
}

static void print_json_cpu(const char *key, double us)
{
    if (us < 0)
        printf(",\"%s\":null", key);
    else
        printf(",\"%s\":%.3f", key, us);
}

/* ,"key":[r1,r2,...] */
static void print_json_rates(const char *key, const double *rates, int n)
{
    printf(",\"%s\":[", key);
    for (int i = 0; i < n; i++)
        printf("%s%.1f", i ? "," : "", rates[i]);
    printf("]");
}

static void print_json(const struct options *o, const struct mode_result *modes, int nmodes)
{
    printf("{\"count\":%lld,\"rounds\":%d,\"cpus\":%d,\"pinned_cpu\":%d,\"message_bytes\":%d",
           o->count, o->rounds, ncpus, pin_cpu, MSG);
    if (o->baseline) {
        char mem[8192];
        struct jbuf jb;
        jbuf_init(&jb, mem, sizeof mem);
        json_open(&jb);
        json_str(&jb, "baseline", o->baseline);
        if (!jb.full)
            printf(",%s", jb.p + 1); /* "baseline":"..." without the "{" */
    }
    printf(",\"modes\":[");
    for (int i = 0; i < nmodes; i++) {
        const struct mode_result *m = &modes[i];
        printf("%s{\"mode\":\"%s\",\"bare_pinned\":%.1f", i ? "," : "", mode_name(m->mode),
               m->bare_pinned);
        print_json_rates("bare_pinned_rates", m->bare_pinned_rates, m->rounds);
        printf(",\"bare_unpinned\":%.1f", m->bare_unpinned);
        print_json_rates("bare_unpinned_rates", m->bare_unpinned_rates, m->rounds);
        printf(",\"runs\":[");
        for (int j = 0; j < m->nruns; j++) {
            const struct run_result *r = &m->runs[j].best;
            printf("%s{\"format\":\"%s\",\"binary\":\"%s\",\"rate\":%.1f", j ? "," : "",
                   r->format == FORMAT_JSONL ? "jsonl" : "text", r->baseline ? "baseline" : "this",
                   r->rate);
            print_json_rates("rates", m->runs[j].rates, m->rounds);
            printf(",\"ratio_pinned\":%.4f,\"ratio_unpinned\":%.4f", r->rate / m->bare_pinned,
                   r->rate / m->bare_unpinned);
            print_json_cpu("peers_cpu_us", r->peers_us);
            print_json_cpu("parent_cpu_us", r->parent_us);
            printf(",\"maxrss_kib\":%ld}", r->maxrss_kib);
        }
        printf("]}");
    }
    printf("]}\n");
}

/* True when path names a regular file we may execute; else says why. */
static bool runnable(const char *path, const char **why)
{
    struct stat sb;
    if (stat(path, &sb) == -1) {
        *why = strerror(errno);
        return false;
    }
    if (!S_ISREG(sb.st_mode)) {
        *why = S_ISDIR(sb.st_mode) ? "a directory" : "not a regular file";
        return false;
    }
    if (access(path, X_OK) == -1) {
        *why = "not executable";
        return false;
    }
    return true;
}

int bench_main(const struct options *o)
{
    static char self[PATH_MAX + 1] = "/proc/self/exe";
    struct mode_result modes[2];
    int nmodes = 0, rc = 0;
    const char *why;

    if (o->baseline && !runnable(o->baseline, &why)) {
        char shown[512];
        escape_bytes(o->baseline, strlen(o->baseline), shown, sizeof shown, 0, NULL);
        fprintf(stderr,
                "sockscope bench: --baseline %s: %s (it takes a sockscope program to run)\n", shown,
                why);
        return 2;
    }
    /* This program as it was started (see spawn_set_program). */
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0)
        self[len] = '\0';
    else
        strcpy(self, "/proc/self/exe");

    if (sched_getaffinity(0, sizeof allowed, &allowed) == -1) {
        fprintf(stderr, "sockscope bench: sched_getaffinity: %s\n", strerror(errno));
        return 1;
    }
    ncpus = CPU_COUNT(&allowed);
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, &allowed))
            pin_cpu = c; /* the last one allowed */
    null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null_fd == -1) {
        fprintf(stderr, "sockscope bench: /dev/null: %s\n", strerror(errno));
        return 1;
    }
    sigset_t old;
    struct sigaction old_actions[3];
    sigemptyset(&sigchld);
    sigaddset(&sigchld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &sigchld, &old);
    catch_stop_signals(old_actions);

    if (!o->json) {
        char rounds[40];
        if (o->rounds == 1)
            snprintf(rounds, sizeof rounds, "1 round");
        else
            snprintf(rounds, sizeof rounds, "best of %d rounds", o->rounds);
        printf("sockscope bench: %lld lock-step exchanges of %d-byte messages per measurement, "
               "%s, %d CPU%s\n",
               o->count, MSG, rounds, ncpus, ncpus == 1 ? "" : "s");
        if (ncpus == 1)
            printf("only 1 CPU is allowed here: the bare loop on 1 CPU and on any CPU are the "
                   "same (CPU %d)\n",
                   pin_cpu);
        else
            printf("1 CPU: both ends of the bare loop pinned to CPU %d; any CPU: not pinned\n",
                   pin_cpu);
        if (o->baseline) {
            char shown[512];
            escape_bytes(o->baseline, strlen(o->baseline), shown, sizeof shown, 0, NULL);
            printf("baseline: %s\n", shown);
        }
        printf("%-6s  %-28s  %11s  %6s  %14s  %16s  %14s  %14s  %11s\n", "mode", "what",
               "exchanges/s", "spread", "of bare(1 CPU)", "of bare(any CPU)", "peers us/exch",
               "parent us/exch", "max RSS KiB");
        fflush(stdout);
    }
    for (int i = 0; i < 2; i++) {
        enum sock_mode mode = i == 0 ? MODE_STREAM : MODE_DGRAM;
        if (!o->both_modes && mode != o->mode)
            continue;
        if (bench_mode(self, o->baseline, mode, o->count, o->rounds, &modes[nmodes]) != 0) {
            rc = 1;
            break;
        }
        if (!o->json)
            print_rows(&modes[nmodes]);
        nmodes++;
    }
    if (rc == 0 && o->json)
        print_json(o, modes, nmodes);
    else if (rc == 0) {
        if (o->rounds == 1)
            printf("each figure is of one round (--rounds R: the best of R, for a noisy "
                   "machine)\n");
        else
            printf("each figure is the best of %d rounds: the round with the most exchanges/s, "
                   "the least disturbed;\n"
                   "spread: (most - fewest) / most of the rounds' exchanges/s, how noisy the "
                   "machine was\n",
                   o->rounds);
        printf(
            "of bare(...): run's rate over the bare loop's (1 CPU is the headline); us/exch: CPU "
            "time an exchange\n"
            "of the two peers and of run itself (clock ticks of %ld us); max RSS: of run or a "
            "peer, the largest\n",
            1000000 / sysconf(_SC_CLK_TCK));
    }
    close_fd(&null_fd);
    if (stop_signal) {
        fflush(stdout);
        fprintf(stderr, "sockscope bench: stopped by %s\n",
                stop_signal == SIGINT    ? "SIGINT"
                : stop_signal == SIGTERM ? "SIGTERM"
                                         : "SIGHUP");
        rc = 128 + stop_signal;
    }
    restore_stop_signals(old_actions);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}
