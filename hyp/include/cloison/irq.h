/* SPDX-License-Identifier: MIT */
/* Generic interrupt handling: the arch layer calls irq_handle() on an IRQ. */
#ifndef CLOISON_IRQ_H
#define CLOISON_IRQ_H

#include <stdint.h>

void irq_handle(void);
/* The EL1 virtual timer's PPI: delivered to the running vCPU. */
void irq_set_vtimer(uint32_t intid);
/* The console UART's receive interrupt: console input. */
void irq_set_uart(uint32_t intid);

struct irqobj;
struct domain;
/* irq_bind's routing (sysobj hooks): the SPI to its owner's vINTID, and
 * back to nobody (masked, pending and active cleared). */
void irq_route(struct irqobj *irq);
void irq_release(struct irqobj *irq);
/* The owner stopped, faulted, was destroyed or resumed: mask (and clear)
 * or unmask every SPI it owns. */
void irq_domain_changed(const struct domain *d);
/* SPIs handed to owners, and taken while their owner could not run. */
void irq_stats(uint64_t *delivered, uint64_t *refused);

#endif
