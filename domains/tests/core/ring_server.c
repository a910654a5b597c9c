/* SPDX-License-Identifier: MIT */
/*
 * Ring server (tests/system/systems/rings.toml): echoes every message back
 * on the channel it came from, after checking the checksum of its private
 * copy (bytes 4.. summed into bytes 0..3). Its peers: one honest client and
 * hostile ones (forged index, garbage length, a slot rewritten in a loop).
 * A misbehaving peer is disconnected, alone; the honest one is served to
 * the end. Each channel end is bound to its own virtual interrupt; the
 * server sleeps in WFI when every ring is empty.
 */
#include <domain/core.h>
#include <domain/result.h>
#include "ring.h"

/* Which end of the channel a cap is: its badge word (ABI 0.5). */
static unsigned channel_end(uint64_t slot)
{
	uint64_t badge = 0;

	cloison_cap_identify(slot, NULL, NULL, &badge);
	return (unsigned)badge;
}

#define PEERS 6

static const char *const names[PEERS] = { "honest", "ahead", "badlen", "flipper",
					   "backwards", "wrapped" };
static struct {
	uint64_t slot;
	struct ring_end ring;
	bool reported;
	uint64_t served, bad_sums;
} peer[PEERS];
static volatile uint64_t irqs;
static uint64_t honest_at_last_disconnect;

void irq_handler(uint32_t vintid)
{
	(void)vintid;
	irqs++;
}

static uint32_t sum(const uint8_t *d, uint32_t len)
{
	uint32_t s = 0;

	for (uint32_t i = 4; i < len; i++)
		s = s * 31 + d[i];
	return s;
}

static bool serve(unsigned i)
{
	struct ring_msg m;
	bool n, any = false;

	/* Take a request only when its response has room: a request is never
	 * consumed and then dropped. */
	while (ring_space(&peer[i].ring) && ring_recv(&peer[i].ring, &m) == RING_OK) {
		uint32_t want;

		any = true;
		if (m.id == 0xffffffffu)
			continue; /* "done" marker, handled by the caller */
		memcpy(&want, m.data, 4);
		if (m.len < 4 || sum(m.data, m.len) != want) {
			/* Decided on the copy: the shared slot is not read again. */
			peer[i].bad_sums++;
			peer[i].ring.dead = true;
			peer[i].ring.why = "checksum does not match the message";
			break;
		}
		if (ring_send(&peer[i].ring, m.data, m.len, m.id, &n) == RING_OK) {
			peer[i].served++;
			if (n)
				cloison_channel_signal(peer[i].slot);
		}
	}
	if (peer[i].ring.dead && !peer[i].reported) {
		peer[i].reported = true;
		honest_at_last_disconnect = peer[0].served;
		print("peer %s disconnected: %s\n", names[i], peer[i].ring.why);
	}
	return any;
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t deadline = vtimer_now() + vtimer_freq() / 2; /* 0.5 s */

	for (unsigned i = 0; i < PEERS; i++) {
		const struct cloison_start_info_cap *c = si_find(names[i]);

		if (!c)
			return 0;
		peer[i].slot = c->slot;
		ring_init(&peer[i].ring, (void *)(uintptr_t)c->ipa, channel_end(c->slot), false);
		cloison_channel_bind(c->slot, 33 + i);
		cloison_vgic_configure(33 + i, 1, 0x80);
	}
	irq_unmask();
	print("serving %u peers\n", PEERS);
	for (;;) {
		bool busy = false;

		for (unsigned i = 0; i < PEERS; i++)
			busy |= serve(i);
		/* Done when the honest peer is served and every hostile one
		 * has shown its hand, or after a bounded time. */
		if (peer[0].served >= 200 && peer[1].ring.dead && peer[2].ring.dead &&
		    (peer[3].ring.dead || peer[3].served >= 2) && peer[4].ring.dead &&
		    peer[5].ring.dead)
			break;
		if (vtimer_now() > deadline)
			break;
		if (!busy && vtimer_now() <= deadline) {
			bool again = false;

			for (unsigned i = 0; i < PEERS; i++)
				again |= ring_arm(&peer[i].ring);
			if (!again)
				__asm__ volatile("wfi");
		}
	}
	/* Let the honest client read its last responses. */
	for (unsigned k = 0; k < 50; k++)
		cloison_yield();
	test_begin("rings");
	test_report("rings.honest_served", peer[0].served == 200 && !peer[0].ring.dead,
		    "served %lu dead %d", peer[0].served, peer[0].ring.dead);
	test_report("rings.ahead_disconnected", peer[1].ring.dead && peer[1].served == 0,
		    "dead %d served %lu", peer[1].ring.dead, peer[1].served);
	test_report("rings.badlen_disconnected", peer[2].ring.dead,
		    "dead %d", peer[2].ring.dead);
	test_report("rings.backwards_disconnected", peer[4].ring.dead && peer[4].served == 2,
		    "dead %d served %lu", peer[4].ring.dead, peer[4].served);
	test_report("rings.wrapped_disconnected", peer[5].ring.dead && peer[5].served == 0,
		    "dead %d served %lu", peer[5].ring.dead, peer[5].served);
	test_report("rings.honest_served_after_disconnects",
		    peer[0].served > honest_at_last_disconnect,
		    "served %lu, %lu before the last disconnect", peer[0].served,
		    honest_at_last_disconnect);
	test_report("rings.flipper_contained", peer[3].served <= 1 || peer[3].ring.dead,
		    "served %lu", peer[3].served);
	test_report("rings.interrupts_batched", irqs > 0 && irqs < 200,
		    "%lu interrupts for 200 requests", irqs);
	test_end();
	runtime_poweroff();
}
