/* sockdir: per-user and private socket directories (see sockdir.h). */
#include "sockdir.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest socket file name put in these directories: "stream-client-4194304.sock". */
#define LONGEST_NAME  32
#define SUN_PATH_ROOM 107

static int fits(const char *dir, char *err, size_t errcap)
{
    if (strlen(dir) + 1 + LONGEST_NAME <= SUN_PATH_ROOM)
        return 0;
    snprintf(err, errcap,
             "socket directory %s is too long for a Unix socket address (sun_path holds %d bytes); "
             "set TMPDIR to a shorter directory",
             dir, SUN_PATH_ROOM);
    return -1;
}

/* Where private directories go: $TMPDIR as for any temporary file, else
 * the user's runtime directory, else /tmp. */
static const char *private_base(void)
{
    const char *tmp = getenv("TMPDIR");
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (tmp && tmp[0] == '/')
        return tmp;
    if (xdg && xdg[0] == '/')
        return xdg;
    return "/tmp";
}

int sockdir_user(char *out, size_t cap, char *err, size_t errcap)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    struct stat st;
    if (xdg && xdg[0] == '/')
        snprintf(out, cap, "%s/sockscope", xdg);
    else
        snprintf(out, cap, "/tmp/sockscope-%u", (unsigned)getuid());
    if (fits(out, err, errcap) != 0)
        return -1;
    if (mkdir(out, 0700) == -1 && errno != EEXIST) {
        snprintf(err, errcap, "cannot create %s: %s", out, strerror(errno));
        return -1;
    }
    /* Someone else may have made it first, in a shared /tmp: trust it only
     * if it is a real directory, ours, closed to others. */
    if (lstat(out, &st) == -1) {
        snprintf(err, errcap, "cannot use %s: %s", out, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) {
        snprintf(err, errcap,
                 "refusing %s: it must be a directory owned by you with mode 0700; "
                 "remove it or pass --path",
                 out);
        return -1;
    }
    return 0;
}

/* When a process started: field 22 of /proc/PID/stat, in clock ticks
 * since boot; 0 when it cannot be read. With the pid, it names one process
 * for good: a pid used again later has a later start. */
static unsigned long long start_time(pid_t pid)
{
    char path[64], buf[2048], *p, *end;
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    p = strrchr(buf, ')'); /* the name in parentheses may hold spaces and ')' */
    if (!p)
        return 0;
    p++;
    for (int field = 3; field < 22; field++) { /* field 3 follows the name */
        while (*p == ' ')
            p++;
        while (*p && *p != ' ')
            p++;
    }
    unsigned long long t = strtoull(p, &end, 10);
    return end == p ? 0 : t;
}

/* dir/.pid: this process and its start, for the next session to judge. */
static void write_pid_file(const char *dir)
{
    char path[4096], line[64];
    pid_t self = getpid();
    int n = snprintf(line, sizeof line, "%ld %llu\n", (long)self, start_time(self));
    if (sockdir_join(path, sizeof path, dir, SOCKDIR_PID_FILE) != 0)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd == -1)
        return; /* no pid file: the directory is never taken for a dead one's */
    if (write(fd, line, (size_t)n) != n)
        unlink(path);
    close(fd);
}

/* "sockscope-" and six of mkdtemp's letters and digits. */
static bool mkdtemp_name(const char *name)
{
    size_t prefix = strlen("sockscope-");
    if (strncmp(name, "sockscope-", prefix) != 0 || strlen(name) != prefix + 6)
        return false;
    for (const char *c = name + prefix; *c; c++)
        if (!isalnum((unsigned char)*c))
            return false;
    return true;
}

/* Has the session that made the directory (open as dfd) gone? Its pid
 * file names it; a pid file that is not a plain file of ours, or that
 * cannot be read as "PID STARTTIME", leaves the answer no. */
static bool maker_gone(int dfd)
{
    char buf[64], nl = 0;
    long pid;
    unsigned long long started;
    struct stat st;
    int fd = openat(dfd, SOCKDIR_PID_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd == -1)
        return false;
    ssize_t n = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == getuid())
        n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    if (sscanf(buf, "%ld %llu%c", &pid, &started, &nl) != 3 || nl != '\n' || pid <= 0 ||
        pid > INT_MAX || pid == (long)getpid())
        return false;
    if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
        return true;
    /* The pid is in use: by the same process only if it started then. */
    unsigned long long now = start_time((pid_t)pid);
    return started != 0 && now != 0 && now != started;
}

/* What may be in a dead session's directory: its pid file, and sockets
 * its peers had no time to remove. */
static bool leftover(int dfd, const char *name)
{
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return false;
    if (strcmp(name, SOCKDIR_PID_FILE) == 0)
        return S_ISREG(st.st_mode);
    return S_ISSOCK(st.st_mode);
}

/* Removes base/name if it is a directory a dead session left (see
 * sockdir.h); leaves it as it is otherwise. */
static void sweep_one(int basefd, const char *name)
{
    struct stat st;
    struct dirent *e;
    bool only_leftovers = true;
    int dfd = openat(basefd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd == -1)
        return;
    if (fstat(dfd, &st) != 0 || st.st_uid != getuid() || (st.st_mode & 07777) != 0700 ||
        !maker_gone(dfd)) {
        close(dfd);
        return;
    }
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return;
    }
    while (only_leftovers && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            only_leftovers = leftover(dfd, e->d_name);
    if (only_leftovers) {
        rewinddir(d);
        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
                leftover(dfd, e->d_name))
                unlinkat(dfd, e->d_name, 0);
        unlinkat(basefd, name, AT_REMOVEDIR); /* fails, harmlessly, if something came in */
    }
    closedir(d);
}

/* The private directories in base that sessions killed outright left. */
static void sweep(const char *base)
{
    DIR *d = opendir(base);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL)
        if (mkdtemp_name(e->d_name))
            sweep_one(dirfd(d), e->d_name);
    closedir(d);
}

int sockdir_private(char *out, size_t cap, char *err, size_t errcap)
{
    const char *base = private_base();
    snprintf(out, cap, "%s/sockscope-XXXXXX", base);
    if (fits(out, err, errcap) != 0)
        return -1;
    sweep(base);
    if (!mkdtemp(out)) {
        snprintf(err, errcap, "cannot create a private directory in %s: %s", base, strerror(errno));
        return -1;
    }
    write_pid_file(out);
    return 0;
}

int sockdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int removed = 0;
    char path[4096];
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) == 0 && strcmp(e->d_name, SOCKDIR_PID_FILE) != 0)
            removed++;
    }
    closedir(d);
    return rmdir(dir) == 0 ? removed : -1;
}

int sockdir_join(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}
