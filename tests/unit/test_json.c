/* Unit tests: the JSON writer and the flat-object reader. */
#include "../../src/core/json.h"
#include "check.h"

struct seen {
    char keys[16][32];
    char strs[16][256];
    long long nums[16];
    int types[16];
    int n;
};

static bool collect(const char *key, const struct json_value *v, void *ctx)
{
    struct seen *s = ctx;
    if (s->n >= 16)
        return false;
    snprintf(s->keys[s->n], sizeof s->keys[0], "%s", key);
    snprintf(s->strs[s->n], sizeof s->strs[0], "%s", v->type == JSON_STRING ? v->str : "");
    s->nums[s->n] = v->num;
    s->types[s->n++] = v->type;
    return true;
}

static int parse(const char *text, struct seen *s)
{
    memset(s, 0, sizeof *s);
    return json_parse_flat(text, strlen(text), collect, s);
}

static void writer_round_trip(void)
{
    char mem[256];
    struct jbuf jb;
    struct seen s;
    jbuf_init(&jb, mem, sizeof mem);
    json_open(&jb);
    json_int(&jb, "v", 1);
    json_str(&jb, "text", "say \"hi\"\\\n\x1b");
    json_bool(&jb, "ok", true);
    json_null(&jb, "errno");
    json_int(&jb, "neg", -42);
    json_close(&jb);
    CHECK(!jb.full);
    CHECK_STR(mem, "{\"v\":1,\"text\":\"say "
                   "\\\"hi\\\"\\\\\\u000a\\u001b\",\"ok\":true,\"errno\":null,\"neg\":-42}\n");
    CHECK(parse(mem, &s) == 0);
    CHECK(s.n == 5);
    CHECK_STR(s.strs[1], "say \"hi\"\\\n\x1b");
    CHECK(s.types[2] == JSON_BOOL && s.nums[2] == 1);
    CHECK(s.types[3] == JSON_NULL);
    CHECK(s.nums[4] == -42);
}

static void writer_bounds(void)
{
    char mem[16];
    struct jbuf jb;
    jbuf_init(&jb, mem, sizeof mem);
    json_open(&jb);
    json_str(&jb, "text", "far too long for sixteen bytes");
    CHECK(jb.full);
    /* Invalid UTF-8 comes out as U+FFFD, so the line stays valid JSON. */
    char ok[64];
    jbuf_init(&jb, ok, sizeof ok);
    json_open(&jb);
    json_str(&jb, "t", "a\xff");
    json_close(&jb);
    CHECK_STR(ok, "{\"t\":\"a\\ufffd\"}\n");
}

/* The edges of the control range: 0x1f is escaped, 0x20 and 0x7e are not,
 * 0x7f is. */
static void writer_control_edges(void)
{
    char mem[64];
    struct jbuf jb;
    jbuf_init(&jb, mem, sizeof mem);
    json_open(&jb);
    json_str(&jb, "t", "\x1f ~\x7f");
    json_close(&jb);
    CHECK_STR(mem, "{\"t\":\"\\u001f ~\\u007f\"}\n");
}

/* A line that needs exactly one byte more than the buffer: refused whole,
 * and nothing written past the end. */
static void writer_exact_fit(void)
{
    char mem[8];
    struct jbuf jb;
    memset(mem, 'X', sizeof mem);
    jbuf_init(&jb, mem, 3); /* "{}\n" needs 4 with its NUL */
    json_open(&jb);
    json_close(&jb);
    CHECK(jb.full);
    CHECK(mem[3] == 'X');
    jbuf_init(&jb, mem, 4);
    json_open(&jb);
    json_close(&jb);
    CHECK(!jb.full);
    CHECK_STR(mem, "{}\n");
}

static void reader_escapes(void)
{
    struct seen s;
    CHECK(parse("{\"a\":\"\\u0e2a\\ud83d\\ude00\\/\\t\"}", &s) == 0);
    CHECK_STR(s.strs[0], "\xe0\xb8\xaa\xf0\x9f\x98\x80/\t");
    CHECK(parse("{\"a\":\"\\ud800x\"}", &s) == 0); /* lone surrogate */
    CHECK_STR(s.strs[0], "\xef\xbf\xbdx");
    CHECK(parse("  { }  \n", &s) == 0 && s.n == 0);
    CHECK(parse("{\"a\":9223372036854775807}", &s) == 0 && s.nums[0] == 9223372036854775807LL);
}

static void reader_rejects(void)
{
    struct seen s;
    const char *bad[] = {
        "",
        "[]",
        "{",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{\"a\":{\"b\":1}}",
        "{\"a\":[1]}",
        "{\"a\":1} x",
        "{\"a\":\"unterminated}",
        "{\"a\":\"\\x41\"}",
        "{\"a\":\"\\u12g4\"}",
        "{\"a\":99999999999999999999999}",
        "{\"a\":9223372036854775808}", /* one over LLONG_MAX */
        "{\"a\":-9223372036854775809}",
        "{\"a\":tru}",
        "{\"a\":\"ctl\x01\"}",
        "{\"a\":\"\xff\"}",
        "{a:1}",
        "{\"a\":1.5}",
        "{\"a\":-}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(bad[i], &s);
        if (rc != -1)
            fprintf(stderr, "accepted: %s\n", bad[i]);
        CHECK(rc == -1);
    }
}

int main(void)
{
    writer_round_trip();
    writer_bounds();
    writer_control_edges();
    writer_exact_fit();
    reader_escapes();
    reader_rejects();
    return check_report();
}
