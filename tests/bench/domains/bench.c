/* SPDX-License-Identifier: MIT */
/*
 * Benchmark domain. Under -icount shift=0 PMCCNTR_EL0 counts instructions
 * (EL2 included once PMCCFILTR_EL0.NSH is set); the hypervisor's event
 * counters come from system_stats around the same window. Each result is
 * one line `BENCH name ops=... instructions=... el2_entries=... switches=...
 * virqs=... bytes=...`, read by tests/bench/bench.py.
 */
#include <domain/core.h>

#define OPS 20000u

struct sample {
	uint64_t instr, el2, switches, virqs, hypercalls;
};

static uint64_t sys_slot;

static uint64_t pmccntr(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, pmccntr_el0" : "=r"(v));
	return v;
}

static void pmu_on(void)
{
	/* PMCCFILTR_EL0.NSH (bit 27): count at EL2 too. PMCR_EL0.E|C, then
	 * enable the cycle counter (PMCNTENSET_EL0 bit 31). */
	__asm__ volatile("msr pmccfiltr_el0, %0" : : "r"(1ull << 27));
	__asm__ volatile("msr pmcr_el0, %0" : : "r"(0x5ull));
	__asm__ volatile("msr pmcntenset_el0, %0; isb" : : "r"(1ull << 31));
}

static void sample(struct sample *s)
{
	cloison_system_stats(sys_slot, &s->el2, &s->switches, &s->virqs, &s->hypercalls);
	s->instr = pmccntr();
}

/* A window with no operation in it: what sample() itself costs. */
static struct sample overhead;

static void report(const char *name, const struct sample *a, const struct sample *b,
		   uint64_t ops, uint64_t bytes)
{
	print("BENCH %s ops=%lu instructions=%lu el2_entries=%lu switches=%lu virqs=%lu bytes=%lu\n",
	      name, ops, b->instr - a->instr - overhead.instr,
	      b->el2 - a->el2 - overhead.el2, b->switches - a->switches - overhead.switches,
	      b->virqs - a->virqs - overhead.virqs, bytes);
}

static void calibrate(void)
{
	struct sample a, b;

	sample(&a);
	sample(&b);
	overhead.instr = b.instr - a.instr;
	overhead.el2 = b.el2 - a.el2;
	overhead.switches = b.switches - a.switches;
	overhead.virqs = b.virqs - a.virqs;
}

int domain_main(const struct cloison_start_info *si)
{
	struct sample a, b;
	uint64_t con = si_cap("console"), type;
	volatile uint64_t sink = 0;

	sys_slot = si_cap("system");
	pmu_on();
	calibrate();

	sample(&a);
	for (uint32_t i = 0; i < OPS; i++)
		sink = sink + i;
	sample(&b);
	report("empty_loop", &a, &b, OPS, 0);
	print("BENCH-BASELINE empty_loop\n");

	sample(&a);
	for (uint32_t i = 0; i < OPS; i++)
		cloison_abi_version(NULL, NULL);
	sample(&b);
	report("null_hypercall_no_cap", &a, &b, OPS, 0);

	sample(&a);
	for (uint32_t i = 0; i < OPS; i++)
		cloison_cap_identify(con, &type, NULL, NULL);
	sample(&b);
	report("null_hypercall_cap_lookup", &a, &b, OPS, 0);

	/* An emulated MRS (MDSCR_EL1: trapped by MDCR_EL2.TDA, RAZ at EL2),
	 * what a guest kernel pays for each debug or ID register access. */
	sample(&a);
	for (uint32_t i = 0; i < OPS; i++)
		__asm__ volatile("mrs %0, mdscr_el1" : "=r"(type));
	sample(&b);
	report("trapped_sysreg_read", &a, &b, OPS, 0);

	/* The partner domain yields back at once: every yield here is one
	 * switch to it and one back. */
	if (si_cap_or_none("partner") != CLOISON_SLOT_NONE) {
		sample(&a);
		for (uint32_t i = 0; i < OPS; i++)
			cloison_yield();
		sample(&b);
		report("yield_switch_round_trip", &a, &b, OPS, 0);
	}
	runtime_poweroff();
}
