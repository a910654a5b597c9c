/* SPDX-License-Identifier: MIT */
/*
 * vCPU state switch. The general registers never move: the vectors save a
 * domain's registers into its struct arch_regs and restore whichever one
 * cpu->current_regs names. A switch changes that pointer and swaps the EL1
 * system registers, FP/SIMD state, VMPIDR_EL2 and VTTBR_EL2. Debug and PMU
 * registers are not switched: they are trapped and emulated per vCPU.
 */
#include <arch/cpu.h>
#include <arch/vcpu.h>
#include <cloison/std/string.h>

#include "sysreg.h"
#include "sysreg_trap.h"

/* SPSR_EL2 for entering EL1h (M = 0b0101) with D, A, I, F masked. */
#define SPSR_EL1H_MASKED 0x3c5ull
/* SCTLR_EL1 RES1 bits (11, 20, 22, 23, 28, 29), MMU and caches off. */
#define SCTLR_EL1_RESET 0x30d00800ull
/* CPACR_EL1.FPEN = 0b11: FP/SIMD usable at EL1 and EL0. */
#define CPACR_EL1_FPEN (3ull << 20)

extern uint8_t cpu_stacks[][CPU_STACK_SIZE];
void fpsimd_save(struct arch_fpregs *fp);
void fpsimd_restore(const struct arch_fpregs *fp);
NORETURN void arch_vcpu_enter(struct arch_regs *regs, uint64_t stack_top);
void arch_vgic_save(struct arch_vcpu *v);
void arch_vgic_restore(const struct arch_vcpu *v);
void arch_vgic_discard(struct arch_vcpu *v);

void arch_vcpu_init(struct arch_vcpu *v, uint64_t entry, uint64_t arg,
		    uint32_t index)
{
	memset(v, 0, sizeof(*v));
	v->regs.x[0] = arg;
	v->regs.elr = entry;
	v->regs.spsr = SPSR_EL1H_MASKED;
	v->sys.sctlr_el1 = SCTLR_EL1_RESET;
	v->sys.cpacr_el1 = CPACR_EL1_FPEN;
	v->sys.cntv_ctl_el0 = 0x2; /* timer disabled, output masked */
	/* VMPIDR_EL2: bit 31 RES1; affinity 0.0.0.0: each domain has one vCPU,
	 * and a guest's device tree and GIC redistributor name it by this
	 * affinity, which must not depend on where the domain sits in the
	 * table (D13.2.86). */
	(void)index;
	v->vmpidr = 1ull << 31;
	/* ICH_VMCR_EL2: VPMR (bits 31:24) = 0xff so priorities are not masked
	 * until the domain sets its own; VENG1 (bit 1) stays 0 until the
	 * domain enables group 1 through ICC_IGRPEN1_EL1. */
	v->vgic.vmcr = 0xffull << 24;
	debugpmu_vcpu_reset(v);
}

uint64_t *arch_vcpu_gprs(struct arch_vcpu *v)
{
	return v->regs.x;
}

void arch_vcpu_restart_hvc(struct arch_vcpu *v)
{
	/* ELR_EL2 of an HVC is the instruction after it (Arm ARM D1.10.1:
	 * the preferred return address of an HVC exception); HVC is always
	 * 4 bytes. */
	v->regs.elr -= 4;
}

void arch_vcpu_restart_clock(struct arch_vcpu *v)
{
	v->sys.cntvoff_el2 = read_sysreg(cntpct_el0);
}

void arch_vcpu_set_pc(struct arch_vcpu *v, uint64_t pc)
{
	v->regs.elr = pc;
}

static void save_sysregs(struct arch_sysregs *s)
{
	s->sctlr_el1 = read_sysreg(sctlr_el1);
	s->actlr_el1 = read_sysreg(actlr_el1);
	s->cpacr_el1 = read_sysreg(cpacr_el1);
	s->ttbr0_el1 = read_sysreg(ttbr0_el1);
	s->ttbr1_el1 = read_sysreg(ttbr1_el1);
	s->tcr_el1 = read_sysreg(tcr_el1);
	s->mair_el1 = read_sysreg(mair_el1);
	s->amair_el1 = read_sysreg(amair_el1);
	s->vbar_el1 = read_sysreg(vbar_el1);
	s->contextidr_el1 = read_sysreg(contextidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->sp_el0 = read_sysreg(sp_el0);
	s->sp_el1 = read_sysreg(sp_el1);
	s->elr_el1 = read_sysreg(elr_el1);
	s->spsr_el1 = read_sysreg(spsr_el1);
	s->esr_el1 = read_sysreg(esr_el1);
	s->far_el1 = read_sysreg(far_el1);
	s->afsr0_el1 = read_sysreg(afsr0_el1);
	s->afsr1_el1 = read_sysreg(afsr1_el1);
	s->par_el1 = read_sysreg(par_el1);
	s->cntkctl_el1 = read_sysreg(cntkctl_el1);
	s->cntv_ctl_el0 = read_sysreg(cntv_ctl_el0);
	s->cntv_cval_el0 = read_sysreg(cntv_cval_el0);
	s->csselr_el1 = read_sysreg(csselr_el1);
	/* Stop a switched-out vCPU's timer from raising its PPI at EL2. */
	write_sysreg(cntv_ctl_el0, 0x2);
}

static void restore_sysregs(const struct arch_sysregs *s)
{
	write_sysreg(sctlr_el1, s->sctlr_el1);
	write_sysreg(actlr_el1, s->actlr_el1);
	write_sysreg(cpacr_el1, s->cpacr_el1);
	write_sysreg(ttbr0_el1, s->ttbr0_el1);
	write_sysreg(ttbr1_el1, s->ttbr1_el1);
	write_sysreg(tcr_el1, s->tcr_el1);
	write_sysreg(mair_el1, s->mair_el1);
	write_sysreg(amair_el1, s->amair_el1);
	write_sysreg(vbar_el1, s->vbar_el1);
	write_sysreg(contextidr_el1, s->contextidr_el1);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(sp_el0, s->sp_el0);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(elr_el1, s->elr_el1);
	write_sysreg(spsr_el1, s->spsr_el1);
	write_sysreg(esr_el1, s->esr_el1);
	write_sysreg(far_el1, s->far_el1);
	write_sysreg(afsr0_el1, s->afsr0_el1);
	write_sysreg(afsr1_el1, s->afsr1_el1);
	write_sysreg(par_el1, s->par_el1);
	write_sysreg(cntkctl_el1, s->cntkctl_el1);
	write_sysreg(cntvoff_el2, s->cntvoff_el2);
	write_sysreg(cntv_cval_el0, s->cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl_el0);
	write_sysreg(csselr_el1, s->csselr_el1);
}

void arch_vcpu_switch(struct arch_vcpu *prev, struct arch_vcpu *next,
		      const struct arch_stage2 *s2)
{
	if (prev) {
		save_sysregs(&prev->sys);
		fpsimd_save(&prev->fp);
		arch_vgic_save(prev);
	}
	restore_sysregs(&next->sys);
	fpsimd_restore(&next->fp);
	arch_vgic_restore(next);
	write_sysreg(vmpidr_el2, next->vmpidr);
	write_sysreg(vttbr_el2, s2->vttbr);
	isb();
	arch_cpu_current()->current_regs = &next->regs;
}

void arch_vcpu_discard(struct arch_vcpu *v)
{
	arch_vgic_discard(v);
	/* Its timer must not raise PPI 27 at EL2 for a domain that is gone;
	 * the next vCPU's restore writes its own. */
	write_sysreg(cntv_ctl_el0, 0x2);
	isb();
}

void arch_vcpu_run_first(struct arch_vcpu *v)
{
	struct cpu *c = arch_cpu_current();

	c->current_regs = &v->regs;
	arch_vcpu_enter(&v->regs,
			(uint64_t)(uintptr_t)&cpu_stacks[c->index][CPU_STACK_SIZE]);
}

void arch_vcpu_el1_fault_state(const struct arch_vcpu *v, uint64_t *esr,
			       uint64_t *elr, uint64_t *far)
{
	/* The vCPU is the current one: its EL1 registers are live. */
	(void)v;
	*esr = read_sysreg(esr_el1);
	*elr = read_sysreg(elr_el1);
	*far = read_sysreg(far_el1);
}
