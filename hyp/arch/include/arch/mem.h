/* SPDX-License-Identifier: MIT */
/*
 * Arch interface: how the core reaches physical memory it owns (object
 * storage, zeroing memory before reuse). At EL2 this is the identity map; on
 * the host (arch/fake) it is an offset into an arena standing in for RAM.
 */
#ifndef ARCH_MEM_H
#define ARCH_MEM_H

#include <cloison/types.h>

/* Pointer through which the core may access [pa, pa + size). */
void *arch_mem_ptr(paddr_t pa, size_t size);

#endif
