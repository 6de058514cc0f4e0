/* options: the command line of every sockscope subcommand.
 *
 * One table says which flag belongs to which subcommand, what it takes and
 * its limits, so every bad input gets the same clear message (and exit 2).
 * No I/O happens here: errors come back as text for the caller to print.
 */
#ifndef SOCKSCOPE_OPTIONS_H
#define SOCKSCOPE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* sun_path is 108 bytes on Linux, one of them for the terminating NUL. */
#define SOCK_PATH_MAX 107

enum command { CMD_UI, CMD_RUN, CMD_SERVER, CMD_CLIENT, CMD_BENCH, CMD_HELP, CMD_VERSION };
enum sock_mode { MODE_STREAM, MODE_DGRAM };
enum out_format { FORMAT_TEXT, FORMAT_JSONL };

#define DEFAULT_CLIENT_MESSAGE "How are you !!!"
#define DEFAULT_SERVER_MESSAGE "OK,I got it!"
#define DEFAULT_PAD            1024 /* the lesson sends its whole 1024-byte buffer */
#define DEFAULT_BUFFER         1024 /* and receives into one of the same size */
#define DEFAULT_BACKLOG        12   /* the lesson's listen(fd, 12) */
#define MAX_MESSAGE            1048576
#define BENCH_ROUNDS           3 /* bench: rounds of measurements, the best of them shown */
#define BENCH_MAX_ROUNDS       100

struct options {
    enum command cmd;
    enum sock_mode mode;
    char server_path[SOCK_PATH_MAX + 1]; /* "" = the per-user default */
    char client_path[SOCK_PATH_MAX + 1];
    long long count;   /* exchanges; 0 = until stopped */
    double interval;   /* seconds between exchanges */
    bool interval_set; /* given on the command line (an experiment pauses only then) */
    const char *message;
    long long pad; /* send this many bytes, NUL after the text; 0 = text only */
    long long buffer;
    long long backlog;
    long long burst;        /* client: messages sent back to back before reading replies */
    bool no_claim;          /* server: bind() at once, as a naive program does */
    const char *experiment; /* run: the experiment's name, or NULL */
    const char *lang;       /* ui, run: "en" or "th"; NULL: from LC_ALL, LC_MESSAGES, LANG */
    const char *lessons;    /* ui, run: the lesson files' directory; NULL: found */
    enum out_format format;
    int event_fd, gate_fd; /* -1 when not given */
    int ring_fd;           /* the event ring (ring.h); events then go there, event_fd wakes */
    bool ascii;            /* ui: draw with ASCII only */
    bool tour;             /* ui: open the lab straight into the guided tour */
    bool explain;          /* run: each call's lesson under its line (text only) */
    bool help;             /* --help after a subcommand */
    bool both_modes;       /* bench: measure stream and dgram (--mode both, its default) */
    bool json;             /* bench: one JSON object instead of the table */
    const char *baseline;  /* bench: another sockscope program to measure beside this one */
    int rounds;            /* bench: rounds of every measurement, 1 to BENCH_MAX_ROUNDS */
};

/* Parses argv (argv[0] is the program). Returns 0, or 2 with a message for
 * the user in err; o->cmd then names the subcommand whose usage to show
 * (CMD_HELP when the command itself was not understood). */
int options_parse(int argc, char **argv, struct options *o, char *err, size_t errcap);

/* The experiments `sockscope run --experiment` knows, in menu order. */
#define EXPERIMENT_LIST                                                                            \
    "boundaries", "oversize", "three-clients", "no-server", "peer-dies", "stale-path", "backlog",  \
        "full-queue"
#define EXPERIMENT_NAMES                                                                           \
    "boundaries, oversize, three-clients, no-server, peer-dies, stale-path, backlog, full-queue"
bool experiment_known(const char *name);

const char *mode_name(enum sock_mode m);  /* "stream" / "dgram" */
const char *command_name(enum command c); /* "server", ... */

/* The usage text of one subcommand (CMD_HELP: of the whole program). */
const char *options_usage(enum command c);

#endif
