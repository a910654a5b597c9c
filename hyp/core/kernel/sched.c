/* SPDX-License-Identifier: MIT */
/*
 * Budget scheduler (DESIGN.md §9). Each vCPU has a budget per period and a
 * priority. The highest-priority runnable vCPU with budget left runs; it
 * keeps the CPU until it blocks, yields, runs out of budget or a vCPU of
 * higher priority gets budget back. Budgets are replenished (not carried
 * over) at each period boundary of that vCPU. All time is the physical
 * counter: under -icount it counts instructions, so shares are exact and
 * repeatable. A vCPU that waits (WFI) is not runnable and is charged
 * nothing; with nothing runnable the CPU sleeps in WFI at EL2.
 *
 * State is per CPU in spirit (one CPU today): `running` is the vCPU being
 * charged, `loaded` the one whose EL1 state sits in the CPU's registers.
 */
#include <arch/cpu.h>
#include <arch/mem.h>
#include <arch/stage2.h>
#include <arch/timer.h>
#include <arch/vcpu.h>
#include <cloison/abi/objects.h>
#include <cloison/clock.h>
#include <cloison/domain.h>
#include <cloison/panic.h>
#include <cloison/print.h>
#include <cloison/string.h>
#include <cloison/vcpu.h>

static struct vcpu *running, *loaded;
static bool yielded;
static uint64_t seq, switches, virqs;
/* Bumped by everything that can change what should run; a hypercall that
 * leaves it unchanged returns straight to its caller (sched_fast_return). */
uint64_t sched_epoch_counter;
#define epoch sched_epoch_counter

void sched_poke(void)
{
	epoch++;
}

void sched_init(void)
{
	running = loaded = NULL;
	yielded = false;
	seq = switches = 0;
}

static uint64_t us_to_ticks(uint64_t us)
{
	return us * arch_timer_freq() / 1000000u;
}

void sched_add(struct vcpu *v, uint64_t budget_us, uint64_t period_us,
	       uint32_t priority)
{
	v->budget = us_to_ticks(budget_us);
	v->period = us_to_ticks(period_us);
	CHECK(v->period != 0 && v->budget <= v->period);
	v->remaining = v->budget;
	v->next_replenish = arch_timer_now() + v->period;
	v->priority = priority;
}

static bool runnable(const struct vcpu *v)
{
	const struct vm *vm = v->vm;

	return !vm->faulted && !vm->torn_down && !v->waiting && !v->blocked &&
	       vm->domain->state == CLOISON_DOMAIN_RUNNING;
}

/* A destroyed domain's memory is zeroed and its stage 2 freed once, here,
 * before anything could reuse them. */
static void reap(struct vm *vm)
{
	if (vm->torn_down || vm->domain->state != CLOISON_DOMAIN_DESTROYED)
		return;
	if (loaded == &vm->vcpu)
		loaded = NULL;
	if (running == &vm->vcpu)
		running = NULL;
	arch_stage2_destroy(&vm->s2);
	memset(arch_mem_ptr(vm->mem_phys, vm->mem_size), 0, vm->mem_size);
	vm->torn_down = true;
	vm_console_flush(vm);
	print("cloison: domain %s destroyed; its %lu KiB zeroed\n", vm->name,
	      vm->mem_size >> 10);
}

static void replenish(struct vcpu *v, uint64_t now)
{
	if (now < v->next_replenish)
		return;
	v->remaining = v->budget;
	v->next_replenish += ((now - v->next_replenish) / v->period + 1) * v->period;
}

/* A switched-out vCPU's virtual timer that has expired becomes a pending
 * vIRQ 27 (and wakes it from WFI); the alarm covers the ones still armed. */
static void check_vtimer(struct vcpu *v, uint64_t now)
{
	if (v == loaded || v->vm->torn_down)
		return; /* the live timer raises the physical PPI itself */
	if (arch_vtimer_saved_deadline(&v->arch) <= now) {
		arch_vtimer_mask_saved(&v->arch);
		vcpu_raise_virq(v, VGIC_VTIMER);
	}
}

static void account(uint64_t now)
{
	struct vcpu *v = running;
	uint64_t used;

	if (!v)
		return;
	used = now - v->run_start;
	v->consumed += used;
	v->remaining = used >= v->remaining ? 0 : v->remaining - used;
	v->run_start = now;
}

static struct vcpu *pick(void)
{
	struct vcpu *best = NULL;

	for (uint32_t i = 0; i < vm_count(); i++) {
		struct vcpu *v = &vm_at(i)->vcpu;

		if (!runnable(v) || v->remaining == 0)
			continue;
		if (!best || v->priority > best->priority ||
		    (v->priority == best->priority &&
		     v->last_run_seq < best->last_run_seq))
			best = v;
	}
	/* The running vCPU keeps the CPU against equals unless it yielded. */
	if (best && running && running != best && !yielded &&
	    runnable(running) && running->remaining &&
	    running->priority >= best->priority)
		best = running;
	return best;
}

/* Next moment the decision can change: the running vCPU's budget ends or
 * some vCPU's period starts again. */
static void arm_timer(uint64_t now)
{
	uint64_t when = UINT64_MAX;

	for (uint32_t i = 0; i < vm_count(); i++) {
		struct vcpu *v = &vm_at(i)->vcpu;

		if (!vm_at(i)->torn_down && v->period && v->next_replenish < when)
			when = v->next_replenish;
		if (v != loaded && !vm_at(i)->torn_down &&
		    arch_vtimer_saved_deadline(&v->arch) < when)
			when = arch_vtimer_saved_deadline(&v->arch);
	}
	if (running && now + running->remaining < when)
		when = now + running->remaining;
	clock_set_alarm(when);
}

static struct vcpu *decide(void)
{
	struct vcpu *next;

	for (;;) {
		uint64_t now = arch_timer_now();

		account(now);
		for (uint32_t i = 0; i < vm_count(); i++) {
			reap(vm_at(i));
			replenish(&vm_at(i)->vcpu, now);
			check_vtimer(&vm_at(i)->vcpu, now);
		}
		next = pick();
		yielded = false;
		if (next) {
			if (next != running) {
				next->last_run_seq = ++seq;
				next->run_start = now;
			}
			running = next;
			arm_timer(now);
			return next;
		}
		/* Nothing to run: sleep until an interrupt (the scheduler's
		 * alarm at the latest) and decide again. */
		running = NULL;
		arm_timer(now);
		arch_irq_unmask();
		arch_cpu_wait_for_interrupt();
		arch_irq_mask();
	}
}

static void load(struct vcpu *next)
{
	if (loaded != next) {
		arch_vcpu_switch(loaded ? &loaded->arch : NULL, &next->arch, &next->vm->s2);
		loaded = next;
		next->switches_in++;
		switches++;
	}
}

struct arch_regs *vcpu_exit_and_schedule(void)
{
	struct vcpu *next;

	if (loaded)
		arch_vgic_sync(&loaded->arch, &loaded->vgic);
	next = decide();
	load(next);
	arch_vgic_flush(&next->arch, &next->vgic);
	return &next->arch.regs;
}

void vcpu_raise_virq(struct vcpu *v, uint32_t vintid)
{
	if (!vgic_raise(&v->vgic, vintid))
		return;
	virqs++;
	epoch++;
	if (v->waiting && vgic_wants_attention(&v->vgic))
		v->waiting = false;
	if (v->blocked && vgic_wants_attention(&v->vgic))
		vmm_interrupt(v->vm->domain);
}

void vcpu_block(struct vcpu *v)
{
	v->blocked = true;
	epoch++;
}

void vcpu_unblock(struct vcpu *v, uint64_t word)
{
	uint64_t *x = arch_vcpu_gprs(&v->arch);

	x[0] = 0; /* CLOISON_ERR_OK */
	x[1] = word;
	v->blocked = false;
	epoch++;
}

void vcpu_wake(struct vcpu *v)
{
	v->blocked = false;
	epoch++;
}

void vcpu_vtimer_irq(void)
{
	arch_vtimer_mask_live();
	if (loaded)
		vcpu_raise_virq(loaded, VGIC_VTIMER);
}

uint64_t sched_virqs(void)
{
	return virqs;
}

void vcpu_yield(struct vcpu *v)
{
	(void)v;
	yielded = true;
	epoch++;
}

void vcpu_wait_for_interrupt(struct vcpu *v)
{
	/* WFI returns at once if an enabled interrupt is already waiting
	 * (in software or a list register); otherwise the vCPU is off the
	 * CPU, uncharged, until vcpu_raise_virq() wakes it. */
	if (!vgic_wants_attention(&v->vgic))
		v->waiting = true;
	epoch++;
}

void sched_start(void)
{
	struct vcpu *first = decide();

	load(first);
	arch_vgic_flush(&first->arch, &first->vgic);
	arch_vcpu_run_first(&first->arch);
}

uint64_t sched_consumed(const struct vcpu *v)
{
	return v->consumed;
}

uint64_t sched_switches(void)
{
	return switches;
}
