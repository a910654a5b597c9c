/* SPDX-License-Identifier: MIT */
/*
 * Hostile: floods the console as fast as it can, forever. The hypervisor
 * rate-limits each domain's lines, so the others' lines still get out and
 * this one's excess is dropped (and counted in the hypervisor's report).
 * The numbers show how many of this domain's lines were lost.
 */
#include <domain/runtime.h>

int domain_main(const struct cloison_start_info *si)
{
	printf("flooding the console\n");
	for (uint64_t n = 0;; n++)
		printf("flood %llu xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
		       (unsigned long long)n);
}
