/* SPDX-License-Identifier: MIT */
/*
 * Channel benchmarks, against the partner in chanecho.c:
 *  - signal_to_handler: channel_signal to the first instruction of the
 *    partner's interrupt handler (it stamps PMCCNTR_EL0 there);
 *  - ring_round_trip_64B: one 64-byte slot request echoed back;
 *  - ring_bulk_per_KiB vs memcpy_per_KiB: 56 KiB through the ring against
 *    a plain copy of the same bytes in this domain (the baseline).
 * Instruction counts from PMCCNTR_EL0 (icount: instructions, all domains
 * and EL2 included); events from system_stats around the same window.
 */
#include <domain/core.h>
#include "ring.h"
#include "chanbench.h"

#define SIGNALS 2000u
#define TRIPS 2000u
#define BULK_MSGS 1024u

struct sample {
	uint64_t instr, el2, switches, virqs, hc;
};

static uint64_t sys;

static uint64_t pmccntr(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, pmccntr_el0" : "=r"(v));
	return v;
}

static void sample(struct sample *s)
{
	cloison_system_stats(sys, &s->el2, &s->switches, &s->virqs, &s->hc);
	s->instr = pmccntr();
}

static void report(const char *name, const struct sample *a, const struct sample *b,
		   uint64_t ops, uint64_t instr, uint64_t bytes)
{
	print("BENCH %s ops=%lu instructions=%lu el2_entries=%lu switches=%lu virqs=%lu bytes=%lu\n",
	      name, ops, instr, b->el2 - a->el2, b->switches - a->switches, b->virqs - a->virqs,
	      bytes);
}

int domain_main(const struct cloison_start_info *si)
{
	uint64_t slot = si_cap("echo");
	const struct cloison_start_info_cap *c = si_find("echo");
	volatile struct bench_shared *sh;
	static uint8_t src[BULK_MSGS * RING_DATA], dst[BULK_MSGS * RING_DATA];
	struct sample a, b;
	struct ring_end r;
	struct ring_msg m;
	uint64_t badge = 0, total, word;
	uint8_t payload[RING_DATA];
	bool n;

	sys = si_cap("system");
	cloison_cap_identify(slot, NULL, NULL, &badge);
	ring_init(&r, (void *)(uintptr_t)c->ipa, (unsigned)badge, false);
	sh = (volatile struct bench_shared *)(uintptr_t)(c->ipa + BENCH_SHARED_OFFSET);
	__asm__ volatile("msr pmccfiltr_el0, %0" : : "r"(1ull << 27));
	__asm__ volatile("msr pmcr_el0, %0" : : "r"(0x5ull));
	__asm__ volatile("msr pmcntenset_el0, %0; isb" : : "r"(1ull << 31));
	for (unsigned k = 0; k < 20; k++)
		cloison_yield(); /* the partner binds and goes to sleep */
	cloison_channel_poll(slot, &word);

	/* Signal to handler. */
	total = 0;
	sample(&a);
	for (uint32_t i = 0; i < SIGNALS; i++) {
		uint64_t t0 = pmccntr();

		cloison_channel_signal(slot);
		cloison_channel_wait(slot, &word); /* the partner signals back */
		total += sh->handler_stamp - t0;
	}
	sample(&b);
	report("signal_to_handler", &a, &b, SIGNALS, total, 0);

	/* Ring round trip, 64-byte slots. */
	for (uint32_t i = 0; i < RING_DATA; i++)
		payload[i] = (uint8_t)i;
	sample(&a);
	for (uint32_t i = 0; i < TRIPS; i++) {
		ring_send(&r, payload, RING_DATA, i, &n);
		if (n)
			cloison_channel_signal(slot);
		while (ring_recv(&r, &m) != RING_OK)
			if (!ring_arm(&r))
				cloison_channel_wait(slot, &word);
	}
	sample(&b);
	report("ring_round_trip_64B", &a, &b, TRIPS, b.instr - a.instr, 0);

	/* Bulk through the ring, in KiB. */
	for (uint32_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7);
	sh->bulk_bytes = 0;
	sample(&a);
	for (uint32_t i = 0; i < BULK_MSGS;) {
		enum ring_status st = ring_send(&r, src + i * RING_DATA, RING_DATA,
						BENCH_BULK | i, &n);

		if (st == RING_OK) {
			i++;
			if (n)
				cloison_channel_signal(slot);
		} else {
			cloison_channel_signal(slot);
			cloison_channel_wait(slot, &word);
		}
	}
	while (sh->bulk_bytes < sizeof(src)) {
		cloison_channel_signal(slot);
		cloison_channel_wait(slot, &word);
	}
	sample(&b);
	report("ring_bulk_per_KiB", &a, &b, sizeof(src) / 1024, b.instr - a.instr, sizeof(src));

	sample(&a);
	memcpy(dst, src, sizeof(src));
	sample(&b);
	report("memcpy_per_KiB", &a, &b, sizeof(src) / 1024, b.instr - a.instr, sizeof(src));
	print("BENCH-BASELINE memcpy_per_KiB\n");
	runtime_poweroff();
}
