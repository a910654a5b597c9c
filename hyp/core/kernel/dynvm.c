/* SPDX-License-Identifier: MIT */
/*
 * Running a domain made at run time (object/build.c makes it; this file
 * gives it what runs). Its struct vm and stage-2 tables are in the memory
 * domain_set_memory carved from its builder's pool, so everything it costs
 * is charged to that pool, not to the core's; its RAM is mapped into its own
 * stage 2 only. It ends as every domain does (sched.c: off the CPU, stage 2
 * freed, RAM zeroed in chunks), and then dynvm_release hands the carve back.
 */
#include <arch/stage2.h>
#include <arch/vcpu.h>
#include <cloison/abi/policy.h>
#include <cloison/abi/start_info.h>
#include <cloison/domain.h>
#include <cloison/dynvm.h>
#include <cloison/panic.h>
#include <cloison/sched.h>
#include <cloison/std/string.h>
#include <cloison/vm.h>

_Static_assert(sizeof(struct vm) <= DOMAIN_VM_BYTES, "struct vm fits its share of the carve");

bool dynvm_available(void)
{
	return vm_available();
}

void dynvm_attach(struct domain *d)
{
	struct domain_build *b = d->build;
	struct vm *vm = b->vm;
	enum stage2_error err;

	/* build.c asked dynvm_available() in decode; nothing ran since. */
	CHECK(vm_add(vm));
	vm->domain = d;
	memcpy(vm->name, b->name, VM_NAME_LEN);
	vm->mem_phys = b->ram;
	vm->mem_size = b->ram_size;
	vm->mem_ipa = CLOISON_DOMAIN_IPA_BASE;
	/* Enough table pages for the RAM by construction (build.c). */
	CHECK(arch_stage2_init_own(&vm->s2, (uint16_t)vm->vmid, b->tables, b->n_tables));
	err = arch_stage2_map(&vm->s2, vm->mem_ipa, vm->mem_phys, vm->mem_size,
			      STAGE2_READ | STAGE2_WRITE | STAGE2_EXEC);
	CHECK(err == STAGE2_OK);
	d->s2 = &vm->s2;
}

bool dynvm_caller_ram(const struct domain *caller, uint64_t ipa, uint64_t len, paddr_t *pa)
{
	const struct vm *vm = vm_of_domain(caller);

	if (!vm || ipa < vm->mem_ipa || ipa - vm->mem_ipa > vm->mem_size ||
	    len > vm->mem_size - (ipa - vm->mem_ipa))
		return false;
	*pa = pa_add(vm->mem_phys, ipa - vm->mem_ipa);
	return true;
}

bool dynvm_sched_limits(const struct domain *caller, uint64_t *budget_us, uint64_t *period_us,
			uint32_t *priority)
{
	const struct vm *vm = vm_of_domain(caller);

	if (!vm)
		return false;
	*budget_us = vm->vcpu.budget_us;
	*period_us = vm->vcpu.period_us;
	*priority = vm->vcpu.priority;
	return true;
}

void dynvm_ready(struct domain *d)
{
	struct domain_build *b = d->build;
	struct vm *vm = b->vm;

	/* As the loader starts a domain of the policy: at the start of its
	 * RAM (images are linked there, entry first: domains/lib/domain.ld),
	 * x0 = its start-info page. */
	arch_vcpu_init(&vm->vcpu.arch, vm->mem_ipa, vm->mem_ipa + vm->mem_size - CLOISON_START_INFO_SIZE,
		       0);
	sched_add(&vm->vcpu, b->budget_us, b->period_us, b->priority);
}

void dynvm_release(struct vm *vm)
{
	struct domain *d = vm->domain;

	if (!d->build)
		return;
	vm_remove(vm);
	domain_build_release(d);
}
