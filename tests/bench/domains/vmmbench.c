/* SPDX-License-Identifier: MIT */
/*
 * VMM benchmark (docs/benchmarks.md): serves vmm_guest.S with the Linux
 * VMM's own GIC model and PSCI code (domains/vmm/gic.c, psci.c) and prints
 * what one forwarded exit costs, round trip: the guest's trap, the switch
 * to this VMM, its decode and answer, vmm_reply, vmm_wait, the switch back.
 */
#include <domain/core.h>

#include "../../../domains/vmm/gic.h"
#include "../../../domains/vmm/psci.h"

#define EMU 0x08000000ull
#define N 4096
#define TICK_INSTRUCTIONS 16 /* CNTVCT_EL0 under -icount shift=0 */

static uint64_t guest, sys;
static struct gic gic;
static struct { uint64_t el2, switches, virqs, hypercalls; } mark;

static void stats(uint64_t *el2, uint64_t *sw, uint64_t *virqs, uint64_t *hc)
{
	if (cloison_system_stats(sys, el2, sw, virqs, hc))
		*el2 = *sw = *virqs = *hc = 0;
}

static void result(const char *name, uint64_t ticks)
{
	uint64_t el2, sw, virqs, hc;

	stats(&el2, &sw, &virqs, &hc);
	print("BENCH %s ops=%u instructions=%lu el2_entries=%lu switches=%lu virqs=%lu bytes=0\n",
	      name, N, ticks * TICK_INSTRUCTIONS, el2 - mark.el2, sw - mark.switches,
	      virqs - mark.virqs);
}

int domain_main(const struct cloison_start_info *si)
{
	static const struct gic_ops ops = { 0, 0, 0 };

	(void)si;
	guest = si_cap("guest");
	sys = si_cap("system");
	gic_init(&gic, &ops);
	if (cloison_vmm_region(guest, EMU, 0x1000) || cloison_domain_start(guest)) {
		print("vmmbench: setup failed\n");
		runtime_park();
	}
	print("BENCH-BASELINE empty_loop\n");
	for (;;) {
		uint64_t kind = 0, addr = 0, size = 0, value = 0, a2, a3, x0 = 0;

		if (cloison_vmm_wait(guest, &kind, &addr, &size, &value, &a2, &a3))
			runtime_park();
		if (kind == CLOISON_VMM_EXIT_MMIO_READ) {
			cloison_vmm_reply(guest, gicd_read(&gic, addr - EMU, (unsigned int)size));
			continue;
		}
		if (kind == CLOISON_VMM_EXIT_HVC) {
			psci_call(addr, value, &x0);
			cloison_vmm_reply(guest, x0);
			continue;
		}
		if (kind != CLOISON_VMM_EXIT_MMIO_WRITE)
			runtime_park();
		switch (addr - EMU) {
		case 0x200:
			stats(&mark.el2, &mark.switches, &mark.virqs, &mark.hypercalls);
			break;
		case 0x208: result("empty_loop", value); break;
		case 0x210: result("guest_mmio_read_via_vmm", value); break;
		case 0x218: result("guest_psci_call_via_vmm", value); break;
		case 0x220: runtime_poweroff();
		default: break;
		}
		cloison_vmm_reply(guest, 0);
	}
}
