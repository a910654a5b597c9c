/* SPDX-License-Identifier: MIT */
/* Arch interface: the hypervisor's own timer (EL2 physical timer, CNTHP_*). */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <cloison/types.h>

uint64_t arch_timer_freq(void);  /* counter ticks per second */
uint64_t arch_timer_now(void);   /* physical counter */
/* Fire the hypervisor timer interrupt when the counter reaches deadline. */
void arch_timer_set_deadline(uint64_t deadline);
void arch_timer_stop(void);
uint32_t arch_timer_intid(void); /* INTID of the EL2 timer PPI */

#endif
