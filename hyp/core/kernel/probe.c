/* SPDX-License-Identifier: MIT */
/*
 * The EL2 stretch probe (cloison/probe.h), test build only. A call of
 * system_stats prints what was recorded since the previous one, one line per
 * call number, and starts afresh:
 *   EL2-STRETCH call=<number> max=<instructions> chunks=<EL2 entries>
 * so a benchmark domain brackets each workload with system_stats.
 */
#include <arch/timer.h>
#include <cloison/abi/calls.h>
#include <cloison/std/print.h>
#include <cloison/probe.h>

#define PROBE_CALLS 64u

static uint64_t probe_max[PROBE_CALLS], probe_entries[PROBE_CALLS];
static uint64_t probe_start, probe_call = UINT64_MAX;

static void probe_report(void)
{
	uint64_t per_tick = 1000000000u / arch_timer_freq();

	for (uint32_t i = 0; i < PROBE_CALLS; i++) {
		if (probe_entries[i] && i != CLOISON_HC_SYSTEM_STATS)
			print("EL2-STRETCH call=%u max=%lu chunks=%lu\n", i,
			      probe_max[i] * per_tick, probe_entries[i]);
		probe_max[i] = probe_entries[i] = 0;
	}
}

void probe_el2_enter(uint64_t call)
{
	if (call == CLOISON_HC_SYSTEM_STATS)
		probe_report();
	probe_call = call < PROBE_CALLS ? call : UINT64_MAX;
	probe_start = arch_timer_now();
}

void probe_el2_leave(void)
{
	uint64_t t;

	if (probe_call == UINT64_MAX)
		return;
	t = arch_timer_now() - probe_start;
	if (t > probe_max[probe_call])
		probe_max[probe_call] = t;
	probe_entries[probe_call]++;
	probe_call = UINT64_MAX;
}

void probe_el2_preempt_point(void)
{
	uint64_t call = probe_call;

	probe_el2_leave();
	if (call != UINT64_MAX) {
		probe_call = call;
		probe_start = arch_timer_now();
	}
}
