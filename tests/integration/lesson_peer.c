/* lesson_peer: the original lesson's four programs, rebuilt from the facts
 * in SEED.md for interop tests: 1024-byte buffers padded with NUL, the
 * lesson's texts and printed lines, unlink-then-bind. Two differences keep
 * tests bounded: the paths come from the command line, and it stops after
 * N exchanges without sleeping. A "burst" client sends N messages before
 * reading any reply, to make a stream receiver see several at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define BUF 1024

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static int bound_socket(int type, const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, type, 0);
    if (fd == -1)
        die("socket");
    strncpy(a.sun_path, path, sizeof a.sun_path - 1);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == -1)
        die("bind");
    return fd;
}

static struct sockaddr_un addr_of(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strncpy(a.sun_path, path, sizeof a.sun_path - 1);
    return a;
}

static void stream_server(const char *path, int n)
{
    char buf[BUF], reply[BUF] = "OK,I got it!";
    struct sockaddr_un peer;
    socklen_t len = sizeof peer;
    int lfd = bound_socket(SOCK_STREAM, path);
    if (listen(lfd, 12) == -1)
        die("listen");
    int fd = accept(lfd, (struct sockaddr *)&peer, &len);
    if (fd == -1)
        die("accept");
    for (int i = 0; i < n; i++) {
        if (recv(fd, buf, BUF, MSG_WAITALL) != BUF)
            die("recv");
        printf("I'm Unix socket(TCP) server, recv a msg:%s from: %s\n", buf, peer.sun_path);
        if (send(fd, reply, BUF, 0) != BUF)
            die("send");
    }
    close(fd);
    close(lfd);
    unlink(path);
}

static void stream_client(const char *server, const char *self, int n, int burst)
{
    char buf[BUF], msg[BUF] = "How are you !!!";
    int fd = bound_socket(SOCK_STREAM, self);
    struct sockaddr_un s = addr_of(server);
    if (connect(fd, (struct sockaddr *)&s, sizeof s) == -1)
        die("connect");
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < (burst ? n : 1); k++)
            if (send(fd, msg, BUF, 0) != BUF)
                die("send");
        for (int k = 0; k < (burst ? n : 1); k++) {
            if (recv(fd, buf, BUF, MSG_WAITALL) != BUF)
                die("recv");
            printf("I'm Unix socket(TCP) client\xef\xbc\x8creceive a msg :%s\n", buf);
        }
        if (burst)
            break;
    }
    close(fd);
    unlink(self);
}

static void dgram_server(const char *path, int n)
{
    char buf[BUF], reply[BUF] = "OK,I got it!";
    int fd = bound_socket(SOCK_DGRAM, path);
    for (int i = 0; i < n; i++) {
        struct sockaddr_un from;
        socklen_t len = sizeof from;
        if (recvfrom(fd, buf, BUF, 0, (struct sockaddr *)&from, &len) == -1)
            die("recvfrom");
        printf("I'm Unix socket(UDP) server, recv a msg: %s from: %s\n", buf, from.sun_path);
        if (sendto(fd, reply, BUF, 0, (struct sockaddr *)&from, len) == -1)
            die("sendto");
    }
    close(fd);
    unlink(path);
}

static void dgram_client(const char *server, const char *self, int n)
{
    char buf[BUF], msg[BUF] = "How are you !!!";
    int fd = bound_socket(SOCK_DGRAM, self);
    struct sockaddr_un s = addr_of(server);
    for (int i = 0; i < n; i++) {
        if (sendto(fd, msg, BUF, 0, (struct sockaddr *)&s, sizeof s) == -1)
            die("sendto");
        if (recvfrom(fd, buf, BUF, 0, NULL, NULL) == -1)
            die("recvfrom");
        /* The lesson's datagram client says TCP here; we print what it prints. */
        printf("I'm Unix socket(TCP) client\xef\xbc\x8creceive a msg :%s\n", buf);
    }
    close(fd);
    unlink(self);
}

/* Not in the lesson: a datagram from a socket that never called bind(). */
static void unbound_sender(const char *server)
{
    char msg[BUF] = "How are you !!!";
    struct sockaddr_un s = addr_of(server);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd == -1)
        die("socket");
    if (sendto(fd, msg, BUF, 0, (struct sockaddr *)&s, sizeof s) == -1)
        die("sendto");
    close(fd);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 4 && strcmp(argv[1], "stream-server") == 0)
        stream_server(argv[2], atoi(argv[3]));
    else if (argc == 4 && strcmp(argv[1], "dgram-server") == 0)
        dgram_server(argv[2], atoi(argv[3]));
    else if (argc == 5 && strcmp(argv[1], "stream-client") == 0)
        stream_client(argv[2], argv[3], atoi(argv[4]), 0);
    else if (argc == 5 && strcmp(argv[1], "burst-client") == 0)
        stream_client(argv[2], argv[3], atoi(argv[4]), 1);
    else if (argc == 5 && strcmp(argv[1], "dgram-client") == 0)
        dgram_client(argv[2], argv[3], atoi(argv[4]));
    else if (argc == 3 && strcmp(argv[1], "unbound-sender") == 0)
        unbound_sender(argv[2]);
    else {
        fprintf(stderr,
                "usage: lesson_peer stream-server|dgram-server PATH N\n"
                "       lesson_peer stream-client|burst-client|dgram-client SERVER SELF N\n");
        return 2;
    }
    return 0;
}
