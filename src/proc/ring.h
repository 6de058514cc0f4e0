/* ring: one peer's event records on their way to its parent, in shared memory.
 *
 * Why: a pipe costs a system call per event on the peer's side and a read,
 * a parse and a copy on the parent's; a flood then measures the tracing,
 * not the sockets. Here the parent creates a memfd (sealed, so its size
 * cannot change under it), the peer maps it (its fd is passed with
 * --ring-fd), and records (evrec.h) go through it with no system call.
 *
 * One producer (the peer), one consumer (the parent), a ring of bytes
 * with two counters that only grow: head (written) and tail (read).
 * - The doorbell: a parent about to sleep says so (ring_arm); a producer
 *   that sees it writes one byte on the event pipe, which the parent polls.
 *   A parent that is busy is never woken, so a flood costs no wakeups. The
 *   pipe's end of file also tells the parent the peer is gone.
 * - Backpressure: a full ring makes the producer wait (a futex) until the
 *   parent frees room. An event is never dropped while the parent reads.
 * - The exit slot: a peer stopped by a signal reports its exit there, as
 *   a signal handler may not touch a ring it might be writing.
 *
 * The parent treats the ring as untrusted: every count and record is
 * checked; a ring that breaks the rules is marked broken and read no more.
 */
#ifndef SOCKSCOPE_RING_H
#define SOCKSCOPE_RING_H

#include "../core/evrec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RING_DATA (1u << 18) /* bytes of records: ~1000 exchanges */

struct ring_shared;

struct ring {
    struct ring_shared *sh;   /* NULL when there is none */
    int fd;                   /* the memfd: the parent keeps it to pass on */
    uint64_t tail;            /* reader: bytes read, not yet released */
    uint64_t head_seen;       /* reader: the head it last loaded */
    uint64_t tail_seen;       /* producer: the tail it last loaded */
    _Atomic uint64_t written; /* producer: the end of its whole records, published or not */
    bool broken;              /* reader: the ring broke the rules */
    _Alignas(8) unsigned char rec[EVREC_MAX]; /* reader: the peeked record, copied */
    size_t rec_size;                          /* 0 when nothing is peeked */
    bool exit_read;                           /* reader: an exit record came */
};

/* Parent: creates and maps a new ring. Returns 0, or -1 with err set. */
int ring_create(struct ring *r, char *err, size_t errcap);

/* Peer: maps the ring the parent made. Returns 0, or -1 with err set. */
int ring_attach(struct ring *r, int fd, char *err, size_t errcap);

/* Unmaps, and closes the fd if it is still open. */
void ring_close(struct ring *r);

/* Producer: appends one record (size a multiple of 8, at most EVREC_MAX),
 * waiting while the ring is full; the reader sees it once it is published.
 * Returns false, dropping the record, only when the reader is gone (the
 * event pipe has no reader). */
bool ring_put(struct ring *r, const void *rec, size_t size, int bell_fd);

/* Producer, async-signal-safe: lets the reader see every record put so
 * far, and rings the doorbell (bell_fd; -1: not) if the reader sleeps.
 * Publishing is what costs (the reader's core must hand the line back), so
 * a peer publishes before each call, which may block, not each record. */
void ring_publish(struct ring *r, int bell_fd);

/* Producer, async-signal-safe: the exit a signal handler reports. */
void ring_set_exit(struct ring *r, int status, long long t_us, const char *reason);

/* Reader: the next record (a private copy), or NULL when there is none now
 * or the ring is broken. The same one until ring_next(). */
const void *ring_peek(struct ring *r, size_t *size);

/* Reader: goes past the peeked record. */
void ring_next(struct ring *r);

/* Reader: gives the room of the records read back to the producer, and
 * wakes it if it waits for room. */
void ring_release(struct ring *r);

/* Reader, about to sleep: asks for the doorbell. Returns false (and asks
 * no more) when a record came in meanwhile, so the reader must not sleep. */
bool ring_arm(struct ring *r);

/* Reader: the exit a signal handler reported, if any. */
bool ring_exit(struct ring *r, int *status, long long *t_us, char *reason, size_t cap);

#endif
