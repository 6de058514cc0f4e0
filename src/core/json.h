/* json: the small piece of JSON that event lines need.
 *
 * Writing: a bounded buffer that is filled key by key and never overflows
 * (it remembers that it ran out of room instead).
 * Reading: one flat object per line -- string, integer, true/false/null
 * values, no nesting -- handed to a callback key by key. The reader is the
 * first thing untrusted peer output meets, so it is strict, bounded and
 * fuzzed.
 */
#ifndef SOCKSCOPE_JSON_H
#define SOCKSCOPE_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct jbuf {
    char *p;
    size_t len, cap;
    bool full; /* something did not fit; the content is unusable */
};

/* Keys are plain ASCII names, written as they are. */
void jbuf_init(struct jbuf *jb, char *mem, size_t cap);
void json_open(struct jbuf *jb);
void json_close(struct jbuf *jb); /* ends the object and the line ("}\n") */
void json_str(struct jbuf *jb, const char *key, const char *val);
void json_int(struct jbuf *jb, const char *key, long long val);
void json_bool(struct jbuf *jb, const char *key, bool val);
void json_null(struct jbuf *jb, const char *key);

enum json_type { JSON_STRING, JSON_INT, JSON_BOOL, JSON_NULL };

struct json_value {
    enum json_type type;
    const char *str; /* JSON_STRING: unescaped, NUL-terminated, valid UTF-8 */
    size_t len;
    long long num; /* JSON_INT; JSON_BOOL as 0/1 */
};

/* Called once per member; return false to stop and fail the parse. */
typedef bool (*json_member_fn)(const char *key, const struct json_value *v, void *ctx);

/* Longest string value json_parse_flat() hands over, in bytes. */
#define JSON_STRING_MAX 4096

/* Parses s[0..n) as one flat object (a trailing newline is allowed).
 * Returns 0, or -1 when the text is not such an object. */
int json_parse_flat(const char *s, size_t n, json_member_fn fn, void *ctx);

#endif
