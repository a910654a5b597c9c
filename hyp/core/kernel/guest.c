/* SPDX-License-Identifier: MIT */
/*
 * The kernel side of VMM-served guests (vmm.h, docs/vmm.md): a guest's
 * decoded exit blocks its vCPU and goes to its VMM; the VMM's answer writes
 * the guest's registers and lets it run; a guest whose VMM stops is stopped
 * too. The arch trap handler decodes; object/vmm.c holds the link.
 */
#include <arch/mem.h>
#include <arch/vcpu.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/policy.h>
#include <cloison/console.h>
#include <cloison/hypercall.h>
#include <cloison/std/string.h>
#include <cloison/vgic.h>
#include <cloison/domain.h>
#include <cloison/vm.h>
#include <cloison/sched.h>
#include <cloison/vmm.h>
#include <cloison/guest.h>

static struct vcpu *vcpu_of(struct domain *d)
{
	struct vm *vm = vm_of_domain(d);

	return vm ? &vm->vcpu : NULL;
}

bool guest_forward(struct vcpu *v, const struct guest_exit *e)
{
	struct domain *d = v->vm->domain;

	if (!d->vmm.served)
		return false;
	if (!d->vmm.vmm) {
		vm_fault(v, "exit with its VMM gone (pc %lx)", v->arch.regs.elr);
		return true;
	}
	sched_block(v);
	vmm_forward(d, e);
	return true;
}

bool guest_forward_call(struct vcpu *v, uint64_t kind, uint64_t imm)
{
	const uint64_t *x = arch_vcpu_gprs(&v->arch);
	struct guest_exit e = {
		.kind = kind, .addr = x[0], .size = imm,
		.value = x[1], .arg2 = x[2], .arg3 = x[3],
	};

	return guest_forward(v, &e);
}

void guest_vmm_deliver(struct domain *vmm, const uint64_t res[6])
{
	struct vcpu *v = vcpu_of(vmm);
	uint64_t *x;

	if (!v)
		return;
	sched_unblock(v, res[0]); /* x0 = ok, x1 = kind */
	x = arch_vcpu_gprs(&v->arch);
	for (unsigned int i = 1; i < 6; i++)
		x[1 + i] = res[i];
}

void guest_vmm_complete(struct domain *guest, const struct guest_exit *e,
			uint64_t value)
{
	struct vcpu *v = vcpu_of(guest);
	uint64_t *x;

	if (!v)
		return;
	x = arch_vcpu_gprs(&v->arch);
	/* The trap handler already moved the pc past the instruction. Rt = 31
	 * is XZR for loads and stores alike: nothing to write. */
	if (e->kind == CLOISON_VMM_EXIT_MMIO_READ && e->rt < 31)
		x[e->rt] = vmm_load_value(e, value);
	else if (e->kind == CLOISON_VMM_EXIT_HVC || e->kind == CLOISON_VMM_EXIT_SMC)
		x[0] = value;
	sched_wake(v);
}

void guest_vmm_set_reg(struct domain *guest, uint32_t reg, uint64_t value)
{
	struct vcpu *v = vcpu_of(guest);

	if (!v)
		return;
	if (reg < 31)
		arch_vcpu_gprs(&v->arch)[reg] = value;
	else
		arch_vcpu_set_pc(&v->arch, value);
}

uint64_t guest_vmm_reload(struct domain *guest)
{
	struct vm *vm = vm_of_domain(guest);
	uint64_t at, len;
	uint8_t *mem;

	if (!vm)
		return 0;
	/* [at, at + len) of its RAM: zeroes, then what of each segment falls
	 * in it; one chunk per call (bounded, as a retype's zeroing). */
	at = vm->reloaded;
	len = vm->mem_size - at < hc_chunk.zero_bytes ? vm->mem_size - at : hc_chunk.zero_bytes;
	mem = arch_mem_ptr(pa_add(vm->mem_phys, at), len);
	memset(mem, 0, len);
	for (uint32_t s = 0; s < vm->nsegs; s++) {
		uint64_t lo = vm->segs[s].ipa - vm->mem_ipa, hi = lo + vm->segs[s].file_size;
		uint64_t from = lo > at ? lo : at, to = hi < at + len ? hi : at + len;

		if (from < to)
			memcpy(mem + (from - at),
			       (const void *)(uintptr_t)(vm->bundle + vm->segs[s].offset + from - lo),
			       to - from);
	}
	arch_mem_clean(pa_add(vm->mem_phys, at), len);
	vm->reloaded = at + len;
	if (vm->reloaded < vm->mem_size)
		return vm->mem_size - vm->reloaded;
	vm->reloaded = 0;
	arch_vcpu_init(&vm->vcpu.arch, vm->entry, vm->mem_ipa + vm->mem_size - PAGE_SIZE,
		       vm->index);
	arch_vcpu_restart_clock(&vm->vcpu.arch);
	vgic_init(&vm->vcpu.vgic);
	return 0;
}

void guest_domain_changed(struct domain *d)
{
	struct vm *vm = vm_of_domain(d);

	/* Stopped or destroyed through a cap (dom0, or a VMM ending its
	 * guest): the same as stopping by itself for the VMM link -- a VMM
	 * waiting on it hears "stopped", guests it served stop. A fault calls
	 * guest_stopped itself, after its own message. */
	if (vm && !vm->faulted &&
	    (d->state == CLOISON_DOMAIN_STOPPED || d->state == CLOISON_DOMAIN_DESTROYED))
		guest_stopped(vm, vm->vcpu.arch.regs.elr);
}

void guest_stopped(struct vm *vm, uint64_t pc)
{
	console_vm_stopped(vm); /* an attached console input goes back */
	vmm_guest_stopped(vm->domain, pc);
	/* A VMM that stops takes its guests with it: nothing else answers
	 * their exits. */
	for (uint32_t i = 0; i < vm_count(); i++) {
		struct vm *g = vm_at(i);

		if (g != vm && g->domain && g->domain->vmm.vmm == vm->domain &&
		    !g->faulted)
			vm_fault(&g->vcpu, "its VMM %s stopped", vm->name);
	}
}
