/* SPDX-License-Identifier: MIT */
/*
 * Tests of the domain runtime itself (domains/lib), from inside a domain:
 * the memory layout it set up, picolibc on top of it (malloc, stdio with
 * floats, errno in TLS, libm), the MMU (unaligned accesses work), the
 * virtual timer, start-info lookup, and that the IRQ path keeps the
 * interrupted code's registers, FP/SIMD included. The protections of the
 * stage-1 map (code not writable, data not executable, stack guard page,
 * read-only start-info page) are shown by the runtime-fault domains of
 * domains/tests/runtime.toml: this domain waits until the hypervisor has
 * stopped each of them, then powers off.
 */
#include <domain/runtime.h>
#include <domain/test.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VINTID 50u

static const struct runtime_layout *L;

TEST(layout, ordered)
{
	L = runtime_layout();
	ASSERT(L->mmu_on);
	EXPECT_EQ(L->ram_start, si_get()->mem_ipa);
	EXPECT_EQ(L->ram_end, si_get()->mem_ipa + si_get()->mem_size);
	EXPECT(L->ram_start < L->text_end && L->text_end <= L->ro_end);
	EXPECT(L->ro_end <= L->image_end && L->image_end == L->heap_start);
	EXPECT(L->heap_start < L->heap_end && L->heap_end == L->guard);
	EXPECT_EQ(L->guard + RUNTIME_PAGE, L->stack_bottom);
	EXPECT_EQ(L->stack_bottom + RUNTIME_STACK_SIZE, L->stack_top);
	EXPECT_EQ(L->stack_top, (uintptr_t)si_get());
	EXPECT_EQ(L->start_info + RUNTIME_PAGE, L->ram_end);
	EXPECT((L->text_end | L->ro_end | L->image_end) % RUNTIME_PAGE == 0);
}

TEST(layout, stack_in_range)
{
	volatile int local = 1;
	uintptr_t a = (uintptr_t)&local;

	EXPECT(a >= L->stack_bottom && a < L->stack_top);
	EXPECT((uintptr_t)&test_run < L->text_end); /* code in the code segment */
}

TEST(malloc, in_heap)
{
	size_t n = 300 * 1024;
	unsigned char *p = malloc(n), *q;

	ASSERT(p != NULL);
	EXPECT((uintptr_t)p >= L->heap_start && (uintptr_t)p + n <= L->heap_end);
	memset(p, 0xa5, n);
	EXPECT(p[0] == 0xa5 && p[n - 1] == 0xa5);
	free(p);
	q = malloc(n);
	EXPECT(q != NULL);
	free(q);
}

TEST(malloc, exhaustion)
{
	void *p;

	errno = 0;
	p = malloc(L->heap_end - L->heap_start + RUNTIME_PAGE);
	EXPECT(p == NULL);
	EXPECT_EQ(errno, ENOMEM);
	/* The heap still works after the refusal. */
	p = malloc(64);
	EXPECT(p != NULL);
	free(p);
}

TEST(stdio, formats)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%d %u %llx %s %.3f %e", -5, 7u, 0xabcdef12345ull, "str",
		 3.14159, 12345.678);
	EXPECT(strcmp(buf, "-5 7 abcdef12345 str 3.142 1.234568e+04") == 0);
	if (strcmp(buf, "-5 7 abcdef12345 str 3.142 1.234568e+04") != 0)
		TEST_FAIL("got \"%s\"", buf);
}

/* errno lives in thread-local storage (TPIDR_EL0): a libc call that sets
 * it must be seen here, and its address must be in the image's TLS. */
TEST(errno, tls)
{
	long v;
	uintptr_t tp, a = (uintptr_t)&errno;

	errno = 0;
	v = strtol("999999999999999999999999", NULL, 10);
	EXPECT_EQ(v, LONG_MAX);
	EXPECT_EQ(errno, ERANGE);
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	EXPECT(tp != 0 && a > tp && a < L->image_end);
}

TEST(libm, sqrt_and_sin)
{
	volatile double two = 2.0, pi = 3.14159265358979;

	EXPECT(fabs(sqrt(two) * sqrt(two) - 2.0) < 1e-12);
	EXPECT(fabs(sin(pi / 2) - 1.0) < 1e-12);
}

/* With the MMU off this would be an alignment fault (Device memory). */
TEST(mmu, unaligned_access)
{
	static unsigned char buf[32] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint64_t v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(buf + 3) : "memory");
	EXPECT_EQ(v, 0x0a09080706050403ull);
}

TEST(si, lookup)
{
	const struct cloison_start_info_cap *c = si_find("console");

	ASSERT(c != NULL);
	EXPECT_EQ(c->type, CLOISON_TYPE_CONSOLE);
	EXPECT_EQ(si_cap("console"), c->slot);
	EXPECT(si_find("consol") == NULL); /* whole names only */
	EXPECT(si_find("no-such-cap") == NULL);
	EXPECT_EQ(si_cap_or_none("no-such-cap"), CLOISON_SLOT_NONE);
	EXPECT(strcmp(si_name(), "test-runtime") == 0);
}

TEST(console, no_input_right)
{
	EXPECT_EQ(console_getc(), -1);
	EXPECT(console_available());
}

TEST(vtimer, sleep)
{
	uint64_t t0 = vtimer_now(), us;

	vtimer_sleep_ms(20);
	us = vtimer_ticks_to_us(vtimer_now() - t0);
	EXPECT(us >= 20000);
	/* Woken by the timer, not left asleep. Without icount the virtual
	 * counter follows the host's clock, and a loaded host can hold QEMU
	 * off the CPU for longer than a scheduling period: the bound is
	 * generous so that host load cannot fail it. */
	EXPECT(us < 20000 + 500000);
	if (us < 20000 || us >= 520000)
		TEST_FAIL("slept %llu us", (unsigned long long)us);
}

static volatile uint32_t irq_flag;

/* Clobbers what an interrupt handler may clobber, so that only the
 * runtime's IRQ entry keeps the interrupted code's values. */
void irq_handler(uint32_t intid)
{
	irq_flag = intid;
	__asm__ volatile("mov x9, #0xdead\n mov x15, #0xdead\n movi v0.16b, #0xee\n"
			 "movi v16.16b, #0xee\n movi v31.16b, #0xee\n msr fpsr, xzr"
			 ::: "x9", "x15", "v0", "v16", "v31");
}

/* An interrupt taken in the middle of code that keeps values in caller-
 * saved registers (x9, x15, v0, v16, v31, FPSR) must not change them. */
TEST(irq, preserves_registers)
{
	uint64_t note = si_cap("note"), sig, x9 = 0, x15 = 0, d0 = 0, d16 = 0, d31 = 0, fpsr = 0;

	sig = cloison_cap_mint(note, CLOISON_SLOT_NONE, 32, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 1)
		      ? CLOISON_SLOT_NONE : 32; /* slot 32: empty in a CSpace of 64 */
	ASSERT(sig != CLOISON_SLOT_NONE);
	ASSERT_OK(irq_enable(VINTID, 0x80));
	ASSERT_OK(cloison_notification_bind(note, VINTID));
	irq_flag = 0;
	ASSERT_OK(cloison_notification_signal(sig));
	__asm__ volatile(
		"mov x9, #0x1234\n mov x15, #0x5678\n"
		"fmov d0, #1.0\n fmov d16, #2.0\n fmov d31, #3.0\n"
		"mov x10, #0x8000000\n msr fpsr, x10\n" /* QC bit */
		"msr daifclr, #2\n"
		"1: ldr w10, [%[flag]]\n cbz w10, 1b\n"
		"msr daifset, #2\n"
		"mov %[x9], x9\n mov %[x15], x15\n"
		"fmov %[d0], d0\n fmov %[d16], d16\n fmov %[d31], d31\n mrs %[fpsr], fpsr\n"
		: [x9] "=&r"(x9), [x15] "=&r"(x15), [d0] "=&r"(d0), [d16] "=&r"(d16),
		  [d31] "=&r"(d31), [fpsr] "=&r"(fpsr)
		: [flag] "r"(&irq_flag)
		: "x9", "x10", "x15", "v0", "v16", "v31", "memory");
	EXPECT_EQ(irq_flag, VINTID);
	EXPECT_EQ(x9, 0x1234);
	EXPECT_EQ(x15, 0x5678);
	EXPECT_EQ(d0, 0x3ff0000000000000ull);  /* 1.0 */
	EXPECT_EQ(d16, 0x4000000000000000ull); /* 2.0 */
	EXPECT_EQ(d31, 0x4008000000000000ull); /* 3.0 */
	EXPECT_EQ(fpsr, 0x8000000);
}

/* vtimer_wait_us: the full time with no other interrupt; back at once,
 * false, when one is taken (a notification bound to a virtual interrupt,
 * signalled before the wait while IRQs are masked: pending, not lost). */
TEST(vtimer, wait_ends_on_interrupt)
{
	uint64_t note = si_cap("note"), t0, us;
	int was;

	t0 = vtimer_now();
	EXPECT(vtimer_wait_us(20000));
	us = vtimer_ticks_to_us(vtimer_now() - t0);
	EXPECT(us >= 20000);
	ASSERT_OK(cloison_cap_mint(note, CLOISON_SLOT_NONE, 33,
				   CLOISON_RIGHT_NOTIFICATION_SIGNAL, 1));
	ASSERT_OK(irq_enable(VINTID, 0x80));
	ASSERT_OK(cloison_notification_bind(note, VINTID));
	irq_flag = 0;
	was = irq_mask();
	ASSERT_OK(cloison_notification_signal(33));
	t0 = vtimer_now();
	EXPECT(!vtimer_wait_us(1000000));
	us = vtimer_ticks_to_us(vtimer_now() - t0);
	irq_restore(was);
	EXPECT_EQ(irq_flag, VINTID);
	EXPECT(us < 500000);
	if (us >= 500000)
		TEST_FAIL("the wait lasted %llu us after the interrupt", (unsigned long long)us);
}

/* Each runtime-fault domain is stopped by the hypervisor, having done
 * what its name says (the scenario checks the reason printed). */
TEST(protection, faulters_stopped)
{
	static const char *const names[] = { "runtime-wx", "runtime-exec", "runtime-stack",
					     "runtime-si" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint64_t dom = si_cap(names[i]), st = 0;
		unsigned tries;

		for (tries = 0; tries < 100; tries++) {
			if (cloison_domain_query(dom, &st, NULL, NULL) == CLOISON_ERR_OK &&
			    st == CLOISON_DOMAIN_STOPPED)
				break;
			vtimer_sleep_ms(5);
		}
		if (st != CLOISON_DOMAIN_STOPPED)
			TEST_FAIL("%s still in state %llu", names[i], (unsigned long long)st);
	}
}

int domain_main(const struct cloison_start_info *si)
{
	unsigned failed = test_run("runtime");

	(void)si;
	printf("%u failed; powering off\n", failed);
	console_flush();
	cloison_system_poweroff(si_cap("system"));
	runtime_panic("system_poweroff returned");
}
