/* SPDX-License-Identifier: MIT */
/*
 * The execution side of a domain (kernel/vm.c): a struct vm per domain the
 * policy made (its memory, stage 2, console state, fault record) with one
 * struct vcpu, and what happens when it traps. The capability core's struct
 * domain (<cloison/domain.h>, object/domain.c) is the other side: it alone
 * owns the lifecycle state (domain_set_state); a vCPU runs only while that
 * state is "running".
 */
#ifndef CLOISON_VM_H
#define CLOISON_VM_H

#include <arch/types.h>
#include <cloison/types.h>
#include <cloison/vcpu.h>

#define VM_NAME_LEN 32
#define VM_CONSOLE_LINE 200
#define VM_FAULT_LEN 160

struct domain;

struct vm_console {
	char line[VM_CONSOLE_LINE];
	uint32_t len;
	uint32_t tokens;       /* lines it may print now (rate limit) */
	uint64_t refill_tick;  /* clock tick of the last refill */
	uint64_t dropped;      /* lines dropped since the last notice */
	bool started;          /* the bucket has been filled once */
	bool charged;          /* this line has taken its token */
	uint32_t shown;        /* bytes of line[] on screen (console.c) */
	bool input;            /* holds a console cap with the input right */
};

struct cloison_policy_segment;

struct vm {
	struct domain *domain;
	char name[VM_NAME_LEN];
	uint32_t index; /* its place in the table (vm_at) */
	uint32_t vmid;  /* its stage 2's VMID, kept while it lives */
	paddr_t mem_phys;
	uint64_t mem_size, mem_ipa;
	struct arch_stage2 s2;
	struct vcpu vcpu;
	struct vm_console console;
	bool faulted;
	bool torn_down; /* destroyed: stage 2 gone, memory zeroed */
	bool unloaded;  /* destroyed: off the CPU, stage 2 gone; zeroing under way */
	uint64_t zeroed; /* destroyed: bytes of its RAM zeroed so far */
	/* Its image, for a reload (vmm_reset): the bundle's segment records
	 * and data, which stay in RAM after boot, and its entry. */
	uint64_t bundle, entry, reloaded;
	const struct cloison_policy_segment *segs;
	uint32_t nsegs;
	char fault[VM_FAULT_LEN];
};

/* vm.c: the table of domains. Its storage comes from the hypervisor pool,
 * sized by the policy (at most CLOISON_LIMIT_DOMAINS_MAX entries), so the
 * image does not carry a table sized for the largest system. */
void vm_table_init(struct vm *table, uint32_t max);
struct vm *vm_alloc(void);
void vm_reset_all(void); /* unit tests */
/* A vm in memory of its own (a domain made at run time, kernel/dynvm.c):
 * zeroed, given a free VMID and put in the table; false when the table is
 * full. vm_remove takes it out again (its VMID is free then). */
bool vm_add(struct vm *vm);
void vm_remove(struct vm *vm);
bool vm_available(void);

/* Inline: the scheduler walks the table on every decision. */
extern struct vm **vm_table;
extern uint32_t vm_table_count;

static inline uint32_t vm_count(void)
{
	return vm_table_count;
}

static inline struct vm *vm_at(uint32_t index)
{
	return index < vm_table_count ? vm_table[index] : (struct vm *)0;
}
struct vm *vm_of_domain(const struct domain *d);

/* The vCPU whose registers the current exception saved. */
struct vcpu *vm_current_vcpu(void);

/* A domain's `hvc #0`, straight from the vectors: dispatch the call in
 * x0..x7 of the running vCPU v (its saved registers; results in place).
 * Returns true when something that decides who runs changed (the caller
 * blocked or yielded, a domain woke or stopped...), so the scheduler must
 * decide; false when the caller simply continues. */
bool vm_hypercall(struct vcpu *v);

/* Trap outcomes (vm.c). */
void vm_fault(struct vcpu *v, const char *fmt, ...) PRINTF_LIKE(2, 3);
void vm_stop_self(struct vcpu *v, const char *why);
void vm_note(struct vcpu *v, const char *msg);
bool vm_may_power_off(struct vcpu *v);
NORETURN void vm_power_off(struct vcpu *v);
/* Every domain is stopped, faulted or destroyed: print each one's state and
 * reason and power off with a failure status (the scheduler's idle path). */
NORETURN void vm_all_stopped(void);
void sched_yield_vcpu(struct vcpu *v);
void sched_wait_for_interrupt(struct vcpu *v);

#endif
