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

/*
 * The core wrote [pa, pa + size) for a domain (zeroed it, copied an image or
 * a start-info page in): make it what the domain sees even with its MMU and
 * caches off, which read memory, not the core's cache lines. Clean and
 * invalidate to the point of coherency (so no stale line hides what the
 * domain writes with its caches off either), and invalidate the
 * instruction cache. Called before the memory can reach a domain.
 */
void arch_mem_clean(paddr_t pa, size_t size);

#endif
