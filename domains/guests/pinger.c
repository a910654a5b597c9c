/* SPDX-License-Identifier: MIT */
/*
 * Pinger guest: every 500 ms sends "ping N" to the echo service over its
 * channel, waits for the answer and prints it: every answer when it holds
 * a cap named "heartbeat" (toolstack/systems/default-verbose.toml), only
 * the first one otherwise (see guest-hello.c: quiet by default).
 */
#include <domain/core.h>
#include "ring.h"

static volatile bool ticked;

void irq_handler(uint32_t vintid)
{
	if (vintid == CLOISON_VIRQ_VTIMER) {
		ticked = true;
		__asm__ volatile("msr cntv_ctl_el0, %0" : : "r"(2ull));
	}
}

static void sleep_ms(uint64_t ms)
{
	ticked = false;
	__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 : : "r"(vtimer_freq() / 1000 * ms), "r"(1ull));
	while (!ticked)
		__asm__ volatile("wfi");
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t slot = si_cap("echo"), badge = 0;
	const struct cloison_start_info_cap *c = si_find("echo");
	struct ring_end r;
	struct ring_msg m;
	char text[24];
	bool n, chatty = si_find("heartbeat") != NULL;

	cloison_cap_identify(slot, NULL, NULL, &badge);
	ring_init(&r, (void *)(uintptr_t)c->ipa, (unsigned)badge, false);
	irq_enable(CLOISON_VIRQ_VTIMER, 0x80);
	irq_unmask();
	for (unsigned i = 1;; i++) {
		size_t len = print_to_buf(text, sizeof(text), "ping %u", i);

		sleep_ms(500);
		if (ring_send(&r, text, (uint32_t)len, i, &n) != RING_OK) {
			print("ring to the echo service is %s\n", r.dead ? r.why : "full");
			continue;
		}
		if (n)
			cloison_channel_signal(slot);
		while (ring_recv(&r, &m) != RING_OK && !r.dead)
			if (!ring_arm(&r))
				cloison_channel_wait(slot, NULL);
		if (!r.dead && (chatty || i == 1)) {
			m.data[m.len < RING_DATA ? m.len : RING_DATA - 1] = 0;
			print("sent '%s', the echo service answered '%s'%s\n", text, (char *)m.data,
			      chatty ? "" : " (further answers are not printed)");
		}
	}
}
