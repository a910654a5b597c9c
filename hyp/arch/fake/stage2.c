/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for stage 2: remembers mapped ranges so unit tests can see
 * what memory_map / memory_unmap / revoke did. Same checks as the real one.
 */
#include <arch/stage2.h>
#include <cloison/panic.h>

#include "fake.h"

#define FAKE_MAPS 64

static struct fake_map {
	const struct arch_stage2 *s2;
	uint64_t ipa, size, pa;
	uint32_t prot;
} maps[FAKE_MAPS];

void arch_stage2_cpu_init(void)
{
}

bool arch_stage2_init(struct arch_stage2 *s2, uint16_t vmid, uint32_t quota_pages)
{
	(void)quota_pages; /* the fake keeps no tables */
	s2->root = NULL;
	s2->vmid = vmid;
	return true;
}

bool arch_stage2_init_own(struct arch_stage2 *s2, uint16_t vmid, void *pages, uint32_t n)
{
	(void)pages;
	return arch_stage2_init(s2, vmid, n);
}

static bool overlaps(const struct arch_stage2 *s2, uint64_t ipa, uint64_t size)
{
	for (unsigned i = 0; i < FAKE_MAPS; i++)
		if (maps[i].s2 == s2 && ipa < maps[i].ipa + maps[i].size &&
		    maps[i].ipa < ipa + size)
			return true;
	return false;
}

enum stage2_error arch_stage2_check_map(const struct arch_stage2 *s2,
					uint64_t ipa, paddr_t pa, uint64_t size)
{
	unsigned free_slots = 0;

	if (size == 0 || !IS_ALIGNED(ipa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) ||
	    !IS_ALIGNED(pa_addr(pa), PAGE_SIZE))
		return STAGE2_ERR_ALIGN;
	if (ipa >= STAGE2_IPA_LIMIT || size > STAGE2_IPA_LIMIT - ipa)
		return STAGE2_ERR_RANGE;
	if (overlaps(s2, ipa, size))
		return STAGE2_ERR_OVERLAP;
	for (unsigned i = 0; i < FAKE_MAPS; i++)
		free_slots += maps[i].s2 == NULL;
	return free_slots ? STAGE2_OK : STAGE2_ERR_NOMEM;
}

enum stage2_error arch_stage2_map(struct arch_stage2 *s2, uint64_t ipa,
				  paddr_t pa, uint64_t size, uint32_t prot)
{
	enum stage2_error err = arch_stage2_check_map(s2, ipa, pa, size);

	if (err)
		return err;
	for (unsigned i = 0; i < FAKE_MAPS; i++) {
		if (!maps[i].s2) {
			maps[i] = (struct fake_map){ s2, ipa, size, pa_addr(pa), prot };
			return STAGE2_OK;
		}
	}
	return STAGE2_ERR_NOMEM;
}

enum stage2_error arch_stage2_unmap(struct arch_stage2 *s2, uint64_t ipa,
				    uint64_t size)
{
	/* The core unmaps a mapping from its start, in chunks (memmap.c):
	 * the range left shrinks from below. */
	for (unsigned i = 0; i < FAKE_MAPS; i++) {
		if (maps[i].s2 == s2 && maps[i].ipa == ipa && size <= maps[i].size) {
			maps[i].ipa += size;
			maps[i].pa += size;
			maps[i].size -= size;
			if (!maps[i].size)
				maps[i].s2 = NULL;
			return STAGE2_OK;
		}
	}
	return STAGE2_ERR_NOT_MAPPED;
}

void arch_stage2_destroy(struct arch_stage2 *s2)
{
	for (unsigned i = 0; i < FAKE_MAPS; i++)
		if (maps[i].s2 == s2)
			maps[i].s2 = NULL;
}

uint64_t fake_stage2_mapped(const struct arch_stage2 *s2)
{
	uint64_t bytes = 0;

	for (unsigned i = 0; i < FAKE_MAPS; i++)
		if (maps[i].s2 == s2)
			bytes += maps[i].size;
	return bytes;
}

void fake_stage2_reset(void)
{
	for (unsigned i = 0; i < FAKE_MAPS; i++)
		maps[i].s2 = NULL;
}

uint32_t arch_stage2_tables(const struct arch_stage2 *s2)
{
	(void)s2;
	return 0;
}

uint32_t arch_stage2_quota(const struct arch_stage2 *s2)
{
	(void)s2;
	return 0;
}
