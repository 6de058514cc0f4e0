/* Unit tests: the command line, good and bad. */
#include "../../src/core/options.h"
#include "check.h"

static int parse_argv(struct options *o, char *err, const char *args[])
{
    int argc = 1;
    while (args[argc])
        argc++;
    return options_parse(argc, (char **)args, o, err, 256);
}

/* parse(o, err, "client", "--count", "3", NULL): the words after the program name. */
#define parse(o, err, ...) parse_argv(o, err, (const char *[]){"sockscope", __VA_ARGS__, NULL})

static void defaults(void)
{
    struct options o;
    char err[256];
    CHECK(parse(&o, err, NULL, NULL, NULL, NULL) == 0 && o.cmd == CMD_UI);
    CHECK(parse(&o, err, "client", NULL, NULL, NULL) == 0);
    CHECK(o.cmd == CMD_CLIENT && o.mode == MODE_STREAM && o.count == 0 && o.interval == 1.0);
    CHECK(o.pad == 1024 && o.buffer == 1024 && o.event_fd == -1 && o.gate_fd == -1);
    CHECK_STR(o.message, "How are you !!!");
    CHECK(parse(&o, err, "server", NULL, NULL, NULL) == 0 && o.backlog == 12);
    CHECK_STR(o.message, "OK,I got it!");
    CHECK(parse(&o, err, "run", NULL, NULL, NULL) == 0 && o.count == 5);
}

static void good_values(void)
{
    struct options o;
    char err[256];
    CHECK(parse(&o, err, "client", "--interval", "0.2", "--mode=dgram") == 0);
    CHECK(o.interval == 0.2 && o.mode == MODE_DGRAM);
    CHECK(parse(&o, err, "server", "--path", "/tmp/ipc_tcp_server.sock", "--format=jsonl") == 0);
    CHECK_STR(o.server_path, "/tmp/ipc_tcp_server.sock");
    CHECK(o.format == FORMAT_JSONL);
    CHECK(parse(&o, err, "client", "--pad", "0", "--message=hi") == 0 && o.pad == 0);
    CHECK(parse(&o, err, "server", "--event-fd", "3", "--gate-fd", "4") == 0);
    CHECK(o.event_fd == 3 && o.gate_fd == 4);
    CHECK(parse(&o, err, "run", "--mode", "udp", NULL, NULL) == 0 && o.mode == MODE_DGRAM);
    CHECK(parse(&o, err, "server", "--help", NULL, NULL) == 0 && o.help);
}

/* The ends of each range are accepted, and the message may fill the pad. */
static void edges(void)
{
    struct options o;
    char err[256];
    CHECK(parse(&o, err, "client", "--pad", "1048576", NULL) == 0 && o.pad == 1048576);
    CHECK(parse(&o, err, "client", "--buffer", "1048576", NULL) == 0 && o.buffer == 1048576);
    CHECK(parse(&o, err, "client", "--buffer", "1", NULL) == 0 && o.buffer == 1);
    CHECK(parse(&o, err, "server", "--backlog", "4096", NULL) == 0 && o.backlog == 4096);
    CHECK(parse(&o, err, "client", "--event-fd", "3", "--gate-fd", "1023") == 0);
    CHECK(o.event_fd == 3 && o.gate_fd == 1023);
    CHECK(parse(&o, err, "client", "--interval", "3600", NULL) == 0 && o.interval == 3600);
    CHECK(parse(&o, err, "client", "--interval", "0", NULL) == 0 && o.interval == 0);
    CHECK(parse(&o, err, "client", "--pad", "15", NULL) == 0); /* "How are you !!!" */
    CHECK(parse(&o, err, "client", "--count", "1000000000", NULL) == 0);
}

static void expect_usage_error(const char *a1, const char *a2, const char *a3, const char *a4,
                               const char *fragment)
{
    struct options o;
    char err[256];
    int rc = parse(&o, err, a1, a2, a3, a4);
    CHECK(rc == 2);
    if (!strstr(err, fragment))
        fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err, fragment);
    CHECK(strstr(err, fragment) != NULL);
}

static void bad_input(void)
{
    char long_path[200];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[0] = '/';
    long_path[sizeof long_path - 1] = '\0';
    expect_usage_error("server", "--path", long_path, NULL, "at most 107");
    expect_usage_error("dance", NULL, NULL, NULL, "unknown command 'dance'");
    expect_usage_error("server", "--frobnicate", NULL, NULL, "unknown option '--frobnicate'");
    expect_usage_error("server", "--interval", "1", NULL,
                       "unknown option '--interval' for 'sockscope server'");
    expect_usage_error("client", "--count", NULL, NULL, "--count needs a value");
    expect_usage_error("client", "--count", "ten", NULL, "--count takes");
    expect_usage_error("client", "--count", "-1", NULL, "--count takes");
    expect_usage_error("client", "--count", "5x", NULL, "--count takes");
    expect_usage_error("client", "--interval", "-1", NULL, "--interval takes");
    expect_usage_error("client", "--interval", "nan", NULL, "--interval takes");
    expect_usage_error("client", "--buffer", "0", NULL, "--buffer takes");
    expect_usage_error("client", "--pad", "99999999", NULL, "--pad takes");
    expect_usage_error("client", "--pad", "1048577", NULL, "--pad takes");
    expect_usage_error("client", "--buffer", "1048577", NULL, "--buffer takes");
    expect_usage_error("server", "--backlog", "4097", NULL, "--backlog takes");
    expect_usage_error("client", "--count", "1000000001", NULL, "--count takes");
    expect_usage_error("client", "--interval", "3601", NULL, "--interval takes");
    expect_usage_error("client", "--event-fd", "2", NULL, "--event-fd takes");
    expect_usage_error("client", "--gate-fd", "1024", NULL, "--gate-fd takes");
    expect_usage_error("client", "--pad", "14", NULL, "must fit");
    expect_usage_error("client", "--mode", "raw", NULL, "--mode takes stream or dgram");
    expect_usage_error("client", "--format", "xml", NULL, "--format takes text or jsonl");
    expect_usage_error("client", "--pad", "4", NULL, "must fit");
    expect_usage_error("client", "--server-path", "", NULL, "cannot be empty");
    expect_usage_error("client", "stray", NULL, NULL, "unexpected argument 'stray'");
    expect_usage_error("server", "--event-fd", "1", NULL, "--event-fd takes");
    expect_usage_error("ui", "--ascii=yes", NULL, NULL, "takes no value");
}

/* Numbers are plain decimal: digits only (seconds: digits and at most one
 * '.'). strtoll and strtod alone took a leading space or sign, hex and
 * exponents: --interval 0x10 was 16 s. */
static void plain_decimal_only(void)
{
    struct options o;
    char err[256];
    expect_usage_error("client", "--interval", "0x10", NULL,
                       "--interval takes seconds from 0 to 3600 (0.2 is fine), not '0x10'");
    expect_usage_error("client", "--interval", " 1", NULL, "--interval takes");
    expect_usage_error("client", "--interval", "+1", NULL, "--interval takes");
    expect_usage_error("client", "--interval", "1e2", NULL, "--interval takes");
    expect_usage_error("client", "--interval", "inf", NULL, "--interval takes");
    expect_usage_error("client", "--interval", "1.2.3", NULL, "--interval takes");
    expect_usage_error("client", "--interval", ".", NULL, "--interval takes");
    expect_usage_error("client", "--interval", "", NULL, "--interval takes");
    expect_usage_error("client", "--interval", "1 ", NULL, "--interval takes");
    expect_usage_error("client", "--count", " 5", NULL,
                       "--count takes a whole number from 0 (no end) up, not ' 5'");
    expect_usage_error("client", "--count", "+5", NULL, "--count takes");
    expect_usage_error("client", "--count", "0x10", NULL, "--count takes");
    expect_usage_error("client", "--count", "", NULL, "--count takes");
    expect_usage_error("client", "--count", "\t5", NULL, "--count takes");
    expect_usage_error("client", "--pad", "+5", NULL,
                       "--pad takes a byte count from 0 to 1048576, not '+5'");
    expect_usage_error("client", "--pad", "+64", NULL, "--pad takes");
    expect_usage_error("client", "--buffer", " 64", NULL, "--buffer takes");
    expect_usage_error("server", "--backlog", "010x", NULL, "--backlog takes");
    expect_usage_error("client", "--burst", "0x2", NULL, "--burst takes");
    expect_usage_error("server", "--event-fd", " 3", NULL, "--event-fd takes");
    expect_usage_error("client", "--gate-fd", "+4", NULL, "--gate-fd takes");
    expect_usage_error("client", "--count", "99999999999999999999", NULL, "--count takes");
    /* Plain decimal still reads as before, leading zeros included. */
    CHECK(parse(&o, err, "client", "--interval", "0.25", NULL) == 0 && o.interval == 0.25);
    CHECK(parse(&o, err, "client", "--interval", ".5", NULL) == 0 && o.interval == 0.5);
    CHECK(parse(&o, err, "client", "--interval", "2.", NULL) == 0 && o.interval == 2);
    CHECK(parse(&o, err, "client", "--interval", "010", NULL) == 0 && o.interval == 10);
    CHECK(parse(&o, err, "client", "--count", "007", NULL) == 0 && o.count == 7);
    CHECK(parse(&o, err, "client", "--pad", "64", "--burst=3") == 0 && o.pad == 64);
    CHECK(o.burst == 3);
}

/* bench runs a fixed number of exchanges: 0 (elsewhere "until stopped")
 * would never end, so it is refused; run, server and client keep it. */
static void bench_count(void)
{
    struct options o;
    char err[256];
    expect_usage_error("bench", "--count", "0", NULL, "--count");
    expect_usage_error("bench", "--count=0", NULL, NULL, "from 1");
    CHECK(parse(&o, err, "bench", NULL, NULL, NULL) == 0 && o.count == 20000);
    CHECK(parse(&o, err, "bench", "--count", "1", NULL) == 0 && o.count == 1);
    CHECK(parse(&o, err, "run", "--count", "0", NULL) == 0 && o.count == 0);
    CHECK(parse(&o, err, "client", "--count", "0", NULL) == 0 && o.count == 0);
}

int main(void)
{
    defaults();
    good_values();
    edges();
    bad_input();
    plain_decimal_only();
    bench_count();
    return check_report();
}
