/* bare: the peers' own socket calls, without the tracing: what the sockets
 * cost alone, for `sockscope bench` to set beside `sockscope run`.
 *
 * Two processes make, per exchange, the calls the traced peers make (as
 * strace -f shows them in a run): stream: the client send()s and recv()s;
 * the server poll()s its connection and its listening socket, recv()s, and
 * send()s its reply with MSG_DONTWAIT. Datagram: the client sendto()s the
 * server's path and recvfrom()s with MSG_TRUNC; the server recvfrom()s and
 * sendto()s the sender's address with MSG_DONTWAIT. 1024-byte messages,
 * bound sockets in a private directory, like the peers'. So the ratio of
 * run to this loop is the cost of reporting the calls, not of making them.
 */
#ifndef SOCKSCOPE_BARE_H
#define SOCKSCOPE_BARE_H

#include "../core/options.h"

#include <signal.h>
#include <stddef.h>

/* Exchanges per second of count lock-step exchanges, or -1 with the reason
 * in err. cpu >= 0 keeps both processes on that CPU. The loop stops early
 * when *stop becomes non-zero. Every wait is bounded (5 s); the answering
 * process is reaped and the directory removed on every path. */
double bare_rate(enum sock_mode mode, long long count, int cpu, const volatile sig_atomic_t *stop,
                 char *err, size_t errcap);

#endif
