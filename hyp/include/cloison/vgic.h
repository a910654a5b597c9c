/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's virtual interrupts (software side of the virtual GIC).
 *
 * vINTIDs 0..VGIC_NR_IRQS-1: 27 is the EL1 virtual timer (as on hardware),
 * 32 and up are free for notifications and console input. The hypervisor
 * keeps pending / enabled bitmaps and priorities; the arch layer moves the
 * highest-priority pending, enabled ones into the GICv3 list registers on
 * entry and takes back the ones the domain has not acknowledged on exit, so
 * a domain acknowledges and EOIs without trapping, and more pending
 * interrupts than list registers are never lost (underflow maintenance
 * interrupt, GIC v3 spec §3.4 / ICH_HCR_EL2.UIE).
 */
#ifndef CLOISON_VGIC_H
#define CLOISON_VGIC_H

#include <cloison/types.h>

#define VGIC_NR_IRQS 64u
#define VGIC_VTIMER 27u
#define VGIC_FIRST_FREE 32u
#define VGIC_DEFAULT_PRIORITY 0xa0u

struct vgic {
	uint64_t pending;  /* raised, not yet in a list register */
	uint64_t enabled;
	uint64_t in_lr;    /* currently held by a list register */
	uint8_t priority[VGIC_NR_IRQS];
	/* A hardware interrupt (irq_bind): the physical INTID behind the
	 * vINTID, 0 for a purely virtual one. Injected with the list
	 * register's HW bit, so the domain's EOI deactivates it. */
	uint16_t hw_pintid[VGIC_NR_IRQS];
	uint64_t injected; /* count, for system_stats */
};

void vgic_init(struct vgic *g);
/* Raise vINTID on g; false if out of range. */
bool vgic_raise(struct vgic *g, uint32_t vintid);
/* Is an enabled interrupt waiting for the vCPU (in software or an LR)? */
bool vgic_wants_attention(const struct vgic *g);
/* Highest-priority pending, enabled vINTID not in an LR; -1 if none. */
int vgic_next(const struct vgic *g);

#endif
