/* SPDX-License-Identifier: MIT */
/*
 * Host stand-ins for the CPU, timer, vCPU and virtual GIC interfaces, so the
 * scheduler and the domain table run natively in unit tests. Time is a
 * counter the test advances; waiting for an interrupt jumps to the timer
 * deadline and delivers the tick, as the hardware would.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/power.h>
#include <arch/timer.h>
#include <arch/vcpu.h>
#include <cloison/clock.h>
#include <cloison/panic.h>
#include <cloison/std/string.h>

#include "fake.h"

static struct cpu fake_cpu0;
uint64_t fake_now;
uint64_t fake_deadline = UINT64_MAX;
unsigned fake_switches;
bool fake_powered_off;
struct arch_vcpu *fake_loaded;
unsigned fake_state_leaks;

struct cpu *arch_cpu_current(void)
{
	return &fake_cpu0;
}

void arch_cpu_halt(void)
{
	abort_fake("halt");
}

void arch_cpu_wait_for_interrupt(void)
{
	CHECK(fake_deadline != UINT64_MAX); /* sleeping forever: a test bug */
	if (fake_now < fake_deadline)
		fake_now = fake_deadline;
	fake_deadline = UINT64_MAX;
	clock_tick();
}

void arch_irq_unmask(void)
{
}

void arch_irq_mask(void)
{
}

uint64_t arch_timer_freq(void)
{
	return FAKE_TIMER_HZ;
}

uint64_t arch_timer_now(void)
{
	return fake_now;
}

void arch_timer_set_deadline(uint64_t deadline)
{
	fake_deadline = deadline;
}

void arch_timer_stop(void)
{
	fake_deadline = UINT64_MAX;
}

uint32_t arch_timer_intid(void)
{
	return 26;
}

void arch_power_off(bool success)
{
	fake_powered_off = true;
	(void)success;
	abort_fake("power off");
}

void arch_vcpu_init(struct arch_vcpu *v, uint64_t entry, uint64_t arg, uint32_t index)
{
	memset(v, 0, sizeof(*v));
	v->regs.elr = entry;
	v->regs.x[0] = arg;
	(void)index;
}

void arch_vcpu_switch(struct arch_vcpu *prev, struct arch_vcpu *next,
		      const struct arch_stage2 *s2)
{
	(void)s2;
	if (fake_loaded && prev != fake_loaded)
		fake_state_leaks++;
	fake_loaded = next;
	fake_switches++;
	arch_cpu_current()->current_regs = &next->regs;
}

void arch_vcpu_discard(struct arch_vcpu *v)
{
	CHECK(v == fake_loaded);
	fake_loaded = NULL;
}

uint64_t *arch_vcpu_gprs(struct arch_vcpu *v)
{
	return v->regs.x;
}

void arch_vcpu_restart_hvc(struct arch_vcpu *v)
{
	v->regs.elr -= 4;
}

void arch_vcpu_restart_clock(struct arch_vcpu *v)
{
	(void)v;
}

void arch_vcpu_set_pc(struct arch_vcpu *v, uint64_t pc)
{
	v->regs.elr = pc;
}

void arch_vcpu_run_first(struct arch_vcpu *v)
{
	arch_cpu_current()->current_regs = &v->regs;
	abort_fake("run_first");
}

void arch_vcpu_el1_fault_state(const struct arch_vcpu *v, uint64_t *esr,
			       uint64_t *elr, uint64_t *far)
{
	(void)v;
	*esr = *elr = *far = 0;
}

void arch_vgic_sync(struct arch_vcpu *v, struct vgic *g)
{
	(void)v;
	(void)g;
}

void arch_vgic_flush(struct arch_vcpu *v, struct vgic *g)
{
	(void)v;
	(void)g;
}

void arch_vgic_cpu_init(void)
{
}

uint32_t arch_vgic_maintenance_intid(void)
{
	return 25;
}

void arch_vtimer_mask_live(void)
{
}

void arch_irq_ppi_set_active(uint32_t intid, bool active)
{
	(void)intid;
	(void)active;
}

uint64_t arch_vtimer_saved_deadline(const struct arch_vcpu *v)
{
	(void)v;
	return UINT64_MAX;
}

void arch_vtimer_mask_saved(struct arch_vcpu *v)
{
	(void)v;
}
