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
void arch_irq_eoi(uint32_t intid);

#endif
