/* lessons: one sentence or two per call (see lessons.h). */
#include "lessons.h"

#include <string.h>

#define ANY_MODE -1
#define ANY_ROLE -1

static const struct lesson {
    int mode, role;
    const char *call;
    const char *text;
} lessons[] = {
    {MODE_STREAM, ANY_ROLE, "socket",
     "socket(AF_UNIX, SOCK_STREAM): a stream socket, connection-oriented like TCP. It is only a "
     "file "
     "descriptor so far: no name, no peer."},
    {MODE_DGRAM, ANY_ROLE, "socket",
     "socket(AF_UNIX, SOCK_DGRAM): a datagram socket, connectionless like UDP. Each message will "
     "travel "
     "on its own, whole or not at all."},
    {ANY_MODE, ROLE_SERVER, "bind",
     "bind(): gives the socket a name in the file system (the socket file), so that clients can "
     "find it. "
     "It fails if a file is already there."},
    {MODE_STREAM, ROLE_CLIENT, "bind",
     "bind() on a stream client is optional; the lesson does it, so the server's accept() can show "
     "who "
     "connected."},
    {MODE_DGRAM, ROLE_CLIENT, "bind",
     "bind() on a datagram client is needed over AF_UNIX: without an address of its own, the "
     "server "
     "could not send a reply back."},
    {ANY_MODE, ANY_ROLE, "listen",
     "listen(fd, 12): makes it a listening socket. The kernel now completes connections by itself "
     "and "
     "queues up to 12 of them until accept() takes one."},
    {ANY_MODE, ANY_ROLE, "accept",
     "accept(): takes the next connection from the queue and returns a NEW socket for that client. "
     "The "
     "listening socket goes on listening. It blocks while no client is waiting."},
    {ANY_MODE, ANY_ROLE, "connect",
     "connect(): joins the server's listening socket. It can succeed before the server calls "
     "accept(), "
     "because the kernel queues the connection (the backlog)."},
    {ANY_MODE, ROLE_CLIENT, "send",
     "send(): writes bytes into the connection; no address is needed. A stream keeps the order of "
     "bytes "
     "but not the boundaries between messages."},
    {ANY_MODE, ROLE_SERVER, "send",
     "send() on the accepted socket answers that client. MSG_NOSIGNAL: if the client is gone, the "
     "call "
     "fails with EPIPE instead of killing the server."},
    {ANY_MODE, ANY_ROLE, "recv",
     "recv(): takes what has arrived, up to the buffer's size: part of a message, one, or several. "
     "It "
     "returns 0 when the other side has closed."},
    {ANY_MODE, ANY_ROLE, "poll",
     "poll(): waits until one of several sockets is ready, so the server can serve many clients "
     "and "
     "still accept new ones."},
    {ANY_MODE, ROLE_CLIENT, "sendto",
     "sendto(): sends one datagram to the address it names. No connection: every datagram carries "
     "its "
     "destination."},
    {ANY_MODE, ROLE_SERVER, "sendto",
     "sendto() the address recvfrom() reported: that is how a datagram server answers the right "
     "client."},
    {ANY_MODE, ANY_ROLE, "recvfrom",
     "recvfrom(): takes one whole datagram and the sender's address. It blocks until a datagram "
     "comes."},
    {MODE_STREAM, ROLE_SERVER, "close",
     "close(): the accepted connection first (its client is done), then the listening socket: "
     "from now on a connect() to this file is refused."},
    {MODE_DGRAM, ROLE_SERVER, "close",
     "close() the one socket directly: a datagram server has no connection to close first, and "
     "no client is told."},
    {MODE_STREAM, ROLE_CLIENT, "close",
     "close(): ends the connection. The server's next recv() on it returns 0: that is how a "
     "stream tells the other side it has closed."},
    {MODE_DGRAM, ROLE_CLIENT, "close",
     "close(): nobody is told, there is no connection. A datagram sent to this address now "
     "fails: ECONNREFUSED, or ENOENT once the file is gone."},
    {ANY_MODE, ANY_ROLE, "unlink",
     "unlink(): removes the socket file. close() does not; a file left behind blocks the next "
     "bind()."},
};

const char *lesson_for(enum sock_mode mode, enum ev_role role, const char *call)
{
    for (size_t i = 0; i < sizeof lessons / sizeof lessons[0]; i++) {
        const struct lesson *l = &lessons[i];
        if ((l->mode == ANY_MODE || l->mode == (int)mode) &&
            (l->role == ANY_ROLE || l->role == (int)role) && strcmp(l->call, call) == 0)
            return l->text;
    }
    return "";
}

const char *lesson_closed(enum sock_mode mode)
{
    return mode == MODE_STREAM
               ? "Both sides closed, as the table's close rows say: the client first, so the "
                 "server saw recv() return 0; then the accepted socket, then the listening one."
               : "Both sides closed their one socket each. No connection ended, so nobody was "
                 "told: a datagram still on its way would have been refused.";
}

const char *lesson_start(enum sock_mode mode)
{
    return mode == MODE_STREAM ? "Stream sockets, step by step: press Space to let the next real "
                                 "call happen. The server "
                                 "goes first."
                               : "Datagram sockets, step by step: press Space to let the next real "
                                 "call happen. No listen, "
                                 "no accept, no connect.";
}

/* What each experiment showed, per mode: {name} is replaced by a number or
 * a name the experiment measured. */
static const struct {
    const char *name;
    int mode;
    const char *text;
} experiment_lessons[] = {
    {"boundaries", MODE_STREAM,
     "Three send()s of 10 bytes; the server's recv() returned {sizes}: {calls} for {total} "
     "bytes. A stream keeps the bytes and their order, not where one send() ended."},
    {"boundaries", MODE_DGRAM,
     "Three sendto()s of 10 bytes; the server's recvfrom() returned {sizes}: one call per "
     "datagram, each whole. A datagram keeps its edges."},
    {"oversize", MODE_STREAM,
     "One send() of {sent} bytes into a {buffer}-byte buffer: recv() returned {sizes} ({calls}), "
     "{got} bytes in all. Nothing is lost on a stream: what does not fit waits."},
    {"oversize", MODE_DGRAM,
     "recvfrom() returned {real} (MSG_TRUNC gives the datagram's real length): the "
     "{buffer}-byte buffer kept {got}, and {lost} bytes were lost for good. A sendto() of "
     "{big} bytes failed with {error}: a datagram must fit the send buffer in one piece."},
    {"three-clients", MODE_STREAM,
     "accept() returned fd {fds}: a new socket for each of the {n} clients, while fd {listener} "
     "went on listening. Each send() and recv() then used that client's own socket."},
    {"three-clients", MODE_DGRAM,
     "One socket, fd {fd}, served {n} clients: recvfrom() named each sender ({senders}), and "
     "sendto() answered each at that address. Nothing was accepted."},
    {"no-server", MODE_STREAM,
     "connect() failed with {first} when there was no socket file, and with {second} when a "
     "file was left behind but no server listened on it."},
    {"no-server", MODE_DGRAM,
     "sendto() failed with {first} when there was no socket file, and with {second} when a file "
     "was left behind but nobody was bound to it: no connection, yet the same errors."},
    {"peer-dies", MODE_STREAM,
     "The server was killed: the client's recv() returned {recv}, the connection's end. A "
     "send() to a killed server failed with {send}, and the client lived to say so "
     "(MSG_NOSIGNAL: no SIGPIPE)."},
    {"peer-dies", MODE_DGRAM,
     "The server was killed: the client's next sendto() failed with {send}. The file was still "
     "there, nobody was bound to it, and nothing told the client before it tried."},
    {"stale-path", ANY_MODE,
     "bind() on the leftover socket file failed with {bind}. The careful server first tried "
     "connect(): {probe}, so nobody was there; then unlink() = {unlink} and bind() = {rebind}."},
    {"backlog", MODE_STREAM,
     "With accept() held back and a backlog of {backlog}, {ok} connect()s succeeded at once: the "
     "kernel completed them and queued them. Client {next} waited in connect() until accept() "
     "took one: then it returned {late}."},
    {"backlog", MODE_DGRAM,
     "A datagram server has no backlog and nothing to accept: with the server not reading, {n} "
     "clients' sendto()s all returned at once, into its receive queue."},
    {"full-queue", MODE_STREAM,
     "The server stopped reading: {n} send()s of {size} bytes went into the socket buffers "
     "({bytes} bytes), then send() blocked: it waits for the server to read, and here it never "
     "did."},
    {"full-queue", MODE_DGRAM,
     "The server stopped reading: {n} datagrams went into its receive queue "
     "(net.unix.max_dgram_qlen is {qlen}), then sendto() blocked: it waits for the server to "
     "read, and here it never did."},
};

const char *lesson_experiment(const char *name, enum sock_mode mode)
{
    for (size_t i = 0; i < sizeof experiment_lessons / sizeof experiment_lessons[0]; i++)
        if (strcmp(experiment_lessons[i].name, name) == 0 &&
            (experiment_lessons[i].mode == ANY_MODE || experiment_lessons[i].mode == (int)mode))
            return experiment_lessons[i].text;
    return "";
}

/* The experiments menu: each one's name and what it shows, in one line. */
static const struct {
    const char *name, *title;
} experiment_titles[] = {
    {"boundaries", "three quick 10-byte sends: how many receive calls take them?"},
    {"oversize", "4000 bytes into a 1024-byte buffer: the rest waits, or is lost"},
    {"three-clients", "three clients: three accepted sockets, or one socket and three addresses"},
    {"no-server", "nobody there: connect() or sendto() fails, in the same two ways"},
    {"peer-dies", "the server is killed between two calls: what the client sees"},
    {"stale-path", "a leftover socket file: bind() fails, and the careful way round it"},
    {"backlog", "accept() held back: connections queue until the backlog is full"},
    {"full-queue", "the receiver stops reading: the queue fills, then the sender blocks"},
};

const char *lesson_experiment_title(int i, const char **name)
{
    if (i < 0 || i >= (int)(sizeof experiment_titles / sizeof experiment_titles[0]))
        return NULL;
    *name = experiment_titles[i].name;
    return experiment_titles[i].title;
}
