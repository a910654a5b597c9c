/* SPDX-License-Identifier: MIT */
/* CPU-bound forever: never yields, never waits. */
#include <domain/core.h>

int domain_main(const struct cloison_start_info *si)
{
	volatile uint64_t n = 0;

	print("spinning\n");
	for (;;)
		n++;
}
