/* bench: how much the tracing costs, measured, not guessed.
 *
 * Runs N lock-step exchanges of 1024-byte messages two ways in one go:
 * a bare send()/recv() loop between two processes over a socketpair of the
 * same type, and `sockscope run --interval 0 --format jsonl` (two traced
 * peers, every call reported, events merged by the parent). Prints both
 * rates and their ratio; the ratio is what to compare across machines.
 */
#include "../core/clock.h"
#include "../core/options.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSG 1024

int bench_main(const struct options *o);

static int echo_child(int fd, long long count)
{
    char buf[MSG];
    for (long long i = 0; i < count; i++) {
        ssize_t n = recv(fd, buf, sizeof buf, MSG_WAITALL);
        if (n <= 0 || send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
            return 1;
    }
    return 0;
}

/* Exchanges per second of the bare loop, or -1. */
static double bare_rate(int type, long long count)
{
    int sv[2], status;
    char buf[MSG] = "How are you !!!";
    if (socketpair(AF_UNIX, type, 0, sv) == -1)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        _exit(echo_child(sv[1], count));
    }
    close(sv[1]);
    long long t = clock_now_us();
    for (long long i = 0; pid > 0 && i < count; i++)
        if (send(sv[0], buf, MSG, MSG_NOSIGNAL) != MSG || recv(sv[0], buf, MSG, MSG_WAITALL) != MSG)
            break;
    t = clock_now_us() - t;
    close(sv[0]);
    if (pid <= 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        return -1;
    return (double)count * 1e6 / (double)(t > 0 ? t : 1);
}

/* Exchanges per second of `sockscope run`, or -1. */
static double run_rate(enum sock_mode mode, long long count)
{
    char n[24];
    int status;
    snprintf(n, sizeof n, "%lld", count);
    long long t = clock_now_us();
    pid_t pid = fork();
    if (pid == 0) {
        int null_fd = open("/dev/null", O_WRONLY);
        if (null_fd == -1 || dup2(null_fd, 1) == -1)
            _exit(127);
        execl("/proc/self/exe", "sockscope", "run", "--mode", mode_name(mode), "--interval", "0",
              "--count", n, "--format", "jsonl", (char *)NULL);
        _exit(127);
    }
    if (pid == -1 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        return -1;
    t = clock_now_us() - t;
    return (double)count * 1e6 / (double)(t > 0 ? t : 1);
}

static int bench_mode(enum sock_mode mode, long long count)
{
    int type = mode == MODE_STREAM ? SOCK_STREAM : SOCK_DGRAM;
    double bare = bare_rate(type, count);
    double traced = run_rate(mode, count);
    if (bare <= 0 || traced <= 0) {
        fprintf(stderr, "sockscope bench: the %s run failed\n", mode_name(mode));
        return 1;
    }
    printf("%-6s  %8lld exchanges  bare loop %10.0f/s  sockscope run %9.0f/s  bare/run %6.1fx\n",
           mode_name(mode), count, bare, traced, bare / traced);
    return 0;
}

int bench_main(const struct options *o)
{
    struct rusage ru;
    int rc = 0;
    printf("1024-byte messages, lock-step, one exchange = one message each way\n");
    rc |= bench_mode(MODE_STREAM, o->count);
    rc |= bench_mode(MODE_DGRAM, o->count);
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
        printf("largest child resident set: %ld KiB\n", ru.ru_maxrss);
    return rc;
}
