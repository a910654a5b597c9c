/* SPDX-License-Identifier: MIT */
/* Arch interface: a vCPU's EL1 context and entering/leaving a domain. */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <arch/types.h>
#include <cloison/types.h>

/* Reset state: EL1h, interrupts masked, MMU off, pc = entry, x0 = arg. */
void arch_vcpu_init(struct arch_vcpu *v, uint64_t entry, uint64_t arg,
		    uint32_t index);

/*
 * Make `next` the vCPU whose registers the exception return restores:
 * save prev's EL1 system and FP registers (prev may be NULL), load next's
 * and its stage-2 (VTTBR_EL2).
 */
void arch_vcpu_switch(struct arch_vcpu *prev, struct arch_vcpu *next,
		      const struct arch_stage2 *s2);

/*
 * The loaded vCPU v belongs to a domain that is gone: clear what of it the
 * CPU still holds (list registers, active priorities, virtual timer),
 * saving nothing, so none of it reaches the vCPU loaded next. v is no longer
 * loaded afterwards: the next switch passes prev = NULL.
 */
void arch_vcpu_discard(struct arch_vcpu *v);

/* The general registers x0..x30 of a (not running) vCPU. */
uint64_t *arch_vcpu_gprs(struct arch_vcpu *v);

/* The hvc that trapped is to be executed again on return (a preempted
 * hypercall, hypercall.h): point the return address back at it. */
void arch_vcpu_restart_hvc(struct arch_vcpu *v);
/* Set the pc a (not running) vCPU resumes at. */
void arch_vcpu_set_pc(struct arch_vcpu *v, uint64_t pc);
/* v's virtual counter (CNTVCT_EL0 = CNTPCT_EL0 - CNTVOFF_EL2) starts again
 * at 0 now: for a guest restarted from its entry. */
void arch_vcpu_restart_clock(struct arch_vcpu *v);

/* Leave EL2 for the first time into `v` (already switched to). */
NORETURN void arch_vcpu_run_first(struct arch_vcpu *v);

/* EL1 exception state of the current vCPU, for fault reports. */
void arch_vcpu_el1_fault_state(const struct arch_vcpu *v, uint64_t *esr,
			       uint64_t *elr, uint64_t *far);

struct vgic;

/* Virtual interrupts of the loaded vCPU: take back what it has not
 * acknowledged (exit), and fill free list registers (entry). */
void arch_vgic_sync(struct arch_vcpu *v, struct vgic *g);
void arch_vgic_flush(struct arch_vcpu *v, struct vgic *g);
/* Once per CPU: enable the virtual CPU interface. */
void arch_vgic_cpu_init(void);
/* INTID of the GIC maintenance interrupt. */
uint32_t arch_vgic_maintenance_intid(void);

/* The loaded vCPU's virtual timer fired: mask it so the physical PPI stops
 * (the domain unmasks it when it programs the timer again). */
void arch_vtimer_mask_live(void);
/* Deadline (physical counter) of a switched-out vCPU's virtual timer, or
 * UINT64_MAX; and mask it in the saved state once it has been delivered. */
uint64_t arch_vtimer_saved_deadline(const struct arch_vcpu *v);
void arch_vtimer_mask_saved(struct arch_vcpu *v);

#endif
