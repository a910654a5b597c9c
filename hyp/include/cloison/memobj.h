/* SPDX-License-Identifier: MIT */
/*
 * Objects that stand for a range of physical memory or a hardware resource:
 * frames and channels (carved from untyped, their data zeroed), device MMIO
 * regions and IRQ lines (made at boot only). They are mapped with memory_map.
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

/*
 * A hardware interrupt line (an SPI). It is owned by one domain at a time:
 * the one that bound it with irq_bind (or, before any bind, none). The
 * routing itself (GIC distributor, list registers) is the kernel's, reached
 * through sysobj_hooks.irq_route / irq_release.
 */
struct irqobj {
	struct object obj;
	uint32_t intid;
	uint32_t flags;        /* IRQOBJ_F_* */
	struct domain *owner;  /* bound to this domain, or NULL */
	uint32_t vintid;       /* ... as this virtual interrupt */
	uint32_t reserved;
};

#define IRQOBJ_F_EDGE (1u << 0) /* edge triggered, else level */

void irq_finalise(struct irqobj *irq);

#endif
