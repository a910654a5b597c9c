/* SPDX-License-Identifier: MIT */
/* Interfaces between the files of the runtime's core layer, and the
 * pieces of it the picolibc layer builds on. */
#ifndef DOMAIN_CORE_INTERNAL_H
#define DOMAIN_CORE_INTERNAL_H

#include <domain/core.h>

/* The C half of the entry (start.S calls it): core/main.c in an image on
 * the core alone, picolibc/runtime.c in the picolibc layer. Both begin
 * with runtime_enter and, once memory is usable, runtime_init. */
void runtime_start(const struct cloison_start_info *si);
/* Refuse a start-info page that is not ours (fault: no console yet);
 * remember it (si.h). Only reads the page: safe with the MMU off. */
void runtime_enter(const struct cloison_start_info *si);
/* Console cap, GIC interface, the hypervisor's ABI major version. */
void runtime_init(void);

void si_init(const struct cloison_start_info *si);
void console_init(void);
void irq_init(void);
/* Disable every virtual interrupt this domain enabled, and the timer. */
void irq_quiesce(void);
void runtime_irq(void);
/* Before each test-result line (result.c): the picolibc layer's pacing. */
void test_pace(void);

/* GICv3 CPU interface, by encoding (GICv3 spec §12.2). */
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define INTID_SPURIOUS_FIRST 1020u

/*
 * Take one virtual interrupt: acknowledge it, hand its INTID to `route`,
 * end it. Each layer's C side of the IRQ vector is this with its own
 * route (core/irq.c, picolibc/irq.c); inlined, `route` becomes a direct
 * call.
 */
static inline void irq_take(void (*route)(uint32_t intid))
{
	uint64_t iar;
	uint32_t intid;

	__asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(iar));
	intid = (uint32_t)(iar & 0xffffff);
	if (intid >= INTID_SPURIOUS_FIRST)
		return; /* nothing to acknowledge: no EOI for a spurious INTID */
	route(intid);
	__asm__ volatile("msr " ICC_EOIR1_EL1 ", %0" : : "r"(iar));
}

#endif
