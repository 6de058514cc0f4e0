/* crt: the terminal's whole life, in the manner of htop's CRT.
 *
 * crt_init() takes the terminal, crt_done() gives it back exactly once,
 * whatever way the program leaves: a normal quit, SIGINT/SIGTERM/SIGHUP
 * (handled by the main loop), or a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGABRT), where the handler restores the terminal, says so in one line
 * on stderr, runs the caller's last-gasp cleanup, and re-raises.
 */
#ifndef SOCKSCOPE_CRT_H
#define SOCKSCOPE_CRT_H

#include <stdbool.h>
#include <stddef.h>

/* Takes the terminal. Returns 0, or -1 with a message in err (not a
 * terminal, or one curses does not know). */
int crt_init(char *err, size_t errcap);

/* Gives the terminal back; safe to call more than once. */
void crt_done(void);

/* cleanup runs from the crash handler: only async-signal-safe calls. */
void crt_on_crash(void (*cleanup)(void));

/* Takes the user's locale; when it is not installed (LANG=th_TH.UTF-8 on a
 * minimal system), or lang is "th" and it is not UTF-8, the character type
 * of C.UTF-8 instead, quietly: Thai then still draws right. */
void crt_locale(const char *lang);

/* Does the locale speak UTF-8 (line drawing, Thai)? */
bool crt_utf8(void);

#endif
