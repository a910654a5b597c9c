/* SPDX-License-Identifier: MIT */
/*
 * Example guest: says hello with its name from the start-info page, then
 * prints a numbered heartbeat every 100 ms, sleeping in WFI in between (the
 * EL1 virtual timer wakes it), so it costs no CPU while it waits.
 */
#include "kit.h"

#define BEAT_MS 100u

static volatile bool ticked;

void kit_on_irq(uint32_t vintid)
{
	if (vintid == CLOISON_VIRQ_VTIMER) {
		ticked = true;
		__asm__ volatile("msr cntv_ctl_el0, %0" : : "r"(2ull)); /* mask */
	}
}

static void sleep_ms(uint64_t ms)
{
	ticked = false;
	__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 : : "r"(kit_counter_freq() / 1000 * ms), "r"(1ull));
	while (!ticked)
		__asm__ volatile("wfi");
}

void kit_main(void)
{
	cloison_vgic_configure(CLOISON_VIRQ_VTIMER, 1, 0x80);
	kit_irqs_on();
	print("hello from %s (domain %u, %lu MiB at IPA 0x%lx)\n", kit_si->name,
	      kit_si->domain_id, kit_si->mem_size >> 20, kit_si->mem_ipa);
	for (unsigned n = 1;; n++) {
		sleep_ms(BEAT_MS);
		print("heartbeat %u\n", n);
	}
}
