/* printer: events on stdout (see printer.h). */
#include "printer.h"

#include <stdio.h>
#include <unistd.h>

void printer_init(struct printer *p, const struct options *o, long long t0)
{
    p->o = o;
    p->t0 = t0;
    explain_init(&p->explain, o->mode, explain_width(STDOUT_FILENO));
}

void printer_event(struct printer *p, const struct event *ev)
{
    char line[EVENT_LINE_MAX + 64], lessons[8192];
    size_t n = p->o->format == FORMAT_JSONL ? event_to_json(ev, line, sizeof line)
                                            : event_to_text(ev, p->t0, line, sizeof line);
    if (n == 0)
        return;
    fwrite(line, 1, n, stdout);
    if (p->o->format == FORMAT_TEXT)
        fputc('\n', stdout);
    if (p->o->explain && (n = explain_event(&p->explain, ev, lessons, sizeof lessons)) > 0)
        fwrite(lessons, 1, n, stdout);
}
