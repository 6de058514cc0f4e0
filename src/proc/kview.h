/* kview: the kernel's view of some processes' Unix sockets, as `ss -x -a`
 * shows it, read without root.
 *
 * Which sockets: those the given processes hold, found by reading the links
 * in /proc/PID/fd ("socket:[INODE]"); sockets of other families (TCP,
 * netlink...) are left out. One entry per (process, fd): a socket held by two
 * fds, or by two processes, appears once for each.
 *
 * What is known of each: NETLINK_SOCK_DIAG (man 7 sock_diag), the source
 * `ss -x` itself reads: one dump of the Unix sockets of this network
 * namespace with UNIX_DIAG_NAME, UNIX_DIAG_PEER and UNIX_DIAG_RQLEN, so every
 * figure below is the one `ss -x -a` prints for the same inode. When the
 * kernel offers no sock_diag for Unix sockets (built without unix_diag, or a
 * sandbox such as gVisor), /proc/net/unix is read instead, as ss also does:
 * type, state, path and inode are the same, but it has no queue lengths and
 * no peer, so rq and wq are -1 ("not known", where ss would print 0) and peer
 * is 0.
 *
 * Without root: /proc/PID/fd can be read for the caller's own processes
 * (same user, not set-uid; ptrace "read" access), the sock_diag dump of Unix
 * sockets needs no capability, and /proc/net/unix is world-readable. A
 * process of another user fails with EACCES unless the caller is root (or
 * has CAP_SYS_PTRACE).
 *
 * Cost: one directory listing per process, plus one dump of all the Unix
 * sockets of the namespace, so it grows with how many the machine has (as
 * `ss -x` does): about 0.15 ms for 3 processes holding 10 sockets where
 * the namespace has a few dozen, of which the dump is 0.03 ms; the dump is
 * 0.85 ms with 3000 Unix sockets. No state is kept between calls; every fd
 * opened is closed. Not used: ioctl SIOCINQ/SIOCOUTQ, which would need the
 * fd itself, and pidfd_getfd(), which needs ptrace rights: the kernel's
 * dump has the same figures.
 */
#ifndef SOCKSCOPE_KVIEW_H
#define SOCKSCOPE_KVIEW_H

struct ksock {
    /* The socket's inode number: the N in /proc/PID/fd's "socket:[N]", and
     * ss's local "Port" for a Unix socket. */
    unsigned long inode;
    /* SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET. */
    int type;
    /* ss's name for the state: "LISTEN" (listen() was called), "ESTAB"
     * (connected: a stream socket after connect() or accept(), even while
     * still waiting in the backlog; a datagram socket after connect(), and on
     * recent kernels (5.15 and later) also the datagram socket it connected
     * to, though that one has no peer), "UNCONN" (neither: a fresh or only
     * bound socket, a datagram socket used with sendto()), rarely "SYN-SENT"
     * or "CLOSING" (from /proc/net/unix: connecting, disconnecting),
     * "UNKNOWN". */
    char state[12];
    /* ss's Recv-Q and Send-Q, from UNIX_DIAG_RQLEN, -1 when not known:
     * - a listener: rq = connections waiting in its backlog, connect()ed
     *   but not yet accept()ed; wq = the backlog listen() was given (as the
     *   kernel capped it at net.core.somaxconn). The kernel queues one more
     *   than the backlog before connect() blocks or fails.
     * - a stream socket: rq = bytes that arrived and were not read yet;
     *   wq = memory the kernel charges to this socket for what it sent and
     *   the peer has not read: those bytes plus the kernel's per-buffer
     *   overhead (skb truesize, some hundreds of bytes per send: 300 bytes
     *   in one send() show as 1280 on Linux 6.x), so more than the bytes
     *   sent; 0 once the peer has read everything.
     * - a datagram socket: rq = the size of the NEXT datagram only (what
     *   one recv() would return, as ioctl FIONREAD says), not the total;
     *   the number of datagrams waiting is not available; wq = as for a
     *   stream socket, for datagrams it sent that their receiver has not
     *   read yet. */
    long long rq, wq;
    /* The bound address: a file path, "@name" for an abstract name (its
     * NUL bytes shown as '@', as ss does), "" when none. An accepted socket
     * shows its listener's path. At most 107 bytes; longer is cut. */
    char path[108];
    /* The peer's inode, 0 when none (or not known). 0 also for a stream
     * connection still waiting in a listener's backlog: the socket at the
     * other end gets its inode only when accept() returns it. A datagram
     * socket has a peer only after connect(). */
    unsigned long peer;
    /* The process holding it, and as which fd. */
    int pid, fd;
};

/* Fills out with the Unix sockets that the processes pids[0..npids-1] hold,
 * in the order the pids are given, by fd within a process; at most cap (the
 * first cap). Pids <= 0, repeated pids and processes that are gone (or that
 * exit meanwhile) are skipped, as are sockets closed meanwhile. out may be
 * NULL when cap is 0. Returns the number filled in, or -1 with errno:
 * EINVAL (npids or cap negative, or a NULL array), EACCES (a process of
 * another user), or what a failed system call set. */
int kview_collect(const int *pids, int npids, struct ksock *out, int cap);

#endif
