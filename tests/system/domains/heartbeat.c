/* SPDX-License-Identifier: MIT */
/*
 * A well-behaved domain beside hostile ones: prints a numbered heartbeat,
 * yielding between beats. After `beats` beats it reports that it kept
 * running and, if it holds the system cap, powers the machine off.
 */
#include "kit.h"

#define BEATS 40

void kit_main(void)
{
	uint64_t start = kit_counter();

	for (unsigned i = 1; i <= BEATS; i++) {
		print("heartbeat %u\n", i);
		for (volatile unsigned j = 0; j < 20000; j++)
			;
		cloison_yield();
	}
	kit_begin("heartbeat");
	kit_check("heartbeat.kept_running", true, "%s", "stopped");
	kit_check("heartbeat.time_passed", kit_counter() > start, "counter did not move");
	kit_end();
	if (kit_cap("system") != CLOISON_SLOT_NONE)
		kit_poweroff();
}
