/* SPDX-License-Identifier: MIT */
/*
 * A domain's trapped MSR/MRS (ESR_EL2.EC 0x18), decoded once and handed to
 * the group of registers it belongs to (debug and performance monitors in
 * debugpmu.c, ID registers in idregs.c).
 *
 * ISS of EC 0x18 (Arm ARM D13.2.39 ESR_EL2, "ISS encoding for an exception
 * from MSR, MRS, or System instruction execution in AArch64 state"):
 * Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1],
 * Direction [0] (1 = read, MRS).
 */
#ifndef AARCH64_SYSREG_TRAP_H
#define AARCH64_SYSREG_TRAP_H

#include <arch/types.h>
#include <cloison/types.h>

/* A register's encoding in ISS form, Rt and Direction left out: compare
 * with sysreg_access.enc. */
#define SYSREG_ENC(op0, op1, crn, crm, op2)                                   \
	((uint32_t)(op0) << 20 | (uint32_t)(op2) << 17 | (uint32_t)(op1) << 14 | \
	 (uint32_t)(crn) << 10 | (uint32_t)(crm) << 1)
#define SYSREG_ISS_ENC_MASK 0x3ffc1eu

struct sysreg_access {
	uint32_t enc; /* SYSREG_ENC() of the register */
	uint32_t op0, op1, crn, crm, op2;
	uint32_t rt;  /* 31: XZR (reads discarded, writes of zero) */
	bool read;    /* MRS */
};

/*
 * What a group handler makes of an access it recognises: a read sets *val
 * (the value Rt receives), a write is given `val`. SYSREG_UNKNOWN: not a
 * register of this group, try the next or stop the domain.
 */
enum sysreg_result { SYSREG_UNKNOWN, SYSREG_DONE };

struct vcpu;

/*
 * trap.c's handler for EC 0x18, with the complete frame `f` of vCPU v: emulate
 * the access, write Rt on a read and step over the instruction; true. An
 * access no group knows stops the domain with the register named; false.
 */
bool sysreg_trap(struct vcpu *v, struct arch_regs *f, uint64_t esr);

/* debugpmu.c: self-hosted debug (Op0 2) and performance monitors. */
enum sysreg_result debugpmu_access(struct arch_vcpu *v, const struct sysreg_access *a,
				   uint64_t *val);
/* idregs.c: ID group 3 (HCR_EL2.TID3), read through to the hardware with
 * the debug feature fields sanitised by debugpmu_id_dfr0(). */
enum sysreg_result idregs_access(const struct sysreg_access *a, uint64_t *val);
uint64_t debugpmu_id_aa64dfr0(uint64_t hw);
uint64_t debugpmu_id_dfr0(uint64_t hw);

/* debugpmu.c: MDCR_EL2 and the hardware debug/PMU state domains start from. */
void debugpmu_cpu_init(void);
/* A vCPU's emulated debug state at reset. */
void debugpmu_vcpu_reset(struct arch_vcpu *v);

#endif
