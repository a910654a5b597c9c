/* SPDX-License-Identifier: MIT */
/* Parameters of the host (fake) architecture used by unit tests. */
#ifndef ARCH_FAKE_H
#define ARCH_FAKE_H

/* Same base as QEMU virt's RAM; 16 MiB is plenty for unit tests. */
#define FAKE_RAM_BASE 0x40000000ull
#define FAKE_RAM_SIZE (16ull << 20)

#include <stdint.h>

struct arch_stage2;

/* Bytes currently mapped in a fake stage 2, and forget every mapping. */
uint64_t fake_stage2_mapped(const struct arch_stage2 *s2);
void fake_stage2_reset(void);

#endif
