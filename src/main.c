/* main: sockscope's command line: ui | run | server | client | bench | help. */
#include "core/options.h"
#include "peers/peer.h"
#include "proc/spawn.h"
#include "run/run.h"

#include <stdio.h>

int ui_main(const struct options *o);
int bench_main(const struct options *o);

int main(int argc, char **argv)
{
    struct options o;
    char err[512];
    if (options_parse(argc, argv, &o, err, sizeof err) != 0) {
        fprintf(stderr, "sockscope: %s\n%s", err, options_usage(o.cmd));
        return 2;
    }
    spawn_set_program(); /* before anything starts a peer (see spawn.h) */
    if (o.help || o.cmd == CMD_HELP) {
        fputs(options_usage(o.cmd), stdout);
        return 0;
    }
    switch (o.cmd) {
    case CMD_VERSION:
        puts("sockscope " SOCKSCOPE_VERSION);
        return 0;
    case CMD_SERVER:
    case CMD_CLIENT:
        return peer_main(&o);
    case CMD_RUN:
        return run_main(&o);
    case CMD_BENCH:
        return bench_main(&o);
    default:
        return ui_main(&o);
    }
}
