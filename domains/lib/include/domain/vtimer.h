/* SPDX-License-Identifier: MIT */
/*
 * Time: the virtual counter (CNTVCT_EL0). The EL1 virtual timer, whose
 * interrupt (INTID 27) the hypervisor saves and restores with the vCPU, is
 * the domain's own on the core alone; the picolibc layer keeps it for
 * vtimer_sleep_*() (runtime.h).
 */
#ifndef DOMAIN_VTIMER_H
#define DOMAIN_VTIMER_H

#include <stdint.h>

/* Counter ticks. The isb keeps the read from being taken early. */
static inline uint64_t vtimer_now(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

/* Ticks per second (CNTFRQ_EL0). */
static inline uint64_t vtimer_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static inline uint64_t vtimer_ticks_to_us(uint64_t ticks)
{
	uint64_t f = vtimer_freq();

	return f ? ticks / f * 1000000u + ticks % f * 1000000u / f : 0;
}

#endif
