/* SPDX-License-Identifier: MIT */
/*
 * Budget scheduler (docs/architecture.md, "Scheduler"). Each vCPU has a budget per period and a
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
#include <arch/irq.h>
#include <arch/mem.h>
#include <arch/stage2.h>
#include <arch/timer.h>
#include <arch/vcpu.h>
#include <cloison/abi/objects.h>
#include <cloison/clock.h>
#include <cloison/domain.h>
#include <cloison/panic.h>
#include <cloison/hypercall.h>
#include <cloison/object.h>
#include <cloison/std/print.h>
#include <cloison/probe.h>
#include <cloison/std/string.h>
#include <cloison/vm.h>
#include <cloison/sched.h>
#include <cloison/console.h>
#include <cloison/dynvm.h>

static struct vcpu *running, *loaded;
static bool yielded;
static uint64_t seq, switches, virqs;
static uint32_t reaps_pending; /* destroyed domains whose RAM is not all zero yet */
/* Bumped by everything that can change what should run; a hypercall that
 * leaves it unchanged returns straight to its caller (sched_fast_return).
 * Defined in hypercall.c: a preempted call bumps it too. */
#define epoch sched_epoch_counter

void sched_poke(void)
{
	epoch++;
}

void sched_init(void)
{
	reaps_pending = 0;
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
	v->budget_us = budget_us;
	v->period_us = period_us;
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

	/* Waiting or blocked first: the usual reason a vCPU is passed over. */
	return !v->waiting && !v->blocked && !vm->faulted && !vm->torn_down &&
	       vm->domain->state == CLOISON_DOMAIN_RUNNING;
}

/* Bytes of a destroyed domain's RAM zeroed per chunk: keeps the longest
 * stretch of a destroy near 21,000 instructions (docs/benchmarks.md). */
#define REAP_ZERO_CHUNK (32u * 1024u)

/*
 * The virtual timer's PPI is one per CPU, its active state too: a vCPU
 * whose timer interrupt is active (hw_pintid[27] set from
 * sched_vtimer_irq until its list register reaches state 0 in
 * arch_vgic_sync) would block every other vCPU's timer on this CPU. So
 * the active state goes with the vCPU, as its list registers do: cleared
 * when it is switched out (its hw_pintid keeps it), set again when it is
 * switched in; its HW list register is saved and restored unchanged.
 * Done after the switch, with the incoming vCPU's timer loaded: a PPI its
 * level then makes pending is taken for it. out and in are the outgoing
 * and incoming vCPUs' hw_pintid[27] (0: not active).
 */
static inline void vtimer_ppi_move(uint16_t out, uint16_t in)
{
	/* Both set: the same PPI stays active, for the next vCPU now. */
	if (out != in)
		arch_irq_ppi_set_active(out | in, in != 0);
}

/*
 * A destroyed domain is taken off the CPU and its stage 2 freed at once
 * (bounded: its tables are its share of the pool), here, before anything
 * could run in it again.
 */
static void unload(struct vm *vm)
{
	if (vm->unloaded || vm->domain->state != CLOISON_DOMAIN_DESTROYED)
		return;
	if (loaded == &vm->vcpu) {
		/* Its list registers may still hold interrupts it took and
		 * never EOIed: nothing of it may reach the next vCPU, its
		 * timer's PPI left active included. */
		arch_vcpu_discard(&vm->vcpu.arch);
		vtimer_ppi_move(vm->vcpu.vgic.hw_pintid[VGIC_VTIMER], 0);
		loaded = NULL;
	}
	if (running == &vm->vcpu)
		running = NULL;
	/* The vCPU charged when the destroy is noticed is the one whose call
	 * destroyed it (decide runs right after that call): it zeroes the RAM,
	 * chunk by chunk, before it runs on. A domain that destroyed itself
	 * leaves it to idle time and the next caller. */
	if (running)
		running->teardown = true;
	arch_stage2_destroy(&vm->s2);
	vm->unloaded = true;
	console_vm_gone(vm); /* the console keeps no pointer to it */
	reaps_pending++;
}

/* Its RAM is zeroed in chunks (teardown_step), before anything could
 * reuse it: returns true once it is all zero. */
static bool reap_chunk(struct vm *vm)
{
	uint64_t len;

	if (vm->torn_down || !vm->unloaded)
		return true;
	len = vm->mem_size - vm->zeroed < REAP_ZERO_CHUNK ? vm->mem_size - vm->zeroed
							   : REAP_ZERO_CHUNK;
	memset(arch_mem_ptr(pa_add(vm->mem_phys, vm->zeroed), len), 0, len);
	arch_mem_clean(pa_add(vm->mem_phys, vm->zeroed), len);
	vm->zeroed += len;
	if (vm->zeroed < vm->mem_size)
		return false;
	vm->torn_down = true;
	reaps_pending--;
	console_vm_flush(vm);
	print("cloison: domain %s destroyed; its %lu KiB zeroed\n", vm->name,
	      vm->mem_size >> 10);
	/* A domain made at run time: its struct vm, tables and RAM go back
	 * to the pool they were carved from (and out of the table). */
	dynvm_release(vm);
	return true;
}

bool sched_teardown_pending(void)
{
	if (object_reap_pending() || reaps_pending)
		return true;
	/* A domain the last call destroyed (or whose last cap it deleted) that
	 * the scheduler has not unloaded yet: the caller zeroes its RAM before
	 * it runs on, even if its budget runs out first (then it resumes the
	 * teardown when it gets budget back), so whoever destroys a domain
	 * finds its memory back in the pool when its next call runs. */
	for (uint32_t i = 0; i < vm_count(); i++)
		if (vm_at(i)->domain->state == CLOISON_DOMAIN_DESTROYED && !vm_at(i)->unloaded)
			return true;
	return false;
}

/* One bounded chunk of the pending teardown; true when nothing is left. */
static bool teardown_step(void)
{
	if (!object_reap(hc_chunk.reap_units))
		return false;
	for (uint32_t i = 0; i < vm_count(); i++)
		if (!reap_chunk(vm_at(i)))
			return false;
	return !sched_teardown_pending();
}

static void replenish(struct vcpu *v, uint64_t now)
{
	/* A guest destroyed before finish_build was never scheduled (period
	 * 0): nothing to replenish while it is reaped. */
	if (now < v->next_replenish || !v->period)
		return;
	v->remaining = v->budget;
	v->next_replenish += ((now - v->next_replenish) / v->period + 1) * v->period;
}

/* A switched-out vCPU's virtual timer that has expired becomes a pending
 * vIRQ 27 (and wakes it from WFI); the alarm covers the ones still armed.
 * (Not for the loaded vCPU, whose live timer raises the physical PPI
 * itself, nor while its timer interrupt is active: not signalled again.) */
static void vtimer_expired(struct vcpu *v)
{
	arch_vtimer_mask_saved(&v->arch);
	sched_raise_virq(v, VGIC_VTIMER);
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

/*
 * One pass over the vCPUs at each decision: a destroyed domain is unloaded,
 * budgets are replenished, switched-out timers checked; the best runnable
 * vCPU with budget is found (highest priority, then the one that ran
 * longest ago); and the next moment the decision can change without an
 * interrupt is found (some vCPU's period starts again or a switched-out
 * vCPU's timer expires; arm_timer adds the running vCPU's budget end once
 * it is known). Each step for a vCPU comes after the ones before it, as
 * in three passes.
 */
static struct vcpu *scan(uint64_t now, uint64_t *when)
{
	struct vcpu *best = NULL;
	uint64_t w = UINT64_MAX;

	for (uint32_t i = 0; i < vm_count(); i++) {
		struct vm *vm = vm_at(i);
		struct vcpu *v = &vm->vcpu;

		unload(vm);
		replenish(v, now);
		if (!vm->torn_down) {
			if (v->period && v->next_replenish < w)
				w = v->next_replenish;
			if (v != loaded && !v->vgic.hw_pintid[VGIC_VTIMER]) {
				uint64_t d = arch_vtimer_saved_deadline(&v->arch);

				if (d <= now)
					vtimer_expired(v);
				else if (d < w)
					w = d;
			}
		}
		if (!runnable(v) || v->remaining == 0)
			continue;
		if (!best || v->priority > best->priority ||
		    (v->priority == best->priority && v->last_run_seq < best->last_run_seq))
			best = v;
	}
	/* The running vCPU keeps the CPU against equals unless it yielded. */
	if (best && running && running != best && !yielded &&
	    runnable(running) && running->remaining &&
	    running->priority >= best->priority)
		best = running;
	*when = w;
	return best;
}

/* The scheduler's alarm: the earliest of scan's moment and the running
 * vCPU's budget end. */
static void arm_timer(uint64_t now, uint64_t when)
{
	if (running && now + running->remaining < when)
		when = now + running->remaining;
	clock_set_alarm(when);
}

/* Some domain is running, even if waiting or blocked: an interrupt or a
 * signal may still make it runnable. */
static bool any_alive(void)
{
	for (uint32_t i = 0; i < vm_count(); i++) {
		const struct vm *vm = vm_at(i);

		if (!vm->faulted && !vm->torn_down &&
		    vm->domain->state == CLOISON_DOMAIN_RUNNING)
			return true;
	}
	return false;
}

static struct vcpu *decide(void)
{
	struct vcpu *next;

	for (;;) {
		uint64_t now = arch_timer_now(), when;

		account(now);
		next = scan(now, &when);
		yielded = false;
		if (next) {
			if (next != running) {
				next->last_run_seq = ++seq;
				next->run_start = now;
			}
			running = next;
			if (next->teardown) {
				/*
				 * Its last call left objects to finalise: one
				 * bounded chunk, charged to it (it is `running`),
				 * then a preemption point where pending interrupts
				 * are taken, and decide again: a domain that became
				 * more urgent runs first, and this one finishes its
				 * teardown before it runs on.
				 */
				if (teardown_step())
					next->teardown = false;
				probe_el2_preempt_point();
				arch_irq_unmask();
				arch_irq_mask();
				continue;
			}
			arm_timer(now, when);
			return next;
		}
		/* Nothing to run: teardown nobody is waiting for (its caller
		 * was stopped meanwhile) uses the idle time. */
		running = NULL;
		if (sched_teardown_pending()) {
			teardown_step();
			arch_irq_unmask();
			arch_irq_mask();
			continue;
		}
		/* If no domain can ever run again (each one stopped, faulted or
		 * destroyed, and none left running to start or resume
		 * another), idling would hang the machine silently: power off
		 * with a failure and the reasons. Otherwise sleep until an
		 * interrupt (the scheduler's alarm at the latest) and decide
		 * again. */
		if (!any_alive())
			vm_all_stopped();
		arm_timer(now, when);
		arch_irq_unmask();
		arch_cpu_wait_for_interrupt();
		arch_irq_mask();
	}
}

static void load(struct vcpu *next)
{
	if (loaded != next) {
		uint16_t out = loaded ? loaded->vgic.hw_pintid[VGIC_VTIMER] : 0;

		arch_vcpu_switch(loaded ? &loaded->arch : NULL, &next->arch, &next->vm->s2);
		vtimer_ppi_move(out, next->vgic.hw_pintid[VGIC_VTIMER]);
		loaded = next;
		next->switches_in++;
		switches++;
	}
}

struct arch_regs *sched_exit_and_switch(void)
{
	struct vcpu *next;

	if (loaded)
		arch_vgic_sync(&loaded->arch, &loaded->vgic);
	next = decide();
	load(next);
	arch_vgic_flush(&next->arch, &next->vgic);
	probe_el2_leave(); /* test build: the end of a hypercall's EL2 stretch */
	return &next->arch.regs;
}

void sched_raise_virq(struct vcpu *v, uint32_t vintid)
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

void sched_block(struct vcpu *v)
{
	v->blocked = true;
	epoch++;
}

void sched_unblock(struct vcpu *v, uint64_t word)
{
	uint64_t *x = arch_vcpu_gprs(&v->arch);

	x[0] = 0; /* CLOISON_ERR_OK */
	x[1] = word;
	v->blocked = false;
	epoch++;
}

void sched_wake(struct vcpu *v)
{
	v->blocked = false;
	epoch++;
}

bool sched_vtimer_irq(uint32_t pintid)
{
	/* The loaded vCPU's timer fired. With its vINTID 27 enabled it gets
	 * it with the list register's HW bit (IHI 0069 §12.5.10, ICH_LR<n>.HW,
	 * pINTID): the PPI stays active until the vCPU's deactivation of the
	 * virtual one deactivates it, so it cannot fire again meanwhile and
	 * the vCPU's CNTV_CTL stays as it set it. Its active state is the
	 * vCPU's, moved with it (vtimer_ppi_move). Otherwise the timer is
	 * masked, as one that fires while its vCPU is switched out. */
	if (loaded && (loaded->vgic.enabled >> VGIC_VTIMER) & 1) {
		/* Its list registers first: one for the previous tick the vCPU
		 * has just deactivated (the PPI came again at once) must be
		 * seen as done now, not by the exit's sync after this, which
		 * would take the new tick's hw_pintid away and leave the PPI
		 * active for good. */
		arch_vgic_sync(&loaded->arch, &loaded->vgic);
		loaded->vgic.hw_pintid[VGIC_VTIMER] = (uint16_t)pintid;
		sched_raise_virq(loaded, VGIC_VTIMER);
		return true;
	}
	arch_vtimer_mask_live();
	if (loaded)
		sched_raise_virq(loaded, VGIC_VTIMER);
	return false;
}

uint64_t sched_virqs(void)
{
	return virqs;
}

void sched_yield_vcpu(struct vcpu *v)
{
	(void)v;
	yielded = true;
	epoch++;
}

void sched_wait_for_interrupt(struct vcpu *v)
{
	/* WFI returns at once if an enabled interrupt is already waiting
	 * (in software or a list register); otherwise the vCPU is off the
	 * CPU, uncharged, until sched_raise_virq() wakes it. */
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
