/* ring: a shared-memory ring of event records (see ring.h). */
#include "ring.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EXIT_REASON_MAX 128
#define WAIT_SLICE_NS   (50 * 1000 * 1000) /* a waiting producer checks its reader this often */

/* What both processes map. The counters sit on cache lines of their own:
 * the producer writes head, the reader tail. */
struct ring_shared {
    _Alignas(64) _Atomic uint64_t head;
    _Alignas(64) _Atomic uint64_t tail;
    _Alignas(64) _Atomic uint32_t reader_asleep; /* the reader wants the doorbell */
    _Atomic uint32_t writer_waiting;             /* the futex a full ring waits on */
    _Atomic uint32_t exit_set;                   /* the exit slot is filled */
    int32_t exit_status;
    int64_t exit_t_us;
    char exit_reason[EXIT_REASON_MAX];
    _Alignas(64) unsigned char data[RING_DATA];
};

static int fail(char *err, size_t cap, const char *what)
{
    snprintf(err, cap, "%s: %s", what, strerror(errno));
    return -1;
}

static int map(struct ring *r, int fd)
{
    void *p = mmap(NULL, sizeof *r->sh, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return -1;
    r->sh = p;
    r->fd = fd;
    r->tail = r->head_seen = r->tail_seen = 0;
    atomic_store(&r->written, 0);
    r->broken = false;
    r->rec_size = 0;
    r->exit_read = false;
    return 0;
}

int ring_create(struct ring *r, char *err, size_t errcap)
{
    r->sh = NULL;
    r->fd = -1;
    int fd = memfd_create("sockscope-events", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd == -1)
        return fail(err, errcap, "memfd_create");
    /* Sealed at its size: a peer cannot shrink it under us (a read past the
     * end of a shrunk file would kill the reader with SIGBUS). */
    if (ftruncate(fd, sizeof(struct ring_shared)) == -1 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) == -1 || map(r, fd)) {
        fail(err, errcap, "the event ring");
        close(fd);
        return -1;
    }
    atomic_store(&r->sh->reader_asleep, 1); /* until it first reads, the reader wants waking */
    return 0;
}

int ring_attach(struct ring *r, int fd, char *err, size_t errcap)
{
    struct stat st;
    r->sh = NULL;
    r->fd = -1;
    if (fstat(fd, &st) == -1)
        return fail(err, errcap, "--ring-fd");
    if (st.st_size != (off_t)sizeof(struct ring_shared)) {
        snprintf(err, errcap, "--ring-fd %d is not an event ring", fd);
        return -1;
    }
    return map(r, fd) == 0 ? 0 : fail(err, errcap, "--ring-fd");
}

void ring_close(struct ring *r)
{
    /* Nothing without a mapping: a zeroed struct ring owns no fd 0. */
    if (!r->sh)
        return;
    munmap(r->sh, sizeof *r->sh);
    if (r->fd >= 0)
        close(r->fd);
    r->sh = NULL;
    r->fd = -1;
}

static long futex(_Atomic uint32_t *word, int op, uint32_t val, const struct timespec *ts)
{
    return syscall(SYS_futex, (uint32_t *)word, op, val, ts, NULL, 0);
}

/* Is anybody still reading the event pipe? A pipe whose read end is closed
 * polls as POLLERR on its write end. */
static bool reader_gone(int bell_fd)
{
    struct pollfd p = {.fd = bell_fd, .events = POLLOUT};
    return bell_fd < 0 || (poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLNVAL)));
}

/* Bytes free for a producer at head when the reader is at tail. */
static uint64_t room(uint64_t head, uint64_t tail)
{
    uint64_t used = head - tail;
    return used >= RING_DATA ? 0 : RING_DATA - used;
}

/* Waits until need bytes are free at head. The tail is loaded again only
 * when the one seen last leaves too little room: each load may have to
 * fetch the cache line the reader writes. */
static bool wait_room(struct ring *r, uint64_t head, size_t need, int bell_fd)
{
    struct ring_shared *sh = r->sh;
    const struct timespec slice = {0, WAIT_SLICE_NS};
    if (room(head, r->tail_seen) >= need)
        return true;
    ring_publish(r, bell_fd); /* the reader frees room only in what it can see */
    for (;;) {
        r->tail_seen = atomic_load(&sh->tail);
        if (room(head, r->tail_seen) >= need)
            break;
        atomic_store(&sh->writer_waiting, 1);
        /* Looked at again after saying so: the reader that freed room just
         * now may not have seen writer_waiting. */
        r->tail_seen = atomic_load(&sh->tail);
        if (room(head, r->tail_seen) >= need)
            break;
        if (futex(&sh->writer_waiting, FUTEX_WAIT, 1, &slice) == -1 && errno == ETIMEDOUT &&
            reader_gone(bell_fd))
            return false;
    }
    atomic_store(&sh->writer_waiting, 0);
    return true;
}

static void ring_bell(struct ring_shared *sh, int bell_fd)
{
    if (atomic_load(&sh->reader_asleep) && atomic_exchange(&sh->reader_asleep, 0)) {
        ssize_t w;
        do
            w = write(bell_fd, "!", 1);
        while (w == -1 && errno == EINTR);
    }
}

bool ring_put(struct ring *r, const void *rec, size_t size, int bell_fd)
{
    struct ring_shared *sh = r->sh;
    uint64_t head = atomic_load_explicit(&r->written, memory_order_relaxed);
    size_t at = head % RING_DATA, to_end = RING_DATA - at;
    /* A record never wraps: if it does not fit before the end, the rest of
     * the buffer is skipped (a size of 0 says so) and it goes at the start. */
    size_t need = size <= to_end ? size : to_end + size;
    if (!wait_room(r, head, need, bell_fd))
        return false;
    if (size > to_end) {
        memset(sh->data + at, 0, sizeof(uint32_t));
        head += to_end;
        at = 0;
    }
    memcpy(sh->data + at, rec, size);
    atomic_store_explicit(&r->written, head + size, memory_order_release);
    return true;
}

void ring_publish(struct ring *r, int bell_fd)
{
    struct ring_shared *sh = r->sh;
    uint64_t written = atomic_load_explicit(&r->written, memory_order_acquire);
    if (atomic_load_explicit(&sh->head, memory_order_relaxed) == written)
        return;
    atomic_store(&sh->head, written); /* the reader sees all of each record or none */
    if (bell_fd >= 0)
        ring_bell(sh, bell_fd);
}

void ring_set_exit(struct ring *r, int status, long long t_us, const char *reason)
{
    struct ring_shared *sh = r->sh;
    size_t i = 0;
    if (!sh || atomic_load(&sh->exit_set))
        return;
    for (; reason[i] && i + 1 < EXIT_REASON_MAX; i++)
        sh->exit_reason[i] = reason[i];
    sh->exit_reason[i] = '\0';
    sh->exit_status = status;
    sh->exit_t_us = t_us;
    atomic_store(&sh->exit_set, 1);
    ring_publish(r, -1); /* every whole record; one being written is not counted yet */
}

/* ---- the reader's side ---- */

static const void *broke(struct ring *r)
{
    r->broken = true;
    return NULL;
}

const void *ring_peek(struct ring *r, size_t *size)
{
    struct ring_shared *sh = r->sh;
    if (!sh || r->broken)
        return NULL;
    if (r->rec_size) {
        *size = r->rec_size;
        return r->rec;
    }
    for (;;) {
        /* The head is loaded again only once the reader has caught up
         * with the one it saw: each load may have to fetch the line the
         * producer writes. */
        if (r->head_seen == r->tail)
            r->head_seen = atomic_load(&sh->head);
        uint64_t head = r->head_seen;
        if (head == r->tail)
            return NULL;
        if (head - r->tail > RING_DATA || head < r->tail)
            return broke(r);
        size_t at = r->tail % RING_DATA, to_end = RING_DATA - at;
        uint32_t n;
        memcpy(&n, sh->data + at, sizeof n);
        if (n == 0) { /* the rest of the buffer is skipped */
            if (head - r->tail < to_end)
                return broke(r);
            r->tail += to_end;
            continue;
        }
        if (n < sizeof(struct evrec) || n > EVREC_MAX || n % 8 || n > to_end || n > head - r->tail)
            return broke(r);
        /* A private copy: the peer can write the shared bytes at any time. */
        memcpy(r->rec, sh->data + at, n);
        ((struct evrec *)r->rec)->size = n;
        r->rec_size = *size = n;
        return r->rec;
    }
}

void ring_next(struct ring *r)
{
    r->tail += r->rec_size;
    r->rec_size = 0;
}

void ring_release(struct ring *r)
{
    struct ring_shared *sh = r->sh;
    if (!sh)
        return;
    atomic_store(&sh->tail, r->tail);
    if (atomic_load(&sh->writer_waiting) && atomic_exchange(&sh->writer_waiting, 0))
        futex(&sh->writer_waiting, FUTEX_WAKE, 1, NULL);
}

bool ring_arm(struct ring *r)
{
    struct ring_shared *sh = r->sh;
    if (!sh || r->broken)
        return true;
    atomic_store(&sh->reader_asleep, 1);
    /* A record published before the producer could see the flag: don't
     * sleep on it. */
    if (atomic_load(&sh->head) != r->tail + r->rec_size || r->rec_size) {
        atomic_store(&sh->reader_asleep, 0);
        return false;
    }
    return true;
}

bool ring_exit(struct ring *r, int *status, long long *t_us, char *reason, size_t cap)
{
    struct ring_shared *sh = r->sh;
    if (!sh || !atomic_load(&sh->exit_set))
        return false;
    *status = sh->exit_status;
    *t_us = sh->exit_t_us;
    size_t i = 0;
    for (; i + 1 < cap && i + 1 < EXIT_REASON_MAX && sh->exit_reason[i]; i++)
        reason[i] = sh->exit_reason[i];
    reason[i] = '\0';
    return true;
}
