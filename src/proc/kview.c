/* kview: the kernel's view of some processes' Unix sockets (see kview.h). */
#include "kview.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One socket fd a process holds, before we know whether it is a Unix one. */
struct held {
    unsigned long inode;
    int pid, fd;
};

/* The entries found so far (one per held fd), and an index of them by inode. */
struct table {
    struct ksock *k; /* k[i].type == 0 until the kernel's view of it is found */
    size_t n, cap;
    struct ref {
        unsigned long inode;
        size_t i;
    } * by_inode;
};

static int add_held(struct table *t, unsigned long inode, int pid, int fd)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct ksock *k = realloc(t->k, cap * sizeof *k);
        if (!k)
            return -1;
        t->k = k;
        t->cap = cap;
    }
    memset(&t->k[t->n], 0, sizeof t->k[t->n]);
    t->k[t->n].inode = inode;
    t->k[t->n].pid = pid;
    t->k[t->n].fd = fd;
    t->n++;
    return 0;
}

static int by_fd(const void *a, const void *b)
{
    const struct ksock *x = a, *y = b;
    return (x->fd > y->fd) - (x->fd < y->fd);
}

/* Adds the sockets pid holds, by fd. A process that is gone holds none. */
static int scan_pid(struct table *t, int pid)
{
    char dirpath[40], link[64];
    size_t first = t->n;
    int dfd, rc = 0;
    DIR *d;
    struct dirent *e;

    snprintf(dirpath, sizeof dirpath, "/proc/%d/fd", pid);
    dfd = open(dirpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd == -1)
        return errno == ENOENT || errno == ESRCH ? 0 : -1;
    d = fdopendir(dfd);
    if (!d) {
        int saved = errno;
        close(dfd);
        errno = saved;
        return -1;
    }
    for (;;) {
        char *end;
        long fd;
        ssize_t len;
        unsigned long inode;
        errno = 0;
        e = readdir(d);
        if (!e) {
            /* A process that exits while it is listed reads as ENOENT. */
            if (errno != 0 && errno != ENOENT)
                rc = -1;
            break;
        }
        fd = strtol(e->d_name, &end, 10);
        if (*end || end == e->d_name || fd < 0)
            continue; /* "." and ".." */
        len = readlinkat(dfd, e->d_name, link, sizeof link - 1);
        if (len == -1) {
            if (errno == ENOENT)
                continue; /* closed meanwhile */
            rc = -1;
            break;
        }
        link[len] = '\0';
        if (sscanf(link, "socket:[%lu]", &inode) != 1)
            continue;
        if (add_held(t, inode, pid, (int)fd) == -1) {
            rc = -1;
            break;
        }
    }
    if (rc == -1) {
        int saved = errno;
        closedir(d);
        errno = saved;
        return -1;
    }
    if (closedir(d) == -1)
        return -1;
    if (t->n > first) /* (qsort() must not be given a NULL array, even of none) */
        qsort(t->k + first, t->n - first, sizeof *t->k, by_fd);
    return 0;
}

static int by_ref_inode(const void *a, const void *b)
{
    const struct ref *x = a, *y = b;
    return (x->inode > y->inode) - (x->inode < y->inode);
}

static int index_table(struct table *t)
{
    if (t->n == 0)
        return 0; /* no socket yet: nothing to look up */
    t->by_inode = malloc(t->n * sizeof *t->by_inode);
    if (!t->by_inode)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        t->by_inode[i].inode = t->k[i].inode;
        t->by_inode[i].i = i;
    }
    qsort(t->by_inode, t->n, sizeof *t->by_inode, by_ref_inode);
    return 0;
}

/* The entries for inode: a run in by_inode (one per fd that holds it). */
static const struct ref *find_inode(const struct table *t, unsigned long inode, size_t *count)
{
    size_t lo = 0, hi = t->n, end;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->by_inode[mid].inode < inode)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < t->n && t->by_inode[end].inode == inode; end++)
        ;
    *count = end - lo;
    return *count ? &t->by_inode[lo] : NULL;
}

/* ss's names for the kernel's (TCP-like) socket states, as sock_diag gives them. */
static const char *state_name(unsigned st)
{
    static const char *const names[] = {"UNKNOWN",    "ESTAB",      "SYN-SENT",  "SYN-RECV",
                                        "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN",
                                        "CLOSE-WAIT", "LAST-ACK",   "LISTEN",    "CLOSING"};
    return st < sizeof names / sizeof names[0] ? names[st] : "UNKNOWN";
}

/* A Unix address's sun_path bytes as ss shows them: a file path up to its
 * NUL; an abstract name (first byte NUL) with every NUL shown as '@'. */
static void name_text(char *out, size_t cap, const char *raw, size_t len)
{
    size_t n = 0;
    bool abstract = len > 0 && raw[0] == '\0';
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        if (raw[i] == '\0' && !abstract)
            break;
        out[n++] = raw[i] == '\0' ? '@' : raw[i];
    }
    out[n] = '\0';
}

/* Fills every entry for the socket one sock_diag reply describes. */
static void take_diag(struct table *t, const struct nlmsghdr *h)
{
    const struct unix_diag_msg *m = NLMSG_DATA(h);
    const struct ref *r;
    size_t count;
    size_t alen;
    const struct rtattr *a;
    struct ksock got;

    if (h->nlmsg_len < NLMSG_LENGTH(sizeof *m))
        return;
    r = find_inode(t, m->udiag_ino, &count);
    if (!r)
        return;
    memset(&got, 0, sizeof got);
    got.type = m->udiag_type;
    snprintf(got.state, sizeof got.state, "%s", state_name(m->udiag_state));
    got.rq = got.wq = -1;
    alen = h->nlmsg_len - NLMSG_LENGTH(sizeof *m);
    for (a = (const struct rtattr *)(m + 1); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
        size_t plen = RTA_PAYLOAD(a);
        if (a->rta_type == UNIX_DIAG_NAME) {
            name_text(got.path, sizeof got.path, RTA_DATA(a), plen);
        } else if (a->rta_type == UNIX_DIAG_PEER && plen >= sizeof(__u32)) {
            __u32 peer;
            memcpy(&peer, RTA_DATA(a), sizeof peer);
            got.peer = peer;
        } else if (a->rta_type == UNIX_DIAG_RQLEN && plen >= sizeof(struct unix_diag_rqlen)) {
            struct unix_diag_rqlen q;
            memcpy(&q, RTA_DATA(a), sizeof q);
            got.rq = q.udiag_rqueue;
            got.wq = q.udiag_wqueue;
        }
    }
    for (size_t j = 0; j < count; j++) {
        struct ksock *k = &t->k[r[j].i];
        got.inode = k->inode;
        got.pid = k->pid;
        got.fd = k->fd;
        *k = got;
    }
}

/* The sock_diag dump: 1 done, 0 when the kernel has no sock_diag for Unix
 * sockets (the caller falls back to /proc/net/unix), -1 on error. */
static int from_sock_diag(struct table *t)
{
    struct {
        struct nlmsghdr nlh;
        struct unix_diag_req req;
    } msg;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    /* A dump reply never exceeds 32 KiB per read once the reader offers that much. */
    long buf[32768 / sizeof(long)];
    int s, rc = -1;
    bool any = false;

    s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (s == -1)
        return errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT || errno == EPERM ||
                       errno == EACCES
                   ? 0
                   : -1;
    memset(&msg, 0, sizeof msg);
    msg.nlh.nlmsg_len = sizeof msg;
    msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.nlh.nlmsg_seq = 1;
    msg.req.sdiag_family = AF_UNIX;
    msg.req.udiag_states = ~0u;
    msg.req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
    for (;;) {
        ssize_t sent =
            sendto(s, &msg, sizeof msg, 0, (const struct sockaddr *)&kernel, sizeof kernel);
        if (sent == (ssize_t)sizeof msg)
            break;
        if (sent >= 0)
            errno = EIO;
        if (errno != EINTR)
            goto out;
    }
    for (;;) {
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf};
        struct sockaddr_nl from;
        struct msghdr mh = {
            .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
        ssize_t got = recvmsg(s, &mh, 0);
        const struct nlmsghdr *h;
        size_t left;
        if (got == -1) {
            if (errno == EINTR)
                continue;
            goto out;
        }
        if (mh.msg_flags & MSG_TRUNC) {
            errno = EMSGSIZE;
            goto out;
        }
        if (from.nl_pid != 0)
            continue; /* not from the kernel */
        left = (size_t)got;
        for (h = (const struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_seq != msg.nlh.nlmsg_seq)
                continue;
            if (h->nlmsg_type == NLMSG_DONE) {
                int err = 0;
                if (h->nlmsg_len >= NLMSG_LENGTH(sizeof err))
                    memcpy(&err, NLMSG_DATA(h), sizeof err);
                if (err < 0) {
                    errno = -err;
                    goto out;
                }
                rc = 1;
                goto out;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *ne = NLMSG_DATA(h);
                int err = h->nlmsg_len >= NLMSG_LENGTH(sizeof *ne) ? -ne->error : EIO;
                /* No handler for AF_UNIX: the kernel has no unix_diag. */
                if (!any && (err == ENOENT || err == EOPNOTSUPP || err == EPROTONOSUPPORT))
                    rc = 0;
                else
                    errno = err ? err : EIO;
                goto out;
            }
            if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
                any = true;
                take_diag(t, h);
            }
        }
    }
out:
    if (close(s) == -1 && rc != -1)
        rc = -1;
    return rc;
}

/* The same from /proc/net/unix, without queues or peers. Its columns:
 * "Num RefCount Protocol Flags Type St Inode Path", in hex but the inode;
 * St is SS_UNCONNECTED 1, SS_CONNECTING 2, SS_CONNECTED 3,
 * SS_DISCONNECTING 4, and Flags has __SO_ACCEPTCON (1 << 16) on a listener. */
static int from_proc_net_unix(struct table *t)
{
    static const char *const st_names[] = {"UNCONN", "SYN-SENT", "ESTAB", "CLOSING"};
    FILE *f = fopen("/proc/net/unix", "re");
    char *line = NULL;
    size_t linecap = 0;
    ssize_t len;
    int rc = 0;

    if (!f)
        return -1;
    for (;;) {
        unsigned flags, type, st;
        unsigned long inode;
        int at = -1;
        const struct ref *r;
        size_t count;
        struct ksock got;
        errno = 0;
        len = getline(&line, &linecap, f);
        if (len == -1) {
            if (errno != 0 || ferror(f))
                rc = -1;
            break;
        }
        if (sscanf(line, "%*s %*x %*x %x %x %x %lu%n", &flags, &type, &st, &inode, &at) != 4 ||
            at < 0)
            continue; /* the header */
        r = find_inode(t, inode, &count);
        if (!r)
            continue;
        memset(&got, 0, sizeof got);
        got.type = (int)type;
        if (flags & (1u << 16))
            snprintf(got.state, sizeof got.state, "LISTEN");
        else
            snprintf(got.state, sizeof got.state, "%s",
                     st >= 1 && st <= 4 ? st_names[st - 1] : "UNKNOWN");
        got.rq = got.wq = -1;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (line[at] == ' ')
            snprintf(got.path, sizeof got.path, "%s", line + at + 1);
        for (size_t j = 0; j < count; j++) {
            struct ksock *k = &t->k[r[j].i];
            got.inode = k->inode;
            got.pid = k->pid;
            got.fd = k->fd;
            *k = got;
        }
    }
    free(line);
    if (fclose(f) == -1 && rc == 0)
        rc = -1;
    return rc;
}

/* kview_collect(), with the source chosen: sock_diag (falling back to
 * /proc/net/unix when the kernel has none), or /proc/net/unix only. */
static int collect(const int *pids, int npids, struct ksock *out, int cap, bool use_diag)
{
    struct table t = {0};
    int n = 0, rc = -1, saved;

    if (npids < 0 || cap < 0 || (npids > 0 && !pids) || (cap > 0 && !out)) {
        errno = EINVAL;
        return -1;
    }
    for (int i = 0; i < npids; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = pids[j] == pids[i];
        if (pids[i] > 0 && !seen && scan_pid(&t, pids[i]) == -1)
            goto out;
    }
    if (t.n == 0 || cap == 0) {
        rc = 0;
        goto out;
    }
    if (index_table(&t) == -1)
        goto out;
    if (use_diag) {
        int got = from_sock_diag(&t);
        if (got == -1 || (got == 0 && from_proc_net_unix(&t) == -1))
            goto out;
    } else if (from_proc_net_unix(&t) == -1) {
        goto out;
    }
    /* Only what the kernel listed as a Unix socket; a TCP socket, or one
     * closed since its fd was read, is not in the list. */
    for (size_t i = 0; i < t.n && n < cap; i++)
        if (t.k[i].type != 0)
            out[n++] = t.k[i];
    rc = n;
out:
    saved = errno;
    free(t.k);
    free(t.by_inode);
    errno = saved;
    return rc;
}

int kview_collect(const int *pids, int npids, struct ksock *out, int cap)
{
    return collect(pids, npids, out, cap, true);
}
