/* SPDX-License-Identifier: MIT */
/* Arch interface: the physical interrupt controller (GICv3 on QEMU virt). */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <cloison/types.h>

#define IRQ_SPURIOUS 1023u

struct platform;

/* Distributor, this CPU's redistributor and CPU interface. Returns false with
 * *why set if the hardware does not look like the device tree said. */
bool arch_irq_init(const struct platform *plat, const char **why);
void arch_irq_enable(uint32_t intid);
void arch_irq_disable(uint32_t intid);
/* Acknowledge the highest priority pending interrupt; IRQ_SPURIOUS if none. */
uint32_t arch_irq_ack(void);
/* Priority drop and deactivation (EOImode 1: two steps). */
void arch_irq_eoi(uint32_t intid);
/* Priority drop only: the interrupt stays active (handed to a domain). */
void arch_irq_drop(uint32_t intid);
void arch_irq_deactivate(uint32_t intid);
/* Clear an SPI's pending and active state at the distributor. */
void arch_irq_clear(uint32_t intid);
/* An SPI's active / pending state at the distributor. */
bool arch_irq_is_active(uint32_t intid);
bool arch_irq_is_pending(uint32_t intid);
/* Set or clear a PPI's active state at this CPU's redistributor. */
void arch_irq_ppi_set_active(uint32_t intid, bool active);
/* Edge (true) or level triggered; while the SPI is disabled. */
void arch_irq_set_trigger(uint32_t intid, bool edge);

#endif
