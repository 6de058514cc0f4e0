/* kernel_strip: some processes' sockets as `ss -x` shows them (kview.h),
 * one line each: which side and fd, state, type, what waits in each queue
 * with a small bar, and the path. The lab shows it in the table's place
 * (K); an experiment's screen shows it under the transcript. */
#ifndef SOCKSCOPE_KERNEL_STRIP_H
#define SOCKSCOPE_KERNEL_STRIP_H

#include "../proc/kview.h"

/* side(pid) names the process ("server", "client"). n < 0: not readable. */
void kernel_strip_draw(int rule_y, int y, int h, int w, const struct ksock *k, int n,
                       const char *(*side)(int pid, void *ctx), void *ctx);

#endif
