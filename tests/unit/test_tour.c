/* Unit tests: the guided tour's logic (src/ui/tour.c), without a screen.
 *
 * The steps walk the lesson's table in order, stream first, then datagram;
 * questions come before some of them in both modes, each with its three
 * choices and a reason for each; only an answer goes on from a question;
 * answers are scored, and the score line says so; Esc or q leaves from
 * anywhere, and Space leaves from the end.
 */
#include "../../src/core/lessons.h"
#include "../../src/core/steps.h"
#include "../../src/ui/tour.h"
#include "check.h"

#include <string.h>

#define ESC 27

static void steps_in_order(void)
{
    CHECK(tour_steps() == 2 * STEPS_ROWS);
    for (int i = 0; i < tour_steps(); i++) {
        const struct tour_step *s = tour_step_at(i);
        CHECK(s != NULL);
        CHECK(s->mode == (i < STEPS_ROWS ? MODE_STREAM : MODE_DGRAM));
        CHECK(s->row == i % STEPS_ROWS);
        CHECK(s->answer >= 0 && s->answer <= TOUR_CHOICES);
    }
    CHECK(tour_step_at(-1) == NULL);
    CHECK(tour_step_at(tour_steps()) == NULL);
}

static void questions_in_both_modes(void)
{
    int per_mode[2] = {0, 0}, n = 0;
    for (int i = 0; i < tour_steps(); i++)
        if (tour_step_at(i)->answer) {
            per_mode[tour_step_at(i)->mode]++;
            CHECK(tour_question_number(i) == ++n);
        } else {
            CHECK(tour_question_number(i) == 0);
        }
    CHECK(n == tour_questions());
    CHECK(n >= 6);
    CHECK(per_mode[MODE_STREAM] >= 3 && per_mode[MODE_DGRAM] >= 3);
}

/* Every text a step shows is in the lesson file: the lesson, and for a
 * question its text, three choices and three reasons; a step without a
 * question has none. A lesson is 2-4 lines: within 4 x 78 characters. */
static void every_text_there(void)
{
    static const char *const parts[] = {"q", "c1", "c2", "c3", "why1", "why2", "why3"};
    char key[96];
    for (int i = 0; i < tour_steps(); i++) {
        const char *lesson = tour_text(i, NULL);
        CHECK(lesson[0] != '\0');
        CHECK(strlen(lesson) > 78 && strlen(lesson) <= 4 * 78);
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
            bool want = tour_step_at(i)->answer != 0, got = tour_text(i, parts[k])[0] != '\0';
            if (want != got)
                fprintf(stderr, "step %d: %s %s\n", i, tour_text_key(i, parts[k], key, sizeof key),
                        want ? "is missing" : "is there without a question");
            CHECK(want == got);
        }
    }
    CHECK_STR(tour_text_key(0, NULL, key, sizeof key), "tour.stream.server1");
    CHECK_STR(tour_text_key(6, "why2", key, sizeof key), "tour.dgram.server1.why2");
    static const char *const words[] = {"tour.title-start", "tour.title",       "tour.title-end",
                                        "tour.intro",       "tour.question",    "tour.right",
                                        "tour.wrong",       "tour.end",         "tour.score",
                                        "tour.done",        "tour.keys.next",   "tour.keys.answer",
                                        "tour.keys.end",    "ui.keys.tour.help"};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        if (!lesson_get(words[k])[0])
            fprintf(stderr, "no text for %s\n", words[k]);
        CHECK(lesson_get(words[k])[0] != '\0');
    }
}

/* Walks the whole tour with Space and answers: wrong (the next choice
 * round) on the questions listed in wrong[], right on the others. */
static void walk(struct tour *t, const bool *wrong)
{
    int step = -1;
    tour_open(t);
    CHECK(t->up && t->phase == TOUR_INTRO);
    CHECK(!tour_key(t, ' '));
    while (t->phase != TOUR_DONE) {
        CHECK(t->step == step + 1); /* each step in turn, none skipped */
        step = t->step;
        const struct tour_step *s = tour_step_at(t->step);
        if (s->answer) {
            CHECK(t->phase == TOUR_ASK);
            CHECK(!tour_revealed(t, s->mode, s->row));        /* the table does not give it away */
            CHECK(!tour_key(t, ' ') && t->phase == TOUR_ASK); /* Space does not skip it */
            CHECK(!tour_key(t, '4') && t->phase == TOUR_ASK); /* nor a key that is no choice */
            CHECK(!tour_key(t, '\t') && t->phase == TOUR_ASK);
            int q = tour_question_number(t->step) - 1;
            int choice = wrong[q] ? s->answer % TOUR_CHOICES + 1 : s->answer;
            CHECK(!tour_key(t, '0' + choice));
            CHECK(t->phase == TOUR_VERDICT && t->chosen == choice);
            CHECK(tour_revealed(t, s->mode, s->row));
            CHECK(!tour_key(t, '1') && t->phase == TOUR_VERDICT && t->chosen == choice);
            CHECK(!tour_key(t, ' '));
        }
        CHECK(t->phase == TOUR_LESSON);
        CHECK(tour_revealed(t, s->mode, s->row));
        if (tour_step_at(t->step + 1))
            CHECK(
                !tour_revealed(t, tour_step_at(t->step + 1)->mode, tour_step_at(t->step + 1)->row));
        CHECK(!tour_key(t, ' '));
    }
    CHECK(step == tour_steps() - 1);
    CHECK(t->up);
    CHECK(tour_revealed(t, MODE_DGRAM, STEPS_ROWS - 1));
}

static void scored(void)
{
    struct tour t;
    bool wrong[32] = {false};
    char line[128];
    walk(&t, wrong);
    CHECK(t.asked == tour_questions() && t.right == tour_questions());
    snprintf(line, sizeof line, "%d of %d right", tour_questions(), tour_questions());
    CHECK_STR(tour_score(&t, line + 64, 64), line);
    CHECK(tour_key(&t, ' ')); /* Space leaves from the end */
    CHECK(!t.up);

    wrong[0] = wrong[tour_questions() - 1] = true;
    walk(&t, wrong);
    CHECK(t.asked == tour_questions() && t.right == tour_questions() - 2);
    snprintf(line, sizeof line, "%d of %d right", tour_questions() - 2, tour_questions());
    CHECK_STR(tour_score(&t, line + 64, 64), line);
    CHECK(tour_key(&t, ESC));
    CHECK(!t.up);

    for (int i = 0; i < tour_questions(); i++)
        wrong[i] = true;
    walk(&t, wrong);
    CHECK(t.right == 0);
    snprintf(line, sizeof line, "0 of %d right", tour_questions());
    CHECK_STR(tour_score(&t, line + 64, 64), line);
}

/* Esc or q leaves from every phase; opening again starts afresh. */
static void leaves(void)
{
    struct tour t;
    tour_open(&t);
    CHECK(tour_key(&t, ESC) && !t.up);
    tour_open(&t);
    tour_key(&t, ' ');
    CHECK(t.phase == TOUR_ASK);
    CHECK(tour_key(&t, 'q') && !t.up);
    tour_open(&t);
    tour_key(&t, ' ');
    tour_key(&t, '1');
    CHECK(t.phase == TOUR_VERDICT && t.asked == 1);
    CHECK(tour_key(&t, ESC) && !t.up);
    tour_open(&t);
    CHECK(t.up && t.phase == TOUR_INTRO && t.asked == 0 && t.right == 0 && t.step == 0);
    CHECK(!tour_revealed(&t, MODE_STREAM, 0));
}

/* The first question: the stream server after bind(): listen() is right,
 * and each reason says something of its own. */
static void first_question(void)
{
    const struct tour_step *s = tour_step_at(0);
    char c[8];
    snprintf(c, sizeof c, "c%d", s->answer);
    CHECK(strstr(tour_text(0, c), "listen(") != NULL);
    CHECK(strcmp(tour_text(0, "why1"), tour_text(0, "why2")) != 0);
    CHECK(strcmp(tour_text(0, "why2"), tour_text(0, "why3")) != 0);
}

int main(void)
{
    steps_in_order();
    questions_in_both_modes();
    every_text_there();
    scored();
    leaves();
    first_question();
    return check_report();
}
