/* Unit tests: the shared-memory ring that carries a peer's event records
 * to its parent.
 *
 * In one process: a reader (ring_create) and a producer attached to a dup
 * of its fd, as a peer attaches to the fd it is given. Records come out
 * whole, in order, and only once published; the buffer wraps; the doorbell
 * rings once for a sleeping reader and never for a busy one; a full ring
 * holds the producer back (a forked producer, so that it really waits)
 * without losing a record, and lets it go when nobody reads any more; a
 * producer that breaks the rules breaks only its ring; the exit slot
 * carries a signal handler's exit. Every wait here is bounded: alarm() ends
 * a test that would hang. */
#include "../../src/core/evrec.h"
#include "../../src/proc/ring.h"
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A reader and a producer on the same ring. */
static void open_pair(struct ring *rd, struct ring *wr)
{
    char err[256] = "";
    memset(rd, 0, sizeof *rd);
    memset(wr, 0, sizeof *wr);
    if (ring_create(rd, err, sizeof err) != 0) {
        fprintf(stderr, "ring_create: %s\n", err);
        exit(1);
    }
    int fd = dup(rd->fd);
    if (fd < 0 || ring_attach(wr, fd, err, sizeof err) != 0) {
        fprintf(stderr, "ring_attach: %s\n", err);
        exit(1);
    }
}

static void close_pair(struct ring *rd, struct ring *wr)
{
    ring_close(wr);
    ring_close(rd);
}

/* Record i: its size (a multiple of 8, from the header's to EVREC_MAX,
 * sizes chosen so that records rarely fit the end of the buffer), its
 * number in seq and its bytes a pattern of i. */
static size_t rec_size(uint64_t i)
{
    static const size_t sizes[] = {sizeof(struct evrec), 104, 2040, 1000, 136, 1504, 96 + 8 * 13};
    size_t n = sizes[i % (sizeof sizes / sizeof sizes[0])] + 8 * ((i / 7) % 5);
    return n < EVREC_MAX ? n : EVREC_MAX;
}

static size_t make_rec(uint64_t i, unsigned char *buf)
{
    size_t n = rec_size(i);
    struct evrec h;
    memset(&h, 0, sizeof h);
    h.size = (uint32_t)n;
    h.kind = EV_STATE;
    h.seq = (int64_t)i;
    h.t_us = (int64_t)(i * 3);
    memcpy(buf, &h, sizeof h);
    for (size_t k = sizeof h; k < n; k++)
        buf[k] = (unsigned char)(i * 31 + k);
    return n;
}

/* Is rec, of size n, record i? */
static bool is_rec(uint64_t i, const void *rec, size_t n)
{
    _Alignas(8) unsigned char want[EVREC_MAX];
    size_t wn = make_rec(i, want);
    return n == wn && memcmp(rec, want, n) == 0;
}

static bool put(struct ring *wr, uint64_t i, int bell)
{
    _Alignas(8) unsigned char buf[EVREC_MAX];
    size_t n = make_rec(i, buf);
    return ring_put(wr, buf, n, bell);
}

/* Reads one record and checks it is i. */
static bool take(struct ring *rd, uint64_t i)
{
    size_t n = 0;
    const void *rec = ring_peek(rd, &n);
    if (!rec)
        return false;
    bool ok = is_rec(i, rec, n);
    ring_next(rd);
    return ok;
}

/* Bytes waiting on a non-blocking pipe, read away. */
static int drain(int fd)
{
    char buf[64];
    int total = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0)
        total += (int)r;
    return total;
}

static void round_trip(void)
{
    struct ring rd, wr;
    size_t n;
    open_pair(&rd, &wr);
    CHECK(rd.fd >= 0 && wr.fd >= 0 && rd.fd != wr.fd);
    CHECK(ring_peek(&rd, &n) == NULL);
    for (uint64_t i = 0; i < 10; i++)
        CHECK(put(&wr, i, -1));
    /* Put, not published: nothing to see. */
    CHECK(ring_peek(&rd, &n) == NULL);
    CHECK(!rd.broken);
    ring_publish(&wr, -1);
    for (uint64_t i = 0; i < 10; i++) {
        const void *a = ring_peek(&rd, &n);
        size_t m = 0;
        /* The same record until ring_next(). */
        const void *b = ring_peek(&rd, &m);
        CHECK(a != NULL && a == b && n == m);
        CHECK(a && is_rec(i, a, n));
        /* Aligned, to be read as a struct evrec. */
        CHECK(((uintptr_t)a & 7) == 0);
        ring_next(&rd);
    }
    CHECK(ring_peek(&rd, &n) == NULL);
    ring_release(&rd);
    /* A second batch, published in two steps: only the first half shows. */
    for (uint64_t i = 10; i < 15; i++)
        CHECK(put(&wr, i, -1));
    ring_publish(&wr, -1);
    for (uint64_t i = 15; i < 20; i++)
        CHECK(put(&wr, i, -1));
    for (uint64_t i = 10; i < 15; i++)
        CHECK(take(&rd, i));
    CHECK(ring_peek(&rd, &n) == NULL);
    ring_publish(&wr, -1);
    for (uint64_t i = 15; i < 20; i++)
        CHECK(take(&rd, i));
    CHECK(ring_peek(&rd, &n) == NULL);
    CHECK(!rd.broken);
    /* A real event record goes through and decodes. */
    struct evrec_buf b;
    struct event ev;
    evrec_begin(&b, EV_STATE);
    evrec_str(&b, 0, "listening", 9);
    evrec_str(&b, 1, "on /tmp/x.sock", 14);
    size_t size = evrec_finish(&b);
    CHECK(ring_put(&wr, &b.h, size, -1));
    ring_publish(&wr, -1);
    const void *rec = ring_peek(&rd, &n);
    CHECK(rec && n == size);
    CHECK(rec && evrec_to_event(rec, n, ROLE_SERVER, 7, &ev) == 0);
    CHECK(rec && strcmp(ev.state, "listening") == 0 && strcmp(ev.detail, "on /tmp/x.sock") == 0);
    ring_next(&rd);
    close_pair(&rd, &wr);
}

/* Several times around the buffer, the reader some way behind. */
static void wrap(void)
{
    struct ring rd, wr;
    size_t n;
    uint64_t put_i = 0, got_i = 0, bytes = 0, in_flight = 0;
    int bad = 0, lost = 0;
    open_pair(&rd, &wr);
    unsigned seed = 12345;
    while (bytes < 5ull * RING_DATA) {
        /* Put a batch of 1..40 records, published; the producer never
         * gets more than a ring's worth ahead, keeping room for a skip. */
        seed = seed * 1103515245 + 12345;
        int batch = 1 + (int)((seed >> 16) % 40);
        for (int k = 0; k < batch; k++) {
            size_t s = rec_size(put_i);
            if (in_flight + 2 * EVREC_MAX + s > RING_DATA)
                break;
            if (!put(&wr, put_i, -1)) {
                lost++;
                break;
            }
            in_flight += s;
            bytes += s;
            put_i++;
        }
        ring_publish(&wr, -1);
        /* Read some of it (all, every third time). */
        seed = seed * 1103515245 + 12345;
        uint64_t keep = (seed >> 16) % 3 == 0 ? 0 : ((seed >> 8) % (RING_DATA / 2));
        while (in_flight > keep) {
            const void *rec = ring_peek(&rd, &n);
            if (!rec) {
                bad++;
                break;
            }
            if (!is_rec(got_i, rec, n))
                bad++;
            ring_next(&rd);
            in_flight -= rec_size(got_i);
            got_i++;
        }
        ring_release(&rd);
        if (bad || lost)
            break;
    }
    while (got_i < put_i && take(&rd, got_i))
        got_i++;
    CHECK(bad == 0);
    CHECK(lost == 0);
    CHECK(got_i == put_i);
    CHECK(bytes >= 5ull * RING_DATA);
    CHECK(ring_peek(&rd, &n) == NULL && !rd.broken);
    printf("wrap: %llu records, %llu bytes, %.1f times around\n", (unsigned long long)put_i,
           (unsigned long long)bytes, (double)bytes / RING_DATA);
    close_pair(&rd, &wr);

    /* Records of one size that divides the buffer: no skip at all, and
     * the ring can be filled to the last byte. */
    open_pair(&rd, &wr);
    _Alignas(8) unsigned char rec[EVREC_MAX];
    struct evrec h;
    memset(&h, 0, sizeof h);
    for (int round = 0; round < 3; round++) {
        int filled = 0;
        for (unsigned i = 0; i < RING_DATA / EVREC_MAX; i++) {
            h.size = EVREC_MAX;
            h.seq = round * 1000 + (int)i;
            memset(rec, (int)i, sizeof rec);
            memcpy(rec, &h, sizeof h);
            filled += ring_put(&wr, rec, EVREC_MAX, -1);
        }
        CHECK(filled == (int)(RING_DATA / EVREC_MAX));
        ring_publish(&wr, -1);
        int seen = 0;
        const void *r;
        while ((r = ring_peek(&rd, &n)) != NULL) {
            struct evrec got;
            memcpy(&got, r, sizeof got);
            seen += n == EVREC_MAX && got.seq == round * 1000 + seen &&
                    ((const unsigned char *)r)[EVREC_MAX - 1] == (unsigned char)seen;
            ring_next(&rd);
        }
        CHECK(seen == (int)(RING_DATA / EVREC_MAX));
        ring_release(&rd);
    }
    close_pair(&rd, &wr);
}

static void doorbell(void)
{
    struct ring rd, wr;
    int p[2];
    size_t n;
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    open_pair(&rd, &wr);
    /* Empty: the reader may sleep. */
    CHECK(ring_arm(&rd));
    CHECK(drain(p[0]) == 0);
    /* Armed: one publish, one byte; another, none. */
    CHECK(put(&wr, 0, p[1]));
    CHECK(drain(p[0]) == 0); /* putting alone does not ring */
    ring_publish(&wr, p[1]);
    CHECK(drain(p[0]) == 1);
    CHECK(put(&wr, 1, p[1]));
    ring_publish(&wr, p[1]);
    CHECK(drain(p[0]) == 0);
    /* Published but unread: the reader must not sleep; and having said
     * so, it asks for no bell. */
    CHECK(!ring_arm(&rd));
    CHECK(put(&wr, 2, p[1]));
    ring_publish(&wr, p[1]);
    CHECK(drain(p[0]) == 0);
    /* A peeked record not gone past: not asleep either. */
    const void *rec = ring_peek(&rd, &n);
    CHECK(rec && is_rec(0, rec, n));
    CHECK(!ring_arm(&rd));
    ring_next(&rd);
    CHECK(take(&rd, 1));
    CHECK(!ring_arm(&rd)); /* record 2 is still there */
    CHECK(take(&rd, 2));
    ring_release(&rd);
    /* All read: may sleep; the next publish rings once. */
    CHECK(ring_arm(&rd));
    ring_publish(&wr, p[1]); /* nothing new: no bell */
    CHECK(drain(p[0]) == 0);
    CHECK(put(&wr, 3, p[1]));
    ring_publish(&wr, p[1]);
    CHECK(drain(p[0]) == 1);
    ring_publish(&wr, p[1]);
    CHECK(drain(p[0]) == 0);
    CHECK(take(&rd, 3));
    /* Read but not yet released: the reader may still sleep. */
    CHECK(ring_arm(&rd));
    /* No bell fd: publishing still works, and writes nothing. */
    CHECK(put(&wr, 4, -1));
    ring_publish(&wr, -1);
    CHECK(drain(p[0]) == 0);
    CHECK(take(&rd, 4));
    close_pair(&rd, &wr);
    close(p[0]);
    close(p[1]);
}

/* A forked producer puts 4 x RING_DATA bytes while the parent first does
 * not read at all: the producer waits, nothing is lost, order is kept. */
static void backpressure(void)
{
    struct ring rd;
    char err[256] = "";
    int p[2];
    size_t n;
    uint64_t total = 0, count = 0;
    while (total < 4ull * RING_DATA)
        total += rec_size(count++);
    CHECK(ring_create(&rd, err, sizeof err) == 0);
    CHECK(pipe2(p, O_CLOEXEC) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct ring wr;
        close(p[0]);
        alarm(30);
        if (ring_attach(&wr, dup(rd.fd), err, sizeof err) != 0)
            _exit(2);
        for (uint64_t i = 0; i < count; i++) {
            if (!put(&wr, i, p[1]))
                _exit(3);
            if (i % 16 == 15)
                ring_publish(&wr, p[1]);
        }
        ring_publish(&wr, p[1]);
        _exit(0);
    }
    CHECK(pid > 0);
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    alarm(30);
    usleep(200 * 1000);
    /* The producer filled the ring and waits: at most a ring's worth is
     * there, and it has not finished. */
    uint64_t got = 0, seen_bytes = 0;
    int bad = 0, status = -1;
    CHECK(waitpid(pid, &status, WNOHANG) == 0);
    const void *rec;
    while ((rec = ring_peek(&rd, &n)) != NULL) {
        bad += !is_rec(got, rec, n);
        seen_bytes += n;
        got++;
        ring_next(&rd);
    }
    CHECK(seen_bytes > RING_DATA - 2 * EVREC_MAX && seen_bytes <= RING_DATA);
    CHECK(waitpid(pid, &status, WNOHANG) == 0);
    ring_release(&rd);
    /* Then everything, sleeping on the doorbell as the parent does. */
    bool eof = false;
    long long t0 = now_ms();
    while (now_ms() - t0 < 20000) {
        while ((rec = ring_peek(&rd, &n)) != NULL) {
            bad += !is_rec(got, rec, n);
            got++;
            ring_next(&rd);
            if (got % 8 == 0)
                ring_release(&rd);
        }
        ring_release(&rd);
        if (eof || rd.broken)
            break;
        if (!ring_arm(&rd))
            continue;
        struct pollfd pf = {.fd = p[0], .events = POLLIN};
        if (poll(&pf, 1, 5000) != 1) {
            fprintf(stderr, "backpressure: no bell for 5 s after %llu records\n",
                    (unsigned long long)got);
            bad++;
            break;
        }
        char buf[64];
        ssize_t r = read(p[0], buf, sizeof buf);
        if (r == 0)
            eof = true; /* read once more: what came before the end */
    }
    CHECK(eof);
    CHECK(bad == 0);
    CHECK(!rd.broken);
    CHECK(got == count);
    if (got != count)
        fprintf(stderr, "backpressure: %llu of %llu records\n", (unsigned long long)got,
                (unsigned long long)count);
    if (!eof)
        kill(pid, SIGKILL);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    alarm(0);
    close(p[0]);
    ring_close(&rd);
}

/* Producer and reader both at full speed, the reader giving room back a
 * few records at a time: the producer keeps meeting a nearly full ring,
 * and must never write over a record not yet read (a stale view of the
 * reader's place once did: the reader then saw a broken ring after a few
 * hundred laps). 1000 laps of the ring, every record checked. */
static void race(void)
{
    struct ring rd;
    char err[256] = "";
    uint64_t total = 0, count = 0, got = 0;
    int bad = 0, status = -1;
    size_t n;
    while (total < 1000ull * RING_DATA)
        total += rec_size(count++);
    CHECK(ring_create(&rd, err, sizeof err) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct ring wr;
        alarm(60);
        if (ring_attach(&wr, dup(rd.fd), err, sizeof err) != 0)
            _exit(2);
        for (uint64_t i = 0; i < count; i++) {
            if (!put(&wr, i, -1))
                _exit(3);
            ring_publish(&wr, -1);
        }
        _exit(0);
    }
    CHECK(pid > 0);
    alarm(60);
    while (got < count && !rd.broken) {
        const void *rec = ring_peek(&rd, &n);
        if (!rec)
            continue;
        bad += !is_rec(got, rec, n);
        got++;
        ring_next(&rd);
        if (got % 4 == 0)
            ring_release(&rd);
    }
    ring_release(&rd);
    CHECK(!rd.broken);
    CHECK(bad == 0);
    CHECK(got == count);
    if (rd.broken)
        kill(pid, SIGKILL);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    alarm(0);
    ring_close(&rd);
}

/* A full ring and nobody left to read the bell: the producer gives up,
 * within a few of its 50 ms checks. */
static void reader_gone(void)
{
    struct ring rd, wr;
    int p[2];
    CHECK(pipe2(p, O_CLOEXEC) == 0);
    open_pair(&rd, &wr);
    _Alignas(8) unsigned char rec[EVREC_MAX];
    struct evrec h;
    memset(&h, 0, sizeof h);
    h.size = EVREC_MAX;
    memset(rec, 0, sizeof rec);
    memcpy(rec, &h, sizeof h);
    int filled = 0;
    for (unsigned i = 0; i < RING_DATA / EVREC_MAX; i++)
        filled += ring_put(&wr, rec, EVREC_MAX, p[1]);
    CHECK(filled == (int)(RING_DATA / EVREC_MAX));
    /* Full, the reader still there: it frees one record's room, and the
     * next put goes in at once. */
    ring_publish(&wr, p[1]);
    size_t n;
    CHECK(ring_peek(&rd, &n) != NULL && n == EVREC_MAX);
    ring_next(&rd);
    ring_release(&rd);
    /* (Without a bell fd a producer that had to wait would give up.) */
    CHECK(ring_put(&wr, rec, EVREC_MAX, -1));
    /* Full again, and the reader is gone. */
    close(p[0]);
    alarm(10);
    long long t0 = now_ms();
    CHECK(!ring_put(&wr, rec, sizeof(struct evrec), p[1]));
    long long took = now_ms() - t0;
    alarm(0);
    CHECK(took >= 40 && took < 2000);
    printf("reader gone: the producer gave up after %lld ms\n", took);
    /* With no bell fd at all, likewise. */
    t0 = now_ms();
    CHECK(!ring_put(&wr, rec, sizeof(struct evrec), -1));
    CHECK(now_ms() - t0 < 2000);
    /* What was put before is all there, and nothing after it. */
    int seen = 0;
    while (ring_peek(&rd, &n) != NULL) {
        seen++;
        ring_next(&rd);
    }
    CHECK(seen == (int)(RING_DATA / EVREC_MAX));
    CHECK(!rd.broken);
    close(p[1]);
    close_pair(&rd, &wr);
}

/* A fresh pair, one record of size n whose size field says claimed. */
static bool breaks_with_size(uint32_t claimed, size_t n)
{
    struct ring rd, wr;
    _Alignas(8) unsigned char rec[EVREC_MAX + 64];
    size_t got;
    memset(rec, 0, sizeof rec);
    memcpy(rec, &claimed, sizeof claimed);
    open_pair(&rd, &wr);
    /* A good record first: it is read, then the bad one breaks the ring. */
    CHECK(put(&wr, 0, -1));
    CHECK(ring_put(&wr, rec, n, -1));
    CHECK(put(&wr, 1, -1));
    ring_publish(&wr, -1);
    CHECK(take(&rd, 0));
    bool broke = ring_peek(&rd, &got) == NULL && rd.broken;
    if (broke) {
        /* Broken is for good: nothing more is read, and ring_arm lets
         * the reader sleep (it waits for the pipe's end). */
        CHECK(ring_peek(&rd, &got) == NULL);
        CHECK(ring_arm(&rd));
    }
    close_pair(&rd, &wr);
    return broke;
}

static void broken(void)
{
    CHECK(breaks_with_size(3, 8));
    CHECK(breaks_with_size(sizeof(struct evrec) - 8, sizeof(struct evrec) - 8));
    CHECK(breaks_with_size(EVREC_MAX + 8, EVREC_MAX + 8));
    CHECK(breaks_with_size(EVREC_MAX + 8, sizeof(struct evrec)));
    CHECK(breaks_with_size(0xfffffff8u, sizeof(struct evrec)));
    /* Not a multiple of 8. */
    CHECK(breaks_with_size(sizeof(struct evrec) + 4, sizeof(struct evrec) + 8));
    /* Longer than what was published. */
    CHECK(breaks_with_size(EVREC_MAX, sizeof(struct evrec)));
    /* A skip (size 0) where the buffer does not end. */
    CHECK(breaks_with_size(0, 8));
    /* And the control: a size that is right does not break it. */
    CHECK(!breaks_with_size(sizeof(struct evrec) + 8, sizeof(struct evrec) + 8));

    /* A head beyond tail + RING_DATA: the producer's own counter, published. */
    struct ring rd, wr;
    size_t n;
    /* (A whole record first: the reader must not hand it over either, as
     * nothing past such a head can be trusted.) */
    open_pair(&rd, &wr);
    CHECK(put(&wr, 0, -1));
    atomic_store(&wr.written, RING_DATA + 8);
    ring_publish(&wr, -1);
    CHECK(ring_peek(&rd, &n) == NULL);
    CHECK(rd.broken);
    close_pair(&rd, &wr);
    /* A head that goes back. */
    open_pair(&rd, &wr);
    CHECK(put(&wr, 0, -1));
    CHECK(put(&wr, 1, -1));
    ring_publish(&wr, -1);
    CHECK(take(&rd, 0) && take(&rd, 1));
    atomic_store(&wr.written, 8);
    ring_publish(&wr, -1);
    CHECK(ring_peek(&rd, &n) == NULL);
    CHECK(rd.broken);
    close_pair(&rd, &wr);
    /* A head exactly a ring ahead is fine (a full ring of records). */
    open_pair(&rd, &wr);
    for (unsigned i = 0; i < RING_DATA / EVREC_MAX; i++) {
        _Alignas(8) unsigned char rec[EVREC_MAX];
        struct evrec h;
        memset(&h, 0, sizeof h);
        h.size = EVREC_MAX;
        memset(rec, 0, sizeof rec);
        memcpy(rec, &h, sizeof h);
        CHECK(ring_put(&wr, rec, EVREC_MAX, -1));
    }
    ring_publish(&wr, -1);
    CHECK(ring_peek(&rd, &n) != NULL && !rd.broken);
    close_pair(&rd, &wr);
}

static void exit_slot(void)
{
    struct ring rd, wr;
    int status = -1;
    long long t = -1;
    char reason[256];
    open_pair(&rd, &wr);
    CHECK(!ring_exit(&rd, &status, &t, reason, sizeof reason));
    /* A record put but not published when the signal came: the slot
     * publishes every whole record. */
    CHECK(put(&wr, 0, -1));
    ring_set_exit(&wr, 143, 123456789LL, "killed by SIGTERM");
    CHECK(ring_exit(&rd, &status, &t, reason, sizeof reason));
    CHECK(status == 143 && t == 123456789LL);
    CHECK_STR(reason, "killed by SIGTERM");
    CHECK(take(&rd, 0));
    /* The first exit stays. */
    ring_set_exit(&wr, 1, 5, "again");
    CHECK(ring_exit(&rd, &status, &t, reason, sizeof reason));
    CHECK(status == 143 && t == 123456789LL);
    CHECK_STR(reason, "killed by SIGTERM");
    /* A small buffer gets the start, terminated. */
    char small[6];
    memset(small, 'Z', sizeof small);
    CHECK(ring_exit(&rd, &status, &t, small, sizeof small));
    CHECK_STR(small, "kille");
    close_pair(&rd, &wr);

    /* A long reason is cut, NUL-terminated. */
    char lng[400];
    memset(lng, 'r', sizeof lng - 1);
    lng[sizeof lng - 1] = '\0';
    open_pair(&rd, &wr);
    ring_set_exit(&wr, -9, -1, lng);
    memset(reason, 'Z', sizeof reason);
    CHECK(ring_exit(&rd, &status, &t, reason, sizeof reason));
    CHECK(status == -9 && t == -1);
    size_t len = strnlen(reason, sizeof reason);
    CHECK(len > 0 && len < 128);
    CHECK(len < sizeof reason && strspn(reason, "r") == len);
    close_pair(&rd, &wr);

    /* An empty reason. */
    open_pair(&rd, &wr);
    ring_set_exit(&wr, 0, 0, "");
    CHECK(ring_exit(&rd, &status, &t, reason, sizeof reason));
    CHECK_STR(reason, "");
    close_pair(&rd, &wr);
}

static void attach_refuses(void)
{
    struct ring r;
    char err[256];
    int p[2];
    CHECK(pipe(p) == 0);
    memset(&r, 0x5a, sizeof r);
    err[0] = '\0';
    CHECK(ring_attach(&r, p[0], err, sizeof err) == -1);
    CHECK(r.sh == NULL && r.fd == -1);
    CHECK(strstr(err, "not an event ring") != NULL);
    close(p[0]);
    close(p[1]);

    /* A regular file of another size. */
    char path[] = "/tmp/rt-ring-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    CHECK(ftruncate(fd, 4096) == 0);
    err[0] = '\0';
    CHECK(ring_attach(&r, fd, err, sizeof err) == -1);
    CHECK(r.sh == NULL);
    CHECK(strstr(err, "not an event ring") != NULL);
    /* Larger than a ring, too. */
    CHECK(ftruncate(fd, 4 * RING_DATA) == 0);
    err[0] = '\0';
    CHECK(ring_attach(&r, fd, err, sizeof err) == -1);
    CHECK(strstr(err, "not an event ring") != NULL);
    close(fd);

    /* An fd that is not open. */
    err[0] = '\0';
    CHECK(ring_attach(&r, fd, err, sizeof err) == -1);
    CHECK(r.sh == NULL && err[0] != '\0');
    CHECK(strstr(err, "--ring-fd") != NULL);

    /* A ring's size cannot change: the memfd is sealed. */
    struct ring rd;
    CHECK(ring_create(&rd, err, sizeof err) == 0);
    CHECK(ftruncate(rd.fd, 4096) == -1 && errno == EPERM);
    CHECK(ftruncate(rd.fd, 8 * RING_DATA) == -1 && errno == EPERM);
    ring_close(&rd);
}

static void closing(void)
{
    struct ring r;
    /* fd 0 open, whatever ctest gave us. */
    if (fcntl(0, F_GETFD) == -1)
        CHECK(open("/dev/null", O_RDONLY) == 0);
    memset(&r, 0, sizeof r);
    ring_close(&r);
    CHECK(fcntl(0, F_GETFD) != -1);
    ring_close(&r);
    CHECK(fcntl(0, F_GETFD) != -1);
    /* A ring's fd is closed with it, once. */
    struct ring rd, wr;
    open_pair(&rd, &wr);
    int fr = rd.fd, fw = wr.fd;
    ring_close(&wr);
    CHECK(fcntl(fw, F_GETFD) == -1 && errno == EBADF);
    CHECK(wr.sh == NULL && wr.fd == -1);
    CHECK(fcntl(fr, F_GETFD) != -1);
    ring_close(&wr);
    ring_close(&rd);
    CHECK(fcntl(fr, F_GETFD) == -1);
    /* A peer that closed the fd and kept the mapping (trace.c): the
     * mapping goes, no fd is closed. */
    open_pair(&rd, &wr);
    close(wr.fd);
    wr.fd = -1;
    int probe = dup(0);
    ring_close(&wr);
    CHECK(fcntl(probe, F_GETFD) != -1);
    close(probe);
    /* The reader's calls on a closed ring: nothing, no crash. */
    size_t n;
    CHECK(ring_peek(&wr, &n) == NULL);
    ring_release(&wr);
    int status;
    long long t;
    char reason[8];
    CHECK(!ring_exit(&wr, &status, &t, reason, sizeof reason));
    ring_set_exit(&wr, 1, 1, "x");
    ring_close(&rd);
}

/* A wait that did not end: say so, and fail. */
static void on_alarm(int sig)
{
    static const char msg[] = "test_ring: timed out (a producer or reader waits for ever)\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(1);
    _exit(1);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN); /* the bell of a reader that is gone: EPIPE */
    signal(SIGALRM, on_alarm);
    alarm(120);
    round_trip();
    wrap();
    doorbell();
    backpressure();
    alarm(120);
    race();
    alarm(120);
    reader_gone();
    alarm(120);
    broken();
    exit_slot();
    attach_refuses();
    closing();
    return check_report();
}
