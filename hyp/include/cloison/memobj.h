/* SPDX-License-Identifier: MIT */
/*
 * Objects that stand for a range of physical memory or a hardware resource:
 * frames and channels (carved from untyped, their data zeroed), device MMIO
 * regions and IRQ lines (made at boot only). Mapping them is issue F3.
 */
#ifndef CLOISON_MEMOBJ_H
#define CLOISON_MEMOBJ_H

#include <cloison/notification.h>
#include <cloison/object.h>

/* frame, channel (its shared pages) and device */
struct memobj {
	struct object obj;
	paddr_t base;
	uint64_t size;
};

/*
 * A channel: its shared pages plus one notification per end. A channel cap
 * names its end in the cap's badge word (0 or 1, set by the boot policy);
 * signalling through end e raises the other end's notification, waiting
 * through end e waits on its own.
 */
struct channel {
	struct memobj mem; /* first: memory_map treats a channel as a memobj */
	struct notification end[2];
};

void channel_finalise(struct channel *ch);

struct irqobj {
	struct object obj;
	uint32_t intid;
	uint32_t reserved;
};

#endif
