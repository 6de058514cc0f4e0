/* tour: the guided tour (t in the lab, or `sockscope --tour`).
 *
 * It walks the lesson's comparison table row by row, stream sockets first,
 * then datagram: server set-up, data, close; client set-up, data, close.
 * Each step is one short lesson. Before some steps it asks which call comes
 * next, with three choices (keys 1-3), and says right or wrong, and why; at
 * the end it says the score. Space goes on; Esc (or q) leaves, back to the
 * lab. Which steps there are, and which choice is right, is said here in C;
 * every word shown comes from the lesson files (tour.* keys, see en.txt).
 * No curses here: the drawing is tour_draw.c, so this is unit-tested.
 */
#ifndef SOCKSCOPE_TOUR_H
#define SOCKSCOPE_TOUR_H

#include "../core/options.h"

#include <stdbool.h>
#include <stddef.h>

#define TOUR_CHOICES 3

enum tour_phase {
    TOUR_INTRO,   /* what the tour is, before the first step */
    TOUR_ASK,     /* a question is up, waiting for 1, 2 or 3 */
    TOUR_VERDICT, /* the answer was given: right or wrong, and why */
    TOUR_LESSON,  /* the step's lesson */
    TOUR_DONE,    /* the end, with the score */
};

/* One step: a row of the table in one mode. Its texts are tour.NAME (the
 * lesson) and, for a question, tour.NAME.q, tour.NAME.c1..c3 (the choices)
 * and tour.NAME.why1..why3 (why each choice is right or wrong). */
struct tour_step {
    enum sock_mode mode;
    int row;          /* the table's row, 0-5 (steps.h) */
    const char *name; /* "stream.server1" */
    int answer;       /* the right choice, 1-3; 0: no question before this step */
};

struct tour {
    bool up; /* the tour is on the screen */
    enum tour_phase phase;
    int step;   /* the step shown or asked about */
    int chosen; /* TOUR_VERDICT: the choice given, 1-3 */
    int asked;  /* questions answered so far */
    int right;  /* of which right */
};

/* Opens the tour at its start (again from the start, when it was left). */
void tour_open(struct tour *t);

/* A key while the tour is up: Space (or Enter) goes on, 1-3 answers a
 * question, Esc or q leaves. Returns true when the tour was left. */
bool tour_key(struct tour *t, int ch);

/* How many steps, and step i (NULL past the last). */
int tour_steps(void);
const struct tour_step *tour_step_at(int i);

/* How many steps ask a question. */
int tour_questions(void);

/* The question's number (1...) among the questions, for step i; 0 when
 * step i asks none. */
int tour_question_number(int i);

/* The key of one of step i's texts: part NULL for the lesson ("tour.
 * stream.server1"), else "q", "c1".."c3", "why1".."why3". */
const char *tour_text_key(int i, const char *part, char *out, size_t cap);

/* The text itself, in the language in use (lessons.h). */
const char *tour_text(int i, const char *part);

/* Is the table's cell of mode and row shown yet? A cell fills in once the
 * tour has come to its step and any question before it is answered. */
bool tour_revealed(const struct tour *t, enum sock_mode mode, int row);

/* The score line: "5 of 8 right" (tour.score). */
const char *tour_score(const struct tour *t, char *out, size_t cap);

/* Draws the tour over the whole screen (tour_draw.c: curses). */
void tour_draw(const struct tour *t, int cols, int lines);

#endif
