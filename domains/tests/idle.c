/* SPDX-License-Identifier: MIT */
/*
 * A domain that only waits: WFI in a loop, with no interrupt enabled, so
 * nothing ever wakes it. The scheduler test checks that such a domain
 * uses no budget (the hypervisor keeps a waiting vCPU off the CPU).
 */
#include <domain/runtime.h>

int domain_main(const struct cloison_start_info *si)
{
	printf("waiting in WFI forever\n");
	console_flush();
	for (;;)
		__asm__ volatile("wfi");
}
