/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts. The hypervisor's virtual GIC delivers them to the
 * domain's IRQ vector; the runtime acknowledges each (ICC_IAR1_EL1), hands
 * its INTID to irq_handler() and ends it (ICC_EOIR1_EL1). In the picolibc
 * layer the virtual timer (INTID 27) belongs to the runtime
 * (vtimer_sleep_*) and never reaches irq_handler(); on the core alone it
 * does, like any other.
 */
#ifndef DOMAIN_IRQ_H
#define DOMAIN_IRQ_H

#include <stdint.h>

/*
 * The domain's handler; weak. The default treats any interrupt as
 * unexpected, like any other exception: it prints the INTID and stops the
 * domain (runtime_panic). Runs with IRQs masked; keep it short and do not
 * print from it (console.h).
 */
void irq_handler(uint32_t intid);

/* vgic_configure: enable one of this domain's virtual interrupts (0..63)
 * at a priority (lower is more urgent) / disable it. Return the ABI error.
 * runtime_park disables those enabled here. */
uint64_t irq_enable(uint32_t intid, uint8_t priority);
uint64_t irq_disable(uint32_t intid);

/* PSTATE.I: let interrupts in / keep them out (as they are at entry).
 * irq_unmask() returns whether they were masked before, for
 * irq_restore(). */
int irq_unmask(void);
int irq_mask(void);
void irq_restore(int was_masked);

#endif
