/* SPDX-License-Identifier: MIT */
/*
 * What lwIP asks of the platform with NO_SYS (no threads): the time in
 * milliseconds for its timeouts, from the virtual counter (CNTVCT_EL0,
 * <domain/vtimer.h>), random numbers, and a fatal assertion.
 */
#include <domain/runtime.h>

#include "arch/cc.h"
#include "lwip/sys.h"

u32_t sys_now(void)
{
	uint64_t f = vtimer_freq(), t = vtimer_now();

	return f ? (u32_t)(t / f * 1000u + t % f * 1000u / f) : 0;
}

/* xorshift64*, seeded from the counter on first use: unpredictable enough
 * for initial sequence numbers and ephemeral ports of a test guest (the
 * counter's low bits at first use vary with everything that ran before);
 * not a cryptographic generator. */
uint32_t cloison_lwip_rand(void)
{
	static uint64_t s;

	if (s == 0)
		s = vtimer_now() * 0x9e3779b97f4a7c15ull | 1u;
	s ^= s >> 12;
	s ^= s << 25;
	s ^= s >> 27;
	return (uint32_t)((s * 0x2545f4914f6cdd1dull) >> 32);
}

void cloison_lwip_assert(const char *msg, int line, const char *file)
{
	runtime_panic("lwIP assertion \"%s\" failed at %s:%d", msg, file, line);
}
