/* SPDX-License-Identifier: MIT */
/*
 * Ring clients; what each does depends on its name (see ring_server.c):
 * "honest" sends 200 checksummed requests and checks every echo; "ahead"
 * publishes a producer index far ahead; "badlen" a message whose length
 * does not fit a slot; "flipper" sends a good message then rewrites its slot
 * forever.
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

#define REQUESTS 200u

static uint32_t sum(const uint8_t *d, uint32_t len)
{
	uint32_t s = 0;

	for (uint32_t i = 4; i < len; i++)
		s = s * 31 + d[i];
	return s;
}

static void fill(uint8_t *d, uint32_t len, uint32_t seed)
{
	uint32_t s;

	for (uint32_t i = 4; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		d[i] = (uint8_t)(seed >> 16);
	}
	s = sum(d, len);
	memcpy(d, &s, 4);
}

static void honest(uint64_t slot, struct ring_end *r)
{
	uint32_t sent = 0, got = 0, bad = 0;
	uint8_t d[RING_DATA];
	struct ring_msg m;
	bool n;

	while (got < REQUESTS) {
		while (sent < REQUESTS) {
			uint32_t len = 8 + sent % (RING_DATA - 8);

			fill(d, len, sent);
			if (ring_send(r, d, len, sent, &n) != RING_OK)
				break;
			sent++;
			if (n)
				cloison_channel_signal(slot);
			if (sent % 8 == 0)
				break; /* in bursts, so the run spans the hostile peers' */
		}
		for (unsigned k = 0; k < 4; k++)
			cloison_yield();
		while (ring_recv(r, &m) == RING_OK) {
			uint32_t want;

			memcpy(&want, m.data, 4);
			if (m.id != got || sum(m.data, m.len) != want)
				bad++;
			got++;
		}
		/* Sleep only while answers are outstanding. */
		if (got < sent && !ring_arm(r))
			cloison_channel_wait(slot, NULL);
	}
	test_begin("ping_pong");
	test_report("ping_pong.all_echoed", got == REQUESTS, "got %u", got);
	test_report("ping_pong.checksums", bad == 0, "%u bad echoes", bad);
	test_report("ping_pong.notifications_batched", r->notifies <= REQUESTS / 8,
		    "%lu notifications for %u requests", r->notifies, REQUESTS);
	test_end();
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t slot = si_cap("server");
	const struct cloison_start_info_cap *c = si_find("server");
	struct ring_end r;
	uint8_t d[RING_DATA];
	bool n;

	ring_init(&r, (void *)(uintptr_t)c->ipa, channel_end(slot), false);
	if (strcmp(si->name, "honest") == 0) {
		honest(slot, &r);
		return 0;
	}
	for (unsigned k = 0; k < 20; k++)
		cloison_yield(); /* let the server arm first */
	if (strcmp(si->name, "ahead") == 0) {
		print("publishing a producer index 1000 slots ahead\n");
		r.tx->prod = 1000;
		cloison_channel_signal(slot);
	} else if (strcmp(si->name, "badlen") == 0) {
		fill(d, 16, 1);
		ring_send(&r, d, 16, 1, &n);
		print("rewriting the message length to 4096\n");
		r.tx->slot[0].len = 4096;
		cloison_channel_signal(slot);
	} else if (strcmp(si->name, "backwards") == 0) {
		struct ring_msg m;

		fill(d, 16, 4);
		ring_send(&r, d, 16, 1, &n);
		ring_send(&r, d, 16, 2, &n);
		cloison_channel_signal(slot);
		while (ring_recv(&r, &m) != RING_OK || ring_recv(&r, &m) != RING_OK)
			cloison_yield(); /* both answered: the server saw prod = 2 */
		print("moving the producer index back from 2 to 1\n");
		r.tx->prod = 1;
		cloison_channel_signal(slot);
	} else if (strcmp(si->name, "wrapped") == 0) {
		print("publishing a producer index wrapped half the index space away\n");
		r.tx->prod = 0x80000000u;
		cloison_channel_signal(slot);
	} else if (strcmp(si->name, "flipper") == 0) {
		volatile uint8_t *b = r.tx->slot[1].data;

		fill(d, 32, 2);
		ring_send(&r, d, 32, 1, &n);
		fill(d, 32, 3);
		ring_send(&r, d, 32, 2, &n);
		cloison_channel_signal(slot);
		print("rewriting a sent slot in a loop\n");
		for (uint32_t i = 0;; i++)
			b[i % 32] ^= 0x5a;
	}
	return 0;
}
