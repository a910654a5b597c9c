/* SPDX-License-Identifier: MIT */
/* panic() at EL2: say why, then stop the machine with a failure status. */
#include <arch/power.h>
#include <cloison/panic.h>
#include <cloison/std/print.h>

void panic(const char *fmt, ...)
{
	va_list ap;

	print("\nPANIC: ");
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	print("\n");
	arch_power_off(false);
}
