/* options: one table of flags for every subcommand (see options.h). */
#include "options.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ON(c) (1u << (c))

enum opt_id {
    OPT_MODE,
    OPT_PATH,
    OPT_SERVER_PATH,
    OPT_CLIENT_PATH,
    OPT_COUNT,
    OPT_INTERVAL,
    OPT_MESSAGE,
    OPT_PAD,
    OPT_BUFFER,
    OPT_BACKLOG,
    OPT_BURST,
    OPT_NO_CLAIM,
    OPT_EXPERIMENT,
    OPT_LANG,
    OPT_LESSONS,
    OPT_FORMAT,
    OPT_EVENT_FD,
    OPT_GATE_FD,
    OPT_RING_FD,
    OPT_ASCII,
    OPT_TOUR,
    OPT_EXPLAIN,
    OPT_JSON,
    OPT_BASELINE,
    OPT_ROUNDS,
    OPT_HELP,
};

static const struct opt_spec {
    const char *name;
    enum opt_id id;
    unsigned commands; /* which subcommands take it */
    bool takes_value;
} specs[] = {
    {"mode", OPT_MODE, ON(CMD_SERVER) | ON(CMD_CLIENT) | ON(CMD_RUN) | ON(CMD_UI) | ON(CMD_BENCH),
     true},
    {"path", OPT_PATH, ON(CMD_SERVER), true},
    {"server-path", OPT_SERVER_PATH, ON(CMD_CLIENT), true},
    {"client-path", OPT_CLIENT_PATH, ON(CMD_CLIENT), true},
    {"count", OPT_COUNT, ON(CMD_SERVER) | ON(CMD_CLIENT) | ON(CMD_RUN) | ON(CMD_BENCH), true},
    {"interval", OPT_INTERVAL, ON(CMD_CLIENT) | ON(CMD_RUN), true},
    {"message", OPT_MESSAGE, ON(CMD_SERVER) | ON(CMD_CLIENT), true},
    {"pad", OPT_PAD, ON(CMD_SERVER) | ON(CMD_CLIENT) | ON(CMD_RUN), true},
    {"buffer", OPT_BUFFER, ON(CMD_SERVER) | ON(CMD_CLIENT) | ON(CMD_RUN), true},
    {"backlog", OPT_BACKLOG, ON(CMD_SERVER), true},
    {"burst", OPT_BURST, ON(CMD_CLIENT) | ON(CMD_RUN), true},
    {"no-claim", OPT_NO_CLAIM, ON(CMD_SERVER), false},
    {"experiment", OPT_EXPERIMENT, ON(CMD_RUN), true},
    {"lang", OPT_LANG, ON(CMD_UI) | ON(CMD_RUN), true},
    {"lessons", OPT_LESSONS, ON(CMD_UI) | ON(CMD_RUN), true},
    {"format", OPT_FORMAT, ON(CMD_SERVER) | ON(CMD_CLIENT) | ON(CMD_RUN), true},
    {"event-fd", OPT_EVENT_FD, ON(CMD_SERVER) | ON(CMD_CLIENT), true},
    {"gate-fd", OPT_GATE_FD, ON(CMD_SERVER) | ON(CMD_CLIENT), true},
    {"ring-fd", OPT_RING_FD, ON(CMD_SERVER) | ON(CMD_CLIENT), true},
    {"ascii", OPT_ASCII, ON(CMD_UI), false},
    {"tour", OPT_TOUR, ON(CMD_UI), false},
    {"explain", OPT_EXPLAIN, ON(CMD_RUN), false},
    {"json", OPT_JSON, ON(CMD_BENCH), false},
    {"baseline", OPT_BASELINE, ON(CMD_BENCH), true},
    {"rounds", OPT_ROUNDS, ON(CMD_BENCH), true},
    {"help", OPT_HELP, ~0u, false},
};

static const char *const command_names[] = {"ui",    "run",  "server", "client",
                                            "bench", "help", "version"};

const char *command_name(enum command c)
{
    return command_names[c];
}

const char *mode_name(enum sock_mode m)
{
    return m == MODE_STREAM ? "stream" : "dgram";
}

/* Writes a usage message and returns 2, the usage exit status. */
__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return 2;
}

/* True when s is plain decimal: one digit or more, and (when point_ok) at
 * most one '.'. strtoll and strtod alone would also take leading spaces, a
 * sign, hex ("0x10") and, for seconds, exponents, "inf" and "nan". */
static bool plain_decimal(const char *s, bool point_ok)
{
    size_t digits = 0, points = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (*s == '.' && point_ok && points == 0)
            points++;
        else
            return false;
    }
    return digits > 0;
}

static int parse_int(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    if (!plain_decimal(s, false))
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_seconds(const char *s, double *out)
{
    char *end;
    if (!plain_decimal(s, true))
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 3600)
        return -1;
    *out = v;
    return 0;
}

static int set_path(char *dst, const char *src, char *err, size_t cap)
{
    if (!*src)
        return fail(err, cap, "a socket path cannot be empty");
    if (strlen(src) > SOCK_PATH_MAX) {
        return fail(
            err, cap,
            "socket path is %zu bytes long; a Unix socket address (sun_path) holds at most %d",
            strlen(src), SOCK_PATH_MAX);
    }
    strcpy(dst, src);
    return 0;
}

/* Ranges for the numeric flags: {id, lowest, highest, what to say}. */
static const struct {
    enum opt_id id;
    long long lo, hi;
    const char *expect;
} ranges[] = {
    {OPT_COUNT, 0, 1000000000, "a whole number from 0 (no end) up"},
    {OPT_PAD, 0, MAX_MESSAGE, "a byte count from 0 to 1048576"},
    {OPT_BUFFER, 1, MAX_MESSAGE, "a byte count from 1 to 1048576"},
    {OPT_BACKLOG, 1, 4096, "a number from 1 to 4096"},
    {OPT_BURST, 1, 64, "a number of messages from 1 to 64"},
    {OPT_EVENT_FD, 3, 1023, "an open file descriptor from 3 to 1023"},
    {OPT_GATE_FD, 3, 1023, "an open file descriptor from 3 to 1023"},
    {OPT_RING_FD, 3, 1023, "an open file descriptor from 3 to 1023"},
    {OPT_ROUNDS, 1, BENCH_MAX_ROUNDS, "a number of rounds from 1 to 100"},
};

/* Stores a checked number in the field its flag names. */
static void store_int(struct options *o, enum opt_id id, long long v)
{
    switch (id) {
    case OPT_COUNT:
        o->count = v;
        break;
    case OPT_PAD:
        o->pad = v;
        break;
    case OPT_BUFFER:
        o->buffer = v;
        break;
    case OPT_BACKLOG:
        o->backlog = v;
        break;
    case OPT_BURST:
        o->burst = v;
        break;
    case OPT_EVENT_FD:
        o->event_fd = (int)v;
        break;
    case OPT_GATE_FD:
        o->gate_fd = (int)v;
        break;
    case OPT_RING_FD:
        o->ring_fd = (int)v;
        break;
    case OPT_ROUNDS:
        o->rounds = (int)v;
        break;
    default:
        break;
    }
}

static int apply_int(struct options *o, const struct opt_spec *sp, const char *val, char *err,
                     size_t cap)
{
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        long long v;
        if (ranges[i].id != sp->id)
            continue;
        if (parse_int(val, ranges[i].lo, ranges[i].hi, &v) != 0) {
            return fail(err, cap, "--%s takes %s, not '%s'", sp->name, ranges[i].expect, val);
        }
        /* bench passes its count to `sockscope run`, where 0 means no end. */
        if (sp->id == OPT_COUNT && o->cmd == CMD_BENCH && v == 0)
            return fail(err, cap,
                        "--count takes a whole number from 1 up for 'sockscope bench' (0 would "
                        "never end), not '%s'",
                        val);
        store_int(o, sp->id, v);
        return 0;
    }
    return fail(err, cap, "internal: no range for --%s", sp->name);
}

static int apply(struct options *o, const struct opt_spec *sp, const char *val, char *err,
                 size_t cap)
{
    switch (sp->id) {
    case OPT_MODE:
        o->both_modes = false;
        if (strcmp(val, "stream") == 0 || strcmp(val, "tcp") == 0)
            o->mode = MODE_STREAM;
        else if (strcmp(val, "dgram") == 0 || strcmp(val, "udp") == 0)
            o->mode = MODE_DGRAM;
        else if (strcmp(val, "both") == 0 && o->cmd == CMD_BENCH)
            o->both_modes = true;
        else if (o->cmd == CMD_BENCH)
            return fail(err, cap, "--mode takes stream, dgram or both, not '%s'", val);
        else
            return fail(err, cap, "--mode takes stream or dgram, not '%s'", val);
        return 0;
    case OPT_PATH:
    case OPT_SERVER_PATH:
        return set_path(o->server_path, val, err, cap);
    case OPT_CLIENT_PATH:
        return set_path(o->client_path, val, err, cap);
    case OPT_INTERVAL:
        o->interval_set = true;
        if (parse_seconds(val, &o->interval) != 0)
            return fail(err, cap, "--interval takes seconds from 0 to 3600 (0.2 is fine), not '%s'",
                        val);
        return 0;
    case OPT_MESSAGE:
        if (strlen(val) > MAX_MESSAGE)
            return fail(err, cap, "--message is longer than 1048576 bytes");
        o->message = val;
        return 0;
    case OPT_FORMAT:
        if (strcmp(val, "text") == 0)
            o->format = FORMAT_TEXT;
        else if (strcmp(val, "jsonl") == 0)
            o->format = FORMAT_JSONL;
        else
            return fail(err, cap, "--format takes text or jsonl, not '%s'", val);
        return 0;
    case OPT_ASCII:
        o->ascii = true;
        return 0;
    case OPT_TOUR:
        o->tour = true;
        return 0;
    case OPT_EXPLAIN:
        o->explain = true;
        return 0;
    case OPT_JSON:
        o->json = true;
        return 0;
    case OPT_BASELINE:
        /* Whether it can be run is bench's to find out: no I/O here. */
        if (!*val)
            return fail(err, cap, "--baseline takes the path of another sockscope program");
        o->baseline = val;
        return 0;
    case OPT_LANG:
        if (strcmp(val, "en") != 0 && strcmp(val, "th") != 0)
            return fail(err, cap, "--lang takes en or th, not '%s'", val);
        o->lang = val;
        return 0;
    case OPT_LESSONS:
        if (!*val)
            return fail(err, cap, "--lessons takes a directory");
        o->lessons = val;
        return 0;
    case OPT_NO_CLAIM:
        o->no_claim = true;
        return 0;
    case OPT_EXPERIMENT:
        if (!experiment_known(val))
            return fail(err, cap, "--experiment takes one of: %s; not '%s'", EXPERIMENT_NAMES, val);
        o->experiment = val;
        return 0;
    case OPT_HELP:
        o->help = true;
        return 0;
    default:
        return apply_int(o, sp, val, err, cap);
    }
}

static void set_defaults(struct options *o)
{
    memset(o, 0, sizeof *o);
    o->cmd = CMD_UI;
    o->mode = MODE_STREAM;
    o->interval = 1.0;
    o->pad = DEFAULT_PAD;
    o->buffer = DEFAULT_BUFFER;
    o->backlog = DEFAULT_BACKLOG;
    o->burst = 1;
    o->event_fd = o->gate_fd = o->ring_fd = -1;
}

bool experiment_known(const char *name)
{
    static const char *const names[] = {EXPERIMENT_LIST};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static int parse_command(const char *word, enum command *c)
{
    static const struct {
        const char *word;
        enum command cmd;
    } words[] = {
        {"ui", CMD_UI},           {"run", CMD_RUN},
        {"server", CMD_SERVER},   {"client", CMD_CLIENT},
        {"bench", CMD_BENCH},     {"help", CMD_HELP},
        {"--help", CMD_HELP},     {"-h", CMD_HELP},
        {"version", CMD_VERSION}, {"--version", CMD_VERSION},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(word, words[i].word) == 0) {
            *c = words[i].cmd;
            return 0;
        }
    return -1;
}

static const struct opt_spec *find_spec(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (strlen(specs[i].name) == len && strncmp(specs[i].name, name, len) == 0)
            return &specs[i];
    return NULL;
}

/* Final checks that need several flags at once. */
static int check_combination(struct options *o, char *err, size_t cap)
{
    if (!o->message)
        o->message = o->cmd == CMD_SERVER ? DEFAULT_SERVER_MESSAGE : DEFAULT_CLIENT_MESSAGE;
    if (o->pad > 0 && (long long)strlen(o->message) > o->pad)
        return fail(
            err, cap,
            "--message is %zu bytes but --pad is %lld: the text must fit in the padded message",
            strlen(o->message), o->pad);
    if (o->explain && o->format == FORMAT_JSONL)
        return fail(err, cap,
                    "--explain puts lessons between the text lines: it cannot be used with "
                    "--format jsonl");
    return 0;
}

int options_parse(int argc, char **argv, struct options *o, char *err, size_t cap)
{
    int i = 1;
    set_defaults(o);
    err[0] = '\0';
    if (argc > 1 && argv[1][0] != '-') {
        if (parse_command(argv[1], &o->cmd) != 0) {
            o->cmd = CMD_HELP; /* the usage that follows lists the commands */
            return fail(err, cap, "unknown command '%s'", argv[1]);
        }
        i = 2;
    } else if (argc > 1 && parse_command(argv[1], &o->cmd) == 0) {
        i = 2; /* --help, --version */
    }
    if (o->cmd == CMD_RUN || o->cmd == CMD_BENCH)
        o->count = o->cmd == CMD_RUN ? 5 : 20000;
    o->both_modes = o->cmd == CMD_BENCH;
    o->rounds = BENCH_ROUNDS;
    for (; i < argc; i++) {
        const char *arg = argv[i], *eq, *val = NULL;
        if (strncmp(arg, "--", 2) != 0)
            return fail(err, cap, "unexpected argument '%s'", arg);
        eq = strchr(arg + 2, '=');
        const struct opt_spec *sp =
            find_spec(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
        if (!sp || !(sp->commands & ON(o->cmd))) {
            return fail(err, cap, "unknown option '%s' for 'sockscope %s'", arg,
                        command_name(o->cmd));
        }
        if (sp->takes_value) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                return fail(err, cap, "%s needs a value", arg);
        } else if (eq) {
            return fail(err, cap, "%s takes no value", sp->name);
        }
        int rc = apply(o, sp, val ? val : "", err, cap);
        if (rc)
            return rc;
    }
    return check_combination(o, err, cap);
}

static const char usage_all[] =
    "usage: sockscope [ui] [--mode stream|dgram] [--ascii] [--lang en|th] [--tour]\n"
    "       sockscope run    [--mode stream|dgram] [--count N] [--interval S] [--format "
    "text|jsonl]\n"
    "       sockscope server [--mode stream|dgram] [--path P] [--count N] [--format text|jsonl] "
    "...\n"
    "       sockscope client [--mode stream|dgram] [--server-path P] [--client-path P] [--count "
    "N]\n"
    "                        [--interval S] [--message TEXT] [--pad BYTES] ...\n"
    "       sockscope bench  [--count N] [--rounds R] [--mode stream|dgram|both] [--json]\n"
    "                        [--baseline PATH]\n"
    "       sockscope help | version\n"
    "\n"
    "Shows stream (SOCK_STREAM) and datagram (SOCK_DGRAM) Unix sockets at work.\n"
    "With no command it opens the lab screen; 'sockscope COMMAND --help' tells more.\n";

static const char usage_ui[] =
    "usage: sockscope [ui] [--mode stream|dgram] [--ascii] [--lang en|th] [--lessons DIR]\n"
    "                      [--tour]\n"
    "Opens the lab: a real server and a real client, their calls side by side.\n"
    "  --mode         the socket type to start with (stream)\n"
    "  --ascii        draw lines with ASCII characters only\n"
    "  --lang L       en or th (default: th when LC_ALL, LC_MESSAGES or LANG starts with th)\n"
    "  --lessons DIR  where en.txt and th.txt are (default: beside the program, or installed)\n"
    "  --tour         open straight into the guided tour of the lesson's table (t in the lab)\n"
    "Press F1 or ? inside for the keys.\n";

static const char usage_run[] =
    "usage: sockscope run [--mode stream|dgram] [--count N] [--interval S] [--format text|jsonl]\n"
    "                     [--pad BYTES] [--buffer BYTES] [--burst N] [--experiment E]\n"
    "                     [--explain]\n"
    "Starts a real server and a real client in a private directory, runs N exchanges\n"
    "and prints both sides' calls and messages merged in time order.\n"
    "  --count N      exchanges (5; 0 = until Ctrl+C)\n"
    "  --interval S   seconds between exchanges (1; fractions allowed)\n"
    "  --format F     text (default) or jsonl (one event per line, see README)\n"
    "  --pad BYTES    pad each message with NUL bytes to this size (1024; 0 = none)\n"
    "  --buffer BYTES receive buffer of each side (1024)\n"
    "  --burst N      the client sends N messages back to back, then reads the replies (1)\n"
    "  --lang L       en or th: the language of the experiments' sentences\n"
    "  --lessons DIR  where the lesson files are\n"
    "  --experiment E one experiment that shows a difference, in this mode, ending with what\n"
    "                 it showed: " EXPERIMENT_NAMES "\n"
    "  --explain      under each call, the lesson's sentence on why it is made; after a call\n"
    "                 that failed, what its errno means (text format only)\n";

static const char usage_server[] =
    "usage: sockscope server [--mode stream|dgram] [--path P] [--count N] [--format text|jsonl]\n"
    "                        [--message TEXT] [--pad BYTES] [--buffer BYTES] [--backlog N]\n"
    "Runs the server side: stream: socket, bind, listen, accept, recv/send;\n"
    "dgram: socket, bind, recvfrom/sendto. It answers every message.\n"
    "  --path P       socket file (default: a per-user directory, printed at start)\n"
    "  --count N      stop after answering N messages (0 = until Ctrl+C)\n"
    "  --message TEXT the reply (\"OK,I got it!\")\n"
    "  --pad BYTES    pad replies with NUL bytes to this size (1024; 0 = none)\n"
    "  --buffer BYTES receive buffer (1024)\n"
    "  --backlog N    listen() backlog (12)\n"
    "  --no-claim     bind() at once, without checking for a stale socket file first\n"
    "  --event-fd N   used by a parent: events as JSON lines to fd N\n"
    "  --ring-fd N    events into the shared ring on fd N (--event-fd then only wakes)\n"
    "  --gate-fd N    wait for one byte on fd N before each call\n";

static const char usage_client[] =
    "usage: sockscope client [--mode stream|dgram] [--server-path P] [--client-path P]\n"
    "                        [--count N] [--interval S] [--message TEXT] [--pad BYTES]\n"
    "                        [--buffer BYTES] [--format text|jsonl]\n"
    "Runs the client side: stream: socket, bind, connect, send/recv;\n"
    "dgram: socket, bind, sendto/recvfrom.\n"
    "  --server-path P  the server's socket file (default: the per-user one)\n"
    "  --client-path P  this client's own socket file (default: per user and pid)\n"
    "  --count N        messages to send (0 = until Ctrl+C)\n"
    "  --interval S     seconds between messages (1; fractions allowed)\n"
    "  --message TEXT   what to send (\"How are you !!!\")\n"
    "  --pad BYTES      pad with NUL bytes to this size (1024, as the lesson; 0 = none)\n"
    "  --buffer BYTES   receive buffer (1024)\n"
    "  --burst N        send N messages back to back, then read the N replies (1)\n";

static const char usage_bench[] =
    "usage: sockscope bench [--count N] [--rounds R] [--mode stream|dgram|both] [--json]\n"
    "                       [--baseline PATH]\n"
    "Measures exchanges per second of 'sockscope run --interval 0', in jsonl and in text,\n"
    "beside a bare lock-step loop making the same socket calls untraced (both ends on one\n"
    "CPU, and anywhere), in one run, and prints the ratios and the CPU time per exchange.\n"
    "  --count N      exchanges in each measurement (20000; at least 1)\n"
    "  --rounds R     do all the measurements R times, interleaved; each row shows its best\n"
    "                 round, the one least disturbed by the rest of the machine (3; 1 to 100)\n"
    "  --mode M       stream, dgram or both (both)\n"
    "  --json         one JSON object instead of the table\n"
    "  --baseline P   also measure 'P run' (another sockscope, say an older build) the same\n"
    "                 way, in the same run, for a before/after on one machine\n";

const char *options_usage(enum command c)
{
    switch (c) {
    case CMD_UI:
        return usage_ui;
    case CMD_RUN:
        return usage_run;
    case CMD_SERVER:
        return usage_server;
    case CMD_CLIENT:
        return usage_client;
    case CMD_BENCH:
        return usage_bench;
    default:
        return usage_all;
    }
}
