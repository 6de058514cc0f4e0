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

static enum key_result key_burst1(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    lab_set_burst(l, 1);
    return KEY_DONE;
}
static enum key_result key_burst2(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    lab_set_burst(l, 2);
    return KEY_DONE;
}
static enum key_result key_burst3(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    lab_set_burst(l, 3);
    return KEY_DONE;
}
static enum key_result key_smaller(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    lab_scale_buffer(l, false);
    return KEY_DONE;
}
static enum key_result key_bigger(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    lab_scale_buffer(l, true);
    return KEY_DONE;
}
static enum key_result key_pad(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    lab_toggle_pad(l);
    return KEY_DONE;
}
static enum key_result key_kernel(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    l->kernel_view = !l->kernel_view;
    return KEY_DONE;
}
static enum key_result key_experiments(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    experiment_menu(&l->exp);
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
    {{KEY_LEFT, 'h'},
     "Left Right",
     NULL,
     "let the server (h) or the client (l) make its next call",
     key_server},
    {{KEY_RIGHT, 'l'}, "Right l", NULL, NULL, key_client},
    {{'a'}, "a", "Auto", "auto-run, one exchange per second; a again to step by hand", key_auto},
    {{'+', '='},
     "+ -",
     NULL,
     "auto-run faster / slower (halves / doubles the interval)",
     key_faster},
    {{'-', '_'}, "-", NULL, NULL, key_slower},
    {{'s'}, "s", "Send", "one exchange now: the client sends, the server answers", key_send},
    {{'b'}, "b", "Burst", "100 exchanges as fast as they go", key_burst},
    {{'c'}, "c", "Close", "close, as in the table: client first, then the server", key_close},
    {{'k'}, "k", "Kill", "kill a side with SIGKILL (asks which) and watch the other", key_kill},
    {{'r'}, "r", "Restart", "start both sides again, in step mode", key_restart},
    {{'e'}, "e", "Exp", "experiments: one key shows a difference (menu)", key_experiments},
    {{'K'}, "K", "Kernel", "the kernel's view of the sockets, as ss -x shows it", key_kernel},
    {{'2'}, "2 3", NULL, "the client sends 2 (or 3) messages back to back; again: 1", key_burst2},
    {{'3'}, "3", NULL, NULL, key_burst3},
    {{'1'}, "1", NULL, NULL, key_burst1},
    {{'['}, "[ ]", NULL, "halve / double the receive buffers (16 B to 64 KiB)", key_smaller},
    {{']'}, "]", NULL, NULL, key_bigger},
    {{'p'}, "p", NULL, "padding on/off: the lesson's 1024 bytes, or the text alone", key_pad},
    {{KEY_PPAGE}, "PgUp PgDn", NULL, "scroll the panes back / forward", key_back},
    {{KEY_NPAGE}, "PgDn", NULL, NULL, key_forward},
    {{KEY_HOME, 'g'}, "Home End", NULL, "the oldest lines / the newest, and follow", key_oldest},
    {{KEY_END, 'G'}, "End", NULL, NULL, key_newest},
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
