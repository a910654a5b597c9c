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
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/print.h>
#include <cloison/string.h>
#include <cloison/vcpu.h>
#include <cloison/vmm.h>

#include "hypercall_dispatch.h"

struct vm vm_table[VM_MAX];
uint32_t vm_table_count;
#define vms vm_table
#define n_vms vm_table_count
bool vm_hypercall(struct vcpu *v, uint64_t regs[8])
{
	uint64_t epoch = sched_epoch();

	/* A guest served by a VMM has no hypercalls: its `hvc #0` is a PSCI
	 * or SMCCC call for the VMM (x0 = function ID). One load and branch
	 * on the hypercall path. */
	if (__builtin_expect(v->vm->domain->vmm.served, 0))
		return vcpu_forward_call(v, CLOISON_VMM_EXIT_HVC, 0);
	hypercall_dispatch_inline(v->vm->domain, regs);
	/* The caller's time is charged at its next full exit. */
	return sched_epoch() != epoch;
}

struct vm *vm_alloc(void)
{
	struct vm *vm;

	if (n_vms == VM_MAX)
		return NULL;
	vm = &vms[n_vms];
	memset(vm, 0, sizeof(*vm));
	vm->index = n_vms++;
	vm->vcpu.vm = vm;
	vgic_init(&vm->vcpu.vgic);
	return vm;
}

void vm_reset_all(void)
{
	n_vms = 0;
}


struct vm *vm_of_domain(const struct domain *d)
{
	for (uint32_t i = 0; i < n_vms; i++)
		if (vms[i].domain == d)
			return &vms[i];
	return NULL;
}

struct vcpu *vcpu_current(void)
{
	/* struct vcpu starts with struct arch_vcpu, which starts with the
	 * registers current_regs points at. */
	return (struct vcpu *)arch_cpu_current()->current_regs;
}

void vcpu_fault(struct vcpu *v, const char *fmt, ...)
{
	struct vm *vm = v->vm;
	va_list ap;

	va_start(ap, fmt);
	vprint_to_buf(vm->fault, sizeof(vm->fault), fmt, ap);
	va_end(ap);
	vm->faulted = true;
	sched_poke();
	if (vm->domain->state == CLOISON_DOMAIN_RUNNING)
		vm->domain->state = CLOISON_DOMAIN_STOPPED;
	vm_console_flush(vm);
	print("cloison: domain %s stopped: %s\n", vm->name, vm->fault);
	guest_stopped(vm, v->arch.regs.elr);
}

void vcpu_stop_self(struct vcpu *v, const char *why)
{
	struct vm *vm = v->vm;

	if (vm->domain->state == CLOISON_DOMAIN_RUNNING)
		vm->domain->state = CLOISON_DOMAIN_STOPPED;
	sched_poke();
	vm_console_flush(vm);
	print("cloison: domain %s stopped itself (%s)\n", vm->name, why);
	guest_stopped(vm, v->arch.regs.elr);
}

void vcpu_note(struct vcpu *v, const char *msg)
{
	print("cloison: domain %s: %s\n", v->vm->name, msg);
}

bool vcpu_may_power_off(struct vcpu *v)
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

void vcpu_power_off(struct vcpu *v)
{
	for (uint32_t i = 0; i < n_vms; i++)
		vm_console_flush(&vms[i]);
	print("cloison: powered off by domain %s\n", v->vm->name);
	arch_power_off(true);
}
