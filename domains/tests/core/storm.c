/* SPDX-License-Identifier: MIT */
/*
 * Notification storm (tests/system/systems/storm.toml). One image, three
 * roles by name:
 *  - "stormer" holds signal caps on six notifications and signals them
 *    all as fast as it can, forever;
 *  - "sink" binds the six to vINTIDs 40..45 (more than the 4 list
 *    registers) and counts every interrupt; it checks the first volley
 *    arrived whole (none lost when the list registers overflow);
 *  - "storm-judge" lets a CPU-bound worker run beside the storm for a fixed
 *    window and checks the worker still got its budget share and the
 *    stormer and sink no more than theirs.
 */
#include <domain/core.h>
#include <domain/result.h>

#define NOTES 6
#define WINDOW_MS 400u

static volatile uint64_t seen_mask, irq_count, mask_at_six;

void irq_handler(uint32_t vintid)
{
	if (vintid >= 40 && vintid < 40 + NOTES)
		seen_mask |= 1ull << (vintid - 40);
	/* The first six interrupts are the first volley: all six distinct
	 * unless one was lost and a storm duplicate took its place. */
	if (++irq_count == NOTES)
		mask_at_six = seen_mask;
}

static uint64_t slot_of(unsigned i)
{
	char name[8] = "note0";

	name[4] = (char)('0' + i);
	return si_cap(name);
}

static void stormer(void)
{
	uint64_t s[NOTES];

	for (unsigned i = 0; i < NOTES; i++)
		s[i] = slot_of(i);
	for (unsigned k = 0; k < 50; k++)
		cloison_yield(); /* the sink binds its interrupts */
	/* One volley, then give the sink time to take it whole. */
	for (unsigned i = 0; i < NOTES; i++)
		cloison_notification_signal(s[i]);
	for (unsigned k = 0; k < 50; k++)
		cloison_yield();
	print("storming\n");
	for (;;)
		for (unsigned i = 0; i < NOTES; i++)
			cloison_notification_signal(s[i]);
}

static void sink(void)
{
	for (unsigned i = 0; i < NOTES; i++) {
		cloison_notification_bind(slot_of(i), 40 + i);
		cloison_vgic_configure(40 + i, 1, 0x80);
	}
	irq_unmask();
	while (irq_count < NOTES)
		__asm__ volatile("wfi");
	test_begin("storm_sink");
	test_report("storm.no_interrupt_lost", mask_at_six == (1u << NOTES) - 1,
		    "first six interrupts covered 0x%lx", mask_at_six);
	test_end();
	for (;;)
		__asm__ volatile("wfi");
}

static uint64_t cpu_time(const char *name)
{
	uint64_t t = 0;

	cloison_domain_query(si_cap(name), NULL, NULL, &t);
	return t;
}

static void judge(void)
{
	uint64_t freq = vtimer_freq(), window = freq / 1000 * WINDOW_MS;
	uint64_t start = vtimer_now(), w0 = cpu_time("worker"), s0 = cpu_time("stormer");
	uint64_t k0 = cpu_time("sink"), w, s, k, elapsed;

	while (vtimer_now() < start + window)
		cloison_yield();
	elapsed = vtimer_now() - start;
	w = cpu_time("worker") - w0;
	s = cpu_time("stormer") - s0;
	k = cpu_time("sink") - k0;
	print("window %lu: worker %lu stormer %lu sink %lu counter ticks\n", elapsed, w, s, k);
	test_begin("storm");
	/* Budgets per 10 ms: worker 4 ms, stormer 2 ms, sink 2 ms. */
	test_report("storm.worker_keeps_its_share", w * 100 >= elapsed * 4 / 10 * 98,
		    "worker %lu of %lu", w, elapsed);
	test_report("storm.stormer_within_budget", s * 100 <= elapsed * 2 / 10 * 102,
		    "stormer %lu of %lu", s, elapsed);
	test_report("storm.sink_within_budget", k * 100 <= elapsed * 2 / 10 * 102,
		    "sink %lu of %lu", k, elapsed);
	test_end();
	runtime_poweroff();
}

int domain_main(const struct cloison_start_info *si)
{
	if (strcmp(si->name, "stormer") == 0)
		stormer();
	else if (strcmp(si->name, "sink") == 0)
		sink();
	else
		judge();
	return 0;
}
