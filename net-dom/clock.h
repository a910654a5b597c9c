/* SPDX-License-Identifier: MIT */
/*
 * net-dom's clock: the virtual counter (CNTVCT_EL0), plus an offset a test
 * build can advance (ctl.c) so ageing and timeouts are tested without
 * waiting.
 */
#ifndef NETDOM_CLOCK_H
#define NETDOM_CLOCK_H

#include <domain/vtimer.h>
#include <stdint.h>

extern uint64_t clock_skew;

static inline uint64_t clock_now(void)
{
	return vtimer_now() + clock_skew;
}

static inline uint64_t clock_seconds(uint64_t s)
{
	return s * vtimer_freq();
}

static inline uint64_t clock_us(uint64_t us)
{
	return us * vtimer_freq() / 1000000u;
}

#endif
