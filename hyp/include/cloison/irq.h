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

#endif
