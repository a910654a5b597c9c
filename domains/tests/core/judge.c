/* SPDX-License-Identifier: MIT */
/*
 * Scheduling judge (tests/system/systems/sched.toml): lets the spinning
 * domains run for a fixed window of counter time (under -icount a fixed
 * number of instructions), then reads their CPU time with domain_query and
 * checks the shares against their budgets (1:3) within 2 %, and that the
 * domain that only waits used (almost) nothing.
 */
#include <domain/core.h>
#include <domain/result.h>

#define WINDOW_MS 400u

static uint64_t cpu_time(const char *name)
{
	uint64_t state = 0, id = 0, t = 0;
	uint64_t err = cloison_domain_query(si_cap(name), &state, &id, &t);

	if (err != CLOISON_ERR_OK)
		print("domain_query(%s) failed: %lu\n", name, err);
	return t;
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t freq = vtimer_freq();
	uint64_t end = vtimer_now() + freq / 1000u * WINDOW_MS;
	uint64_t t1, t3, ti, window;

	print("judging a window of %u ms\n", WINDOW_MS);
	while (vtimer_now() < end)
		cloison_yield();
	t1 = cpu_time("spin1");
	t3 = cpu_time("spin3");
	ti = cpu_time("idle");
	window = freq / 1000u * WINDOW_MS;
	print("cpu time: spin1 %lu spin3 %lu idle %lu (counter ticks of a %lu window); "
	      "spin3/spin1 = %lu.%03lu\n", t1, t3, ti, window, t1 ? t3 / t1 : 0,
	      t1 ? (t3 * 1000 / t1) % 1000 : 0);
	test_begin("sched");
	/* 3 * t1 within 2 % of t3 */
	test_report("sched.shares_1_to_3", t1 && t3 * 100 >= t1 * 3 * 98 && t3 * 100 <= t1 * 3 * 102,
		    "spin1 %lu spin3 %lu", t1, t3);
	/* Each got (about) its budget share of the window: 1/8 and 3/8. */
	test_report("sched.spin1_budget", t1 * 8 * 100 >= window * 95 && t1 * 8 * 100 <= window * 105,
		    "spin1 %lu of %lu", t1, window);
	test_report("sched.waiting_costs_nothing", ti < window / 1000, "idle used %lu", ti);
	test_end();
	runtime_poweroff();
}
