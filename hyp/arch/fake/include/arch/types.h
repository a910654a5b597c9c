/* SPDX-License-Identifier: MIT */
/* Host (fake) arch types: enough state for generic code and unit tests. */
#ifndef ARCH_TYPES_H
#define ARCH_TYPES_H

#include <stdint.h>

struct arch_regs {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t sp;
};

struct arch_vcpu {
	struct arch_regs regs;
};

struct arch_stage2 {
	uint64_t *root;
	uint16_t vmid;
};

#endif
