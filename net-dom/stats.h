/* SPDX-License-Identifier: MIT */
/*
 * The counters for tooling in every build (docs/net-dom.md, "Counters"):
 * when net-dom's console cap has the `input` right, the line `counters`
 * typed while net-dom has the console's focus prints one line per port
 * with its frames, bytes, copies and every non-zero drop reason. The
 * console is the only way in: no other domain gets a right to anything
 * of net-dom's, and the counters are net-dom's own, never guest data.
 */
#ifndef NETDOM_STATS_H
#define NETDOM_STATS_H

#include <stdbool.h>

/* Take console input if the cap allows it (vINTID 32 then wakes net-dom);
 * true if it does. */
bool stats_init(void);
/* Console input arrived: read what is there, answer a whole line. */
void stats_input(void);
/* Print every port's counters, one line each. */
void stats_print(void);

#endif
