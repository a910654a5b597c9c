/* SPDX-License-Identifier: MIT */
/*
 * Boot self-tests of the test build (hyp-test.elf). They check what only the
 * real machine can show (MMU permissions, timer rate, the panic path) and
 * report in the runner's format (<cloison/std/testout.h>).
 */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <cloison/clock.h>
#include <cloison/platform.h>
#include <cloison/std/print.h>
#include <cloison/selftest.h>
#include <cloison/bootcap.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/std/string.h>
#include <cloison/vm.h>
#include <cloison/std/testout.h>

#include <plat/board.h>

static unsigned passed, failed;

static void result(const char *name, bool ok, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

static void result(const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	print(TESTOUT_RESULT " %s %s", name, ok ? "PASS" : "FAIL");
	if (!ok) {
		print(" ");
		va_start(ap, fmt);
		vprint(fmt, ap);
		va_end(ap);
		failed++;
	} else {
		passed++;
	}
	print("\n");
}

static void suite_boot(const struct platform *p)
{
	result("boot.platform.ram", p->ram.size >= (64ull << 20),
	       "RAM size 0x%lx", p->ram.size);
	result("boot.platform.virtio", p->n_virtio == PLATFORM_MAX_VIRTIO,
	       "%u virtio-mmio transports", p->n_virtio);
	result("boot.platform.psci", p->has_psci && p->psci_smc,
	       "PSCI present %d smc %d", p->has_psci, p->psci_smc);
	{
		/* A tick must arrive within 10 periods. */
		uint64_t t0 = clock_ticks(), end = arch_timer_now() + 10 * clock_period();

		while (clock_ticks() == t0 && arch_timer_now() < end)
			;
		result("boot.tick.running", clock_ticks() > t0,
		       "no tick in 10 periods (period %lu)", clock_period());
	}
}

/*
 * Count hypervisor ticks during a busy window of `n` tick periods. Under
 * -icount shift=0 the counter advances once per 16 instructions, so the
 * window is a known number of instructions (n * period * 16).
 */
static void suite_timer(void)
{
	const unsigned n = 200;
	uint64_t period = clock_period();
	uint64_t start, end, t0, t1, got;

	/* Align to a tick boundary first. */
	t0 = clock_ticks();
	while (clock_ticks() == t0)
		;
	t0 = clock_ticks();
	start = arch_timer_now();
	end = start + n * period;
	while (arch_timer_now() < end)
		;
	t1 = clock_ticks();
	got = t1 - t0;
	print("timer: %u Hz tick, period %lu counter ticks (%lu Hz counter), "
	      "%lu ticks in a window of %u periods (%lu instructions under icount)\n",
	      plat_tick_hz(), period, arch_timer_freq(), got, n, n * period * 16);
	result("timer.rate.busy_window", got >= n - 1 && got <= n + 1,
	       "%lu ticks in %u periods", got, n);

	/* Idle: sleep in WFI for 50 ticks, the elapsed counter must match. */
	t0 = clock_ticks();
	start = arch_timer_now();
	while (clock_ticks() - t0 < 50)
		arch_cpu_wait_for_interrupt();
	got = arch_timer_now() - start;
	result("timer.rate.wfi", got >= 49 * period && got <= 51 * period,
	       "50 ticks took %lu counter ticks (period %lu)", got, period);
}

static void begin(const char *suite)
{
	print(TESTOUT_BEGIN " %s\n", suite);
}

static void end(const char *suite)
{
	print(TESTOUT_END " %s passed=%u failed=%u\n", suite, passed, failed);
}

extern char __text_start[];

/*
 * selftest=extra-cap: give the first domain a cap the policy does not list
 * (a second console cap with every right) so the live audit must report it.
 */
void selftest_after_load(const struct platform *plat)
{
	char name[32];
	struct vm *vm = vm_at(0);
	struct cnode *cs;

	if (!platform_bootarg(plat, "selftest", name, sizeof(name)) ||
	    strcmp(name, "extra-cap") != 0 || !vm)
		return;
	cs = domain_cspace(vm->domain);
	for (uint32_t s = cs ? cs->nslots : 0; s-- > 1;) {
		if (cap_is_null(&cs->slots[s].cap)) {
			print("selftest: minting an extra console cap into %s slot %u\n",
			      vm->name, s);
			bootcap_install(vm->domain, s, bootcap_console(), 0x7, 0);
			return;
		}
	}
}

void selftest_run(const struct platform *plat)
{
	char name[32];

	if (!platform_bootarg(plat, "selftest", name, sizeof(name)))
		return;
	if (strcmp(name, "boot") == 0) {
		begin(name);
		suite_boot(plat);
		end(name);
	} else if (strcmp(name, "timer") == 0) {
		begin(name);
		suite_timer();
		end(name);
	} else if (strcmp(name, "panic-wx") == 0) {
		/* Writing to hypervisor text must fault (W^X) and panic. */
		print("selftest: writing to hypervisor text at %p\n",
		      (void *)__text_start);
		*(volatile char *)__text_start = 0;
		print("selftest: text is writable!\n");
	} else if (strcmp(name, "panic-unmapped") == 0) {
		print("selftest: reading unmapped address 0x7000000000\n");
		(void)*(volatile uint64_t *)0x7000000000ull;
		print("selftest: unmapped read returned!\n");
	} else if (strcmp(name, "fail-demo") == 0) {
		/* Fixture for the runner's own tests: a test that fails. */
		begin(name);
		result("fail_demo.deliberate_failure", false,
		       "this failure is deliberate");
		end(name);
	} else if (strcmp(name, "hang") == 0) {
		/* Fixture for the runner's own tests: never finishes. */
		begin(name);
		arch_irq_mask();
		for (;;)
			arch_cpu_wait_for_interrupt();
	} else if (strcmp(name, "extra-cap") == 0) {
		/* Acts after the policy is loaded: selftest_after_load(). */
	} else {
		print("selftest: unknown self-test '%s'\n", name);
	}
}
