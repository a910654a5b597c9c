/* SPDX-License-Identifier: MIT */
/*
 * Hostile: reads an IPA nothing is mapped at (stage 2). The hypervisor
 * must stop this domain, say why, and keep the others running.
 */
#include <domain/runtime.h>

#define UNMAPPED_IPA 0x10000000ull /* below RAM, no device there */

int domain_main(const struct cloison_start_info *si)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)UNMAPPED_IPA;

	printf("reading unmapped IPA 0x%llx\n", UNMAPPED_IPA);
	console_flush();
	(void)*p;
	printf("still running after the hostile act!\n");
	return 1;
}
