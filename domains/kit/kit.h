/* SPDX-License-Identifier: MIT */
/*
 * The test-domain kit: the smallest runtime that lets a system test drive
 * the hypervisor from EL1 instruction by instruction (no C library that
 * could hide a trap). Console output goes through console_write with the
 * hypervisor's own formatter (hyp/core/print.c); results are printed in
 * the runner's format (hyp/include/cloison/testout.h).
 */
#ifndef KIT_H
#define KIT_H

#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/start_info.h>
#include <cloison/abi/stubs.h>
#include <cloison/abi/version.h>
#include <cloison/print.h>
#include <cloison/string.h>
#include <stdbool.h>
#include <stdint.h>

extern const struct cloison_start_info *kit_si;

/* Each test domain defines this; returning ends in a WFI loop. */
void kit_main(void);

/* Slot of the cap named `name`; CLOISON_SLOT_NONE if the domain has none. */
uint64_t kit_cap(const char *name);
/* Same, but a missing cap is a test failure and the domain stops. */
uint64_t kit_need(const char *name);

/* Result lines. kit_begin/kit_end bracket a suite. */
void kit_begin(const char *suite);
void kit_check(const char *name, bool ok, const char *fmt, ...) PRINTF_LIKE(3, 4);
#define KIT_EXPECT_ERR(name, call, want)                                        \
	do {                                                                    \
		uint64_t kit_e_ = (call);                                       \
		kit_check(name, kit_e_ == (want), "returned %lu, expected %lu", \
			  kit_e_, (uint64_t)(want));                            \
	} while (0)
void kit_end(void);
unsigned kit_failed(void);

/* Power the machine off through the "system" cap. */
void kit_poweroff(void);

static inline uint64_t kit_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline uint64_t kit_counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* Virtual interrupt handler hook (weak default: ignore). */
void kit_on_irq(uint32_t vintid);
/* Unmask IRQs at EL1 and enable group-1 virtual interrupts. */
void kit_irqs_on(void);

#endif
