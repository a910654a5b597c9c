/* SPDX-License-Identifier: MIT */
/*
 * Prints a numbered heartbeat line every BEAT_MS (sleeping in WFI between
 * beats). It is the witness of the fault-containment tests: while hostile
 * domains are stopped one after the other, its heartbeat must go on.
 *
 * With a "system" cap holding poweroff it ends the run after BEATS beats:
 * it reports whether any gap between two beats was long enough to mean it
 * was starved, and that virtual time really passed, then powers the
 * machine off. Without one it beats forever.
 */
#include <domain/runtime.h>
#include <domain/test.h>

#define BEAT_MS 50u
#define BEATS 40u
/* The longest gap between two beats a healthy system shows is one beat
 * plus a few scheduling periods; ten beats means something starved us. */
#define MAX_GAP_MS (10u * BEAT_MS)

int domain_main(const struct cloison_start_info *si)
{
	uint64_t sys = si_cap_or_none("system"), t0 = vtimer_now(), last = t0, gap = 0, us;
	unsigned n;

	printf("a heartbeat every %u ms\n", BEAT_MS);
	if (sys != CLOISON_SLOT_NONE)
		printf("powering off after %u beats\n", BEATS);
	for (n = 1; sys == CLOISON_SLOT_NONE || n <= BEATS; n++) {
		uint64_t now;

		vtimer_sleep_ms(BEAT_MS);
		now = vtimer_now();
		if (now - last > gap)
			gap = now - last;
		last = now;
		printf("heartbeat %u\n", n);
	}
	us = vtimer_ticks_to_us(vtimer_now() - t0);
	test_begin("heartbeat");
	test_report("heartbeat.kept_running", vtimer_ticks_to_us(gap) <= MAX_GAP_MS * 1000u,
		    "longest gap between beats %llu us (limit %u ms)",
		    (unsigned long long)vtimer_ticks_to_us(gap), MAX_GAP_MS);
	test_report("heartbeat.time_passed", us >= (uint64_t)BEATS * BEAT_MS * 1000u,
		    "%llu us for %u beats of %u ms", (unsigned long long)us, BEATS, BEAT_MS);
	test_end();
	printf("powering off\n");
	console_flush();
	cloison_system_poweroff(sys);
	runtime_panic("system_poweroff returned");
}
