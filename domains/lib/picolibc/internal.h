/* SPDX-License-Identifier: MIT */
/* Interfaces between the files of the runtime's picolibc layer. */
#ifndef DOMAIN_PICOLIBC_INTERNAL_H
#define DOMAIN_PICOLIBC_INTERNAL_H

#include <domain/runtime.h>

#include "../core/internal.h"

/* Linker symbols (domain.ld). */
extern char __image_start[], __text_end[], __ro_end[], __image_end[];
extern char __tls_base[];

/* Build the stage-1 identity map of `l` and turn the MMU on. */
void mmu_enable(const struct runtime_layout *l);
void heap_init(uintptr_t start, uintptr_t end);
void vtimer_irq(void);
/* The layer's C side of the IRQ vector (vectors.S with RUNTIME_FPSIMD). */
void runtime_irq_fpsimd(void);

#endif
