/* SPDX-License-Identifier: MIT */
#include <arch/irq.h>
#include <arch/timer.h>
#include <cloison/clock.h>
#include <cloison/irq.h>
#include <cloison/print.h>

void irq_handle(void)
{
	uint32_t intid = arch_irq_ack();

	if (intid >= IRQ_SPURIOUS)
		return; /* spurious (1020..1023): nothing to EOI */
	if (intid == arch_timer_intid())
		clock_tick();
	else
		print("cloison: unexpected interrupt %u\n", intid);
	arch_irq_eoi(intid);
}
