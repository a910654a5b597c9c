/* SPDX-License-Identifier: MIT */
/*
 * AArch64 definitions of the arch types generic code embeds (a vCPU's saved
 * state, a stage-2 address space). Generic code treats them as opaque and
 * goes through arch/vcpu.h and arch/stage2.h.
 */
#ifndef ARCH_TYPES_H
#define ARCH_TYPES_H

#include <stdint.h>

/*
 * General registers, ELR_EL2 and SPSR_EL2 as the exception vectors save
 * them (vectors.S, offsets in exception.h). For a vCPU this is its live
 * register file while it is not running.
 */
struct arch_regs {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t sp; /* SP_EL2 before a current-EL exception; unused for vCPUs */
};

/* EL1/EL0 system registers a domain owns (Arm ARM D13.2). */
struct arch_sysregs {
	uint64_t sctlr_el1, actlr_el1, cpacr_el1;
	uint64_t ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1;
	uint64_t vbar_el1, contextidr_el1, tpidr_el0, tpidrro_el0, tpidr_el1;
	uint64_t sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1;
	uint64_t cntkctl_el1, cntv_ctl_el0, cntv_cval_el0, csselr_el1;
	/* The vCPU's virtual counter is the physical one minus this (0 from
	 * boot; a restart sets it so the guest's counter starts again at 0).
	 * The core's own, never written by a guest: restored, not saved. */
	uint64_t cntvoff_el2;
	/* No debug or PMU register: those are trapped and emulated (debugpmu.c),
	 * their hardware copies never hold a domain's values. */
};

/* FP/SIMD: V0-V31 (128 bits each, stored as two words), FPCR, FPSR. */
struct arch_fpregs {
	uint64_t v[64];
	uint64_t fpcr, fpsr;
};

/* GICv3 virtual CPU interface state (list registers, VMCR, active priorities). */
#define ARCH_MAX_LRS 16
struct arch_vgic {
	uint32_t lr_used; /* bit n: ICH_LR<n>_EL2 may hold something */
	uint32_t reserved;
	uint64_t lr[ARCH_MAX_LRS];
	uint64_t vmcr;
	uint64_t ap1r0;
};

struct arch_vcpu {
	struct arch_regs regs; /* first: the vectors save straight into it */
	struct arch_sysregs sys;
	struct arch_fpregs fp;
	struct arch_vgic vgic;
	uint64_t vmpidr;
	uint32_t oslk; /* emulated OS lock (OSLSR_EL1.OSLK), debugpmu.c */
	uint32_t reserved;
};

struct arch_stage2 {
	uint64_t *root; /* level-1 table (4 GiB IPA space) */
	uint64_t vttbr; /* VMID << 48 | root */
	uint16_t vmid;
	/* Table pages this stage 2 holds (root included) and may hold: its
	 * share of the table pool (arch/stage2.h, arch_stage2_init). */
	uint32_t tables, quota;
	/* Pages of its own for tables (arch_stage2_init_own), free ones
	 * chained through their first word; NULL base: the core's allocator. */
	uint64_t *own, *own_base;
	uint32_t own_free;
};

#endif
