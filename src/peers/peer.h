/* peer: what the four teaching programs share, like TLPI's us_xfr.h.
 *
 * Building an address, claiming a socket path safely, removing socket files
 * on every way out (normal exit and SIGINT/SIGTERM/SIGHUP), building the
 * lesson's padded message, and naming a failed call.
 */
#ifndef SOCKSCOPE_PEER_H
#define SOCKSCOPE_PEER_H

#include "../core/options.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

/* The four sides; each returns the process exit status. */
int stream_server_main(const struct options *o);
int stream_client_main(const struct options *o);
int dgram_server_main(const struct options *o);
int dgram_client_main(const struct options *o);

/* Runs `sockscope server` or `sockscope client`: paths, signals, tracing,
 * then the side for the mode. Returns the exit status: 2, after the usage,
 * when --event-fd or --gate-fd is not open (for writing, for reading). */
int peer_main(const struct options *o);

/* Fills a sockaddr_un for path (its length was checked by options.c). */
void peer_address(struct sockaddr_un *addr, const char *path);

/* The address a peer reported, as text: its path, or "(unbound)". */
const char *peer_address_text(const struct sockaddr_un *addr, socklen_t len);

/* Makes path free for bind(): nothing there, or a stale socket file that
 * nobody answers on (removed). A live socket or any other file is left
 * alone: returns -1 after reporting the exit. */
int peer_claim_path(const char *path, int type);

/* From now on path is removed on every way out. */
void peer_own_path(const char *path);

/* Removes the owned paths (traced unlink), as the last step of a clean exit. */
void peer_remove_paths(void);

/* Catches SIGINT/SIGTERM/SIGHUP (remove files, report, exit 0) and ignores SIGPIPE. */
void peer_catch_signals(void);

/* A side's two buffers: the message it sends (the text, then NUL padding up
 * to --pad bytes, as the lesson sends it), and the one it receives into
 * (--buffer bytes). */
struct peer_buffers {
    char *out;
    size_t out_len; /* bytes to send */
    char *in;
    size_t in_cap;
};

/* Allocates and fills them; on failure reports the exit and returns -1. */
int peer_buffers_init(struct peer_buffers *b, const struct options *o);
void peer_buffers_free(struct peer_buffers *b);

/* How many messages the client sends next, back to back: --burst, but no
 * more than --count leaves (sent so far: sent). */
long long peer_batch(const struct options *o, long long sent);

/* Sleeps the interval between exchanges. */
void peer_sleep(double seconds);

/* Reports that call failed (errno still set), with a hint for the usual
 * errnos, removes our socket files, and returns exit status 1. */
int peer_fail(const char *call);

#endif
