/* SPDX-License-Identifier: MIT */
/*
 * Self-hosted debug and performance monitors: no domain sees another's
 * state, and none can count beyond its own execution.
 *
 * The hardware has one set of breakpoint, watchpoint, OS-lock and PMU
 * registers. Instead of saving and restoring them on every vCPU switch
 * (some 50 registers on a Cortex-A57), every EL1/EL0 access to them is
 * trapped to EL2 (MDCR_EL2, Arm ARM D13.3) and emulated here:
 *
 *  - debug registers (Op0 == 2): read as zero, writes ignored, except the
 *    OS lock, which is a per-vCPU bit (OSLAR_EL1 sets it, OSLSR_EL1 reports
 *    it) that resets locked, as OSLSR_EL1.OSLK does on hardware. RAZ/WI and
 *    not UNDEFINED because a stock kernel writes MDSCR_EL1, OSLAR_EL1 and
 *    OSDLR_EL1 and resets the breakpoint registers while it boots;
 *  - performance monitors: RAZ/WI, and ID_AA64DFR0_EL1.PMUVer reads 0 (ID
 *    registers trapped by HCR_EL2.TID3, idregs.c) so a guest does not look
 *    for a PMU. A domain that enables the cycle counter reads 0: it can
 *    count neither the hypervisor's instructions nor another domain's.
 *
 * The hardware state behind them is set once here: MDSCR_EL1 = 0 (MDE, KDE
 * and SS clear, so no breakpoint, watchpoint or step exception can be
 * generated for a domain whatever the breakpoint registers hold) and the
 * PMU stopped with its counters reset. MDCR_EL2.TDE stays 0: a domain's
 * BRK (the only debug exception it can still raise) goes to its own EL1.
 *
 * Benchmark build (CLOISON_BENCH_PMU, hyp-bench.elf only, never the
 * default): the PMU is not trapped and PMUVer is shown, so the benchmark
 * domains can count instructions with PMCCNTR_EL0, EL2 included. Domains
 * then share the PMU; that image is for measuring, not for isolation.
 */
#include <arch/types.h>

#include "sysreg.h"
#include "sysreg_trap.h"

/* MDCR_EL2 (Arm ARM D13.3, MDCR_EL2). */
#define MDCR_EL2_HPMN_MASK 0x1full  /* [4:0] counters EL1/EL0 may use */
#define MDCR_EL2_TPMCR (1ull << 5)  /* trap PMCR_EL0 */
#define MDCR_EL2_TPM (1ull << 6)    /* trap every PMU register */
#define MDCR_EL2_TDA (1ull << 9)    /* trap debug registers (MDSCR, DBG*VR/CR...) */
#define MDCR_EL2_TDOSA (1ull << 10) /* trap OSLAR, OSLSR, OSDLR, DBGPRCR */
#define MDCR_EL2_TDRA (1ull << 11)  /* trap MDRAR_EL1 */

/* ID_AA64DFR0_EL1 fields (Arm ARM D13.2, ID_AA64DFR0_EL1). */
#define DFR0_DEBUGVER (0xfull << 0)
#define DFR0_PMUVER_SHIFT 8
#define DFR0_PMUVER (0xfull << DFR0_PMUVER_SHIFT)
#define DFR0_BRPS (0xfull << 12)
#define DFR0_WRPS (0xfull << 20)
#define DFR0_CTX_CMPS (0xfull << 28)
/* ID_DFR0_EL1 (AArch32 view): PerfMon [27:24]. */
#define ID_DFR0_PERFMON (0xfull << 24)

/* PMCR_EL0 (Arm ARM D13.4, PMCR_EL0): E [0], P [1], C [2], N [15:11]. */
#define PMCR_P (1ull << 1)
#define PMCR_C (1ull << 2)
#define PMCR_N(v) (((v) >> 11) & 0x1f)

/* OSLSR_EL1: OSLM = 0b10 (OS lock implemented: bit 3 set, bit 0 clear),
 * OSLK [1] (Arm ARM D13.3, OSLSR_EL1). */
#define OSLSR_OSLM_IMPLEMENTED (1ull << 3)
#define OSLSR_OSLK_SHIFT 1

#define OSLAR_EL1 SYSREG_ENC(2, 0, 1, 0, 4)
#define OSLSR_EL1 SYSREG_ENC(2, 0, 1, 1, 4)

#ifdef CLOISON_BENCH_PMU
#define PMU_TRAPS 0ull
#else
#define PMU_TRAPS (MDCR_EL2_TPM | MDCR_EL2_TPMCR)
#endif

static bool pmu_implemented(void)
{
	uint64_t v = (read_sysreg(id_aa64dfr0_el1) & DFR0_PMUVER) >> DFR0_PMUVER_SHIFT;

	/* 0: none; 0xf: IMPLEMENTATION DEFINED, not the architected PMU. */
	return v != 0 && v != 0xf;
}

void debugpmu_cpu_init(void)
{
	/* Without a PMU, HPMN, TPM and TPMCR are RES0 (and every PMU register
	 * UNDEFINED at EL1 anyway). */
	uint64_t pmu = 0;

	if (pmu_implemented()) {
		/* Stopped (PMCR_EL0.E = 0), counters and overflow flags reset,
		 * interrupts off, EL0 access off. */
		write_sysreg(pmcr_el0, PMCR_P | PMCR_C);
		write_sysreg(pmcntenclr_el0, ~0ull);
		write_sysreg(pmintenclr_el1, ~0ull);
		write_sysreg(pmovsclr_el0, ~0ull);
		write_sysreg(pmselr_el0, 0);
		write_sysreg(pmuserenr_el0, 0);
		/* HPMN must not be 0 without FEAT_HPMN0: leave EL1 every
		 * counter; TPM traps them all anyway. */
		pmu = (PMCR_N(read_sysreg(pmcr_el0)) & MDCR_EL2_HPMN_MASK) | PMU_TRAPS;
	}
	write_sysreg(mdscr_el1, 0);
	write_sysreg(mdcr_el2, pmu | MDCR_EL2_TDA | MDCR_EL2_TDOSA | MDCR_EL2_TDRA);
	isb();
}

void debugpmu_vcpu_reset(struct arch_vcpu *v)
{
	v->oslk = 1;
}

static bool is_pmu(const struct sysreg_access *a)
{
	if (a->op0 != 3)
		return false;
	/* PMCR..PMOVSSET: Op1 3, CRn 9, CRm 12..14 */
	if (a->op1 == 3 && a->crn == 9 && a->crm >= 12 && a->crm <= 14)
		return true;
	/* PMEVCNTR<n>, PMEVTYPER<n>, PMCCFILTR: Op1 3, CRn 14, CRm 8..15 */
	if (a->op1 == 3 && a->crn == 14 && a->crm >= 8)
		return true;
	/* PMINTENSET/CLR_EL1, PMMIR_EL1: Op1 0, CRn 9, CRm 14 */
	return a->op1 == 0 && a->crn == 9 && a->crm == 14;
}

/* Op0 2, Op1 0 (EL1 debug) or 3 (EL0 debug communication channel). Op1 1
 * is the trace unit (CPTR_EL2.TTA): not emulated. */
static bool is_debug(const struct sysreg_access *a)
{
	return a->op0 == 2 && (a->op1 == 0 || a->op1 == 3);
}

enum sysreg_result debugpmu_access(struct arch_vcpu *v, const struct sysreg_access *a,
				   uint64_t *val)
{
	if (a->enc == OSLAR_EL1) {
		if (!a->read)
			v->oslk = (uint32_t)(*val & 1);
		return SYSREG_DONE;
	}
	if (a->enc == OSLSR_EL1) {
		if (a->read)
			*val = OSLSR_OSLM_IMPLEMENTED | (uint64_t)v->oslk << OSLSR_OSLK_SHIFT;
		return SYSREG_DONE;
	}
	if (!is_debug(a) && !is_pmu(a))
		return SYSREG_UNKNOWN;
	if (a->read)
		*val = 0;
	return SYSREG_DONE;
}

uint64_t debugpmu_id_aa64dfr0(uint64_t hw)
{
	/* Keep what the (emulated) debug architecture version and breakpoint
	 * counts say; trace, statistical profiling and the rest read 0. */
	uint64_t keep = DFR0_DEBUGVER | DFR0_BRPS | DFR0_WRPS | DFR0_CTX_CMPS;

#ifdef CLOISON_BENCH_PMU
	keep |= DFR0_PMUVER;
#endif
	return hw & keep;
}

uint64_t debugpmu_id_dfr0(uint64_t hw)
{
#ifdef CLOISON_BENCH_PMU
	return hw;
#else
	return hw & ~ID_DFR0_PERFMON;
#endif
}
