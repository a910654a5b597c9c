/* SPDX-License-Identifier: MIT */
/* Generic interrupt handling: the arch layer calls irq_handle() on an IRQ. */
#ifndef CLOISON_IRQ_H
#define CLOISON_IRQ_H

void irq_handle(void);

#endif
