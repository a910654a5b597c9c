/* SPDX-License-Identifier: MIT */
/* The hypervisor tick: a periodic EL2 timer interrupt at a configured rate. */
#ifndef CLOISON_CLOCK_H
#define CLOISON_CLOCK_H

#include <cloison/types.h>

void clock_start(uint32_t hz);
/* Called on the EL2 timer interrupt: count the tick, program the next one. */
void clock_tick(void);
uint64_t clock_ticks(void);
uint64_t clock_period(void); /* counter ticks between two hypervisor ticks */
/* Also interrupt at counter time `when` (one-shot; the latest call wins). */
void clock_set_alarm(uint64_t when);

#endif
