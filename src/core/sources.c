/* sources: the peers' built-in sources (see sources.h). */
#include "sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Written by cmake/embed.cmake (CMakeLists.txt: SOCKSCOPE_PEER_SOURCES):
 * each file's bytes, then a NUL. */
extern const char peer_source_stream_server[], peer_source_stream_client[],
    peer_source_dgram_server[], peer_source_dgram_client[], peer_source_peer[];

static const struct source_file files[] = {
    {"stream_server.c", peer_source_stream_server},
    {"stream_client.c", peer_source_stream_client},
    {"dgram_server.c", peer_source_dgram_server},
    {"dgram_client.c", peer_source_dgram_client},
    {"peer.c", peer_source_peer},
};

const struct source_file *sources_at(int i)
{
    if (i < 0 || (size_t)i >= sizeof files / sizeof files[0])
        return NULL;
    return &files[i];
}

const struct source_file *sources_find(const char *name)
{
    const char *slash = strrchr(name, '/');
    const struct source_file *f;
    if (slash)
        name = slash + 1;
    for (int i = 0; (f = sources_at(i)) != NULL; i++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

bool sources_split(const char *src, char *name, size_t cap, int *line)
{
    const char *colon = strrchr(src, ':');
    char *end;
    if (!colon || colon == src || (size_t)(colon - src) >= cap || colon[1] < '1' || colon[1] > '9')
        return false;
    long n = strtol(colon + 1, &end, 10);
    if (*end != '\0' || n > 1000000)
        return false;
    snprintf(name, cap, "%.*s", (int)(colon - src), src);
    *line = (int)n;
    return true;
}

int sources_line_count(const struct source_file *f)
{
    size_t len = strlen(f->text);
    int n = 0;
    for (size_t i = 0; i < len; i++)
        n += f->text[i] == '\n';
    return n + (len > 0 && f->text[len - 1] != '\n');
}

bool sources_line(const struct source_file *f, int n, const char **start, size_t *len)
{
    const char *p = f->text, *end = f->text + strlen(f->text);
    for (int i = 1; i < n && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    if (n < 1 || p >= end)
        return false;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *start = p;
    *len = (size_t)((nl ? nl : end) - p);
    return true;
}
