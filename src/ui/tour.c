/* tour: the guided tour's steps, questions and score (see tour.h). */
#include "tour.h"

#include "../core/lessons.h"

#include <stdio.h>

#define KEY_ESC 27

/* The table, row by row: stream first, then datagram. Four questions in
 * each mode: the server's three rows and the client's set-up, where the
 * two kinds of socket differ most; the right choices are spread over 1-3. */
static const struct tour_step steps[] = {
    {MODE_STREAM, 0, "stream.server1", 3}, {MODE_STREAM, 1, "stream.server2", 1},
    {MODE_STREAM, 2, "stream.server3", 2}, {MODE_STREAM, 3, "stream.client1", 1},
    {MODE_STREAM, 4, "stream.client2", 0}, {MODE_STREAM, 5, "stream.client3", 0},
    {MODE_DGRAM, 0, "dgram.server1", 3},   {MODE_DGRAM, 1, "dgram.server2", 2},
    {MODE_DGRAM, 2, "dgram.server3", 1},   {MODE_DGRAM, 3, "dgram.client1", 3},
    {MODE_DGRAM, 4, "dgram.client2", 0},   {MODE_DGRAM, 5, "dgram.client3", 0},
};

#define NSTEPS ((int)(sizeof steps / sizeof steps[0]))

int tour_steps(void)
{
    return NSTEPS;
}

const struct tour_step *tour_step_at(int i)
{
    return i >= 0 && i < NSTEPS ? &steps[i] : NULL;
}

int tour_questions(void)
{
    int n = 0;
    for (int i = 0; i < NSTEPS; i++)
        n += steps[i].answer != 0;
    return n;
}

int tour_question_number(int i)
{
    int n = 0;
    if (!tour_step_at(i) || !steps[i].answer)
        return 0;
    for (int k = 0; k <= i; k++)
        n += steps[k].answer != 0;
    return n;
}

const char *tour_text_key(int i, const char *part, char *out, size_t cap)
{
    const struct tour_step *s = tour_step_at(i);
    if (!s)
        snprintf(out, cap, "tour.none");
    else if (part)
        snprintf(out, cap, "tour.%s.%s", s->name, part);
    else
        snprintf(out, cap, "tour.%s", s->name);
    return out;
}

const char *tour_text(int i, const char *part)
{
    char key[96];
    return lesson_get(tour_text_key(i, part, key, sizeof key));
}

void tour_open(struct tour *t)
{
    *t = (struct tour){.up = true, .phase = TOUR_INTRO};
}

/* Goes to step i: its question first, if it has one; past the last, the end. */
static void enter_step(struct tour *t, int i)
{
    t->step = i;
    t->chosen = 0;
    if (i >= NSTEPS)
        t->phase = TOUR_DONE;
    else
        t->phase = steps[i].answer ? TOUR_ASK : TOUR_LESSON;
}

bool tour_key(struct tour *t, int ch)
{
    bool next = ch == ' ' || ch == '\n' || ch == '\r';
    if (ch == KEY_ESC || ch == 'q' || (t->phase == TOUR_DONE && next)) {
        t->up = false;
        return true;
    }
    switch (t->phase) {
    case TOUR_INTRO:
        if (next)
            enter_step(t, 0);
        break;
    case TOUR_ASK:
        /* Only an answer goes on from a question: Space does not skip it. */
        if (ch >= '1' && ch < '1' + TOUR_CHOICES) {
            t->chosen = ch - '0';
            t->asked++;
            t->right += t->chosen == steps[t->step].answer;
            t->phase = TOUR_VERDICT;
        }
        break;
    case TOUR_VERDICT:
        if (next)
            t->phase = TOUR_LESSON;
        break;
    case TOUR_LESSON:
        if (next)
            enter_step(t, t->step + 1);
        break;
    case TOUR_DONE:
        break;
    }
    return false;
}

bool tour_revealed(const struct tour *t, enum sock_mode mode, int row)
{
    if (t->phase == TOUR_DONE)
        return true;
    if (t->phase == TOUR_INTRO)
        return false;
    for (int i = 0; i < NSTEPS; i++)
        if (steps[i].mode == mode && steps[i].row == row)
            return i < t->step || (i == t->step && t->phase != TOUR_ASK);
    return false;
}

const char *tour_score(const struct tour *t, char *out, size_t cap)
{
    char right[16], total[16];
    snprintf(right, sizeof right, "%d", t->right);
    snprintf(total, sizeof total, "%d", tour_questions());
    lesson_fill(out, cap, lesson_get("tour.score"),
                (const char *const[]){"right", right, "total", total, NULL});
    return out;
}
