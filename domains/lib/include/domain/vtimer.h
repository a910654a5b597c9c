/* SPDX-License-Identifier: MIT */
/*
 * Time: the virtual counter (CNTVCT_EL0) and the EL1 virtual timer, whose
 * interrupt (INTID 27) the hypervisor saves and restores with the vCPU.
 * vtimer_sleep_*() waits in WFI: the hypervisor keeps a waiting vCPU off
 * the CPU and charges it nothing until the timer fires.
 */
#ifndef DOMAIN_VTIMER_H
#define DOMAIN_VTIMER_H

#include <stdint.h>

uint64_t vtimer_now(void);  /* counter ticks */
uint64_t vtimer_freq(void); /* ticks per second (CNTFRQ_EL0) */
uint64_t vtimer_ticks_to_us(uint64_t ticks);

/* Sleep at least `us` microseconds (0: return at once). */
void vtimer_sleep_us(uint64_t us);
void vtimer_sleep_ms(uint64_t ms);

#endif
