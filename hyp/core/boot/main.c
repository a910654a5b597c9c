/* SPDX-License-Identifier: MIT */
/*
 * The core after arch bring-up: say hello, start the tick, then (for now)
 * run the boot self-tests of a test build or power off cleanly.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/power.h>
#include <arch/timer.h>
#include <cloison/clock.h>
#include <cloison/core.h>
#include <cloison/guest.h>
#include <cloison/capdump.h>
#include <arch/console.h>
#include <cloison/irq.h>
#include <cloison/loader.h>
#include <arch/vcpu.h>
#include <cloison/std/string.h>
#include <cloison/sysobj.h>
#include <cloison/vm.h>
#include <cloison/sched.h>
#include <cloison/console.h>
#include <arch/stage2.h>
#include <cloison/platform.h>
#include <cloison/std/print.h>
#include <cloison/selftest.h>
#include <cloison/guest.h>
#include <cloison/dynvm.h>
#include <cloison/palloc.h>

#include <plat/board.h>

static void print_platform(const struct platform *p)
{
	print("cloison: RAM %lx-%lx, UART %lx, GICD %lx, GICR %lx, "
	      "%u virtio-mmio slots, timer PPI %u\n",
	      p->ram.base, p->ram.base + p->ram.size, p->uart.base,
	      p->gicd.base, p->gicr.base, p->n_virtio, p->timer_hyp_intid);
}

static void console_hook(const char *buf, size_t len)
{
	/* Only a domain can invoke a console cap: the caller is current. */
	console_vm_write(vm_current_vcpu()->vm, buf, len);
}

static void poweroff_hook(void)
{
	vm_power_off(vm_current_vcpu());
}

static void stats_hook(struct sysobj_stats *st)
{
	st->el2_entries = arch_cpu_current()->el2_entries;
	st->switches = sched_switches();
	st->virqs = sched_virqs();
	st->hypercalls = arch_cpu_current()->hypercalls;
}

static void census_hook(uint64_t *free_pages, uint64_t *total_pages)
{
	*free_pages = palloc_free_pages();
	*total_pages = palloc_total_pages();
}

static void domain_changed_hook(struct domain *d)
{
	irq_domain_changed(d);
	guest_domain_changed(d);
	sched_poke();
}

static void yield_hook(void)
{
	sched_yield_vcpu(vm_current_vcpu());
}

static struct vcpu *vcpu_of(struct domain *d)
{
	struct vm *vm = vm_of_domain(d);

	return vm ? &vm->vcpu : NULL;
}

static void raise_virq_hook(struct domain *d, uint32_t vintid)
{
	struct vcpu *v = vcpu_of(d);

	if (v)
		sched_raise_virq(v, vintid);
}

static bool virq_pending_hook(struct domain *d)
{
	struct vcpu *v = vcpu_of(d);

	if (!v || !(v->vgic.pending & v->vgic.enabled))
		return false;
	sched_poke();
	return true;
}

static void block_hook(struct domain *d)
{
	struct vcpu *v = vcpu_of(d);

	if (v)
		sched_block(v);
}

static void unblock_hook(struct domain *d, uint64_t word, uint64_t err)
{
	struct vcpu *v = vcpu_of(d);

	if (v) {
		sched_unblock(v, word);
		arch_vcpu_gprs(&v->arch)[0] = err;
	}
}

static void wait_interrupt_hook(struct domain *d)
{
	struct vcpu *v = vcpu_of(d);

	if (v)
		sched_wait_for_interrupt(v);
}

static void vgic_configure_hook(struct domain *d, uint32_t vintid, bool enable,
				uint8_t priority)
{
	struct vcpu *v = vcpu_of(d);

	if (!v)
		return;
	v->vgic.priority[vintid] = priority;
	if (enable)
		v->vgic.enabled |= 1ull << vintid;
	else
		v->vgic.enabled &= ~(1ull << vintid);
}

static uint64_t cpu_time_hook(const struct domain *d)
{
	const struct vm *vm = vm_of_domain(d);

	return vm ? sched_consumed(&vm->vcpu) : 0;
}

static bool faulted_hook(const struct domain *d)
{
	const struct vm *vm = vm_of_domain(d);

	return vm && vm->faulted;
}

static bool ran_selftest(const struct platform *plat)
{
#if defined(CLOISON_SELFTEST)
	char name[32];

	return platform_bootarg(plat, "selftest", name, sizeof(name));
#else
	(void)plat;
	return false;
#endif
}

/* Load the policy packed with this image and run its domains. */
static void boot_domains(const struct platform *plat)
{
	static const struct sysobj_hooks hooks = {
		.console_write = console_hook,
		.console_read = console_input_read,
		.console_has_focus = console_has_focus,
		.console_attach = console_attach,
		.poweroff = poweroff_hook,
		.stats = stats_hook,
		.census = census_hook,
		.audit_dump = capdump_print,
		.yield = yield_hook,
		.domain_changed = domain_changed_hook,
		.domain_cpu_time = cpu_time_hook,
		.domain_faulted = faulted_hook,
		.raise_virq = raise_virq_hook,
		.block = block_hook,
		.unblock = unblock_hook,
		.wait_interrupt = wait_interrupt_hook,
		.vgic_configure = vgic_configure_hook,
		.irq_route = irq_route,
		.irq_release = irq_release,
		.vmm_deliver = guest_vmm_deliver,
		.vmm_complete = guest_vmm_complete,
		.vmm_set_reg = guest_vmm_set_reg,
		.vmm_reload = guest_vmm_reload,
		.virq_pending = virq_pending_hook,
		.vm_available = dynvm_available,
		.vm_attach = dynvm_attach,
		.caller_ram = dynvm_caller_ram,
		.sched_limits = dynvm_sched_limits,
		.vm_ready = dynvm_ready,
	};
	const char *why = NULL;
	char flag[8];

	arch_stage2_cpu_init();
	arch_vgic_cpu_init();
	irq_set_vtimer(plat->timer_virt_intid);
	sched_init();
	switch (loader_boot(plat, &why)) {
	case LOADER_NO_BUNDLE:
		/* A test build run for a boot self-test has nothing else to do;
		 * anything else without a bundle is a broken image. */
		if (ran_selftest(plat))
			return;
		print("cloison: no boot bundle: nothing to run (%s)\n", why);
		arch_power_off(false);
	case LOADER_ERROR:
		print("cloison: policy rejected: %s\n", why);
		arch_power_off(false);
	case LOADER_OK:
		break;
	}
	sysobj_set_hooks(&hooks);
	if (plat->uart_intid) {
		irq_set_uart(plat->uart_intid);
		arch_console_rx_enable();
	}
	print("cloison: policy %s: %u domains\n", loader_policy_hash(), vm_count());
	selftest_after_load(plat);
	if (platform_bootarg(plat, "capdump", flag, sizeof(flag)) &&
	    strcmp(flag, "boot") == 0)
		capdump_print();
	arch_irq_mask();
	sched_start();
}

void core_main(const struct platform *plat)
{
	print("Cloison %s (EL2, MMU on)\n", CLOISON_VERSION);
	print_platform(plat);
	arch_irq_enable(arch_timer_intid());
	clock_start(plat_tick_hz());
	arch_irq_unmask();
	print("cloison: ready\n");
	selftest_run(plat);
	boot_domains(plat);
	arch_power_off(true);
}
