/* SPDX-License-Identifier: MIT */
/* Runtime-private interfaces between the files of domains/lib. */
#ifndef DOMAIN_LIB_INTERNAL_H
#define DOMAIN_LIB_INTERNAL_H

#include <domain/runtime.h>

/* Linker symbols (domain.ld). */
extern char __image_start[], __text_end[], __ro_end[], __image_end[];
extern char __tls_base[];

void si_init(const struct cloison_start_info *si);
/* Build the stage-1 identity map of `l` and turn the MMU on. */
void mmu_enable(const struct runtime_layout *l);
void heap_init(uintptr_t start, uintptr_t end);
void console_init(void);
void irq_init(void);
/* Disable every virtual interrupt this domain enabled, and the timer. */
void irq_quiesce(void);
void vtimer_irq(void);

#endif
