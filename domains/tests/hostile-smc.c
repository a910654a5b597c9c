/* SPDX-License-Identifier: MIT */
/*
 * Hostile: smc. First PSCI SYSTEM_OFF without holding a system cap with
 * poweroff (the hypervisor must refuse it: PSCI DENIED, -3, and the
 * machine stays up), then an SMC function that is not PSCI at all, which
 * stops this domain.
 */
#include <domain/runtime.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define NOT_PSCI 0xc2000000u /* SMC64 SiP service call: nothing the hypervisor offers */

static int64_t smc(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = 0;
	register uint64_t x2 __asm__("x2") = 0;
	register uint64_t x3 __asm__("x3") = 0;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

int domain_main(const struct cloison_start_info *si)
{
	int64_t r;

	printf("PSCI SYSTEM_OFF without the right\n");
	console_flush();
	r = smc(PSCI_SYSTEM_OFF);
	printf("SYSTEM_OFF returned %lld\n", (long long)r);
	r = smc(PSCI_VERSION);
	printf("PSCI_VERSION returned 0x%llx\n", (unsigned long long)r);
	printf("calling smc with function 0x%x (not PSCI)\n", NOT_PSCI);
	console_flush();
	smc(NOT_PSCI);
	printf("still running after the hostile act!\n");
	return 1;
}
