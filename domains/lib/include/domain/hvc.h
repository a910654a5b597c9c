/* SPDX-License-Identifier: MIT */
/*
 * Raw hypercalls, for code that must put arbitrary values in x0..x7 (the
 * hostile and ABI test domains). Normal code uses the generated stubs of
 * <cloison/abi/stubs.h> (cloison_console_write(), ...), which name every
 * argument and result.
 */
#ifndef DOMAIN_HVC_H
#define DOMAIN_HVC_H

#include <stdint.h>

struct hvc_regs {
	uint64_t x[8]; /* in: x0 = slot, x1 = call, x2..x7 = args; out: results */
};

/* hvc #0 with x0..x7 from r, and r updated from x0..x7 on return. */
static inline void hvc_raw(struct hvc_regs *r)
{
	register uint64_t x0 __asm__("x0") = r->x[0];
	register uint64_t x1 __asm__("x1") = r->x[1];
	register uint64_t x2 __asm__("x2") = r->x[2];
	register uint64_t x3 __asm__("x3") = r->x[3];
	register uint64_t x4 __asm__("x4") = r->x[4];
	register uint64_t x5 __asm__("x5") = r->x[5];
	register uint64_t x6 __asm__("x6") = r->x[6];
	register uint64_t x7 __asm__("x7") = r->x[7];

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3),
			   "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
			 :
			 : "memory");
	r->x[0] = x0;
	r->x[1] = x1;
	r->x[2] = x2;
	r->x[3] = x3;
	r->x[4] = x4;
	r->x[5] = x5;
	r->x[6] = x6;
	r->x[7] = x7;
}

/* Convenience: slot, call number and up to six arguments; returns x0. */
static inline uint64_t hvc_call(uint64_t slot, uint64_t call, uint64_t a0, uint64_t a1,
				uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct hvc_regs r = { { slot, call, a0, a1, a2, a3, a4, a5 } };

	hvc_raw(&r);
	return r.x[0];
}

#endif
