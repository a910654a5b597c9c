/* SPDX-License-Identifier: MIT */
/*
 * Hostile domains for the fault-containment tests. One image; what it does
 * depends on its name in the system description. Each says what it is about
 * to do, then does it; the hypervisor must stop or refuse it while the
 * other domains keep running.
 */
#include <domain/core.h>

static bool is(const char *name)
{
	return strcmp(si_name(), name) == 0;
}

static uint64_t raw_hvc(uint64_t x0, uint64_t x1, uint64_t x2)
{
	register uint64_t r0 __asm__("x0") = x0;
	register uint64_t r1 __asm__("x1") = x1;
	register uint64_t r2 __asm__("x2") = x2;
	register uint64_t r3 __asm__("x3") = 0xdeadbeef;

	__asm__ volatile("hvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "x4", "x5", "x6", "x7", "memory");
	return r0;
}

static uint64_t raw_smc(uint64_t fn)
{
	register uint64_t r0 __asm__("x0") = fn;

	__asm__ volatile("smc #0" : "+r"(r0) : : "x1", "x2", "x3", "memory");
	return r0;
}

/* Garbage hypercalls: every one must come back with an error. */
static void garbage_hypercalls(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull, bad = 0;

	for (unsigned i = 0; i < 2000; i++) {
		uint64_t slot, op, a;

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		slot = (i & 1) ? seed : (seed & 7);
		op = (i & 2) ? seed >> 3 : (seed >> 5) % 40;
		a = seed * 31;
		/* Never hand the system cap a poweroff by accident. */
		if (slot == si_cap_or_none("system"))
			continue;
		if (raw_hvc(slot, op, a) == CLOISON_ERR_OK)
			bad++;
	}
	print("garbage hypercalls done: %lu unexpectedly succeeded\n", bad);
}

/*
 * EL1 may drop to AArch32 at EL0 (Cortex-A57 implements it): WFE twice
 * (trapped by HCR_EL2.TWE, taken through the lower-EL AArch32 vector), a
 * loop of 1 M turns that the EL2 tick interrupts (physical IRQs
 * from AArch32 EL0), then a read of CNTP_CTL (MRC p15, 0, r0, c14, c2, 1:
 * EL0 access allowed by CNTKCTL_EL1.EL0PTEN, trapped to EL2 by
 * CNTHCTL_EL2.EL1PCEN = 0), which stops the domain. A32 encodings (Arm ARM
 * F5.1: WFE, MOV, SUBS, B, MRC).
 */
static const uint32_t a32_code[] __attribute__((aligned(8))) = {
	0xe320f002, /* wfe */
	0xe320f002, /* wfe */
	0xe3a01601, /* mov r1, #0x100000 */
	0xe2511001, /* 1: subs r1, r1, #1 */
	0x1afffffd, /* bne 1b */
	0xee1e0f32, /* mrc p15, 0, r0, c14, c2, 1 */
	0xeafffffe, /* b . */
};

static void aarch32_el0(void)
{
	uint64_t k;

	print("entering AArch32 EL0: wfe, wfe, a long loop, a CNTP_CTL read\n");
	__asm__ volatile("mrs %0, cntkctl_el1" : "=r"(k));
	__asm__ volatile("msr cntkctl_el1, %0" : : "r"(k | (1ull << 9)));
	/* SPSR_EL1.M = 0b10000: AArch32 User, A32, interrupts unmasked. */
	__asm__ volatile("msr spsr_el1, %0\n msr elr_el1, %1\n isb\n eret"
			 : : "r"(0x10ull), "r"((uint64_t)(uintptr_t)a32_code) : "memory");
}

int domain_main(const struct cloison_start_info *si)
{
	if (is("hostile-unmapped")) {
		print("reading unmapped IPA 0x10000000\n");
		(void)*(volatile uint64_t *)0x10000000ull;
	} else if (is("hostile-peer")) {
		/* Another domain's RAM sits at a physical address above ours;
		 * the same number as an IPA is simply not mapped for us. */
		print("writing to 0x41000000 (another domain's physical memory)\n");
		*(volatile uint64_t *)0x41000000ull = 0x6f776e6564;
	} else if (is("hostile-undef")) {
		print("executing an undefined instruction\n");
		__asm__ volatile(".word 0x00000000");
	} else if (is("hostile-misaligned")) {
		/* A load-exclusive must be aligned whatever the memory type
		 * (Arm ARM B2.5.2); a plain load is not enough here, since QEMU
		 * 7.2 does not fault unaligned Device accesses with the MMU off. */
		static volatile uint64_t words[2];
		uint64_t v;

		print("load-exclusive from a misaligned address\n");
		__asm__ volatile("ldxr %0, [%1]" : "=r"(v)
				 : "r"((uintptr_t)words + 1) : "memory");
		(void)v;
	} else if (is("hostile-hvc")) {
		print("issuing 2000 garbage hypercalls\n");
		garbage_hypercalls();
		print("issuing hvc #5\n");
		__asm__ volatile("hvc #5");
	} else if (is("hostile-smc")) {
		uint64_t r;

		print("PSCI SYSTEM_OFF without the right\n");
		r = raw_smc(0x84000008u);
		print("SYSTEM_OFF returned %ld\n", (int64_t)r);
		print("PSCI_VERSION returned 0x%lx\n", raw_smc(0x84000000u));
		print("calling smc with function 0xc2000000\n");
		raw_smc(0xc2000000u);
	} else if (is("hostile-console")) {
		print("flooding the console\n");
		for (unsigned i = 0;; i++)
			print("flood %u xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", i);
	} else if (is("hostile-aarch32")) {
		aarch32_el0();
	} else if (is("hostile-spin")) {
		print("spinning without ever yielding\n");
		for (;;)
			;
	} else {
		print("no hostile behaviour for %s\n", si->name);
	}
	print("still running after the hostile act!\n");
	return 0;
}
