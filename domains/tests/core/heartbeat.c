/* SPDX-License-Identifier: MIT */
/*
 * A well-behaved domain beside hostile ones: prints a numbered heartbeat,
 * yielding between beats. After `beats` beats it reports that it kept
 * running and, if it holds the system cap, powers the machine off.
 */
#include <domain/core.h>
#include <domain/result.h>

#define BEATS 40

int domain_main(const struct cloison_start_info *si)
{
	uint64_t start = vtimer_now();

	for (unsigned i = 1; i <= BEATS; i++) {
		print("heartbeat %u\n", i);
		for (volatile unsigned j = 0; j < 20000; j++)
			;
		cloison_yield();
	}
	test_begin("heartbeat");
	test_report("heartbeat.kept_running", true, "%s", "stopped");
	test_report("heartbeat.time_passed", vtimer_now() > start, "counter did not move");
	test_end();
	if (si_cap_or_none("system") != CLOISON_SLOT_NONE)
		runtime_poweroff();
	return 0;
}
