/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts (irq.h): the core's C side of the IRQ vector, and the
 * GIC CPU-interface registers a domain uses. The hypervisor's virtual GIC
 * (GICv3 list registers) backs the ICC_* registers at EL1 (GICv3 spec
 * §12.2: with HCR_EL2.IMO set, EL1 accesses go to the virtual interface).
 */
#include "internal.h"

#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define MAX_VINTID 64u

static uint64_t enabled_mask; /* vINTIDs this domain enabled */

/* An interrupt nobody expected is a fault like any other exception. */
__attribute__((weak)) void irq_handler(uint32_t intid)
{
	runtime_panic("unexpected virtual interrupt %u (no irq_handler)", intid);
}

/* From the IRQ vector (core/vectors.S): every INTID goes to the domain's
 * hook, the timer's too. Nothing else on this path: the channel
 * benchmarks measure it. */
void runtime_irq(void)
{
	irq_take(irq_handler);
}

void irq_init(void)
{
	/* Let every priority through and enable group 1 at the interface;
	 * nothing arrives before vgic_configure enables an INTID and
	 * PSTATE.I is cleared. */
	__asm__ volatile("msr " ICC_PMR_EL1 ", %0" : : "r"(0xffull));
	__asm__ volatile("msr " ICC_IGRPEN1_EL1 ", %0; isb" : : "r"(1ull));
}

uint64_t irq_enable(uint32_t intid, uint8_t priority)
{
	uint64_t err = cloison_vgic_configure(intid, 1, priority);

	if (err == CLOISON_ERR_OK && intid < MAX_VINTID)
		enabled_mask |= 1ull << intid;
	return err;
}

uint64_t irq_disable(uint32_t intid)
{
	uint64_t err = cloison_vgic_configure(intid, 0, 0xff);

	if (err == CLOISON_ERR_OK && intid < MAX_VINTID)
		enabled_mask &= ~(1ull << intid);
	return err;
}

void irq_quiesce(void)
{
	/* Timer off first, so it cannot raise INTID 27 again. */
	__asm__ volatile("msr cntv_ctl_el0, xzr; isb");
	for (uint32_t i = 0; i < MAX_VINTID; i++)
		if (enabled_mask & (1ull << i))
			irq_disable(i);
}

static uint64_t daif(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, daif" : "=r"(v));
	return v;
}

#define DAIF_I (1ull << 7)

int irq_unmask(void)
{
	int was = (daif() & DAIF_I) != 0;

	__asm__ volatile("msr daifclr, #2; isb" ::: "memory");
	return was;
}

int irq_mask(void)
{
	int was = (daif() & DAIF_I) != 0;

	__asm__ volatile("msr daifset, #2" ::: "memory");
	return was;
}

void irq_restore(int was_masked)
{
	if (was_masked)
		__asm__ volatile("msr daifset, #2" ::: "memory");
	else
		__asm__ volatile("msr daifclr, #2; isb" ::: "memory");
}
