/* SPDX-License-Identifier: MIT */
/*
 * Benchmark partner on a channel: sleeps in WFI until the bench domain
 * signals; its interrupt handler stamps PMCCNTR_EL0 (the instruction count
 * under icount) into the shared page; then it answers every ring message
 * (echoes requests, swallows bulk data) and signals back.
 */
#include <domain/core.h>
#include "ring.h"
#include "chanbench.h"

static volatile struct bench_shared *sh;

void irq_handler(uint32_t vintid)
{
	uint64_t t;

	__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(t));
	if (vintid == BENCH_VIRQ)
		sh->handler_stamp = t;
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t slot = si_cap("bench");
	const struct cloison_start_info_cap *c = NULL;
	struct ring_end r;
	struct ring_msg m;
	uint64_t badge = 0;
	bool n;

	/* Written out rather than si_find(): after a call here, GCC hoists the
	 * echo path's argument set-up above the bulk/echo test in the loop
	 * below, three more instructions per bulk message in ring_bulk_per_KiB. */
	for (uint32_t k = 0; k < si->n_caps; k++)
		if (strcmp(si->caps[k].name, "bench") == 0)
			c = &si->caps[k];
	cloison_cap_identify(slot, NULL, NULL, &badge);
	ring_init(&r, (void *)(uintptr_t)c->ipa, (unsigned)badge, false);
	sh = (volatile struct bench_shared *)(uintptr_t)(c->ipa + BENCH_SHARED_OFFSET);
	cloison_channel_bind(slot, BENCH_VIRQ);
	cloison_vgic_configure(BENCH_VIRQ, 1, 0x80);
	irq_unmask();
	for (;;) {
		while (ring_recv(&r, &m) == RING_OK) {
			if (m.id & BENCH_BULK)
				sh->bulk_bytes += m.len;
			else
				ring_send(&r, m.data, m.len, m.id, &n);
		}
		cloison_channel_signal(slot);
		if (!ring_arm(&r))
			__asm__ volatile("wfi");
	}
}
