/* Unit tests: kview (src/proc/kview.c), the kernel's view of processes'
 * Unix sockets, checked on real sockets held by real child processes:
 *
 *   S  a stream listener, backlog 4: one connection accepted (300 bytes sent
 *      on it, unread), three more connected but never accepted;
 *   C  the four connecting sockets (1000 bytes sent on the accepted one,
 *      unread);
 *   D  a bound datagram socket with three datagrams (100, 200, 300 bytes)
 *      waiting, sent with sendto() from a second bound one; and a third
 *      bound one that a fourth connect()ed to and sent 50 bytes.
 *
 * kview_collect() on those pids must give each socket's fd, inode, type,
 * state, queues, path and peer as the kernel has them, and exactly what
 * `ss -x -a` prints for the same inodes (when ss is installed: iproute2).
 * The /proc/net/unix fallback must agree on what it knows.
 *
 * Then, when the test runs as root (as CI does), all of it again in a child
 * that dropped to nobody (uid and gid 65534, no groups, no capabilities):
 * kview needs no privilege for one's own processes, and is refused
 * (EACCES) for another user's.
 *
 * kview.c is compiled into this test, not linked, to reach its
 * /proc/net/unix reader, which only kernels without sock_diag take.
 */
#include "../../src/proc/kview.c"

#include "check.h"

#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#define BACKLOG  4
#define NOBODY   65534
#define MAX_KIDS 3

enum tag {
    T_LISTEN,
    T_ACCEPTED,
    T_CONN0,
    T_CONN1,
    T_CONN2,
    T_CONN3,
    T_DRECV,  /* bound, datagrams waiting */
    T_DSEND,  /* bound, sent them with sendto() */
    T_DCRECV, /* bound, connect()ed to by T_DCONN */
    T_DCONN,  /* connect()ed, sent 50 bytes */
    T_COUNT
};

/* What a child says about one of its sockets. */
struct rec {
    int tag, pid, fd;
    unsigned long inode;
};

struct kid {
    pid_t pid;
    int from; /* read end of its report pipe */
};

static char dir[96], s_path[128], d_path[128], e_path[128], f_path[128];
static int hold[2] = {-1, -1}; /* children wait for EOF on hold[0] */
static int go[2] = {-1, -1};   /* a byte lets S accept */

/* ---- in a child: any failure ends it, and the parent sees EOF ---- */

static void need(int ok)
{
    if (!ok)
        _exit(1);
}

static void report(int out, int tag, int fd)
{
    struct stat st;
    struct rec r = {.tag = tag, .pid = getpid(), .fd = fd};
    need(fstat(fd, &st) == 0);
    r.inode = (unsigned long)st.st_ino;
    need(write(out, &r, sizeof r) == (ssize_t)sizeof r);
}

static void wait_hold(void)
{
    char c;
    ssize_t n;
    while ((n = read(hold[0], &c, 1)) != 0)
        need(n > 0 || errno == EINTR);
    _exit(0);
}

static struct sockaddr_un addr_of(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    return a;
}

static int bound(int type, const char *path)
{
    struct sockaddr_un a = addr_of(path);
    int s = socket(AF_UNIX, type, 0);
    need(s >= 0);
    need(bind(s, (struct sockaddr *)&a, sizeof a) == 0);
    return s;
}

static void send_bytes(int s, size_t n, const char *to)
{
    char buf[1000];
    struct sockaddr_un a;
    memset(buf, 'x', sizeof buf);
    need(n <= sizeof buf);
    if (to) {
        a = addr_of(to);
        need(sendto(s, buf, n, 0, (struct sockaddr *)&a, sizeof a) == (ssize_t)n);
    } else {
        need(send(s, buf, n, 0) == (ssize_t)n);
    }
}

static void stream_server(int out)
{
    char c;
    int l = bound(SOCK_STREAM, s_path), a;
    need(listen(l, BACKLOG) == 0);
    report(out, T_LISTEN, l);
    need(read(go[0], &c, 1) == 1);
    a = accept(l, NULL, NULL);
    need(a >= 0);
    send_bytes(a, 300, NULL);
    report(out, T_ACCEPTED, a);
    wait_hold();
}

static void stream_client(int out)
{
    struct sockaddr_un a = addr_of(s_path);
    for (int i = 0; i < 4; i++) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        need(c >= 0);
        need(connect(c, (struct sockaddr *)&a, sizeof a) == 0);
        if (i == 0)
            send_bytes(c, 1000, NULL);
        report(out, T_CONN0 + i, c);
    }
    wait_hold();
}

static void dgram_pair(int out)
{
    int r = bound(SOCK_DGRAM, d_path), s = bound(SOCK_DGRAM, e_path);
    int cr = bound(SOCK_DGRAM, f_path), c = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un a = addr_of(f_path);
    send_bytes(s, 100, d_path);
    send_bytes(s, 200, d_path);
    send_bytes(s, 300, d_path);
    need(c >= 0);
    need(connect(c, (struct sockaddr *)&a, sizeof a) == 0);
    send_bytes(c, 50, NULL);
    report(out, T_DRECV, r);
    report(out, T_DSEND, s);
    report(out, T_DCRECV, cr);
    report(out, T_DCONN, c);
    wait_hold();
}

/* ---- in the parent ---- */

static int start(struct kid *k, void (*body)(int out))
{
    int p[2];
    pid_t parent = getpid();
    if (pipe(p) == -1)
        return -1;
    fflush(stdout);
    fflush(stderr);
    k->pid = fork();
    if (k->pid == -1) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (k->pid == 0) {
        need(prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == parent);
        close(p[0]);
        close(hold[1]);
        close(go[1]);
        body(p[1]);
        _exit(1);
    }
    close(p[1]);
    k->from = p[0];
    return 0;
}

/* Reads n reports from k into recs (by tag); 0, or -1 when the child failed. */
static int take_reports(const struct kid *k, int n, struct rec *recs)
{
    for (int i = 0; i < n; i++) {
        struct rec r;
        if (read(k->from, &r, sizeof r) != (ssize_t)sizeof r || r.tag < 0 || r.tag >= T_COUNT)
            return -1;
        recs[r.tag] = r;
    }
    return 0;
}

static const char *type_netid(int type)
{
    return type == SOCK_STREAM ? "u_str" : type == SOCK_DGRAM ? "u_dgr" : "u_seq";
}

/* ss on PATH, or NULL. */
static const char *find_ss(char *buf, size_t cap)
{
    const char *path = getenv("PATH");
    const char *dirs = path && *path ? path : "/usr/bin:/bin:/usr/sbin:/sbin";
    while (*dirs) {
        size_t len = strcspn(dirs, ":");
        snprintf(buf, cap, "%.*s/ss", (int)len, dirs);
        if (access(buf, X_OK) == 0)
            return buf;
        dirs += len + (dirs[len] == ':');
    }
    snprintf(buf, cap, "/usr/sbin/ss");
    return access(buf, X_OK) == 0 ? buf : NULL;
}

/* Every line `ss -x -a -n` prints about the inodes in got is as got says:
 * "Netid State Recv-Q Send-Q Local-Address Port Peer-Address Port". */
static void compare_with_ss(const struct ksock *got, int n)
{
    char ssbin[256], cmd[300], line[1024];
    int matched[T_COUNT] = {0};
    FILE *p;
    if (!find_ss(ssbin, sizeof ssbin)) {
        printf("SKIP the comparison with ss -x: ss not found (it is in the iproute2 package)\n");
        return;
    }
    snprintf(cmd, sizeof cmd, "%s -x -a -n 2>/dev/null", ssbin);
    fflush(stdout);
    p = popen(cmd, "r");
    CHECK(p != NULL);
    if (!p)
        return;
    while (fgets(line, sizeof line, p)) {
        char netid[16], state[16], local[512], peeraddr[512];
        long long rq, wq;
        unsigned long inode, peer;
        if (sscanf(line, "%15s %15s %lld %lld %511s %lu %511s %lu", netid, state, &rq, &wq, local,
                   &inode, peeraddr, &peer) != 8)
            continue; /* the header */
        for (int i = 0; i < n; i++) {
            if (got[i].inode != inode)
                continue;
            CHECK_STR(netid, type_netid(got[i].type));
            CHECK_STR(state, got[i].state);
            CHECK(rq == got[i].rq);
            CHECK(wq == got[i].wq);
            CHECK_STR(local, got[i].path[0] ? got[i].path : "*");
            CHECK(peer == got[i].peer);
            if (rq != got[i].rq || wq != got[i].wq)
                fprintf(stderr, "inode %lu: ss says %lld/%lld, kview %lld/%lld\n", inode, rq, wq,
                        got[i].rq, got[i].wq);
            if (i < T_COUNT)
                matched[i]++;
        }
    }
    CHECK(pclose(p) == 0);
    for (int i = 0; i < n && i < T_COUNT; i++)
        CHECK(matched[i] == 1);
    printf("ss -x -a agrees on all %d sockets (state, Recv-Q, Send-Q, path, peer)\n", n);
}

static int by_pid_fd(const struct rec *a, const struct rec *b, const int *order)
{
    int pa = 0, pb = 0;
    for (int i = 0; i < MAX_KIDS; i++) {
        if (order[i] == a->pid)
            pa = i;
        if (order[i] == b->pid)
            pb = i;
    }
    return pa != pb ? pa - pb : a->fd - b->fd;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* The kernel's figures for each socket, as the scenario made them. */
static void check_figures(const struct ksock *k, const struct rec *recs, const struct rec *r)
{
    switch (r->tag) {
    case T_LISTEN:
        CHECK(k->type == SOCK_STREAM);
        CHECK_STR(k->state, "LISTEN");
        CHECK(k->rq == 3);       /* three connections never accepted */
        CHECK(k->wq == BACKLOG); /* the backlog */
        CHECK_STR(k->path, s_path);
        CHECK(k->peer == 0);
        break;
    case T_ACCEPTED:
        CHECK(k->type == SOCK_STREAM);
        CHECK_STR(k->state, "ESTAB");
        CHECK(k->rq == 1000); /* the client's bytes, unread */
        CHECK(k->wq >= 300 && k->wq < 300 + 4096);
        CHECK_STR(k->path, s_path); /* the listener's */
        CHECK(k->peer == recs[T_CONN0].inode);
        break;
    case T_CONN0:
        CHECK(k->type == SOCK_STREAM);
        CHECK_STR(k->state, "ESTAB");
        CHECK(k->rq == 300);
        CHECK(k->wq >= 1000 && k->wq < 1000 + 4096);
        CHECK_STR(k->path, "");
        CHECK(k->peer == recs[T_ACCEPTED].inode);
        break;
    case T_CONN1:
    case T_CONN2:
    case T_CONN3:
        CHECK(k->type == SOCK_STREAM);
        CHECK_STR(k->state, "ESTAB");
        CHECK(k->rq == 0 && k->wq == 0);
        CHECK_STR(k->path, "");
        /* The other end, which accept() would return, has no inode yet. */
        CHECK(k->peer == 0);
        break;
    case T_DRECV:
        CHECK(k->type == SOCK_DGRAM);
        CHECK_STR(k->state, "UNCONN");
        CHECK(k->rq == 100); /* the next datagram only */
        CHECK(k->wq == 0);
        CHECK_STR(k->path, d_path);
        CHECK(k->peer == 0);
        break;
    case T_DSEND:
        CHECK(k->type == SOCK_DGRAM);
        CHECK_STR(k->state, "UNCONN");
        CHECK(k->rq == 0);
        CHECK(k->wq >= 600 && k->wq < 600 + 3 * 4096); /* all three, unread */
        CHECK_STR(k->path, e_path);
        CHECK(k->peer == 0);
        break;
    case T_DCRECV:
        CHECK(k->type == SOCK_DGRAM);
        /* Linux 5.15 and later mark the socket connected to as ESTAB too. */
        CHECK(strcmp(k->state, "ESTAB") == 0 || strcmp(k->state, "UNCONN") == 0);
        CHECK(k->rq == 50 && k->wq == 0);
        CHECK_STR(k->path, f_path);
        CHECK(k->peer == 0);
        break;
    case T_DCONN:
        CHECK(k->type == SOCK_DGRAM);
        CHECK(strcmp(k->state, "ESTAB") == 0 || strcmp(k->state, "UNCONN") == 0);
        CHECK(k->rq == 0);
        CHECK(k->wq >= 50 && k->wq < 50 + 4096);
        CHECK_STR(k->path, "");
        CHECK(k->peer == recs[T_DCRECV].inode);
        break;
    }
}

static int make_dir(void)
{
    const char *bases[] = {getenv("TMPDIR"), "/tmp"};
    for (int i = 0; i < 2; i++) {
        if (!bases[i] || bases[i][0] != '/' || strlen(bases[i]) > 60)
            continue;
        snprintf(dir, sizeof dir, "%s/kview-XXXXXX", bases[i]);
        if (mkdtemp(dir))
            return 0;
    }
    return -1;
}

static void scenario(const char *who)
{
    struct kid kids[MAX_KIDS] = {{0}};
    int nkids = 0, dead, n;
    struct rec recs[T_COUNT], want[T_COUNT];
    struct ksock got[T_COUNT + 4], fb[T_COUNT];
    int pids[MAX_KIDS];

    printf("-- %s (uid %d)\n", who, (int)geteuid());
    memset(recs, 0, sizeof recs);
    if (make_dir() == -1) {
        CHECK(!"a scratch directory");
        return;
    }
    snprintf(s_path, sizeof s_path, "%s/S.sock", dir);
    snprintf(d_path, sizeof d_path, "%s/D.sock", dir);
    snprintf(e_path, sizeof e_path, "%s/E.sock", dir);
    snprintf(f_path, sizeof f_path, "%s/F.sock", dir);
    if (pipe(hold) == -1 || pipe(go) == -1) {
        CHECK(!"pipes");
        goto clean;
    }
    if (start(&kids[nkids++], stream_server) == -1 || take_reports(&kids[0], 1, recs) == -1 ||
        start(&kids[nkids++], stream_client) == -1 || take_reports(&kids[1], 4, recs) == -1 ||
        write(go[1], "g", 1) != 1 || take_reports(&kids[0], 1, recs) == -1 ||
        start(&kids[nkids++], dgram_pair) == -1 || take_reports(&kids[2], 4, recs) == -1) {
        CHECK(!"the children set up their sockets");
        goto clean;
    }
    /* A process that is gone. */
    dead = fork();
    if (dead == 0)
        _exit(0);
    CHECK(dead > 0 && waitpid(dead, NULL, 0) == dead);

    /* In pid order, by fd within a pid; 0, dead and repeated pids skipped. */
    {
        int ask[] = {kids[0].pid, 0, kids[1].pid, kids[2].pid, dead, kids[0].pid};
        for (int i = 0; i < MAX_KIDS; i++)
            pids[i] = kids[i].pid;
        memcpy(want, recs, sizeof want);
        for (int i = 1; i < T_COUNT; i++) /* insertion sort: T_COUNT is small */
            for (int j = i; j > 0 && by_pid_fd(&want[j - 1], &want[j], pids) > 0; j--) {
                struct rec t = want[j];
                want[j] = want[j - 1];
                want[j - 1] = t;
            }
        n = kview_collect(ask, 6, got, T_COUNT + 4);
        CHECK(n == T_COUNT);
        if (n != T_COUNT)
            fprintf(stderr, "kview_collect: %d (%s)\n", n, n < 0 ? strerror(errno) : "sockets");
        for (int i = 0; i < n && i < T_COUNT; i++) {
            CHECK(got[i].pid == want[i].pid);
            CHECK(got[i].fd == want[i].fd);
            CHECK(got[i].inode == want[i].inode);
            check_figures(&got[i], recs, &want[i]);
        }
        for (int i = 0; i < n; i++)
            printf("  pid %d fd %d: %s %-6s %5lld %5lld  %lu -> %lu  %s\n", got[i].pid, got[i].fd,
                   type_netid(got[i].type), got[i].state, got[i].rq, got[i].wq, got[i].inode,
                   got[i].peer, got[i].path[0] ? got[i].path : "*");
        if (n == T_COUNT)
            compare_with_ss(got, n);

        /* The fallback knows the same, but no queues and no peers. */
        CHECK(collect(ask, 6, fb, T_COUNT, false) == T_COUNT);
        for (int i = 0; i < n && i < T_COUNT; i++) {
            CHECK(fb[i].inode == got[i].inode && fb[i].pid == got[i].pid && fb[i].fd == got[i].fd);
            CHECK(fb[i].type == got[i].type);
            CHECK_STR(fb[i].state, got[i].state);
            CHECK_STR(fb[i].path, got[i].path);
            CHECK(fb[i].rq == -1 && fb[i].wq == -1 && fb[i].peer == 0);
        }

        /* The first cap of them; none; bad arguments. */
        CHECK(kview_collect(ask, 6, fb, 3) == 3);
        CHECK(fb[0].inode == got[0].inode && fb[2].inode == got[2].inode);
        CHECK(kview_collect(ask, 6, NULL, 0) == 0);
        CHECK(kview_collect(&dead, 1, fb, T_COUNT) == 0);
        CHECK(kview_collect(NULL, 0, fb, T_COUNT) == 0);
        errno = 0;
        CHECK(kview_collect(ask, -1, fb, T_COUNT) == -1 && errno == EINVAL);
        errno = 0;
        CHECK(kview_collect(ask, 6, NULL, 1) == -1 && errno == EINVAL);
    }

    /* What the lab pays: a few calls a second on 2-3 processes. */
    {
        int before = count_fds(), calls = 0, rounds = 0;
        double t0 = now(), diag, proc;
        while (now() - t0 < 0.3 || calls < 50) {
            CHECK(kview_collect(pids, MAX_KIDS, got, T_COUNT) == T_COUNT);
            calls++;
        }
        diag = (now() - t0) / calls;
        t0 = now();
        while (now() - t0 < 0.1 || rounds < 20) {
            CHECK(collect(pids, MAX_KIDS, got, T_COUNT, false) == T_COUNT);
            rounds++;
        }
        proc = (now() - t0) / rounds;
        CHECK(count_fds() == before); /* nothing left open */
        printf("kview_collect: %d sockets of %d processes in %.0f us (sock_diag; /proc/net/unix "
               "fallback %.0f us), over %d calls\n",
               T_COUNT, MAX_KIDS, diag * 1e6, proc * 1e6, calls);
    }

clean:
    /* EOF on hold lets the children exit; on go, a server still waiting for it. */
    if (hold[1] >= 0)
        close(hold[1]);
    if (go[1] >= 0)
        close(go[1]);
    for (int i = 0; i < nkids; i++) {
        int st;
        if (kids[i].pid <= 0)
            continue;
        close(kids[i].from);
        if (waitpid(kids[i].pid, &st, 0) != kids[i].pid) {
            CHECK(!"child reaped");
            continue;
        }
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    if (hold[0] >= 0)
        close(hold[0]);
    if (go[0] >= 0)
        close(go[0]);
    hold[0] = hold[1] = go[0] = go[1] = -1;
    unlink(s_path);
    unlink(d_path);
    unlink(e_path);
    unlink(f_path);
    CHECK(rmdir(dir) == 0);
}

/* CapEff from /proc/self/status is all zero. */
static bool no_capabilities(void)
{
    char line[256];
    bool none = false;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return false;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "CapEff:", 7) == 0)
            none = strspn(line + 7, " \t0") == strcspn(line + 7, "\n");
    fclose(f);
    return none;
}

/* As nobody: the scenario, and another user's process refused. */
static void unprivileged(void)
{
    pid_t root_pid = getppid();
    struct ksock k[4];
    check_passed = check_failed = 0; /* this process reports its own */
    if (setgroups(0, NULL) == -1 || setgid(NOBODY) == -1 || setuid(NOBODY) == -1) {
        perror("dropping to nobody");
        exit(1);
    }
    /* A fresh program is dumpable; a process that changed its ids is not
     * (its /proc/PID/fd would stay root's): as the program starts for a user. */
    if (prctl(PR_SET_DUMPABLE, 1) == -1) {
        perror("PR_SET_DUMPABLE");
        exit(1);
    }
    CHECK(getuid() == NOBODY && geteuid() == NOBODY && getegid() == NOBODY);
    CHECK(no_capabilities());
    scenario("unprivileged");
    errno = 0;
    CHECK(kview_collect(&root_pid, 1, k, 4) == -1 && errno == EACCES);
    printf("another user's process: refused with EACCES, as documented\n");
    exit(check_report());
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    scenario(geteuid() == 0 ? "as root" : "as this user");
    if (geteuid() == 0) {
        int st;
        pid_t p;
        fflush(stdout);
        p = fork();
        CHECK(p >= 0);
        if (p == 0)
            unprivileged();
        CHECK(p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    } else {
        printf("not root: the run above was already unprivileged\n");
    }
    return check_report();
}
