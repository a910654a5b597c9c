/* SPDX-License-Identifier: MIT */
/* The register frame vectors.S saves on every exception taken to EL2. */
#ifndef AARCH64_EXCEPTION_H
#define AARCH64_EXCEPTION_H

#define FRAME_X(n) ((n) * 8)
#define FRAME_ELR (31 * 8)
#define FRAME_SPSR (32 * 8)
#define FRAME_SP (33 * 8)
#define FRAME_SIZE (34 * 8)

/* Vector kinds: group * 4 + type (Arm ARM D1.10.2, vector table offsets). */
#define VEC_CUR_SP0_SYNC 0
#define VEC_CUR_SPX_SYNC 4
#define VEC_CUR_SPX_IRQ 5
#define VEC_LOWER64_SYNC 8
#define VEC_LOWER64_IRQ 9

#ifndef __ASSEMBLER__
#include <stdint.h>

struct exc_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t sp; /* SP_EL2 before the exception (current-EL exceptions) */
};

_Static_assert(sizeof(struct exc_frame) == FRAME_SIZE, "frame layout");
_Static_assert(FRAME_SIZE % 16 == 0, "SP must stay 16-byte aligned");

void arch_exception_entry(struct exc_frame *f, uint64_t kind);
#endif

#endif
