/* SPDX-License-Identifier: MIT */
/*
 * Hostile: executes an undefined instruction. The runtime's EL1 vector
 * reports it (hvc #0xe1); the hypervisor stops this domain with the
 * reason (ESR_EL1 EC 0: unknown reason) and keeps the others running.
 */
#include <domain/runtime.h>

int domain_main(const struct cloison_start_info *si)
{
	printf("executing an undefined instruction (udf #0)\n");
	console_flush();
	__asm__ volatile("udf #0");
	printf("still running after the hostile act!\n");
	return 1;
}
