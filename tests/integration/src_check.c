/* src_check: is the line a call's "src" names the line that makes it?
 *
 *   src_check SRCDIR < transcript.jsonl
 *
 * For every call's enter event in a JSONL transcript (sockscope run
 * --format jsonl): its src ("stream_server.c:57") names a file built into
 * sockscope (sources.h) whose line there makes that very call:
 * "traced_accept(" for accept(); and the file of that name in SRCDIR says
 * the same at that line. That line is the one the lab's code pane lights,
 * so what is lit is the call Space makes. Prints each mismatch and a
 * summary ("checked N calls"); exits 0 when there was at least one call and
 * every one matched, 1 otherwise. */
#include "../../src/core/event.h"
#include "../../src/core/sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line n of SRCDIR/name, without its newline, into out; false when none. */
static bool disk_line(const char *dir, const char *name, int n, char *out, size_t cap)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    bool found = false;
    if (!f)
        return false;
    for (int i = 1; fgets(out, (int)cap, f); i++)
        if (i == n) {
            out[strcspn(out, "\n")] = '\0';
            found = true;
            break;
        }
    fclose(f);
    return found;
}

int main(int argc, char **argv)
{
    char line[EVENT_LINE_MAX + 2], name[EVENT_SRC_MAX], want[EVENT_NAME_MAX + 16];
    char disk[4096], text[4096];
    long checked = 0, bad = 0;
    if (argc != 2) {
        fprintf(stderr, "usage: src_check SRCDIR < transcript.jsonl\n");
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        struct event ev;
        const struct source_file *f = NULL;
        const char *start;
        size_t len;
        int n = 0;
        if (event_from_json(&ev, line, strcspn(line, "\n")) != 0 || ev.kind != EV_CALL ||
            ev.phase != PHASE_ENTER)
            continue;
        checked++;
        snprintf(want, sizeof want, "traced_%s(", ev.call);
        if (!sources_split(ev.src, name, sizeof name, &n) || !(f = sources_find(name)) ||
            !sources_line(f, n, &start, &len)) {
            printf("%s %lld %s(): src \"%s\" names no line built into sockscope\n",
                   event_role_name(ev.role), ev.seq, ev.call, ev.src);
            bad++;
            continue;
        }
        snprintf(text, sizeof text, "%.*s", (int)len, start);
        if (!strstr(text, want)) {
            printf("%s %lld %s(): %s is \"%s\", which does not make it\n", event_role_name(ev.role),
                   ev.seq, ev.call, ev.src, text);
            bad++;
        }
        if (!disk_line(argv[1], name, n, disk, sizeof disk) || strcmp(disk, text) != 0) {
            printf("%s %lld %s(): %s in %s is not what sockscope has built in\n",
                   event_role_name(ev.role), ev.seq, ev.call, ev.src, argv[1]);
            bad++;
        }
    }
    printf("checked %ld calls, %ld wrong\n", checked, bad);
    return checked > 0 && bad == 0 ? 0 : 1;
}
