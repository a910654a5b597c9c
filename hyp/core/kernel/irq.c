/* SPDX-License-Identifier: MIT */
#include <arch/irq.h>
#include <arch/timer.h>
#include <cloison/abi/objects.h>
#include <cloison/clock.h>
#include <cloison/domain.h>
#include <cloison/irq.h>
#include <cloison/memobj.h>
#include <cloison/std/print.h>
#include <cloison/sched.h>
#include <cloison/vm.h>
#include <cloison/console.h>
#include <arch/vcpu.h>

/*
 * SPIs handed to domains (irq_bind). Each SPI has at most one owner, so a
 * domain that never acknowledges its interrupt keeps only its own SPI
 * active: the core drops the running priority at once (EOImode 1) and
 * the owner's EOI deactivates the SPI through the list register's HW bit.
 */
#define SPI_FIRST 32u
#define SPI_LIMIT 1020u
static struct irqobj *spi_route[SPI_LIMIT];
static uint64_t spis_delivered, spis_refused;

static bool owner_runs(const struct irqobj *irq)
{
	const struct vm *vm = vm_of_domain(irq->owner);

	return vm && !vm->faulted && !vm->torn_down &&
	       irq->owner->state == CLOISON_DOMAIN_RUNNING;
}

/* Off: masked at the distributor and nothing left pending or active, so
 * whoever owns it next starts clean. */
static void spi_quiet(uint32_t intid)
{
	arch_irq_disable(intid);
	arch_irq_clear(intid);
}

static void forget_hw(struct irqobj *irq)
{
	struct vm *vm = vm_of_domain(irq->owner);

	for (uint32_t v = 0; vm && v < VGIC_NR_IRQS; v++)
		if (vm->vcpu.vgic.hw_pintid[v] == irq->intid)
			vm->vcpu.vgic.hw_pintid[v] = 0;
}

void irq_route(struct irqobj *irq)
{
	struct vm *vm = vm_of_domain(irq->owner);

	if (irq->intid < SPI_FIRST || irq->intid >= SPI_LIMIT || !vm)
		return;
	spi_quiet(irq->intid);
	forget_hw(irq); /* a rebind moves it to the new vINTID */
	vm->vcpu.vgic.hw_pintid[irq->vintid] = (uint16_t)irq->intid;
	spi_route[irq->intid] = irq;
	arch_irq_set_trigger(irq->intid, irq->flags & IRQOBJ_F_EDGE);
	if (owner_runs(irq))
		arch_irq_enable(irq->intid);
}

void irq_release(struct irqobj *irq)
{
	bool was_active;

	if (irq->intid < SPI_FIRST || irq->intid >= SPI_LIMIT ||
	    spi_route[irq->intid] != irq)
		return;
	was_active = arch_irq_is_active(irq->intid);
	spi_quiet(irq->intid);
	forget_hw(irq);
	spi_route[irq->intid] = NULL;
	print("cloison: SPI %u released (was active %d; now active %d)\n", irq->intid,
	      was_active, arch_irq_is_active(irq->intid));
}

void irq_domain_changed(const struct domain *d)
{
	bool was_active;

	for (uint32_t i = SPI_FIRST; i < SPI_LIMIT; i++) {
		struct irqobj *irq = spi_route[i];

		if (!irq || irq->owner != d)
			continue;
		if (owner_runs(irq)) {
			arch_irq_enable(i);
			continue;
		}
		was_active = arch_irq_is_active(i);
		spi_quiet(i);
		/* Read back, so a test sees the state really cleared. */
		print("cloison: SPI %u of domain %u masked (was active %d; now active %d)\n",
		      i, d->id, was_active, arch_irq_is_active(i));
	}
}

void irq_stats(uint64_t *delivered, uint64_t *refused)
{
	*delivered = spis_delivered;
	*refused = spis_refused;
}

/* A routed SPI: priority dropped, left active for its owner to end. */
static void deliver_spi(struct irqobj *irq, uint32_t intid)
{
	arch_irq_drop(intid);
	if (!owner_runs(irq)) {
		/* Raced with a stop: mask it again, nobody to hand it to. */
		spis_refused++;
		spi_quiet(intid);
		return;
	}
	spis_delivered++;
	sched_raise_virq(&vm_of_domain(irq->owner)->vcpu, irq->vintid);
}

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
	if (intid >= SPI_FIRST && intid < SPI_LIMIT && spi_route[intid]) {
		deliver_spi(spi_route[intid], intid);
		return;
	}
	if (intid == arch_timer_intid())
		clock_tick();
	else if (intid == irq_vtimer_intid && sched_vtimer_irq(intid)) {
		arch_irq_drop(intid); /* left active: the vCPU's EOI deactivates it */
		return;
	} else if (intid == irq_vtimer_intid)
		; /* masked at the timer and raised in software */
	else if (intid == irq_uart_intid)
		console_input_irq();
	else if (intid == arch_vgic_maintenance_intid())
		; /* list registers drained: the exit path refills them */
	else
		print("cloison: unexpected interrupt %u\n", intid);
	arch_irq_eoi(intid);
}
