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
    lab_scroll(l, 10);
    return KEY_DONE;
}
static enum key_result key_forward(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    lab_scroll(l, -10);
    return KEY_DONE;
}
static enum key_result key_oldest(struct lab *l, long long now, bool patient)
{
    (void)patient;
    (void)now;
    lab_scroll(l, SESSION_LINES);
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

static enum key_result key_tour(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    tour_open(&l->tour);
    return KEY_DONE;
}

static enum key_result key_lang(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    lab_toggle_lang(l);
    return KEY_DONE;
}

static enum key_result key_code(struct lab *l, long long now, bool patient)
{
    (void)now, (void)patient;
    l->code_view = !l->code_view;
    return KEY_DONE;
}

static const struct key_binding table[] = {
    {{KEY_F(1), '?', 'H'}, "F1 ?", "keys.help.bar", "keys.help.help", key_help},
    {{'\t'}, "Tab", "keys.mode.bar", "keys.mode.help", key_mode},
    {{' '}, "Space", "keys.step.bar", "keys.step.help", key_step},
    {{KEY_LEFT, 'h'}, "Left Right", NULL, "keys.side.help", key_server},
    {{KEY_RIGHT, 'l'}, "Right l", NULL, NULL, key_client},
    {{'a'}, "a", "keys.auto.bar", "keys.auto.help", key_auto},
    {{'+', '='}, "+ -", NULL, "keys.speed.help", key_faster},
    {{'-', '_'}, "-", NULL, NULL, key_slower},
    {{'s'}, "s", "keys.send.bar", "keys.send.help", key_send},
    {{'b'}, "b", "keys.burst.bar", "keys.burst.help", key_burst},
    {{'c'}, "c", "keys.close.bar", "keys.close.help", key_close},
    {{'k'}, "k", "keys.kill.bar", "keys.kill.help", key_kill},
    {{'r'}, "r", "keys.restart.bar", "keys.restart.help", key_restart},
    {{'e'}, "e", "keys.exp.bar", "keys.exp.help", key_experiments},
    {{'t'}, "t", NULL, "keys.tour.help", key_tour},
    {{'K'}, "K", "keys.kernel.bar", "keys.kernel.help", key_kernel},
    {{'v'}, "v", NULL, "keys.code.help", key_code},
    {{'2'}, "2 3", NULL, "keys.burst23.help", key_burst2},
    {{'3'}, "3", NULL, NULL, key_burst3},
    {{'1'}, "1", NULL, NULL, key_burst1},
    {{'['}, "[ ]", NULL, "keys.buffer.help", key_smaller},
    {{']'}, "]", NULL, NULL, key_bigger},
    {{'p'}, "p", NULL, "keys.pad.help", key_pad},
    {{'L'}, "L", NULL, "keys.lang.help", key_lang},
    {{KEY_PPAGE}, "PgUp PgDn", NULL, "keys.scroll.help", key_back},
    {{KEY_NPAGE}, "PgDn", NULL, NULL, key_forward},
    {{KEY_HOME, 'g'}, "Home End", NULL, "keys.ends.help", key_oldest},
    {{KEY_END, 'G'}, "End", NULL, NULL, key_newest},
    {{'q', KEY_F(10)}, "q F10", "keys.quit.bar", "keys.quit.help", key_quit},
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
