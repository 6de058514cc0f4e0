/* Unit tests: sources, the peers' files built into the binary. Each is
 * the file in src/peers byte for byte; every peer file that makes a traced
 * call is there; a src splits into its file and line; lines come out whole. */
#include "../../src/core/sources.h"
#include "check.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#define PEERS SOCKSCOPE_SOURCE_DIR "/src/peers"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 1 << 20);
    size_t n = f ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Each built-in file is the one on disk, and every file in src/peers that
 * makes a traced call (but trace.c, which defines them) is built in. */
static void same_as_disk(void)
{
    const struct source_file *f;
    char path[1024];
    int n = 0;
    for (int i = 0; (f = sources_at(i)) != NULL; i++, n++) {
        snprintf(path, sizeof path, "%s/%s", PEERS, f->name);
        char *disk = slurp(path);
        if (strcmp(disk, f->text) != 0)
            fprintf(stderr, "%s: the built-in copy differs from %s\n", f->name, path);
        CHECK(strcmp(disk, f->text) == 0);
        free(disk);
    }
    CHECK(n >= 5);
    DIR *d = opendir(PEERS);
    CHECK(d != NULL);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0 || strcmp(e->d_name, "trace.c") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", PEERS, e->d_name);
        char *text = slurp(path);
        if (strstr(text, "traced_") && !sources_find(e->d_name))
            fprintf(stderr, "%s makes traced calls but is not built in (CMakeLists.txt)\n",
                    e->d_name);
        CHECK(!strstr(text, "traced_") || sources_find(e->d_name) != NULL);
        free(text);
    }
    if (d)
        closedir(d);
}

static void find_and_split(void)
{
    char name[48];
    int line = 0;
    CHECK(sources_find("stream_server.c") != NULL);
    CHECK(sources_find("/any/dir/dgram_client.c") == sources_find("dgram_client.c"));
    CHECK(sources_find("trace.c") == NULL);
    CHECK(sources_find("") == NULL);
    CHECK(sources_split("stream_server.c:57", name, sizeof name, &line));
    CHECK_STR(name, "stream_server.c");
    CHECK(line == 57);
    CHECK(!sources_split("stream_server.c", name, sizeof name, &line));
    CHECK(!sources_split("stream_server.c:", name, sizeof name, &line));
    CHECK(!sources_split("stream_server.c:0", name, sizeof name, &line));
    CHECK(!sources_split("stream_server.c:5x", name, sizeof name, &line));
    CHECK(!sources_split(":5", name, sizeof name, &line));
    CHECK(!sources_split("a_name_much_too_long_for_the_buffer_given.c:5", name, 8, &line));
}

static void lines(void)
{
    const struct source_file f = {"x.c", "one\n\ttwo\n\nlast"};
    const struct source_file g = {"y.c", "a\nb\n"};
    const char *s;
    size_t n;
    CHECK(sources_line_count(&f) == 4);
    CHECK(sources_line_count(&g) == 2);
    CHECK(sources_line(&f, 1, &s, &n) && n == 3 && strncmp(s, "one", 3) == 0);
    CHECK(sources_line(&f, 2, &s, &n) && n == 4 && strncmp(s, "\ttwo", 4) == 0);
    CHECK(sources_line(&f, 3, &s, &n) && n == 0);
    CHECK(sources_line(&f, 4, &s, &n) && n == 4 && strncmp(s, "last", 4) == 0);
    CHECK(!sources_line(&f, 5, &s, &n));
    CHECK(!sources_line(&f, 0, &s, &n));
    CHECK(!sources_line(&g, 3, &s, &n));
    /* A real file: its first line is its opening comment. */
    const struct source_file *real = sources_find("stream_server.c");
    CHECK(real && sources_line(real, 1, &s, &n) && strncmp(s, "/* stream_server", 16) == 0);
}

int main(void)
{
    same_as_disk();
    find_and_split();
    lines();
    return check_report();
}
