/* SPDX-License-Identifier: MIT */
/*
 * GICv3 distributor and redistributor model (gic.h). Register offsets and
 * fields: IHI 0069 §12.9 (GICD_*) and §12.10-12.11 (GICR_*).
 */
#include "gic.h"

/* GICD_CTLR with DS = 1 (§12.9.4): EnableGrp0 [0], EnableGrp1 [1] RW;
 * ARE [4] and DS [6] RAO/WI; RWP [31] reads 0 (writes take effect at once). */
#define GICD_CTLR_RW 0x3u
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
/* GICD_TYPER (§12.9.38): ITLinesNumber [4:0] = INTIDs/32 - 1, IDbits
 * [23:19] = 9 (10 bits of INTID), no LPIs [17], no MBIS, one security
 * state (SecurityExtn [10] = 0). */
#define GICD_TYPER_VAL ((GIC_NR_IRQS / 32u - 1u) | (9u << 19))
#define GIC_IIDR_VAL 0x0000043bu /* Arm as implementer (JEP106 0x43b) */
/* GICD_PIDR2 / GICR_PIDR2: ArchRev [7:4] = 3 (GICv3), JEP106 bits. */
#define GIC_PIDR2_VAL 0x3bu
#define GIC_PIDR2 0xffe8u
/* GICR_TYPER (§12.11.37): Last [4] = 1 (the only redistributor),
 * Processor_Number 0, Affinity_Value [63:32] = 0.0.0.0 (the vCPU's
 * MPIDR), no physical or virtual LPIs. */
#define GICR_TYPER_VAL 0x10ull
/* GICR_WAKER (§12.11.39): ProcessorSleep [1] RW, ChildrenAsleep [2]
 * follows it (the model has nothing to quiesce). */
#define GICR_WAKER_PS (1u << 1)
#define GICR_WAKER_CA (1u << 2)
/* IROUTER<n> (§12.9.22): Aff3 [39:32], Interrupt_Routing_Mode [31],
 * Aff2..Aff0 [23:0]; the rest RES0. */
#define IROUTER_MASK 0xff80ffffffull
#define SGI_BASE 0x10000u
#define SGI_ICFGR0_VAL 0xaaaaaaaau /* SGIs are edge-triggered, RO (§12.11.8) */

void gic_init(struct gic *g, const struct gic_ops *ops)
{
	*g = (struct gic){ 0 };
	g->ops = *ops;
	g->waker = GICR_WAKER_PS; /* out of reset the redistributor sleeps */
}

bool gic_enabled(const struct gic *g, uint32_t intid)
{
	return intid < GIC_NR_IRQS && (g->enabled[intid / 32] >> (intid % 32)) & 1;
}

/* The bitmap register groups (1 bit per INTID) shared by both frames. */
enum bitreg { IGROUPR, ISENABLER, ICENABLER, ISPENDR, ICPENDR, ISACTIVER, ICACTIVER, IGRPMODR };

static uint32_t *bitmap(struct gic *g, enum bitreg r)
{
	switch (r) {
	case IGROUPR: return g->group;
	case ISENABLER:
	case ICENABLER: return g->enabled;
	case ISPENDR:
	case ICPENDR: return g->pending;
	case ISACTIVER:
	case ICACTIVER: return g->active;
	case IGRPMODR: return g->grpmod;
	}
	return g->group;
}

static void bit_write(struct gic *g, enum bitreg r, uint32_t word, uint32_t val)
{
	uint32_t *m = bitmap(g, r);
	uint32_t before = m[word], changed;

	switch (r) {
	case ISENABLER:
	case ISPENDR:
	case ISACTIVER:
		m[word] |= val; /* write 1 to set, 0 has no effect */
		break;
	case ICENABLER:
	case ICPENDR:
	case ICACTIVER:
		m[word] &= ~val;
		break;
	default:
		m[word] = val;
		break;
	}
	changed = before ^ m[word];
	for (uint32_t b = 0; b < 32 && changed; b++) {
		uint32_t intid = word * 32 + b;

		if (!((changed >> b) & 1))
			continue;
		if ((r == ISENABLER || r == ICENABLER) && g->ops.enable)
			g->ops.enable(g->ops.ctx, intid, (m[word] >> b) & 1);
		if (r == ISPENDR && g->ops.pend) {
			/* The core's list registers own the pending state
			 * from here: the model keeps no copy. */
			m[word] &= ~(1u << b);
			g->ops.pend(g->ops.ctx, intid);
		}
	}
}

/* A bitmap register group at [base, base + 0x80): word index or -1. */
static int bit_index(uint64_t off, uint64_t base)
{
	if (off < base || off >= base + 0x80)
		return -1;
	return (int)((off - base) / 4);
}

static const uint64_t bit_bases[] = {
	[IGROUPR] = 0x080, [ISENABLER] = 0x100, [ICENABLER] = 0x180, [ISPENDR] = 0x200,
	[ICPENDR] = 0x280, [ISACTIVER] = 0x300, [ICACTIVER] = 0x380, [IGRPMODR] = 0xd00,
};

/* One of the bitmap groups at off: true and *r, *word set. */
static bool find_bitreg(uint64_t off, enum bitreg *r, uint32_t *word)
{
	for (unsigned int i = 0; i < sizeof(bit_bases) / sizeof(bit_bases[0]); i++) {
		int w = bit_index(off, bit_bases[i]);

		if (w >= 0) {
			*r = (enum bitreg)i;
			*word = (uint32_t)w;
			return true;
		}
	}
	return false;
}

static uint32_t prio_read(const struct gic *g, uint32_t first, unsigned int size)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < size; i++)
		v |= (uint32_t)g->prio[first + i] << (8 * i);
	return v;
}

static void prio_write(struct gic *g, uint32_t first, unsigned int size, uint64_t val)
{
	for (unsigned int i = 0; i < size; i++)
		g->prio[first + i] = (uint8_t)(val >> (8 * i));
}

/* Byte or word access to IPRIORITYR, aligned to its size (§12.9.18). */
static bool prio_access_ok(uint64_t off, unsigned int size)
{
	return (size == 1 || size == 4) && (off & (size - 1)) == 0;
}

uint64_t gicd_read(struct gic *g, uint64_t off, unsigned int size)
{
	enum bitreg r;
	uint32_t w;

	if (off >= 0x400 && off < 0x400 + GIC_NR_IRQS) { /* IPRIORITYR */
		/* INTIDs 0..31 are the redistributor's with ARE = 1: RAZ/WI. */
		if (!prio_access_ok(off, size) || off < 0x420)
			return 0;
		return prio_read(g, (uint32_t)(off - 0x400), size);
	}
	if (off >= 0x6100 && off < 0x6000 + 8 * GIC_NR_IRQS) { /* IROUTER<n> */
		uint64_t v = g->irouter[(off - 0x6000) / 8];

		if (size == 8 && !(off & 7))
			return v;
		if (size == 4 && !(off & 3))
			return (off & 4) ? v >> 32 : v & 0xffffffffull;
		return 0;
	}
	if (size != 4 || (off & 3))
		return 0;
	if (find_bitreg(off, &r, &w))
		return (w == 0 || w >= GIC_NR_WORDS) ? 0 : bitmap(g, r)[w];
	if (off >= 0xc00 && off < 0xc00 + GIC_NR_WORDS * 2 * 4) { /* ICFGR */
		w = (uint32_t)((off - 0xc00) / 4);
		return w < 2 ? 0 : g->cfg[w];
	}
	switch (off) {
	case 0x0000: return g->dctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	case 0x0004: return GICD_TYPER_VAL;
	case 0x0008: return GIC_IIDR_VAL;
	case GIC_PIDR2: return GIC_PIDR2_VAL;
	default: return 0; /* TYPER2, STATUSR, SGIR, NSACR, reserved */
	}
}

void gicd_write(struct gic *g, uint64_t off, unsigned int size, uint64_t val)
{
	enum bitreg r;
	uint32_t w;

	if (off >= 0x400 && off < 0x400 + GIC_NR_IRQS) {
		if (prio_access_ok(off, size) && off >= 0x420)
			prio_write(g, (uint32_t)(off - 0x400), size, val);
		return;
	}
	if (off >= 0x6100 && off < 0x6000 + 8 * GIC_NR_IRQS) {
		uint64_t *p = &g->irouter[(off - 0x6000) / 8];

		if (size == 8 && !(off & 7))
			*p = val & IROUTER_MASK;
		else if (size == 4 && !(off & 3))
			*p = ((off & 4) ? (*p & 0xffffffffull) | (val << 32)
					: (*p & ~0xffffffffull) | (val & 0xffffffffull)) &
			     IROUTER_MASK;
		return;
	}
	if (size != 4 || (off & 3))
		return;
	val &= 0xffffffffull;
	if (find_bitreg(off, &r, &w)) {
		if (w > 0 && w < GIC_NR_WORDS)
			bit_write(g, r, w, (uint32_t)val);
		return;
	}
	if (off >= 0xc00 && off < 0xc00 + GIC_NR_WORDS * 2 * 4) {
		w = (uint32_t)((off - 0xc00) / 4);
		/* Int_config<n>[1] (edge/level) is RW for SPIs; bit [0] RES0. */
		if (w >= 2)
			g->cfg[w] = (uint32_t)val & 0xaaaaaaaau;
		return;
	}
	if (off == 0x0000)
		g->dctlr = (uint32_t)val & GICD_CTLR_RW;
}

uint64_t gicr_read(struct gic *g, uint64_t off, unsigned int size)
{
	enum bitreg r;
	uint32_t w;

	if (off >= SGI_BASE + 0x400 && off < SGI_BASE + 0x420)
		return prio_access_ok(off, size) ? prio_read(g, (uint32_t)(off - SGI_BASE - 0x400), size) : 0;
	if (off == 0x0008 && size == 8)
		return GICR_TYPER_VAL;
	if (size != 4 || (off & 3))
		return 0;
	if (off >= SGI_BASE && find_bitreg(off - SGI_BASE, &r, &w))
		return w == 0 ? bitmap(g, r)[0] : 0;
	switch (off) {
	case 0x0004: return GIC_IIDR_VAL;
	case 0x0008: return GICR_TYPER_VAL & 0xffffffffu;
	case 0x000c: return (uint32_t)(GICR_TYPER_VAL >> 32);
	case 0x0014: return g->waker | ((g->waker & GICR_WAKER_PS) ? GICR_WAKER_CA : 0);
	case GIC_PIDR2: return GIC_PIDR2_VAL;
	case SGI_BASE + 0xc00: return SGI_ICFGR0_VAL;
	case SGI_BASE + 0xc04: return g->cfg[1];
	default: return 0; /* CTLR (no LPIs, RWP 0), STATUSR, NSACR, reserved */
	}
}

void gicr_write(struct gic *g, uint64_t off, unsigned int size, uint64_t val)
{
	enum bitreg r;
	uint32_t w;

	if (off >= SGI_BASE + 0x400 && off < SGI_BASE + 0x420) {
		if (prio_access_ok(off, size))
			prio_write(g, (uint32_t)(off - SGI_BASE - 0x400), size, val);
		return;
	}
	if (size != 4 || (off & 3))
		return;
	val &= 0xffffffffull;
	if (off >= SGI_BASE && find_bitreg(off - SGI_BASE, &r, &w)) {
		if (w == 0)
			bit_write(g, r, 0, (uint32_t)val);
		return;
	}
	if (off == 0x0014)
		g->waker = (uint32_t)val & GICR_WAKER_PS;
	else if (off == SGI_BASE + 0xc04)
		g->cfg[1] = (uint32_t)val & 0xaaaaaaaau; /* PPIs */
}
