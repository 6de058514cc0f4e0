/* fuzz_evrec: libFuzzer target for the binary records a peer writes into
 * its ring (evrec.h), which the parent decodes as untrusted input.
 *
 * The bytes are a record of their own size, copied to an aligned buffer
 * (as ring_peek() hands them over); once as they are, and once with the
 * size field set to the size, so that the fuzzer gets past that check at
 * once. Whatever the bytes, nothing may crash; a record that decodes gives
 * an event whose every string is safe to put on a terminal, which writes
 * as a JSON line that reads back as the same event, and as text. The
 * decoder keeps argument texts per call: a record decoded after another
 * one of the same call must get the text a fresh decoding gives. */
#include "../../src/core/escape.h"
#include "../../src/core/event.h"
#include "../../src/core/evrec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void assert_clean(const char *s)
{
    if (!escape_is_clean(s, strlen(s)))
        abort();
}

static void check_event(const struct event *ev)
{
    char out[EVENT_LINE_MAX], again_out[EVENT_LINE_MAX];
    struct event again;
    assert_clean(ev->src), assert_clean(ev->call), assert_clean(ev->args);
    assert_clean(ev->err), assert_clean(ev->errtext), assert_clean(ev->text);
    assert_clean(ev->peer), assert_clean(ev->state), assert_clean(ev->detail);
    event_to_text(ev, 0, out, sizeof out);
    assert_clean(out);
    /* Every event a record gives fits in a line, and reads back the same. */
    size_t n = event_to_json(ev, out, sizeof out);
    if (n == 0 || event_from_json(&again, out, n) != 0)
        abort();
    size_t m = event_to_json(&again, again_out, sizeof again_out);
    if (m != n || memcmp(out, again_out, n) != 0)
        abort();
}

/* The same call's record decoded fresh: another record of that call goes
 * first (another fd, so that the kept text cannot match), then this one. */
static void check_fresh_args(const struct evrec *h, size_t size, const struct event *ev)
{
    static _Alignas(8) unsigned char copy[MAX_INPUT];
    struct evrec other;
    struct event tmp;
    memcpy(&other, h, sizeof other);
    other.size = sizeof other;
    other.n[N_FD] ^= 1;
    memset(other.len, 0, sizeof other.len);
    if (evrec_to_event(&other, sizeof other, ROLE_CLIENT, 1, &tmp) != 0)
        abort();
    memcpy(copy, h, size);
    if (evrec_to_event(copy, size, ROLE_SERVER, 42, &tmp) != 0 || strcmp(tmp.args, ev->args) != 0)
        abort();
}

static void try_record(const unsigned char *rec, size_t size)
{
    struct event ev;
    if (evrec_to_event(rec, size, ROLE_SERVER, 42, &ev) != 0)
        return;
    const struct evrec *h = (const void *)rec;
    if (size < sizeof *h || h->size != size || ev.kind != h->kind || ev.t_us != h->t_us)
        abort();
    check_event(&ev);
    if (h->kind == EV_CALL)
        check_fresh_args(h, size, &ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static _Alignas(8) unsigned char rec[MAX_INPUT];
    if (size > sizeof rec)
        return 0;
    memcpy(rec, data, size);
    try_record(rec, size);
    if (size >= sizeof(struct evrec)) {
        uint32_t n = (uint32_t)size;
        memcpy(rec, data, size);
        memcpy(rec, &n, sizeof n);
        try_record(rec, size);
    }
    return 0;
}
