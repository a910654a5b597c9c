/* SPDX-License-Identifier: MIT */
/*
 * Objects that stand for a range of physical memory or a hardware resource:
 * frames and channels (carved from untyped, their data zeroed), device MMIO
 * regions and IRQ lines (made at boot only). Mapping them is issue F3.
 */
#ifndef CLOISON_MEMOBJ_H
#define CLOISON_MEMOBJ_H

#include <cloison/object.h>

/* frame, channel (its shared pages) and device */
struct memobj {
	struct object obj;
	paddr_t base;
	uint64_t size;
};

struct irqobj {
	struct object obj;
	uint32_t intid;
	uint32_t reserved;
};

#endif
