/* SPDX-License-Identifier: MIT */
/* Parameters of the host (fake) architecture used by unit tests. */
#ifndef ARCH_FAKE_H
#define ARCH_FAKE_H

/* Same base as QEMU virt's RAM; 16 MiB is plenty for unit tests. */
#define FAKE_RAM_BASE 0x40000000ull
#define FAKE_RAM_SIZE (16ull << 20)

#endif
