/* SPDX-License-Identifier: MIT */
/*
 * Echo service (a driver-style domain): answers every message on its
 * channel with the same bytes, "ping" turned into "pong". Sleeps in WFI
 * until the channel's virtual interrupt says a message arrived.
 */
#include <domain/core.h>
#include "ring.h"

#define ECHO_VIRQ 33u

/* The channel's interrupt only ends the WFI below; the ring says what
 * arrived. */
void irq_handler(uint32_t intid)
{
	(void)intid;
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t slot = si_cap("clients"), badge = 0, echoed = 0;
	const struct cloison_start_info_cap *c = si_find("clients");
	struct ring_end r;
	struct ring_msg m;
	bool n;

	cloison_cap_identify(slot, NULL, NULL, &badge);
	ring_init(&r, (void *)(uintptr_t)c->ipa, (unsigned)badge, false);
	cloison_channel_bind(slot, ECHO_VIRQ);
	irq_enable(ECHO_VIRQ, 0x80);
	irq_unmask();
	print("echo service on channel end %lu\n", badge);
	for (;;) {
		while (ring_space(&r) && ring_recv(&r, &m) == RING_OK) {
			if (m.len >= 4 && memcmp(m.data, "ping", 4) == 0)
				memcpy(m.data, "pong", 4);
			if (ring_send(&r, m.data, m.len, m.id, &n) == RING_OK && n)
				cloison_channel_signal(slot);
			echoed++;
		}
		if (r.dead) {
			print("client disconnected: %s\n", r.why);
			for (;;)
				__asm__ volatile("wfi");
		}
		if (!ring_arm(&r))
			__asm__ volatile("wfi");
	}
}
