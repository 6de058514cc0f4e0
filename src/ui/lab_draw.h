/* lab_draw: the lab screen, drawn from the lab's state; the help and
 * "terminal too small" screens. Drawing never changes the state. */
#ifndef SOCKSCOPE_LAB_DRAW_H
#define SOCKSCOPE_LAB_DRAW_H

#include "lab.h"
#include "layout.h"

void lab_draw(const struct lab *l, const struct layout *ly, long long now);
void help_draw(int cols, int lines);
void too_small_draw(int cols, int lines);

#endif
