/* text: put UTF-8 text on the screen by display columns.
 *
 * Thai vowel marks take no column, some characters take two: widths come
 * from wcwidth(), never from byte counts. Everything drawn goes through
 * here, and it was made safe to display before it got here (escape.h).
 */
#ifndef SOCKSCOPE_TEXT_H
#define SOCKSCOPE_TEXT_H

#include <curses.h>
#include <stddef.h>

/* Display columns of s. */
int text_width(const char *s);

/* Bytes of s that fit in cols columns (never splitting a character). */
size_t text_fit(const char *s, int cols, int *used);

/* Draws s at (y, x) in at most w columns with attribute a; pads with
 * spaces to w when pad is set. Returns the columns used. */
int text_put(int y, int x, int w, const char *s, attr_t a, bool pad);

/* Word-wraps s from row y, at most rows rows of w columns from x, breaking
 * at spaces; the last row is cut with an ellipsis. Returns the rows used. */
int text_wrap(int y, int x, int w, int rows, const char *s, attr_t a);

/* Draws s in the rectangle's width, cut with an ellipsis when too long. */
int text_put_cut(int y, int x, int w, const char *s, attr_t a);

#endif
