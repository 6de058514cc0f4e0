/* trace: how a peer reports the calls it really makes, and the gate.
 *
 * Each traced_X() below makes the real X() call, exactly once, and reports
 * it twice: a "call enter" event before it (so a call that blocks shows as
 * blocking) and a "call exit" event after it, with the return value and the
 * errno name. errno is kept for the caller, as TLPI's helpers do.
 *
 * The gate: with a gate fd, the peer reads one byte from it after the enter
 * event and before the call, every call (unlink too) but poll(), which only
 * waits. Whoever holds the other end decides when each call happens:
 * GATE_GO lets it go, GATE_FINISH asks the side to wind down (see below).
 * End of file on the gate means "run freely from now on".
 *
 * Events go into the parent's shared ring (--ring-fd; no system call per
 * event), or to the event fd as JSON lines, or to stdout as text or JSON.
 * Every line is one write(), so lines from several processes never mix.
 */
#ifndef SOCKSCOPE_TRACE_H
#define SOCKSCOPE_TRACE_H

#include "../core/event.h"
#include "../core/gate.h"
#include "../core/options.h"

#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

/* With --ring-fd: events go into that ring (ring.h) and the event fd
 * only wakes the parent. Returns 0, or -1 with err set. Call before
 * trace_init(). */
int trace_use_ring(int fd, char *err, size_t errcap);

void trace_init(enum ev_role role, const struct options *o);

/* Each traced_X(...) is a macro for traced_X_at(__FILE__, __LINE__, ...):
 * the call's enter event says where the peer makes it, "src":
 * "stream_server.c:57", the line the lab's code pane lights. So call them
 * in the peer's own file, each on the line that names it. */
#define traced_socket(...)   traced_socket_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_bind(...)     traced_bind_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_listen(...)   traced_listen_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_accept(...)   traced_accept_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_connect(...)  traced_connect_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_send(...)     traced_send_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_recv(...)     traced_recv_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_sendto(...)   traced_sendto_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_recvfrom(...) traced_recvfrom_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_close(...)    traced_close_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_unlink(...)   traced_unlink_at(__FILE__, __LINE__, __VA_ARGS__)
#define traced_poll(...)     traced_poll_at(__FILE__, __LINE__, __VA_ARGS__)

int traced_socket_at(const char *file, int line, int domain, int type);
int traced_bind_at(const char *file, int line, int fd, const struct sockaddr_un *addr);
int traced_listen_at(const char *file, int line, int fd, int backlog);
/* peer may be NULL */
int traced_accept_at(const char *file, int line, int fd, struct sockaddr_un *peer);
int traced_connect_at(const char *file, int line, int fd, const struct sockaddr_un *addr);
/* flags: MSG_NOSIGNAL always; MSG_DONTWAIT where a side must never wait for
 * one peer (a server answering). */
ssize_t traced_send_at(const char *file, int line, int fd, const void *buf, size_t len, int flags);
ssize_t traced_recv_at(const char *file, int line, int fd, void *buf, size_t len);
ssize_t traced_sendto_at(const char *file, int line, int fd, const void *buf, size_t len, int flags,
                         const struct sockaddr_un *to);
/* recvfrom with MSG_TRUNC: the return value is the datagram's real length,
 * even when that is more than len and the rest was lost. */
ssize_t traced_recvfrom_at(const char *file, int line, int fd, void *buf, size_t len,
                           struct sockaddr_un *from, socklen_t *fromlen);
int traced_close_at(const char *file, int line, int fd);
int traced_unlink_at(const char *file, int line, const char *path);
/* not gated: it only waits */
int traced_poll_at(const char *file, int line, struct pollfd *fds, nfds_t n);

/* After a successful traced_bind() the stop signals (INT, TERM, HUP) wait
 * until the side has noted the new file as its own; this lets them in.
 * peer_own_path() calls it. */
void trace_bound(void);

/* Lets the parent see every event so far: before a wait that is not a
 * traced call (the client's pause between messages). */
void trace_flush(void);

/* Reports data that moved: its bytes, the text up to the first NUL, the
 * padding, and how many whole messages it completed. */
void trace_msg(const char *call, bool out, const char *data, size_t n, long long messages,
               long long lost, const char *peer);

/* Reports a state a student can read: "listening", "peer-closed", ... */
void trace_state(const char *state, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reports the final totals and the exit, and returns status. */
int trace_exit(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes an exit event from a signal handler (async-signal-safe). */
void trace_exit_from_signal(int status, const char *reason);

/* Finishing: after SIGUSR1, or GATE_FINISH on the gate, a side winds down
 * in the order of the table's close row. A call blocked in the kernel when
 * SIGUSR1 arrives returns -1 with EINTR (really: the signal interrupted
 * it; reported, not counted as an error). From then on the calls that
 * begin something new are not made: a client's connect(), send() and
 * sendto(); a server's accept() and recvfrom(). They return -1 with
 * ECANCELED; one that was already announced at the gate reports that it
 * was not made. Replies, recv(), close() and unlink() go on as usual. */
void trace_catch_finish(void);
bool trace_finishing(void);

#endif
