/* SPDX-License-Identifier: MIT */
/*
 * Debug and performance-monitor state is not shared (tests/system/systems/
 * pmu.toml). One image, three roles by name:
 *
 *  pmu-writer  runs first: turns the cycle counter on (counting EL2 too),
 *              writes the cycle and event counters, a breakpoint and a
 *              watchpoint value, MDSCR_EL1 and the OS lock, checks that its
 *              own counter reads 0 across a yield (no cycles of EL2 or of
 *              the other domains), then waits forever;
 *  pmu-reader  a fresh domain: must read zero or reset values in all of
 *              them, no PMU in ID_AA64DFR0_EL1, and results written to
 *              XZR and to callee-saved registers must land where they should;
 *  pmu-unknown reads CNTP_CTL_EL0, which EL2 traps (CNTHCTL_EL2.EL1PCEN = 0)
 *              and does not emulate: it is stopped with the register named;
 *  pmu-el0     tries to open the PMU to EL0 (PMUSERENR_EL0 = 0xf, ignored),
 *              then at EL0 reads MDCCSR_EL0 (trapped to EL2 by MDCR_EL2.TDA,
 *              zero) and PMCCNTR_EL0, which must trap to its own EL1
 *              (PMUSERENR_EL0.EN still 0): the runtime reports ESR_EL1 EC
 *              0x18 and the domain stops. An SVC after it means EL0 read
 *              the counter.
 *
 * A heartbeat domain beside them keeps running and powers off.
 */
#include <domain/core.h>
#include <domain/result.h>

#define SYSREG_READ(name)                                             \
	({                                                            \
		uint64_t v_;                                          \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));       \
		v_;                                                   \
	})
#define SYSREG_WRITE(name, v)                                         \
	__asm__ volatile("msr " #name ", %0; isb" : : "r"((uint64_t)(v)) : "memory")

/* Values the writer leaves behind. */
#define W_CYCLES 0x123456789ull
#define W_EVENTS 0x7777ull
#define W_BVR 0x40001000ull
#define W_WVR 0x40002000ull
#define MDSCR_TDCC (1ull << 12)

static bool is(const char *name)
{
	return strcmp(si_name(), name) == 0;
}

static void writer(void)
{
	uint64_t before, after, pmcr;

	test_begin("pmu-writer");
	/* PMCCFILTR_EL0.NSH (bit 27): count at EL2 too; PMCR_EL0.E|C, cycle
	 * counter enabled (PMCNTENSET_EL0 bit 31). */
	SYSREG_WRITE(pmccfiltr_el0, 1ull << 27);
	SYSREG_WRITE(pmcr_el0, 0x5);
	SYSREG_WRITE(pmcntenset_el0, (1ull << 31) | 1);
	SYSREG_WRITE(pmevtyper0_el0, 0x11); /* CPU_CYCLES */
	SYSREG_WRITE(pmccntr_el0, W_CYCLES);
	SYSREG_WRITE(pmevcntr0_el0, W_EVENTS);
	SYSREG_WRITE(dbgbvr0_el1, W_BVR);
	SYSREG_WRITE(dbgwvr0_el1, W_WVR);
	SYSREG_WRITE(mdscr_el1, MDSCR_TDCC);
	SYSREG_WRITE(oslar_el1, 0); /* unlock */
	print("wrote PMU and debug registers\n");
	pmcr = SYSREG_READ(pmcr_el0);
	before = SYSREG_READ(pmccntr_el0);
	cloison_yield();
	cloison_yield();
	after = SYSREG_READ(pmccntr_el0);
	test_report("pmu.writer.pmcr_raz", pmcr == 0, "PMCR_EL0 reads %lx", pmcr);
	test_report("pmu.writer.cycles_raz", before == 0 && after == 0,
		    "cycle counter %lx then %lx across two yields", before, after);
	test_report("pmu.writer.oslsr_own", SYSREG_READ(oslsr_el1) == 0x8,
		    "OSLSR_EL1 %lx after unlocking", SYSREG_READ(oslsr_el1));
	test_end();
	print("waiting\n");
	for (;;)
		__asm__ volatile("wfi");
}

static void reader(void)
{
	uint64_t dfr0 = SYSREG_READ(id_aa64dfr0_el1);
	uint64_t oslsr, kept = 0x55;

	test_begin("pmu-reader");
	test_report("pmu.reader.pmccntr", SYSREG_READ(pmccntr_el0) == 0, "PMCCNTR_EL0 %lx",
		    SYSREG_READ(pmccntr_el0));
	test_report("pmu.reader.pmevcntr0", SYSREG_READ(pmevcntr0_el0) == 0,
		    "PMEVCNTR0_EL0 %lx", SYSREG_READ(pmevcntr0_el0));
	test_report("pmu.reader.pmcr", SYSREG_READ(pmcr_el0) == 0, "PMCR_EL0 %lx",
		    SYSREG_READ(pmcr_el0));
	test_report("pmu.reader.pmcntenset", SYSREG_READ(pmcntenset_el0) == 0,
		    "PMCNTENSET_EL0 %lx", SYSREG_READ(pmcntenset_el0));
	test_report("pmu.reader.dbgbvr0", SYSREG_READ(dbgbvr0_el1) == 0, "DBGBVR0_EL1 %lx",
		    SYSREG_READ(dbgbvr0_el1));
	test_report("pmu.reader.dbgwvr0", SYSREG_READ(dbgwvr0_el1) == 0, "DBGWVR0_EL1 %lx",
		    SYSREG_READ(dbgwvr0_el1));
	test_report("pmu.reader.mdscr", SYSREG_READ(mdscr_el1) == 0, "MDSCR_EL1 %lx",
		    SYSREG_READ(mdscr_el1));
	/* Into a callee-saved register: EL2 must write the frame it restores. */
	__asm__ volatile("mov x19, %1\n mrs x19, oslsr_el1\n mov %0, x19"
			 : "=r"(oslsr) : "r"(kept) : "x19");
	/* OSLM = 0b10 (implemented), OSLK = 1: locked, as after a reset. */
	test_report("pmu.reader.oslsr_reset", oslsr == 0xa, "OSLSR_EL1 %lx (into x19)", oslsr);
	test_report("pmu.reader.no_pmu_advertised", ((dfr0 >> 8) & 0xf) == 0,
		    "ID_AA64DFR0_EL1 %lx", dfr0);
	/* XZR as Rt: nothing written anywhere (x[31] in EL2's frame would be
	 * the return address), and a write of zero. */
	__asm__ volatile("mrs xzr, pmccntr_el0\n msr pmccntr_el0, xzr\n"
			 "mrs xzr, dbgbvr0_el1\n msr oslar_el1, xzr" ::: "memory");
	test_report("pmu.reader.xzr", SYSREG_READ(oslsr_el1) == 0x8,
		    "OSLSR_EL1 %lx after msr oslar_el1, xzr", SYSREG_READ(oslsr_el1));
	test_end();
}

/* EL0 code: never returns to EL1 except by an exception. */
void pmu_el0_probe(void);
__asm__(".text\n.balign 4\n.global pmu_el0_probe\npmu_el0_probe:\n"
	"	mrs x0, mdccsr_el0\n"
	"	mrs x1, pmccntr_el0\n"
	"	svc #0x77\n"
	"	b .\n");

static void el0(void)
{
	SYSREG_WRITE(pmuserenr_el0, 0xf);
	print("PMUSERENR_EL0 reads %lx; reading PMCCNTR_EL0 at EL0\n",
	      SYSREG_READ(pmuserenr_el0));
	/* SPSR_EL1.M = 0b0000: EL0t, AArch64. */
	__asm__ volatile("msr spsr_el1, xzr\n msr elr_el1, %0\n isb\n eret"
			 : : "r"((uint64_t)(uintptr_t)pmu_el0_probe) : "memory");
}

int domain_main(const struct cloison_start_info *si)
{
	if (is("pmu-writer")) {
		writer();
	} else if (is("pmu-reader")) {
		reader();
	} else if (is("pmu-el0")) {
		el0();
	} else if (is("pmu-unknown")) {
		print("reading CNTP_CTL_EL0 (trapped, not emulated)\n");
		(void)SYSREG_READ(cntp_ctl_el0);
		print("still running after the hostile act!\n");
	} else {
		print("no role for %s\n", si->name);
	}
	return 0;
}
