/* SPDX-License-Identifier: MIT */
/*
 * The control domain of the VMM lifecycle test (docs/vmm.md, "What stops a
 * guest"; systems/vmm-lifecycle.toml): a VMM stopped through a cap, and one
 * destroyed, each while it holds its guest's exit unanswered, stop that
 * guest (it is not left blocked); a guest destroyed while its VMM waits in
 * vmm_wait wakes the VMM with "stopped" (it prints so, the scenario checks).
 */
#include <domain/core.h>
#include <domain/result.h>

static uint64_t state_of(const char *cap)
{
	uint64_t state = ~0ull, id, t;

	cloison_domain_query(si_cap(cap), &state, &id, &t);
	return state;
}

/* Yield until the domain behind cap is in state want; false after a bound
 * (no wall-clock: each round is one yield). */
static bool reaches(const char *cap, uint64_t want)
{
	for (unsigned int i = 0; i < 200000; i++) {
		if (state_of(cap) == want)
			return true;
		cloison_yield();
	}
	return false;
}

int domain_main(const struct cloison_start_info *si)
{
	(void)si;
	test_begin("vmm-lifecycle");
	/* Each VMM starts its guest, then holds an exit or waits. */
	test_report("guests.started",
		    reaches("held-guest", CLOISON_DOMAIN_RUNNING) &&
			    reaches("held2-guest", CLOISON_DOMAIN_RUNNING) &&
			    reaches("wfi-guest", CLOISON_DOMAIN_RUNNING),
		    "a VMM did not start its guest");
	for (unsigned int i = 0; i < 2000; i++)
		cloison_yield();

	TEST_REPORT_ERR("stop.vmm", cloison_domain_stop(si_cap("vmm-held")), CLOISON_ERR_OK);
	test_report("stop.guest_stopped", reaches("held-guest", CLOISON_DOMAIN_STOPPED),
		    "state %lu", state_of("held-guest"));
	TEST_REPORT_ERR("destroy.vmm", cloison_domain_destroy(si_cap("vmm-held2")),
			CLOISON_ERR_OK);
	test_report("destroy.guest_stopped", reaches("held2-guest", CLOISON_DOMAIN_STOPPED),
		    "state %lu", state_of("held2-guest"));
	TEST_REPORT_ERR("destroy.guest", cloison_domain_destroy(si_cap("wfi-guest")),
			CLOISON_ERR_OK);
	/* Let the woken VMM print its line before the machine goes off. */
	for (unsigned int i = 0; i < 2000; i++)
		cloison_yield();
	test_end();
	cloison_system_poweroff(si_cap("system"));
	return 0;
}
