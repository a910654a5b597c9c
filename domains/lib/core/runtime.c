/* SPDX-License-Identifier: MIT */
/*
 * The runtime's life cycle (core.h): checking the start-info page,
 * setting up what the core owns, and the ways a domain ends: parked,
 * faulty, powering the machine off.
 */
#include <stdarg.h>

#include "internal.h"

_Static_assert(CLOISON_HVC_EL1_FAULT == 0xe1, "vectors.S and start.S hard-code hvc #0xe1");

void runtime_enter(const struct cloison_start_info *si)
{
	if (si->magic != CLOISON_START_INFO_MAGIC ||
	    si->version != CLOISON_START_INFO_VERSION)
		runtime_fault(); /* not our hypervisor, or a newer one */
	si_init(si);
}

void runtime_init(void)
{
	const struct cloison_start_info *si = si_get();

	console_init();
	irq_init();
	if (si->abi_major != CLOISON_ABI_VERSION_MAJOR)
		runtime_panic("hypervisor ABI %u.%u, this image was built for %u.%u",
			      si->abi_major, si->abi_minor, CLOISON_ABI_VERSION_MAJOR,
			      CLOISON_ABI_VERSION_MINOR);
}

_Noreturn void runtime_fault(void)
{
	console_flush();
	for (;;)
		__asm__ volatile("hvc #0xe1");
}

_Noreturn void runtime_panic(const char *fmt, ...)
{
	va_list ap;

	console_flush(); /* end whatever line was in progress */
	print("runtime: panic: ");
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	print("\n");
	runtime_fault();
}

_Noreturn void runtime_park(void)
{
	console_flush();
	irq_mask();
	irq_quiesce();
	for (;;)
		__asm__ volatile("wfi");
}

_Noreturn void runtime_exit(int status)
{
	if (status != 0)
		print("runtime: domain_main ended with status %d\n", status);
	runtime_park();
}

_Noreturn void runtime_poweroff(void)
{
	uint64_t err;

	console_flush(); /* the last line before the machine goes */
	err = cloison_system_poweroff(si_cap("system"));
	runtime_panic("system_poweroff refused: %s", cloison_err_name(err));
}
