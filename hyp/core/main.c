/* SPDX-License-Identifier: MIT */
/*
 * The core after arch bring-up: say hello, start the tick, then (for now)
 * run the boot self-tests of a test build or power off cleanly.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/power.h>
#include <arch/timer.h>
#include <cloison/clock.h>
#include <cloison/core.h>
#include <cloison/platform.h>
#include <cloison/print.h>
#include <cloison/selftest.h>

#include "../plat/qemu-virt/plat.h"

static void print_platform(const struct platform *p)
{
	print("cloison: RAM %lx-%lx, UART %lx, GICD %lx, GICR %lx, "
	      "%u virtio-mmio slots, timer PPI %u\n",
	      p->ram.base, p->ram.base + p->ram.size, p->uart.base,
	      p->gicd.base, p->gicr.base, p->n_virtio, p->timer_hyp_intid);
}

void core_main(const struct platform *plat)
{
	print("Cloison %s (EL2, MMU on)\n", CLOISON_VERSION);
	print_platform(plat);
	arch_irq_enable(arch_timer_intid());
	clock_start(PLAT_TICK_HZ);
	arch_irq_unmask();
	print("cloison: ready\n");
	selftest_run(plat);
	arch_power_off(true);
}
