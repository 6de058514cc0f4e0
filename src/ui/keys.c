/* keys: the lab's key table (see keys.h). */
#include "keys.h"

#include <curses.h>

static enum key_result key_help(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    l->help = true;
    return KEY_DONE;
}
static enum key_result key_quit(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    l->quit = true;
    return KEY_DONE;
}
static enum key_result key_step(struct lab *l, long long now, bool patient)
{
    (void)now;
    return lab_step_next(l, patient);
}
static enum key_result key_server(struct lab *l, long long now, bool patient)
{
    (void)now;
    return lab_step_side(l, ROLE_SERVER, patient);
}
static enum key_result key_client(struct lab *l, long long now, bool patient)
{
    (void)now;
    return lab_step_side(l, ROLE_CLIENT, patient);
}
static enum key_result key_mode(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    lab_toggle_mode(l);
    return KEY_DONE;
}
static enum key_result key_auto(struct lab *l, long long now, bool patient)
{
    (void)patient;
    lab_toggle_auto(l, now);
    return KEY_DONE;
}
static enum key_result key_faster(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    lab_change_speed(l, true);
    return KEY_DONE;
}
static enum key_result key_slower(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    lab_change_speed(l, false);
    return KEY_DONE;
}
static enum key_result key_send(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    lab_send(l, 1);
    return KEY_DONE;
}
static enum key_result key_burst(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    lab_send(l, LAB_BURST);
    return KEY_DONE;
}
static enum key_result key_close(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    lab_start_close(l);
    return KEY_DONE;
}
static enum key_result key_kill(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    l->kill_prompt = true;
    return KEY_DONE;
}
static enum key_result key_restart(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    lab_restart(l);
    return KEY_DONE;
}
static enum key_result key_back(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    l->scroll += 10;
    return KEY_DONE;
}
static enum key_result key_forward(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    l->scroll = l->scroll > 10 ? l->scroll - 10 : 0;
    return KEY_DONE;
}
static enum key_result key_oldest(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    l->scroll = SESSION_LINES;
    return KEY_DONE;
}
static enum key_result key_newest(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    l->scroll = 0;
    return KEY_DONE;
}

static const struct key_binding table[] = {
    {{KEY_F(1), '?', 'H'}, "F1 ?", "Help", "this help", key_help},
    {{'\t'},
     "Tab",
     "Mode",
     "switch stream / datagram: stops these peers, starts new ones",
     key_mode},
    {{' '},
     "Space",
     "Step",
     "let the next call happen (the server goes first while it waits)",
     key_step},
    {{KEY_LEFT, 'h'}, "Left h", NULL, "let the server make its next call", key_server},
    {{KEY_RIGHT, 'l'}, "Right l", NULL, "let the client make its next call", key_client},
    {{'a'}, "a", "Auto", "auto-run, one exchange per second; a again to step by hand", key_auto},
    {{'+', '='}, "+", NULL, "auto-run faster (halves the interval)", key_faster},
    {{'-', '_'}, "-", NULL, "auto-run slower (doubles the interval)", key_slower},
    {{'s'}, "s", "Send", "one exchange now: the client sends, the server answers", key_send},
    {{'b'}, "b", "Burst", "100 exchanges as fast as they go", key_burst},
    {{'c'}, "c", "Close", "close, as in the table: client first, then the server", key_close},
    {{'k'}, "k", "Kill", "kill a side with SIGKILL (asks which) and watch the other", key_kill},
    {{'r'}, "r", "Restart", "start both sides again, in step mode", key_restart},
    {{KEY_PPAGE, 'K'}, "PgUp", NULL, "scroll the panes back", key_back},
    {{KEY_NPAGE, 'J'}, "PgDn", NULL, "scroll the panes forward", key_forward},
    {{KEY_HOME, 'g'}, "Home", NULL, "oldest lines", key_oldest},
    {{KEY_END, 'G'}, "End", NULL, "newest lines, and follow", key_newest},
    {{'q', KEY_F(10)},
     "q F10",
     "Quit",
     "quit: stops both sides, removes every socket file",
     key_quit},
};

const struct key_binding *keys_table(size_t *count)
{
    *count = sizeof table / sizeof table[0];
    return table;
}

const struct key_binding *keys_find(int code)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        for (int k = 0; k < 4 && table[i].codes[k]; k++)
            if (table[i].codes[k] == code)
                return &table[i];
    return NULL;
}
