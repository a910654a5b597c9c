/* SPDX-License-Identifier: MIT */
/*
 * Hostile: drains stage-2 tables. Maps copies of one 4 KiB frame at IPAs one
 * page past successive 2 MiB boundaries, so that each mapping needs a level-3
 * table of its own, until memory_map answers no_memory (or the CSpace is
 * full). Its tables are charged to its own share (docs/capabilities.md,
 * "Stage-2 tables"), so it must be refused long before the pool shared by
 * all domains runs dry; quota-victim checks that its own mappings still work.
 */
#include <domain/runtime.h>
#include <domain/test.h>

#define FIRST_SCRATCH 16u
#define PAGE 4096u
#define SLOTS 1024u
#define HOG_IPA 0x80001000ull
#define STRIDE (2ull << 20)

int domain_main(const struct cloison_start_info *si)
{
	uint64_t pool = si_cap("pool"), frame = FIRST_SCRATCH, err = CLOISON_ERR_OK;
	unsigned int n = 0;

	if (cloison_untyped_retype(pool, CLOISON_TYPE_FRAME, PAGE, CLOISON_SLOT_NONE,
				   frame) != CLOISON_ERR_OK)
		runtime_panic("retype of the frame failed");
	for (uint64_t s = frame + 1; s < SLOTS; s++) {
		err = cloison_cap_copy(frame, CLOISON_SLOT_NONE, s);
		if (err != CLOISON_ERR_OK)
			break;
		err = cloison_memory_map(s, HOG_IPA + n * STRIDE, CLOISON_RIGHT_FRAME_READ);
		if (err != CLOISON_ERR_OK)
			break;
		n++;
	}
	printf("mapped %u misaligned pages, then: %s\n", n, cloison_err_name(err));
	test_begin("quota-hog");
	test_report("quota.hog_refused_with_no_memory", err == CLOISON_ERR_NO_MEMORY,
		    "after %u mappings memory_map said %s", n, cloison_err_name(err));
	/* Its share: half of the 1,024 run-time tables (two domains in
	 * domains/tests/quota.toml) and the 4 of its boot share, minus what
	 * its boot mappings and the level-2 tables took; far below the pool. */
	test_report("quota.hog_bounded_by_its_share", n >= 256 && n <= 516,
		    "%u mappings before no_memory", n);
	/* Unmapping gives tables back to the share: one more fits again. */
	err = cloison_memory_unmap(frame + 1);
	if (err == CLOISON_ERR_OK)
		err = cloison_memory_map(frame + 1, HOG_IPA, CLOISON_RIGHT_FRAME_READ);
	test_report("quota.hog_share_comes_back", err == CLOISON_ERR_OK,
		    "unmap then map again: %s", cloison_err_name(err));
	/* Exhausted again: no_memory once more, nothing panics. */
	err = cloison_cap_copy(frame, CLOISON_SLOT_NONE, SLOTS - 1);
	if (err == CLOISON_ERR_OK)
		err = cloison_memory_map(SLOTS - 1, HOG_IPA + (uint64_t)(n + 1) * STRIDE,
					 CLOISON_RIGHT_FRAME_READ);
	test_report("quota.hog_still_refused", err == CLOISON_ERR_NO_MEMORY, "%s",
		    cloison_err_name(err));
	/* Pages in the level-3 tables it has: no new table needed. Many
	 * mapped caps make quota-victim's destroy of this domain finalise its
	 * CSpace over several chunks, after its stage 2 is gone. */
	{
		uint64_t s = frame + 1 + n + 1, mapped = 0;

		for (uint64_t k = 0; k < 4; k++)
			for (uint64_t j = 1; j <= 100 && s < SLOTS - 1; j++, s++) {
				err = cloison_cap_copy(frame, CLOISON_SLOT_NONE, s);
				if (err == CLOISON_ERR_OK)
					err = cloison_memory_map(s, HOG_IPA + k * STRIDE + j * PAGE,
								 CLOISON_RIGHT_FRAME_READ);
				mapped += err == CLOISON_ERR_OK;
			}
		test_report("quota.hog_maps_within_its_tables", mapped == 400,
			    "%llu of 400 pages mapped in tables it has", (unsigned long long)mapped);
	}
	test_end();
	printf("hog done\n");
	for (;;)
		vtimer_sleep_ms(1000);
}
