/* SPDX-License-Identifier: MIT */
/*
 * Ending the machine. Success: PSCI SYSTEM_OFF (PSCI spec DEN0022, function
 * 0x84000008), QEMU exits with status 0. Failure: semihosting SYS_EXIT
 * (operation 0x18, reason ADP_Stopped_ApplicationExit 0x20026 with the exit
 * code as subcode, AArch64 form) so QEMU exits non-zero. If QEMU runs without
 * -semihosting the HLT traps back to EL2; the exception handler then comes
 * back here with the failure already printed, and we fall back to
 * SYSTEM_OFF after printing a marker.
 */
#include <arch/cpu.h>
#include <arch/power.h>
#include <cloison/std/print.h>

#define PSCI_SYSTEM_OFF 0x84000008ull
#define SEMIHOST_SYS_EXIT 0x18ull
#define ADP_STOPPED_APPLICATION_EXIT 0x20026ull

static volatile bool tried_semihosting;

static void psci_system_off(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

static void semihost_exit(uint64_t code)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, code };
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

void arch_power_off(bool success)
{
	__asm__ volatile("msr daifset, #0xf");
	if (!success && !tried_semihosting) {
		tried_semihosting = true;
		print("cloison: stopping with failure status\n");
		semihost_exit(1);
	}
	if (!success)
		print("cloison: no semihosting; powering off (FAILURE)\n");
	psci_system_off();
	arch_cpu_halt();
}
