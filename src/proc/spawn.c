/* spawn: peers as real child processes (see spawn.h). */
#include "spawn.h"

#include "../core/clock.h"
#include "../core/gate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 40

static char program[4096] = "/proc/self/exe";

int spawn_set_program(void)
{
    char path[sizeof program];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0 || n >= (ssize_t)sizeof path - 1)
        return -1;
    path[n] = '\0';
    memcpy(program, path, (size_t)n + 1);
    return 0;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child_setup(pid_t parent, int ev_w, int gate_r, int ring, bool quiet, bool to_stdout)
{
    struct sigaction dfl;
    sigset_t none;
    int null_fd;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++)
        sigaction(s, &dfl, NULL); /* fails harmlessly for KILL and STOP */
    /* Not the parent's mask: it blocks SIGTERM for its signalfd, and a peer
     * that inherited that could be neither stopped nor killed by PDEATHSIG. */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* Die with the parent; and if it died before this line, go now. */
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != parent)
        _exit(127);

    /* Move the ends clear of 3, 4 and 5 first, so one dup2 never lands on
     * another's fd. */
    ev_w = fcntl(ev_w, F_DUPFD, 10);
    if (gate_r >= 0)
        gate_r = fcntl(gate_r, F_DUPFD, 10);
    if (ring >= 0)
        ring = fcntl(ring, F_DUPFD, 10);
    if (ev_w == -1 || dup2(ev_w, SPAWN_EVENT_FD) == -1)
        _exit(127);
    if (gate_r >= 0 && dup2(gate_r, SPAWN_GATE_FD) == -1)
        _exit(127);
    if (ring >= 0 && dup2(ring, SPAWN_RING_FD) == -1)
        _exit(127);
    null_fd = open("/dev/null", O_RDWR);
    if (null_fd == -1)
        _exit(127);
    dup2(null_fd, 0);
    if (to_stdout) { /* a command: its output is the pipe */
        dup2(SPAWN_EVENT_FD, 1);
        dup2(SPAWN_EVENT_FD, 2);
        close(SPAWN_EVENT_FD);
    } else if (quiet) {
        dup2(null_fd, 1);
        dup2(null_fd, 2);
    } else {
        dup2(2, 1); /* events go to fd 3; stdout carries nothing */
    }
    /* Nothing else of ours leaks into the peer (a terminal, other pipes). */
    if (gate_r < 0)
        close(SPAWN_GATE_FD);
    if (ring < 0)
        close(SPAWN_RING_FD);
    close_range(SPAWN_RING_FD + 1, ~0U, 0);
}

static int build_argv(const char *argv[], const char *const args[], bool gated, bool events)
{
    int n = 0;
    argv[n++] = "sockscope";
    for (int i = 0; args[i] && n < MAX_ARGS - 8; i++)
        argv[n++] = args[i];
    if (events) {
        argv[n++] = "--event-fd";
        argv[n++] = "3";
        argv[n++] = "--ring-fd";
        argv[n++] = "5";
    }
    if (gated) {
        argv[n++] = "--gate-fd";
        argv[n++] = "4";
    }
    argv[n] = NULL;
    return n;
}

static int spawn(struct peer_proc *p, const char *const args[], bool gated, bool quiet,
                 bool command, char *err, size_t errcap)
{
    int ev[2], gate[2] = {-1, -1};
    const char *argv[MAX_ARGS];
    sigset_t all, old;
    pid_t parent = getpid();

    memset(p, 0, sizeof *p);
    p->event_fd = p->gate_fd = -1;
    p->ring.fd = -1;
    build_argv(argv, args, gated, !command);
    if (!command && ring_create(&p->ring, err, errcap) != 0)
        return -1;
    if (pipe2(ev, O_CLOEXEC) == -1 || (gated && pipe2(gate, O_CLOEXEC) == -1)) {
        snprintf(err, errcap, "pipe: %s", strerror(errno));
        ring_close(&p->ring);
        return -1;
    }
    /* Signals blocked across fork, so the child never runs our handlers. */
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        close(ev[0]);
        if (gated)
            close(gate[1]);
        child_setup(parent, ev[1], gate[0], p->ring.fd, quiet, command);
        execv(program, (char *const *)argv);
        _exit(127);
    }
    int fork_err = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(ev[1]);
    if (gated)
        close(gate[0]);
    if (p->ring.fd >= 0) { /* the mapping stays; the peer has its own fd */
        close(p->ring.fd);
        p->ring.fd = -1;
    }
    if (pid == -1) {
        close(ev[0]);
        ring_close(&p->ring);
        if (gated)
            close(gate[1]);
        snprintf(err, errcap, "fork: %s", strerror(fork_err));
        return -1;
    }
    fcntl(ev[0], F_SETFL, O_NONBLOCK);
    p->pid = pid;
    p->event_fd = ev[0];
    p->gate_fd = gated ? gate[1] : -1;
    return 0;
}

static int gate_write(struct peer_proc *p, char byte)
{
    if (p->gate_fd < 0)
        return -1;
    ssize_t w;
    do
        w = write(p->gate_fd, &byte, 1);
    while (w == -1 && errno == EINTR);
    return w == 1 ? 0 : -1;
}

int spawn_peer(struct peer_proc *p, const char *const args[], bool gated, bool quiet, char *err,
               size_t errcap)
{
    return spawn(p, args, gated, quiet, false, err, errcap);
}

int spawn_command(struct peer_proc *p, const char *const args[], char *err, size_t errcap)
{
    return spawn(p, args, false, false, true, err, errcap);
}

int spawn_gate_step(struct peer_proc *p)
{
    return gate_write(p, GATE_GO);
}

int spawn_gate_finish(struct peer_proc *p)
{
    return gate_write(p, GATE_FINISH);
}

void spawn_gate_open(struct peer_proc *p)
{
    if (p->gate_fd >= 0)
        close(p->gate_fd);
    p->gate_fd = -1;
}

bool spawn_reap(struct peer_proc *p, bool block)
{
    if (p->pid <= 0 || p->reaped)
        return p->reaped;
    pid_t r;
    do
        r = waitpid(p->pid, &p->wstatus, block ? 0 : WNOHANG);
    while (r == -1 && errno == EINTR);
    if (r == p->pid || (r == -1 && errno == ECHILD))
        p->reaped = true;
    return p->reaped;
}

int spawn_signal(struct peer_proc *p, int sig)
{
    if (p->pid <= 0 || p->reaped)
        return -1;
    return kill(p->pid, sig);
}

/* Waits up to grace_ms for the peer to exit, reaping it as soon as it has.
 * pidfd is a pidfd_open() of it: poll() wakes the moment it exits. Without
 * one (-1: a kernel before 5.3, ENOSYS), waitpid() is asked every 5 ms. */
static void reap_within(struct peer_proc *p, int pidfd, int grace_ms)
{
    long long deadline = clock_now_us() / 1000 + grace_ms;
    if (pidfd < 0) {
        for (int waited = 0; !spawn_reap(p, false) && waited < grace_ms; waited += 5)
            nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
        return;
    }
    for (long long left = grace_ms; !spawn_reap(p, false) && left > 0;
         left = deadline - clock_now_us() / 1000) {
        struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
        if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
            return; /* cannot wait: SIGKILL follows */
    }
}

/* A pidfd for the peer (close-on-exec), or -1 where there is none. Our
 * child, not reaped yet: its pid cannot have been reused. */
static int stop_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

void spawn_stop(struct peer_proc *p, int grace_ms)
{
    spawn_gate_open(p); /* a peer waiting at its gate must not wait forever */
    if (p->pid > 0 && !p->reaped) {
        int pidfd = stop_pidfd(p->pid);
        kill(p->pid, SIGTERM);
        reap_within(p, pidfd, grace_ms);
        if (pidfd >= 0)
            close(pidfd);
        if (!p->reaped) {
            kill(p->pid, SIGKILL);
            spawn_reap(p, true);
        }
    }
    if (p->event_fd >= 0)
        close(p->event_fd);
    p->event_fd = -1;
    ring_close(&p->ring);
}

const char *spawn_status_text(int wstatus, char *buf, size_t cap)
{
    if (WIFEXITED(wstatus))
        snprintf(buf, cap, "exited %d", WEXITSTATUS(wstatus));
    else if (WIFSIGNALED(wstatus))
        snprintf(buf, cap, "killed by SIG%s",
                 sigabbrev_np(WTERMSIG(wstatus)) ? sigabbrev_np(WTERMSIG(wstatus)) : "?");
    else
        snprintf(buf, cap, "status %d", wstatus);
    return buf;
}
