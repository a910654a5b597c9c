/* SPDX-License-Identifier: MIT */
/* Only waits: WFI forever with nothing that could wake it. */
#include <domain/core.h>

int domain_main(const struct cloison_start_info *si)
{
	print("waiting\n");
	for (;;)
		__asm__ volatile("wfi");
}
