/* fuzz_event: libFuzzer target for the first code that meets peer output:
 * the line splitter, the JSON reader and the event parser. Whatever the
 * bytes, nothing may crash, and every string that comes out must be safe
 * to put on a terminal. */
#include "../../src/core/escape.h"
#include "../../src/core/event.h"
#include "../../src/core/linebuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void assert_clean(const char *s)
{
    if (!escape_is_clean(s, strlen(s)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct linebuf lb;
    const char *line;
    size_t len, off = 0;
    struct event ev;
    char out[EVENT_LINE_MAX];
    linebuf_init(&lb);
    while (off < size) {
        off += linebuf_add(&lb, (const char *)data + off, size - off);
        while (linebuf_next(&lb, &line, &len)) {
            if (event_from_json(&ev, line, len) != 0)
                continue;
            assert_clean(ev.call), assert_clean(ev.args), assert_clean(ev.text);
            assert_clean(ev.peer), assert_clean(ev.state), assert_clean(ev.detail);
            assert_clean(ev.err), assert_clean(ev.errtext);
            event_to_text(&ev, 0, out, sizeof out);
            assert_clean(out);
            /* What we parsed, we can write again and read back the same. */
            size_t n = event_to_json(&ev, out, sizeof out);
            struct event again;
            if (n && event_from_json(&again, out, n) != 0)
                abort();
        }
    }
    linebuf_finish(&lb);
    return 0;
}
