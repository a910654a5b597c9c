/* SPDX-License-Identifier: MIT */
/*
 * Domains as the scheduler and the trap handlers see them: a struct vm per
 * domain the policy made (its memory, stage 2, console state, fault record)
 * with one struct vcpu. The capability core's struct domain holds the
 * lifecycle state; a vCPU runs only while that state is "running".
 */
#ifndef CLOISON_VCPU_H
#define CLOISON_VCPU_H

#include <arch/types.h>
#include <cloison/types.h>
#include <cloison/vgic.h>

#define VM_MAX 16
#define VM_NAME_LEN 32
#define VM_CONSOLE_LINE 200
#define VM_FAULT_LEN 160

struct domain;
struct vm;

struct vcpu {
	struct arch_vcpu arch; /* first: its registers are what the vectors save */
	struct vm *vm;
	/* Scheduling (sched.c), times in counter ticks. */
	uint64_t budget, period;
	uint64_t remaining;      /* budget left in the current period */
	uint64_t next_replenish; /* counter time of the next period start */
	uint32_t priority;       /* higher runs first */
	bool waiting;            /* in WFI until an interrupt is pending */
	bool blocked;            /* in notification_wait until a signal */
	struct vgic vgic;
	uint64_t last_run_seq;   /* round robin among equal priorities */
	uint64_t run_start;      /* counter when last switched in */
	uint64_t consumed;       /* counter ticks run in total */
	uint64_t switches_in;
};

struct vm_console {
	char line[VM_CONSOLE_LINE];
	uint32_t len;
	uint32_t tokens;       /* lines it may print now (rate limit) */
	uint64_t refill_tick;  /* clock tick of the last refill */
	uint64_t dropped;      /* lines dropped since the last notice */
	bool started;          /* the bucket has been filled once */
};

struct vm {
	struct domain *domain;
	char name[VM_NAME_LEN];
	uint32_t index;
	paddr_t mem_phys;
	uint64_t mem_size, mem_ipa;
	struct arch_stage2 s2;
	struct vcpu vcpu;
	struct vm_console console;
	bool faulted;
	bool torn_down; /* destroyed: stage 2 gone, memory zeroed */
	char fault[VM_FAULT_LEN];
};

/* vm.c: the table of domains. */
struct vm *vm_alloc(void);
void vm_reset_all(void); /* unit tests */

/* Inline: the scheduler walks the table on every decision. */
extern struct vm vm_table[VM_MAX];
extern uint32_t vm_table_count;

static inline uint32_t vm_count(void)
{
	return vm_table_count;
}

static inline struct vm *vm_at(uint32_t index)
{
	return index < vm_table_count ? &vm_table[index] : (struct vm *)0;
}
struct vm *vm_of_domain(const struct domain *d);

/* The vCPU whose registers the current exception saved. */
struct vcpu *vcpu_current(void);

/* A domain's `hvc #0`: dispatch the call in x0..x7 of the running vCPU v
 * (its saved registers `regs`; results in place). Returns true when
 * something that decides who runs changed (the caller blocked or yielded, a
 * domain woke or stopped...), so the scheduler must decide; false when the
 * caller simply continues. */
bool vm_hypercall(struct vcpu *v, uint64_t regs[8]);

/* Trap outcomes (vm.c). */
void vcpu_fault(struct vcpu *v, const char *fmt, ...) PRINTF_LIKE(2, 3);
void vcpu_stop_self(struct vcpu *v, const char *why);
void vcpu_note(struct vcpu *v, const char *msg);
bool vcpu_may_power_off(struct vcpu *v);
NORETURN void vcpu_power_off(struct vcpu *v);
void vcpu_yield(struct vcpu *v);
void vcpu_wait_for_interrupt(struct vcpu *v);

/* guest.c: VMM-served guests (vmm.h). Forward exit e of the running v to
 * its VMM and block v; false (nothing done) when v has no VMM. */
struct guest_exit;
bool vcpu_forward(struct vcpu *v, const struct guest_exit *e);
/* The same for an HVC or SMC: x0..x3 and the immediate. */
bool vcpu_forward_call(struct vcpu *v, uint64_t kind, uint64_t imm);
void guest_vmm_deliver(struct domain *vmm, const uint64_t res[6]);
void guest_vmm_complete(struct domain *guest, const struct guest_exit *e,
			uint64_t value);
void guest_vmm_set_reg(struct domain *guest, uint32_t reg, uint64_t value);
/* vm stopped: tell its VMM, stop the guests it served. */
void guest_stopped(struct vm *vm, uint64_t pc);

/* sched.c */
void sched_init(void);
void sched_add(struct vcpu *v, uint64_t budget_us, uint64_t period_us,
	       uint32_t priority);
/* Charge the running vCPU, pick the next one (idling in WFI while none is
 * runnable), switch to it and return its registers for the exception return. */
struct arch_regs *vcpu_exit_and_schedule(void);
/* Raise a virtual interrupt on v, waking it from WFI if it is enabled. */
void vcpu_raise_virq(struct vcpu *v, uint32_t vintid);
/* notification_wait: take v off the CPU until vcpu_unblock(). */
void vcpu_block(struct vcpu *v);
/* Wake v from notification_wait with x1 = word. */
void vcpu_unblock(struct vcpu *v, uint64_t word);
/* Wake v from a block without touching its registers (vmm_reply). */
void vcpu_wake(struct vcpu *v);
/* The EL1 virtual timer of the running vCPU fired (physical PPI). */
void vcpu_vtimer_irq(void);
uint64_t sched_virqs(void);
/* Changes whenever what should run may have changed. */
extern uint64_t sched_epoch_counter;
static inline uint64_t sched_epoch(void)
{
	return sched_epoch_counter;
}
void sched_poke(void);
/* Leave the boot flow for the first domain. */
NORETURN void sched_start(void);
/* Counter ticks consumed by v so far (benchmarks, tests). */
uint64_t sched_consumed(const struct vcpu *v);
uint64_t sched_switches(void);

/* console.c: a domain's console output, line buffered, prefixed, rate limited. */
void vm_console_write(struct vm *vm, const char *buf, size_t len);
void vm_console_flush(struct vm *vm);
/* Console input: drained from the UART on its interrupt into a buffer; the
 * domain holding the console input right is told by a virtual interrupt. */
void console_set_input_vm(struct vm *vm);
void console_input_irq(void);
size_t console_input_read(char *buf, size_t max);

#endif
