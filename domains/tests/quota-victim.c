/* SPDX-License-Identifier: MIT */
/*
 * The witness of the stage-2 quota test: waits until quota-hog has used up
 * its share of table pages (it sleeps; the hog runs meanwhile), then maps
 * frames of its own at IPAs that need new tables, which must succeed,
 * and powers the machine off.
 */
#include <domain/runtime.h>
#include <domain/test.h>

#define FIRST_SCRATCH 16u
#define PAGE 4096u
#define VICTIM_IPA 0x80001000ull
#define STRIDE (2ull << 20)
#define MAPS 8u

int domain_main(const struct cloison_start_info *si)
{
	uint64_t pool = si_cap("pool"), sys = si_cap("system"), err = CLOISON_ERR_OK;
	unsigned int n = 0;

	vtimer_sleep_ms(200);
	for (uint64_t i = 0; i < MAPS; i++) {
		uint64_t s = FIRST_SCRATCH + i;

		err = cloison_untyped_retype(pool, CLOISON_TYPE_FRAME, PAGE,
					     CLOISON_SLOT_NONE, s);
		if (err == CLOISON_ERR_OK)
			err = cloison_memory_map(s, VICTIM_IPA + i * STRIDE,
						 CLOISON_RIGHT_FRAME_READ | CLOISON_RIGHT_FRAME_WRITE);
		if (err != CLOISON_ERR_OK)
			break;
		/* The page is really there. */
		*(volatile uint64_t *)(uintptr_t)(VICTIM_IPA + i * STRIDE) = i + 1;
		n++;
	}
	printf("mapped %u of %u pages after the hog: %s\n", n, MAPS, cloison_err_name(err));
	test_begin("quota-victim");
	test_report("quota.victim_maps", n == MAPS, "%u of %u mappings, last error %s", n,
		    MAPS, cloison_err_name(err));
	/* Destroy the hog: its CSpace, full of mapped caps, is finalised in
	 * chunks after its stage 2 is freed; we run on only once its RAM is
	 * zeroed (the hypervisor's line comes first). */
	err = cloison_domain_destroy(si_cap("hog"));
	test_report("quota.hog_destroyed", err == CLOISON_ERR_OK, "domain_destroy: %s",
		    cloison_err_name(err));
	test_end();
	console_flush();
	cloison_system_poweroff(sys);
	runtime_panic("system_poweroff returned");
}
