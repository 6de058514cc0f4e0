/* experiments: eight scripts for the director (see experiments.h). */
#include "experiments.h"

#include "../core/clock.h"
#include "../core/lessons.h"
#include "../run/printer.h"
#include "director.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_STEPS 64
#define SAID_MAX  12

/* What an experiment measured, by name, for its sentence's {names}. */
struct said {
    int n;
    char key[SAID_MAX][16];
    char val[SAID_MAX][256];
};

__attribute__((format(printf, 3, 4))) static void put(struct said *s, const char *key,
                                                      const char *fmt, ...)
{
    va_list ap;
    if (s->n == SAID_MAX)
        return;
    snprintf(s->key[s->n], sizeof s->key[0], "%s", key);
    va_start(ap, fmt);
    vsnprintf(s->val[s->n], sizeof s->val[0], fmt, ap);
    va_end(ap);
    s->n++;
}

/* The template with each {key} replaced by what was measured. */
static void fill(char *out, size_t cap, const char *tpl, const struct said *s)
{
    const char *kv[2 * SAID_MAX + 1];
    for (int i = 0; i < s->n; i++) {
        kv[2 * i] = s->key[i];
        kv[2 * i + 1] = s->val[i];
    }
    kv[2 * s->n] = NULL;
    lesson_fill(out, cap, tpl, kv);
}

/* "10 + 20": the results of a peer's calls, those above 0. */
static int sizes(const struct director *d, int i, const char *call, char *out, size_t cap,
                 long long *total)
{
    long long rc[MAX_STEPS];
    int n = director_results(d, i, call, rc, NULL, MAX_STEPS), shown = 0;
    size_t o = 0;
    out[0] = '\0';
    *total = 0;
    for (int k = 0; k < n && k < MAX_STEPS; k++) {
        if (rc[k] <= 0)
            continue;
        o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%lld", shown ? " + " : "", rc[k]);
        *total += rc[k];
        shown++;
    }
    return shown;
}

/* The errno name of the last `call` peer i made, or "= rc" when it worked. */
static const char *last_result(const struct director *d, int i, const char *call, char *out,
                               size_t cap)
{
    long long rc[MAX_STEPS];
    char err[MAX_STEPS][EVENT_NAME_MAX];
    int n = director_results(d, i, call, rc, err, MAX_STEPS);
    if (n == 0 || director_unfinished(d, i, call))
        snprintf(out, cap, n == 0 && !director_unfinished(d, i, call) ? "(not made)" : "no result");
    else if (err[(n - 1) % MAX_STEPS][0])
        snprintf(out, cap, "%s", err[(n - 1) % MAX_STEPS]);
    else
        snprintf(out, cap, "%lld", rc[(n - 1) % MAX_STEPS]);
    return out;
}

/* The script's world: its director, its paths, and what failed. */
struct exp {
    struct director d;
    enum sock_mode mode;
    struct said said;
    char paths[DIRECTOR_PEERS][SOCK_PATH_MAX + 1];
    bool off_plan;
};

static void expect(struct exp *x, enum step_result got, enum step_result want, const char *what)
{
    if (got == want || x->d.interrupted)
        return;
    static const char *const names[] = {"done", "blocked", "gone"};
    fprintf(stderr, "sockscope run: %s: expected the call to be %s, it was %s\n", what, names[want],
            names[got]);
    x->off_plan = true;
}

static const char *call_of(const struct exp *x, const char *stream, const char *dgram)
{
    return x->mode == MODE_STREAM ? stream : dgram;
}

/* Starts a side: server_name and client_name are files in the directory. */
static int side(struct exp *x, enum ev_role role, const char *server_name, const char *client_name,
                long long pad, long long buffer, long long count, long long burst,
                const char *const extra[])
{
    char *sp = x->paths[x->d.npeers];
    char cp[SOCK_PATH_MAX + 1];
    if (x->d.npeers == DIRECTOR_PEERS)
        return -1;
    director_path(&x->d, server_name, sp, sizeof x->paths[0]);
    director_path(&x->d, client_name ? client_name : "unused.sock", cp, sizeof cp);
    struct peer_plan p = {.mode = x->mode,
                          .server_path = sp,
                          .client_path = cp,
                          .count = count,
                          .pad = pad,
                          .buffer = buffer,
                          .interval = 0,
                          .burst = burst};
    int i = director_start(&x->d, role, &p, extra);
    if (i < 0)
        x->off_plan = true;
    return i;
}

static int server(struct exp *x, const char *name, long long pad, long long buffer,
                  const char *const extra[])
{
    return side(x, ROLE_SERVER, name, NULL, pad, buffer, 0, 1, extra);
}

static int client(struct exp *x, const char *server_name, const char *name, long long pad,
                  long long count, long long burst, const char *const extra[])
{
    return side(x, ROLE_CLIENT, server_name, name, pad, DEFAULT_BUFFER, count, burst, extra);
}

/* The server at its gate before it waits for clients: accept() or recvfrom(). */
static void server_ready(struct exp *x, int s)
{
    expect(x, director_step_to(&x->d, s, call_of(x, "accept", "recvfrom"), MAX_STEPS), STEP_DONE,
           "the server reaching its first wait");
}

/* Steps peer i while it has received fewer than bytes (message bytes in). */
static void read_until(struct exp *x, int i, long long bytes)
{
    for (int k = 0; k < MAX_STEPS && director_msg_sum(&x->d, i, false, false) < bytes; k++) {
        if (director_step(&x->d, i) == STEP_GONE)
            break;
        director_settle(&x->d, i); /* its message line comes after the call's result */
    }
}

static void exp_boundaries(struct exp *x)
{
    static const char *const ten[] = {"--message", "0123456789", NULL};
    char list[256];
    long long total;
    int s = server(x, "server.sock", 0, DEFAULT_BUFFER, NULL);
    server_ready(x, s);
    int c = client(x, "server.sock", "client.sock", 0, 3, 3, ten);
    expect(x, director_step_until(&x->d, c, call_of(x, "send", "sendto"), 3, MAX_STEPS), STEP_DONE,
           "three quick sends");
    if (x->mode == MODE_STREAM)
        read_until(x, s, 30);
    else
        expect(x, director_step_until(&x->d, s, "recvfrom", 3, MAX_STEPS), STEP_DONE,
               "three recvfrom()s");
    director_settle(&x->d, s);
    int calls = sizes(&x->d, s, call_of(x, "recv", "recvfrom"), list, sizeof list, &total);
    put(&x->said, "sizes", "%s", list);
    put(&x->said, "ncalls", "%d", calls);
    put(&x->said, "calls_word", "%s", ui_text(calls == 1 ? "word.call" : "word.calls"));
    put(&x->said, "total", "%lld", total);
}

static void exp_oversize(struct exp *x)
{
    char list[256], buf[32];
    long long total;
    int s = server(x, "server.sock", 4000, 1024, NULL);
    server_ready(x, s);
    int c = client(x, "server.sock", "client.sock", 4000, 1, 1, NULL);
    expect(x, director_step_until(&x->d, c, call_of(x, "send", "sendto"), 1, MAX_STEPS), STEP_DONE,
           "one 4000-byte send");
    put(&x->said, "sent", "4000");
    put(&x->said, "buffer", "1024");
    if (x->mode == MODE_STREAM) {
        read_until(x, s, 4000);
        int calls = sizes(&x->d, s, "recv", list, sizeof list, &total);
        put(&x->said, "sizes", "%s", list);
        put(&x->said, "ncalls", "%d", calls);
        put(&x->said, "calls_word", "%s", ui_text(calls == 1 ? "word.call" : "word.calls"));
        put(&x->said, "got", "%lld", total);
        return;
    }
    expect(x, director_step_until(&x->d, s, "recvfrom", 1, MAX_STEPS), STEP_DONE, "recvfrom()");
    director_settle(&x->d, s);
    put(&x->said, "real", "%s", last_result(&x->d, s, "recvfrom", buf, sizeof buf));
    put(&x->said, "got", "%lld", director_msg_sum(&x->d, s, false, false));
    put(&x->said, "lost", "%lld", director_msg_sum(&x->d, s, false, true));
    int big = client(x, "server.sock", "client-big.sock", 300000, 1, 1, NULL);
    director_step_until(&x->d, big, "sendto", 1, MAX_STEPS);
    director_await_end(&x->d, big); /* it says why it gave up */
    put(&x->said, "big", "300000");
    put(&x->said, "error", "%s", last_result(&x->d, big, "sendto", buf, sizeof buf));
}

static void exp_three_clients(struct exp *x)
{
    char name[32], list[512] = "", buf[32];
    int s = server(x, "server.sock", DEFAULT_PAD, DEFAULT_BUFFER, NULL), c[3];
    const char *send = call_of(x, "send", "sendto");
    server_ready(x, s);
    for (int k = 0; k < 3; k++) {
        snprintf(name, sizeof name, "client-%d.sock", k + 1);
        c[k] = client(x, "server.sock", name, DEFAULT_PAD, 1, 1, NULL);
        expect(x, director_step_until(&x->d, c[k], send, 1, MAX_STEPS), STEP_DONE,
               "a client's send");
    }
    for (int k = 0; k < 3 * MAX_STEPS && director_results(&x->d, s, send, NULL, NULL, 0) < 3; k++)
        if (director_step(&x->d, s) != STEP_DONE)
            break;
    director_settle(&x->d, s);
    for (int k = 0; k < 3; k++) /* each client reads its reply, closes, and goes */
        for (int n = 0; n < MAX_STEPS && !x->d.peer[c[k]].ended; n++)
            if (director_step(&x->d, c[k]) == STEP_GONE)
                break;
    put(&x->said, "n", "3");
    if (x->mode == MODE_STREAM) {
        long long fds[3];
        int n = director_results(&x->d, s, "accept", fds, NULL, 3);
        for (int k = 0; k < n && k < 3; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%lld",
                     k == 0       ? ""
                     : k == n - 1 ? " and "
                                  : ", ",
                     fds[k]);
        put(&x->said, "fds", "%s", list);
        long long listener = -1;
        director_results(&x->d, s, "socket", &listener, NULL, 1); /* the first is the listener */
        put(&x->said, "listener", "%lld", listener);
        return;
    }
    for (size_t k = 0; k < x->d.nrec; k++) {
        const struct drec *r = &x->d.rec[k];
        if (r->peer == s && r->ev.kind == EV_MSG && !r->ev.out) {
            const char *slash = strrchr(r->ev.peer, '/');
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.100s",
                     list[0] ? ", " : "", slash ? slash + 1 : r->ev.peer);
        }
    }
    put(&x->said, "senders", "%s", list);
    put(&x->said, "fd", "%s", last_result(&x->d, s, "socket", buf, sizeof buf));
}

/* A server killed once it has bound: its socket file stays, nobody behind it. */
static void leave_stale_file(struct exp *x, const char *name)
{
    int s = server(x, name, DEFAULT_PAD, DEFAULT_BUFFER, NULL);
    expect(x, director_step_until(&x->d, s, "bind", 1, MAX_STEPS), STEP_DONE, "bind()");
    if (x->mode == MODE_STREAM)
        expect(x, director_step_until(&x->d, s, "listen", 1, MAX_STEPS), STEP_DONE, "listen()");
    director_kill(&x->d, s, SIGKILL);
}

static void exp_no_server(struct exp *x)
{
    char buf[32];
    const char *reach = call_of(x, "connect", "sendto");
    int c1 = client(x, "nobody.sock", "client-1.sock", DEFAULT_PAD, 1, 1, NULL);
    director_step_until(&x->d, c1, reach, 1, MAX_STEPS);
    director_await_end(&x->d, c1);
    put(&x->said, "first", "%s", last_result(&x->d, c1, reach, buf, sizeof buf));
    leave_stale_file(x, "stale.sock");
    int c2 = client(x, "stale.sock", "client-2.sock", DEFAULT_PAD, 1, 1, NULL);
    director_step_until(&x->d, c2, reach, 1, MAX_STEPS);
    director_await_end(&x->d, c2);
    put(&x->said, "second", "%s", last_result(&x->d, c2, reach, buf, sizeof buf));
}

/* One whole exchange between server s and client c. */
static void exchange(struct exp *x, int s, int c)
{
    const char *send = call_of(x, "send", "sendto"), *recv = call_of(x, "recv", "recvfrom");
    expect(x, director_step_until(&x->d, c, send, 1, MAX_STEPS), STEP_DONE, "the client's send");
    expect(x, director_step_until(&x->d, s, send, 1, MAX_STEPS), STEP_DONE, "the server's reply");
    expect(x, director_step_until(&x->d, c, recv, 1, MAX_STEPS), STEP_DONE, "the client's recv");
}

static void exp_peer_dies(struct exp *x)
{
    char buf[32];
    if (x->mode == MODE_STREAM) {
        /* The server dies after reading a message, before answering it. */
        int s = server(x, "server.sock", DEFAULT_PAD, DEFAULT_BUFFER, NULL);
        server_ready(x, s);
        int c = client(x, "server.sock", "client.sock", DEFAULT_PAD, 0, 1, NULL);
        exchange(x, s, c);
        expect(x, director_step_until(&x->d, c, "send", 1, MAX_STEPS), STEP_DONE, "send()");
        expect(x, director_step_until(&x->d, s, "recv", 1, MAX_STEPS), STEP_DONE, "recv()");
        director_kill(&x->d, s, SIGKILL);
        director_step_until(&x->d, c, "recv", 1, MAX_STEPS);
        put(&x->said, "recv", "%s", last_result(&x->d, c, "recv", buf, sizeof buf));
        for (int n = 0; n < MAX_STEPS && !x->d.peer[c].ended; n++)
            if (director_step(&x->d, c) == STEP_GONE)
                break;
    }
    /* The server dies while the client is between two exchanges. */
    const char *send = call_of(x, "send", "sendto");
    int s2 = server(x, "server-2.sock", DEFAULT_PAD, DEFAULT_BUFFER, NULL);
    server_ready(x, s2);
    int c2 = client(x, "server-2.sock", "client-2.sock", DEFAULT_PAD, 0, 1, NULL);
    exchange(x, s2, c2);
    expect(x, director_step_to(&x->d, c2, send, MAX_STEPS), STEP_DONE, "the next send");
    director_kill(&x->d, s2, SIGKILL);
    director_step(&x->d, c2);
    director_await_end(&x->d, c2);
    put(&x->said, "send", "%s", last_result(&x->d, c2, send, buf, sizeof buf));
}

static void exp_stale_path(struct exp *x)
{
    static const char *const naive[] = {"--no-claim", NULL};
    char buf[32];
    leave_stale_file(x, "server.sock");
    int b = server(x, "server.sock", DEFAULT_PAD, DEFAULT_BUFFER, naive);
    director_step_until(&x->d, b, "bind", 1, MAX_STEPS);
    director_await_end(&x->d, b);
    put(&x->said, "bind", "%s", last_result(&x->d, b, "bind", buf, sizeof buf));
    int c = server(x, "server.sock", DEFAULT_PAD, DEFAULT_BUFFER, NULL);
    expect(x, director_step_until(&x->d, c, "bind", 1, MAX_STEPS), STEP_DONE, "the careful bind()");
    put(&x->said, "probe", "%s", last_result(&x->d, c, "connect", buf, sizeof buf));
    put(&x->said, "unlink", "%s", last_result(&x->d, c, "unlink", buf, sizeof buf));
    put(&x->said, "rebind", "%s", last_result(&x->d, c, "bind", buf, sizeof buf));
}

/* The backlog the server gave listen(), from the call's own arguments. */
static const char *listen_backlog(const struct director *d, int s)
{
    static char b[24];
    snprintf(b, sizeof b, "?");
    for (size_t k = 0; k < d->nrec; k++) {
        const struct event *ev = &d->rec[k].ev;
        const char *comma = strchr(ev->args, ',');
        if (d->rec[k].peer == s && ev->kind == EV_CALL && strcmp(ev->call, "listen") == 0 && comma)
            snprintf(b, sizeof b, "%s", comma + 2);
    }
    return b;
}

static void exp_backlog(struct exp *x)
{
    static const char *const small[] = {"--backlog", "2", NULL};
    char name[32], buf[32];
    int s = server(x, "server.sock", DEFAULT_PAD, DEFAULT_BUFFER, small), ok = 0;
    server_ready(x, s); /* and held there: no accept() */
    if (x->mode == MODE_DGRAM) {
        for (int k = 0; k < 4; k++) {
            snprintf(name, sizeof name, "client-%d.sock", k + 1);
            int c = client(x, "server.sock", name, DEFAULT_PAD, 1, 1, NULL);
            ok += director_step_until(&x->d, c, "sendto", 1, MAX_STEPS) == STEP_DONE;
        }
        put(&x->said, "n", "%d", ok);
        return;
    }
    put(&x->said, "backlog", "%s", listen_backlog(&x->d, s));
    for (int k = 0; k < 6; k++) {
        snprintf(name, sizeof name, "client-%d.sock", k + 1);
        int c = client(x, "server.sock", name, DEFAULT_PAD, 1, 1, NULL);
        if (director_step_until(&x->d, c, "connect", 1, MAX_STEPS) == STEP_DONE) {
            ok++;
            continue;
        }
        put(&x->said, "ok", "%d", ok);
        put(&x->said, "next", "%d", k + 1);
        director_step(&x->d, s); /* accept() takes one: a place in the queue frees */
        director_pump(&x->d, DIRECTOR_BLOCK_US);
        put(&x->said, "late", "%s", last_result(&x->d, c, "connect", buf, sizeof buf));
        return;
    }
    fprintf(stderr, "sockscope run: every connect() went through: no limit was reached\n");
    x->off_plan = true;
}

static long long max_dgram_qlen(void)
{
    long long v = -1;
    FILE *f = fopen("/proc/sys/net/unix/max_dgram_qlen", "r");
    if (f) {
        if (fscanf(f, "%lld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

static void exp_full_queue(struct exp *x)
{
    const char *send = call_of(x, "send", "sendto");
    long long size = x->mode == MODE_STREAM ? 16384 : DEFAULT_PAD;
    int s = server(x, "server.sock", size, DEFAULT_BUFFER, NULL), n = 0;
    server_ready(x, s);
    int c = client(x, "server.sock", "client.sock", size, 64, 64, NULL);
    if (x->mode == MODE_STREAM) { /* connected and accepted; the server then reads nothing */
        expect(x, director_step_until(&x->d, c, "connect", 1, MAX_STEPS), STEP_DONE, "connect()");
        expect(x, director_step_until(&x->d, s, "accept", 1, MAX_STEPS), STEP_DONE, "accept()");
    }
    enum step_result r = STEP_DONE;
    while (n < 64 && (r = director_step_until(&x->d, c, send, 1, 4)) == STEP_DONE)
        n++;
    expect(x, r, STEP_BLOCKED, "a send into a full queue");
    long long rc[70], bytes = 0;
    int made = director_results(&x->d, c, send, rc, NULL, 70);
    for (int k = 0; k < made && k < 70; k++)
        bytes += rc[k] > 0 ? rc[k] : 0;
    put(&x->said, "n", "%d", n);
    put(&x->said, "size", "%lld", size);
    put(&x->said, "bytes", "%lld", bytes);
    put(&x->said, "qlen", "%lld", max_dgram_qlen());
}

static const struct {
    const char *name;
    void (*run)(struct exp *x);
} scripts[] = {
    {"boundaries", exp_boundaries},
    {"oversize", exp_oversize},
    {"three-clients", exp_three_clients},
    {"no-server", exp_no_server},
    {"peer-dies", exp_peer_dies},
    {"stale-path", exp_stale_path},
    {"backlog", exp_backlog},
    {"full-queue", exp_full_queue},
};

static void print_event(const struct event *ev, void *ctx)
{
    printer_event(ctx, ev);
    fflush(stdout);
}

/* Text only: a call let go that did not return (the event stream has its
 * enter and no exit, which says the same to a program). */
static void print_blocked(const struct event *ev, void *ctx)
{
    struct printer *p = ctx;
    char lessons[4096];
    size_t n;
    long long t = clock_now_us() - p->t0;
    if (p->o->format != FORMAT_TEXT)
        return;
    printf("%4lld.%06lld %-6s %s() has not returned after %.1f s: blocked in the kernel (pid "
           "%lld)\n",
           t / 1000000, t % 1000000, event_role_name(ev->role), ev->call, DIRECTOR_BLOCK_US / 1e6,
           ev->pid);
    if (p->o->explain && (n = explain_blocked(&p->explain, lessons, sizeof lessons)) > 0)
        fwrite(lessons, 1, n, stdout);
    fflush(stdout);
}

int experiment_main(const struct options *o)
{
    static struct exp x; /* the director keeps line buffers: not for the stack */
    struct printer pr;
    printer_init(&pr, o, clock_now_us());
    char err[256], sentence[1024];
    memset(&x, 0, sizeof x);
    x.mode = o->mode;
    if (director_open(&x.d, o->mode, o->interval_set ? o->interval : 0, print_event, &pr, err,
                      sizeof err) != 0) {
        fprintf(stderr, "sockscope run: %s\n", err);
        return 1;
    }
    x.d.blocked = print_blocked;
    if (o->format == FORMAT_TEXT)
        printf("sockscope run: experiment %s, %s sockets (%s, AF_UNIX), in %s\n", o->experiment,
               o->mode == MODE_STREAM ? "stream" : "datagram",
               o->mode == MODE_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM", x.d.dir);
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
        if (strcmp(scripts[i].name, o->experiment) == 0)
            scripts[i].run(&x);
    bool interrupted = x.d.interrupted;
    director_close(&x.d);
    fill(sentence, sizeof sentence, lesson_experiment(o->experiment, o->mode), &x.said);
    fflush(stdout);
    if (interrupted)
        return 130;
    /* The sentence is for a person: with jsonl, stdout stays events only. */
    fprintf(o->format == FORMAT_TEXT ? stdout : stderr, "what it showed: %s\n", sentence);
    return x.off_plan ? 1 : 0;
}
