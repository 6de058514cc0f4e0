/* sockdir: per-user and private socket directories (see sockdir.h). */
#include "sockdir.h"

#include <dirent.h>
#include <errno.h>
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

int sockdir_private(char *out, size_t cap, char *err, size_t errcap)
{
    const char *base = private_base();
    snprintf(out, cap, "%s/sockscope-XXXXXX", base);
    if (fits(out, err, errcap) != 0)
        return -1;
    if (!mkdtemp(out)) {
        snprintf(err, errcap, "cannot create a private directory in %s: %s", base, strerror(errno));
        return -1;
    }
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
        if (unlink(path) == 0)
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
