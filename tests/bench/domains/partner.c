/* SPDX-License-Identifier: MIT */
/* Benchmark partner: gives the CPU straight back. */
#include <domain/core.h>

int domain_main(const struct cloison_start_info *si)
{
	for (;;)
		cloison_yield();
}
