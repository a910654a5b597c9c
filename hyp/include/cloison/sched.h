/* SPDX-License-Identifier: MIT */
/*
 * The scheduler (kernel/sched.c): fixed priorities, a budget per period for
 * each vCPU, round robin among equals; blocking, waking and virtual
 * interrupts as they decide who runs.
 */
#ifndef CLOISON_SCHED_H
#define CLOISON_SCHED_H

#include <arch/types.h>
#include <cloison/types.h>

struct vcpu;

void sched_init(void);
void sched_add(struct vcpu *v, uint64_t budget_us, uint64_t period_us,
	       uint32_t priority);
/* Charge the running vCPU, pick the next one (idling in WFI while none is
 * runnable), switch to it and return its registers for the exception return. */
struct arch_regs *sched_exit_and_switch(void);
/* Raise a virtual interrupt on v, waking it from WFI if it is enabled. */
void sched_raise_virq(struct vcpu *v, uint32_t vintid);
/* notification_wait: take v off the CPU until sched_unblock(). */
void sched_block(struct vcpu *v);
/* Wake v from notification_wait with x1 = word. */
void sched_unblock(struct vcpu *v, uint64_t word);
/* Wake v from a block without touching its registers (vmm_reply). */
void sched_wake(struct vcpu *v);
/* The EL1 virtual timer of the running vCPU fired (physical PPI). */
/* The virtual timer's PPI fired: true if it was handed to the loaded vCPU
 * with the HW bit (the caller then only drops its priority). */
bool sched_vtimer_irq(uint32_t pintid);
uint64_t sched_virqs(void);
/* Changes whenever what should run may have changed. */
extern uint64_t sched_epoch_counter;
static inline uint64_t sched_epoch(void)
{
	return sched_epoch_counter;
}
void sched_poke(void);
/* Work a destroy or a delete left (finalisation, zeroing a destroyed
 * domain's RAM), which the scheduler does in chunks (sched.c). */
bool sched_teardown_pending(void);
/* Leave the boot flow for the first domain. */
NORETURN void sched_start(void);
/* Counter ticks consumed by v so far (benchmarks, tests). */
uint64_t sched_consumed(const struct vcpu *v);
uint64_t sched_switches(void);

#endif
