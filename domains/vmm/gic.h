/* SPDX-License-Identifier: MIT */
/*
 * The guest's GICv3 distributor and redistributor, as registers (GIC
 * architecture specification v3/v4, IHI 0069, chapter 12). One vCPU, no
 * ITS, no LPIs, affinity routing always on, one security state (DS = 1),
 * GIC_NR_IRQS INTIDs: 16 SGIs, 16 PPIs, 64 SPIs. Pure: no hypercall here,
 * so the host unit tests (tests/unit/test_vmm_gic.c) run the same code.
 * What the core must know -- an INTID enabled, disabled or made pending by
 * the guest -- goes out through the callbacks in struct gic_ops.
 *
 * Access rules (IHI 0069 §12.1.3 and each register's table): registers
 * are 32-bit; IPRIORITYR<n> also byte-accessible; IROUTER<n> 64-bit or
 * 32-bit halves. Reserved offsets and accesses of a size a register does
 * not support read as zero and ignore writes (RAZ/WI), never stop the
 * guest. Read-only bits ignore writes.
 */
#ifndef VMM_GIC_H
#define VMM_GIC_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_NR_IRQS 96u
#define GIC_NR_WORDS (GIC_NR_IRQS / 32u)
#define GICD_SIZE 0x10000u
#define GICR_SIZE 0x20000u /* RD_base frame + SGI_base frame */

struct gic_ops {
	void (*enable)(void *ctx, uint32_t intid, bool on);
	void (*pend)(void *ctx, uint32_t intid);
	void *ctx;
};

struct gic {
	uint32_t dctlr;                  /* GICD_CTLR (EnableGrp0/1) */
	uint32_t group[GIC_NR_WORDS];    /* IGROUPR: INTIDs 0..31 in GICR */
	uint32_t enabled[GIC_NR_WORDS];
	uint32_t pending[GIC_NR_WORDS];
	uint32_t active[GIC_NR_WORDS];
	uint32_t grpmod[GIC_NR_WORDS];
	uint32_t cfg[GIC_NR_WORDS * 2];  /* ICFGR: 2 bits per INTID */
	uint8_t prio[GIC_NR_IRQS];
	uint64_t irouter[GIC_NR_IRQS];   /* SPIs only */
	uint32_t waker;                  /* GICR_WAKER.ProcessorSleep */
	struct gic_ops ops;
};

void gic_init(struct gic *g, const struct gic_ops *ops);
/* off: from the frame base; size: 1, 2, 4 or 8 bytes. */
uint64_t gicd_read(struct gic *g, uint64_t off, unsigned int size);
void gicd_write(struct gic *g, uint64_t off, unsigned int size, uint64_t val);
uint64_t gicr_read(struct gic *g, uint64_t off, unsigned int size);
void gicr_write(struct gic *g, uint64_t off, unsigned int size, uint64_t val);
/* Is intid enabled in the model (for devices deciding whether to raise)? */
bool gic_enabled(const struct gic *g, uint32_t intid);

#endif
