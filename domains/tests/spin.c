/* SPDX-License-Identifier: MIT */
/*
 * CPU-bound: counts loop iterations without ever yielding or waiting, and
 * reports the count every REPORT_MS of virtual time. Two of these with
 * budgets 1:3 must see counts in the ratio 1:3 (the scheduling test).
 * The loop body is the same for every iteration, so under
 * -icount shift=0 the count is a measure of the instructions it was given.
 */
#include <domain/runtime.h>

#define REPORT_MS 100u
#define CHECK_EVERY 1024u /* iterations between two looks at the counter */

int domain_main(const struct cloison_start_info *si)
{
	uint64_t period = vtimer_freq() / 1000u * REPORT_MS;
	uint64_t t0 = vtimer_now(), next = t0 + period;
	volatile uint64_t count = 0; /* volatile: the loop must really run */
	unsigned report = 0;

	printf("spinning, a count every %u ms\n", REPORT_MS);
	for (;;) {
		for (unsigned i = 0; i < CHECK_EVERY; i++)
			count = count + 1;
		if (vtimer_now() >= next) {
			report++;
			printf("count %u: %llu iterations at %llu us\n", report,
			       (unsigned long long)count,
			       (unsigned long long)vtimer_ticks_to_us(vtimer_now() - t0));
			next += period;
		}
	}
}
