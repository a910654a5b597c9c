/* SPDX-License-Identifier: MIT */
/*
 * The budget scheduler (hyp/core/sched.c) on the host, with a simulated
 * machine (hyp/arch/fake/machine.c): a CPU-bound domain runs until the
 * timer deadline the scheduler programmed; a waiting one does WFI at once.
 * Checks the shares docs/architecture.md ("Scheduler") promises, that waiting costs nothing, that
 * yield hands over, and priority and wake-up by a virtual interrupt.
 */
#include <arch/timer.h>
#include <cloison/abi/objects.h>
#include <cloison/bootcap.h>
#include <cloison/clock.h>
#include <cloison/domain.h>
#include <cloison/std/print.h>
#include <cloison/vm.h>
#include <cloison/sched.h>

#include <stdlib.h>

#include "fake.h"
#include "harness.h"

enum behaviour { SPIN, WAIT, YIELD };

static struct {
	struct vm *vm;
	enum behaviour how;
} doms[4];
static unsigned ndoms;
static struct vm vm_storage[4];

static struct vm *add(enum behaviour how, uint64_t budget_us, uint64_t period_us,
		      uint32_t prio)
{
	struct vm *vm = vm_alloc();

	if (!vm)
		abort();
	vm->domain = bootcap_domain(4);
	vm->domain->state = CLOISON_DOMAIN_RUNNING;
	print_to_buf(vm->name, sizeof(vm->name), "d%u", ndoms);
	sched_add(&vm->vcpu, budget_us, period_us, prio);
	doms[ndoms].vm = vm;
	doms[ndoms++].how = how;
	return vm;
}

static void fresh(void)
{
	paddr_t pool;

	bootcap_init(pa_init(FAKE_RAM_BASE), 1 << 20);
	(void)pool;
	vm_table_init(vm_storage, 4);
	vm_reset_all();
	ndoms = 0;
	fake_now = 0;
	fake_deadline = UINT64_MAX;
	fake_loaded = NULL;
	fake_state_leaks = 0;
	sched_init();
	clock_start(1000);
}

static enum behaviour how_of(const struct vcpu *v)
{
	for (unsigned i = 0; i < ndoms; i++)
		if (&doms[i].vm->vcpu == v)
			return doms[i].how;
	abort();
}

/* Run the machine until the counter reaches `until`. */
static void run(uint64_t until)
{
	struct vcpu *v = (struct vcpu *)(void *)sched_exit_and_switch();

	while (fake_now < until) {
		switch (how_of(v)) {
		case SPIN: /* runs until the timer interrupts it */
			fake_now = fake_deadline < until ? fake_deadline : until;
			fake_deadline = UINT64_MAX;
			clock_tick();
			break;
		case WAIT:
			fake_now += 50; /* a few instructions, then WFI */
			sched_wait_for_interrupt(v);
			break;
		case YIELD:
			fake_now += 100;
			sched_yield_vcpu(v);
			break;
		}
		v = (struct vcpu *)(void *)sched_exit_and_switch();
	}
}

static double share(struct vm *a, struct vm *b)
{
	return (double)sched_consumed(&a->vcpu) / (double)sched_consumed(&b->vcpu);
}

TEST(budgets_1_to_3_give_shares_1_to_3)
{
	struct vm *a, *b, *idle;
	double r;

	fresh();
	a = add(SPIN, 1000, 8000, 100);
	b = add(SPIN, 3000, 8000, 100);
	idle = add(WAIT, 2000, 8000, 100);
	run(FAKE_TIMER_HZ); /* one second */
	r = share(b, a);
	printf("# spin1 %lu spin3 %lu idle %lu ticks; ratio %.4f\n",
	       (unsigned long)sched_consumed(&a->vcpu), (unsigned long)sched_consumed(&b->vcpu),
	       (unsigned long)sched_consumed(&idle->vcpu), r);
	EXPECT(r > 3 * 0.98 && r < 3 * 1.02);
	/* Each gets its budget: 1 ms and 3 ms of every 8 ms. */
	EXPECT(sched_consumed(&a->vcpu) >= FAKE_TIMER_HZ / 8 * 98 / 100);
	EXPECT(sched_consumed(&a->vcpu) <= FAKE_TIMER_HZ / 8 * 102 / 100);
	/* A domain that only waits uses (almost) nothing. */
	EXPECT(sched_consumed(&idle->vcpu) < 1000);
}

TEST(budget_is_a_ceiling_even_on_an_idle_machine)
{
	struct vm *a;

	fresh();
	a = add(SPIN, 2000, 10000, 100);
	run(FAKE_TIMER_HZ / 2);
	/* 20 % of half a second, although nothing else wants the CPU. */
	EXPECT(sched_consumed(&a->vcpu) <= FAKE_TIMER_HZ / 10 * 101 / 100);
	EXPECT(sched_consumed(&a->vcpu) >= FAKE_TIMER_HZ / 10 * 99 / 100);
}

TEST(higher_priority_runs_first)
{
	struct vm *lo, *hi;

	fresh();
	lo = add(SPIN, 10000, 10000, 10);
	hi = add(SPIN, 6000, 10000, 200);
	run(FAKE_TIMER_HZ / 10);
	/* hi takes its 60 %, lo gets the remaining 40 %. */
	EXPECT(share(hi, lo) > 1.45 && share(hi, lo) < 1.55);
}

TEST(yield_hands_the_cpu_to_an_equal)
{
	struct vm *y, *s;
	struct vcpu *v;

	fresh();
	y = add(YIELD, 5000, 10000, 100);
	s = add(SPIN, 5000, 10000, 100);
	v = (struct vcpu *)(void *)sched_exit_and_switch();
	ASSERT(v == &y->vcpu); /* first added runs first */
	fake_now += 100;
	sched_yield_vcpu(v);
	v = (struct vcpu *)(void *)sched_exit_and_switch();
	EXPECT(v == &s->vcpu);
	/* Without the yield the running vCPU keeps the CPU against equals. */
	fake_now += 100;
	v = (struct vcpu *)(void *)sched_exit_and_switch();
	EXPECT(v == &s->vcpu);
	/* Yield to nobody else: the yielder runs on, within its budget. */
	s->domain->state = CLOISON_DOMAIN_STOPPED;
	v = (struct vcpu *)(void *)sched_exit_and_switch();
	EXPECT(v == &y->vcpu);
	sched_yield_vcpu(v);
	EXPECT((struct vcpu *)(void *)sched_exit_and_switch() == &y->vcpu);
}

TEST(a_virtual_interrupt_wakes_a_waiting_vcpu)
{
	struct vm *w;

	fresh();
	w = add(WAIT, 5000, 10000, 100);
	add(SPIN, 5000, 10000, 100);
	run(FAKE_TIMER_HZ / 100);
	EXPECT(w->vcpu.waiting);
	w->vcpu.vgic.enabled |= 1ull << 40;
	sched_raise_virq(&w->vcpu, 39); /* not enabled: still waits */
	EXPECT(w->vcpu.waiting);
	sched_raise_virq(&w->vcpu, 40);
	EXPECT(!w->vcpu.waiting);
	EXPECT_EQ(sched_virqs(), 2);
}

TEST(stopped_and_blocked_domains_do_not_run)
{
	struct vm *a, *b;
	uint64_t before;

	fresh();
	a = add(SPIN, 5000, 10000, 100);
	b = add(SPIN, 5000, 10000, 100);
	a->domain->state = CLOISON_DOMAIN_STOPPED;
	sched_block(&b->vcpu);
	add(SPIN, 1000, 10000, 100);
	run(FAKE_TIMER_HZ / 10);
	EXPECT_EQ(sched_consumed(&a->vcpu), 0);
	EXPECT_EQ(sched_consumed(&b->vcpu), 0);
	sched_unblock(&b->vcpu, 7);
	EXPECT_EQ(b->vcpu.arch.regs.x[1], 7);
	before = fake_now;
	run(before + FAKE_TIMER_HZ / 10);
	EXPECT(sched_consumed(&b->vcpu) > 0);
}

/*
 * A domain that destroys itself is the loaded vCPU when the scheduler reaps
 * it: what it left in the CPU (list registers with interrupts it took and
 * never EOIed, its timer) must be discarded, not left under the next vCPU;
 * and its memory, zeroed, must be zero for a domain with its caches off.
 */
TEST(a_domain_destroyed_while_loaded_leaves_nothing_behind)
{
	const uint64_t mem = FAKE_RAM_BASE + (4ull << 20), size = 64 * 1024;
	struct vm *a, *b;
	struct vcpu *v;

	fresh();
	a = add(YIELD, 5000, 10000, 200);
	b = add(SPIN, 5000, 10000, 100);
	a->mem_phys = pa_init(mem);
	a->mem_size = size;
	fake_mem_fill(mem, size, 0xa5);
	v = (struct vcpu *)(void *)sched_exit_and_switch();
	EXPECT(v == &a->vcpu);
	EXPECT(fake_loaded == &a->vcpu.arch);
	/* domain_destroy on itself, from its own hypercall. */
	a->domain->state = CLOISON_DOMAIN_DESTROYED;
	v = (struct vcpu *)(void *)sched_exit_and_switch();
	EXPECT(v == &b->vcpu);
	EXPECT(a->unloaded);
	EXPECT(fake_loaded == &b->vcpu.arch);
	EXPECT_EQ(fake_state_leaks, 0);
	/* Its RAM is zeroed in bounded chunks (sched.c): by idle time, or, as
	 * here, by the next vCPU charged with the teardown before it runs on. */
	EXPECT(sched_teardown_pending());
	b->vcpu.teardown = true;
	v = (struct vcpu *)(void *)sched_exit_and_switch();
	EXPECT(v == &b->vcpu);
	EXPECT(a->torn_down);
	EXPECT(!sched_teardown_pending());
	EXPECT(fake_mem_domain_sees_zero(mem, size));
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
