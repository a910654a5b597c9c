/* SPDX-License-Identifier: MIT */
/*
 * C entry from boot.S: CPU state, early console, device tree, MMU, then the
 * generic core. Runs with the MMU off until arch_mmu_init() returns.
 */
#include <arch/console.h>
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/power.h>
#include <cloison/core.h>
#include <cloison/panic.h>
#include <cloison/platform.h>
#include <cloison/std/print.h>

#include <plat/board.h>
#include "sysreg.h"

void arch_cpu_init_boot(void);
void arch_timer_setup(uint32_t intid);
NORETURN void arch_boot_main(uint64_t dtb);

static struct platform platform;

NORETURN void arch_boot_main(uint64_t dtb)
{
	const char *why = NULL;

	arch_cpu_init_boot();
	/* Route physical IRQ/FIQ/SError to EL2 (HCR_EL2.IMO/FMO/AMO, Arm ARM
	 * D13.2.48): without them an interrupt meant for EL1 is masked while
	 * EL2 runs, and the hypervisor tick never arrives. */
	write_sysreg(hcr_el2, HCR_EL2_IMO | HCR_EL2_FMO | HCR_EL2_AMO);
	isb();
	arch_console_init(plat_early_uart_base());
	if (!dtb)
		dtb = plat_default_dtb_addr();
	if (!platform_from_fdt(&platform, (const void *)(uintptr_t)dtb,
			       plat_dtb_max_size(), &why))
		panic("cannot use the device tree at 0x%lx: %s", dtb, why);
	arch_console_init(platform.uart.base);
	if (!arch_mmu_init(&platform, &why))
		panic("EL2 MMU: %s", why);
	if (!arch_irq_init(&platform, &why))
		panic("GIC: %s", why);
	arch_timer_setup(platform.timer_hyp_intid);
	core_main(&platform);
}
