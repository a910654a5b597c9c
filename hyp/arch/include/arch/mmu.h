/* SPDX-License-Identifier: MIT */
/* Arch interface: the hypervisor's own (stage-1, EL2) address space. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <cloison/types.h>

struct platform;

/*
 * Build the EL2 identity map (hypervisor image with W^X, the rest of RAM
 * read-write non-executable, the devices the core uses as Device memory)
 * and turn the MMU and caches on. Returns false with *why set on failure.
 */
bool arch_mmu_init(const struct platform *plat, const char **why);

#endif
