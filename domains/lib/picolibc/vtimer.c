/* SPDX-License-Identifier: MIT */
/*
 * Sleeping on the EL1 virtual timer (Arm ARM D11.2): CNTV_TVAL_EL0 counts
 * down to the interrupt, CNTV_CTL_EL0 bit 0 ENABLE, bit 1 IMASK, bit 2
 * ISTATUS. The counter reads are inline in vtimer.h (core).
 */
#include "internal.h"

#define CNTV_ENABLE 1ull
#define CNTV_IMASK 2ull

static volatile bool fired;
static bool configured;

/* From the layer's IRQ path (irq.c), INTID 27: the deadline passed.
 * Masking the output lowers the (level) interrupt so it is not taken
 * again. */
void vtimer_irq(void)
{
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(CNTV_ENABLE | CNTV_IMASK));
	fired = true;
}

/* Arm the timer `us` from now and WFI until it fires, or, when
 * `any_irq`, until any interrupt is taken. */
static bool sleep(uint64_t us, bool any_irq)
{
	uint64_t f = vtimer_freq(), ticks, before;
	bool timer;
	int was;

	if (!configured) {
		if (irq_enable(CLOISON_VIRQ_VTIMER, 0x80) != CLOISON_ERR_OK)
			runtime_panic("vgic_configure refused the virtual timer");
		configured = true;
	}
	ticks = us / 1000000u * f + us % 1000000u * f / 1000000u;
	if (ticks == 0)
		ticks = 1;
	was = irq_mask();
	fired = false;
	before = irq_count();
	__asm__ volatile("msr cntv_tval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 : : "r"(ticks), "r"(CNTV_ENABLE));
	/* WFI with IRQs masked still wakes on a pending interrupt; opening
	 * the mask for an instant then takes it (no lost wake-up between the
	 * check and the WFI). */
	while (!fired && !(any_irq && irq_count() != before)) {
		__asm__ volatile("wfi");
		irq_unmask();
		irq_mask();
	}
	timer = fired;
	__asm__ volatile("msr cntv_ctl_el0, xzr; isb");
	irq_restore(was);
	return timer;
}

void vtimer_sleep_us(uint64_t us)
{
	if (us)
		sleep(us, false);
}

bool vtimer_wait_us(uint64_t us)
{
	return us ? sleep(us, true) : true;
}

void vtimer_sleep_ms(uint64_t ms)
{
	vtimer_sleep_us(ms * 1000u);
}
