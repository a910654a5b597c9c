/* SPDX-License-Identifier: MIT */
/*
 * Controller of devstop.toml: stops and resumes the disk owner while its
 * SPI is active and unacknowledged, then destroys it in the same state,
 * and checks the system goes on (it keeps running and the timer still
 * ticks: a level-triggered SPI left enabled with no owner would storm).
 */
#include <domain/core.h>
#include <domain/result.h>

#include "devstop.h"

static volatile struct devstop_page *pg;

static void wait_state(uint32_t s)
{
	while (pg->state != s)
		cloison_yield();
}

/* Let some counter time pass while others run; how many times this
 * domain got the CPU meanwhile. */
static uint32_t pause_ms(uint32_t ms)
{
	uint64_t end = vtimer_now() + vtimer_freq() / 1000u * ms;
	uint32_t turns = 0;

	for (; vtimer_now() < end; turns++)
		cloison_yield();
	return turns;
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t drv = si_cap("owner"), state = 0, id = 0, t = 0;
	uint32_t turns;

	(void)si;
	pg = (volatile struct devstop_page *)(uintptr_t)si_find("phase")->ipa;
	test_begin("devstop");
	wait_state(DEVSTOP_WEDGED);
	pause_ms(20); /* the device completes; the SPI is taken and left active */
	TEST_REPORT_ERR("devstop.stop_owner", cloison_domain_stop(drv), CLOISON_ERR_OK);
	pause_ms(20);
	TEST_REPORT_ERR("devstop.resume_owner", cloison_domain_resume(drv), CLOISON_ERR_OK);
	pg->phase = DEVSTOP_RESUMED;
	wait_state(DEVSTOP_WEDGED_AGAIN);
	pause_ms(20);
	TEST_REPORT_ERR("devstop.destroy_owner", cloison_domain_destroy(drv), CLOISON_ERR_OK);
	turns = pause_ms(50);
	cloison_domain_query(drv, &state, &id, &t);
	test_report("devstop.owner_destroyed", state == CLOISON_DOMAIN_DESTROYED, "state %lu",
		    state);
	test_report("devstop.system_continues", turns >= 100, "ran %u times in 50 ms", turns);
	test_end();
	runtime_poweroff();
}
