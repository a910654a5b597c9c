/* SPDX-License-Identifier: MIT */
#include <arch/irq.h>
#include <arch/timer.h>
#include <cloison/clock.h>
#include <cloison/irq.h>
#include <cloison/print.h>
#include <cloison/sched.h>
#include <cloison/console.h>
#include <arch/vcpu.h>

static uint32_t irq_vtimer_intid = IRQ_SPURIOUS;
static uint32_t irq_uart_intid = IRQ_SPURIOUS;

void irq_set_uart(uint32_t intid)
{
	irq_uart_intid = intid;
	arch_irq_enable(intid);
}

void irq_set_vtimer(uint32_t intid)
{
	irq_vtimer_intid = intid;
	arch_irq_enable(intid);
}

void irq_handle(void)
{
	uint32_t intid = arch_irq_ack();

	if (intid >= IRQ_SPURIOUS)
		return; /* spurious (1020..1023): nothing to EOI */
	if (intid == arch_timer_intid())
		clock_tick();
	else if (intid == irq_vtimer_intid)
		sched_vtimer_irq();
	else if (intid == irq_uart_intid)
		console_input_irq();
	else if (intid == arch_vgic_maintenance_intid())
		; /* list registers drained: the exit path refills them */
	else
		print("cloison: unexpected interrupt %u\n", intid);
	arch_irq_eoi(intid);
}
