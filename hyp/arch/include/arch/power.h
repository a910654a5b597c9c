/* SPDX-License-Identifier: MIT */
/* Arch interface: ending the machine. */
#ifndef ARCH_POWER_H
#define ARCH_POWER_H

#include <cloison/types.h>

/*
 * Power the machine off. success=false makes QEMU exit with a failure status
 * (semihosting SYS_EXIT) so a test harness can never read a failure as a pass.
 */
NORETURN void arch_power_off(bool success);

#endif
