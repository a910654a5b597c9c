/* SPDX-License-Identifier: MIT */
/*
 * The picolibc layer's C side of the IRQ vector (vectors.S assembled with
 * RUNTIME_FPSIMD, which has saved the FP/SIMD registers). Unlike the
 * core's, it keeps the virtual timer for the runtime (vtimer_sleep_*) and
 * counts interrupts (irq.h).
 */
#include "internal.h"

static uint64_t taken;

static void route(uint32_t intid)
{
	taken++;
	if (intid == CLOISON_VIRQ_VTIMER)
		vtimer_irq();
	else
		irq_handler(intid);
}

void runtime_irq_fpsimd(void)
{
	irq_take(route);
}

uint64_t irq_count(void)
{
	return taken;
}
