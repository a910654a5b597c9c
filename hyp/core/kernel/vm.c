/* SPDX-License-Identifier: MIT */
/*
 * The table of domains and what happens to a domain when it traps: a
 * hypercall goes to the capability core; a fault stops that domain alone,
 * with the reason recorded and printed.
 */
#include <arch/cpu.h>
#include <arch/power.h>
#include <arch/vcpu.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/version.h>
#include <cloison/abi/boot_limits.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/object.h>
#include <cloison/std/print.h>
#include <cloison/probe.h>
#include <cloison/std/string.h>
#include <cloison/vm.h>
#include <cloison/sched.h>
#include <cloison/console.h>
#include <cloison/guest.h>
#include <cloison/vmm.h>

#include "hypercall_dispatch.h"

/*
 * The table of domains that can run: pointers, so a domain made at run time
 * (kernel/dynvm.c) has its struct vm in memory of its builder's pool. The
 * boot domains' structs come from the core's pool (vm_table_init). A vm's
 * vmid (8 bits, VTCR_EL2.VS = 0) is kept while it lives; its index is its
 * place in the table, which is dense: removing one moves the last into its
 * place (and index).
 */
static struct vm *vm_slots[CLOISON_LIMIT_DOMAINS_MAX];
struct vm **vm_table = vm_slots;
uint32_t vm_table_count;
static struct vm *boot_vms;
static uint32_t boot_max, boot_used;
static uint8_t vmid_used[CLOISON_LIMIT_DOMAINS_MAX / 8];
#define vms vm_table
#define n_vms vm_table_count
/* Out of line and cold: the fast path keeps its registers for itself. */
static __attribute__((noinline, cold)) bool vm_hypercall_slow(struct vcpu *v, uint64_t regs[8])
{
	/* A preemptible call with work left (hypercall.h; it bumped the
	 * epoch, so the fast path pays nothing for this) leaves the hvc to be
	 * executed again, through the scheduler: a pending interrupt or a
	 * domain of higher priority is served between two chunks. */
	if (hypercall_take_restart(regs))
		arch_vcpu_restart_hvc(&v->arch);
	/* Teardown the call left (a CNode's slots to delete...): the caller
	 * finishes it before it runs on (sched.c). */
	if (sched_teardown_pending())
		v->teardown = true;
	return true;
}

bool vm_hypercall(struct vcpu *v)
{
	uint64_t *regs = v->arch.regs.x;
	uint64_t epoch = sched_epoch();

	probe_el2_enter(regs[1]);
	/* A guest served by a VMM has no hypercalls: its `hvc #0` is a PSCI
	 * or SMCCC call for the VMM (x0 = function ID). One load and branch
	 * on the hypercall path. */
	if (__builtin_expect(v->vm->domain->vmm.served, 0))
		return guest_forward_call(v, CLOISON_VMM_EXIT_HVC, 0);
	hypercall_dispatch(v->vm->domain, regs);
	/* The caller's time is charged at its next full exit. */
	if (sched_epoch() == epoch) {
		probe_el2_leave();
		return false;
	}
	return vm_hypercall_slow(v, regs);
}

bool vm_add(struct vm *vm)
{
	uint32_t id = 0;

	if (n_vms == CLOISON_LIMIT_DOMAINS_MAX)
		return false;
	while (vmid_used[id / 8] & (1u << (id % 8)))
		id++; /* fewer than the limit are in use: one is free */
	vmid_used[id / 8] |= (uint8_t)(1u << (id % 8));
	memset(vm, 0, sizeof(*vm));
	vm->vmid = id;
	vm->index = n_vms;
	vm->vcpu.vm = vm;
	vgic_init(&vm->vcpu.vgic);
	vms[n_vms++] = vm;
	return true;
}

void vm_remove(struct vm *vm)
{
	for (uint32_t i = 0; i < n_vms; i++) {
		if (vms[i] != vm)
			continue;
		vms[i] = vms[--n_vms];
		vms[i]->index = i;
		vms[n_vms] = NULL;
		vmid_used[vm->vmid / 8] &= (uint8_t)~(1u << (vm->vmid % 8));
		return;
	}
}

bool vm_available(void)
{
	return n_vms < CLOISON_LIMIT_DOMAINS_MAX;
}

struct vm *vm_alloc(void)
{
	struct vm *vm;

	if (boot_used == boot_max)
		return NULL;
	vm = &boot_vms[boot_used];
	if (!vm_add(vm))
		return NULL;
	boot_used++;
	return vm;
}

void vm_table_init(struct vm *table, uint32_t max)
{
	boot_vms = table;
	boot_max = max;
	vm_reset_all();
}

void vm_reset_all(void)
{
	n_vms = 0;
	boot_used = 0;
	memset(vm_slots, 0, sizeof(vm_slots));
	memset(vmid_used, 0, sizeof(vmid_used));
}


struct vm *vm_of_domain(const struct domain *d)
{
	for (uint32_t i = 0; i < n_vms; i++)
		if (vms[i]->domain == d)
			return vms[i];
	return NULL;
}

struct vcpu *vm_current_vcpu(void)
{
	/* struct vcpu starts with struct arch_vcpu, which starts with the
	 * registers current_regs points at. */
	return (struct vcpu *)arch_cpu_current()->current_regs;
}

void vm_fault(struct vcpu *v, const char *fmt, ...)
{
	struct vm *vm = v->vm;
	va_list ap;

	va_start(ap, fmt);
	vprint_to_buf(vm->fault, sizeof(vm->fault), fmt, ap);
	va_end(ap);
	vm->faulted = true;
	sched_poke();
	if (vm->domain->state == CLOISON_DOMAIN_RUNNING)
		domain_set_state(vm->domain, CLOISON_DOMAIN_STOPPED);
	console_vm_flush(vm);
	print("cloison: domain %s stopped: %s\n", vm->name, vm->fault);
	guest_stopped(vm, v->arch.regs.elr);
}

void vm_stop_self(struct vcpu *v, const char *why)
{
	struct vm *vm = v->vm;

	console_vm_flush(vm);
	print("cloison: domain %s stopped itself (%s)\n", vm->name, why);
	sched_poke();
	/* The state change tells its VMM and its guests (guest_domain_changed). */
	if (vm->domain->state == CLOISON_DOMAIN_RUNNING)
		domain_set_state(vm->domain, CLOISON_DOMAIN_STOPPED);
	else
		guest_stopped(vm, v->arch.regs.elr);
}

void vm_note(struct vcpu *v, const char *msg)
{
	print("cloison: domain %s: %s\n", v->vm->name, msg);
}

bool vm_may_power_off(struct vcpu *v)
{
	struct cnode *cs = domain_cspace(v->vm->domain);

	for (uint32_t i = 0; cs && i < cs->nslots; i++) {
		const struct cap *c = &cs->slots[i].cap;

		if (!cap_is_null(c) && cap_type(c) == CLOISON_TYPE_SYSTEM &&
		    cap_has_rights(c, CLOISON_RIGHT_SYSTEM_POWEROFF))
			return true;
	}
	return false;
}

void vm_power_off(struct vcpu *v)
{
	for (uint32_t i = 0; i < n_vms; i++)
		console_vm_flush(vms[i]);
	print("cloison: powered off by domain %s\n", v->vm->name);
	arch_power_off(true);
}

void vm_all_stopped(void)
{
	print("cloison: no domain can run any more:\n");
	for (uint32_t i = 0; i < n_vms; i++) {
		struct vm *vm = vms[i];

		console_vm_flush(vm);
		print("cloison:   %s: %s%s%s\n", vm->name,
		      cloison_domain_state_name(vm->domain->state),
		      vm->faulted ? ": " : "", vm->faulted ? vm->fault : "");
	}
	arch_power_off(false);
}
