/* SPDX-License-Identifier: MIT */
/*
 * GICv3 distributor, redistributor and CPU interface (Arm IHI 0069, GIC
 * architecture v3/v4). QEMU virt without EL3 has one security state
 * (GICD_CTLR.DS = 1), so group 1 is used for everything.
 */
#include <arch/cpu.h>
#include <arch/irq.h>
#include <cloison/platform.h>

#include "mmio.h"
#include "sysreg.h"

/* Distributor (IHI 0069 §12.9). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00           /* 2 bits per INTID, [1] = edge */
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)     /* ARE when DS = 1 */
#define GICD_CTLR_ENABLE_G1 (1u << 1)

/* Redistributor (IHI 0069 §12.10): RD_base frame then SGI_base frame. */
#define GICR_FRAME_STRIDE 0x20000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_TYPER_LAST (1ull << 4)
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_ISACTIVER0 (GICR_SGI + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)

#define ICC_CTLR_EOIMODE (1u << 1)
#define DEFAULT_PRIORITY 0xa0u
#define SPIN_LIMIT 1000000u

static uint64_t gicd, gicr; /* this CPU's redistributor */
static uint32_t n_intids;

static bool wait_clear(uint64_t reg, uint32_t bits)
{
	for (uint32_t i = 0; i < SPIN_LIMIT; i++)
		if (!(mmio_read32(reg) & bits))
			return true;
	return false;
}

/* Find the redistributor whose affinity (GICR_TYPER[63:32]) is this CPU's. */
static bool find_redistributor(const struct platform *plat)
{
	uint64_t mpidr = arch_cpu_current()->mpidr;
	uint32_t aff = (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));

	for (uint64_t off = 0; off + GICR_FRAME_STRIDE <= plat->gicr.size;
	     off += GICR_FRAME_STRIDE) {
		uint64_t typer = mmio_read64(plat->gicr.base + off + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff) {
			gicr = plat->gicr.base + off;
			return true;
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return false;
}

bool arch_irq_init(const struct platform *plat, const char **why)
{
	gicd = plat->gicd.base;
	mmio_write32(gicd + GICD_CTLR, 0);
	if (!wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP)) {
		*why = "GIC distributor does not finish disabling";
		return false;
	}
	n_intids = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
	if (n_intids > 1020)
		n_intids = 1020;
	/* SPIs: group 1, disabled, default priority, routed to CPU 0. */
	for (uint32_t i = 32; i < n_intids; i += 32) {
		mmio_write32(gicd + GICD_IGROUPR + i / 8, 0xffffffffu);
		mmio_write32(gicd + GICD_ICENABLER + i / 8, 0xffffffffu);
	}
	for (uint32_t i = 32; i < n_intids; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i, DEFAULT_PRIORITY * 0x01010101u);
	for (uint32_t i = 32; i < n_intids; i++)
		mmio_write64(gicd + GICD_IROUTER + 8 * i, 0);
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE);
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	if (!wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP)) {
		*why = "GIC distributor does not finish enabling";
		return false;
	}

	if (!find_redistributor(plat)) {
		*why = "no GIC redistributor for this CPU";
		return false;
	}
	mmio_write32(gicr + GICR_WAKER,
		     mmio_read32(gicr + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	if (!wait_clear(gicr + GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP)) {
		*why = "GIC redistributor does not wake up";
		return false;
	}
	mmio_write32(gicr + GICR_IGROUPR0, 0xffffffffu);
	mmio_write32(gicr + GICR_ICENABLER0, 0xffffffffu);
	for (uint32_t i = 0; i < 32; i += 4)
		mmio_write32(gicr + GICR_IPRIORITYR + i, DEFAULT_PRIORITY * 0x01010101u);

	/* CPU interface through system registers: ICC_SRE_EL2.{SRE,DFB,DIB,
	 * Enable} (the last lets EL1 use the system-register interface too). */
	write_sysreg_e(ICC_SRE_EL2, 0xf);
	isb();
	write_sysreg_e(ICC_PMR_EL1, 0xff);
	write_sysreg_e(ICC_BPR1_EL1, 0);
	/* ICC_CTLR_EL1.EOImode = 1 (IHI 0069 §12.2.6): an EOI only drops the
	 * running priority and ICC_DIR_EL1 deactivates. An SPI handed to a
	 * domain is then left active after the drop, and the domain's own EOI
	 * of the virtual interrupt (list register HW bit) deactivates it. */
	write_sysreg_e(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
	write_sysreg_e(ICC_IGRPEN1_EL1, 1);
	isb();
	return true;
}

void arch_irq_enable(uint32_t intid)
{
	if (intid < 32)
		mmio_write32(gicr + GICR_ISENABLER0, 1u << intid);
	else if (intid < n_intids)
		mmio_write32(gicd + GICD_ISENABLER + (intid / 32) * 4,
			     1u << (intid % 32));
}

void arch_irq_disable(uint32_t intid)
{
	if (intid < 32)
		mmio_write32(gicr + GICR_ICENABLER0, 1u << intid);
	else if (intid < n_intids)
		mmio_write32(gicd + GICD_ICENABLER + (intid / 32) * 4,
			     1u << (intid % 32));
}

uint32_t arch_irq_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg_e(ICC_IAR1_EL1) & 0xffffff;

	dsb(sy);
	return intid;
}

void arch_irq_eoi(uint32_t intid)
{
	arch_irq_drop(intid);
	arch_irq_deactivate(intid);
}

void arch_irq_drop(uint32_t intid)
{
	write_sysreg_e(ICC_EOIR1_EL1, intid);
	isb();
}

void arch_irq_deactivate(uint32_t intid)
{
	write_sysreg_e(ICC_DIR_EL1, intid);
	isb();
}

/* An SPI's pending and active state, cleared at the distributor
 * (GICD_ICPENDR / GICD_ICACTIVER, IHI 0069 §12.9.6 / §12.9.5). */
void arch_irq_clear(uint32_t intid)
{
	if (intid < 32 || intid >= n_intids)
		return;
	mmio_write32(gicd + GICD_ICPENDR + (intid / 32) * 4, 1u << (intid % 32));
	mmio_write32(gicd + GICD_ICACTIVER + (intid / 32) * 4, 1u << (intid % 32));
}

/* GICD_ICFGR<n> (IHI 0069 §12.9.9): Int_config[1] set = edge triggered.
 * Changed only while the SPI is disabled. */
void arch_irq_set_trigger(uint32_t intid, bool edge)
{
	uint64_t reg = gicd + GICD_ICFGR + (intid / 16) * 4;
	uint32_t bit = 2u << (2 * (intid % 16));
	uint32_t v;

	if (intid < 32 || intid >= n_intids)
		return;
	v = mmio_read32(reg);
	mmio_write32(reg, edge ? v | bit : v & ~bit);
}

static bool spi_bit(uint32_t reg, uint32_t intid)
{
	if (intid < 32 || intid >= n_intids)
		return false;
	return (mmio_read32(gicd + reg + (intid / 32) * 4) >> (intid % 32)) & 1;
}

bool arch_irq_is_active(uint32_t intid)
{
	return spi_bit(GICD_ISACTIVER, intid);
}

/* GICR_ISACTIVER0 / GICR_ICACTIVER0 (IHI 0069 §12.11, SGI_base frame): one
 * bit per SGI and PPI of this CPU; writing 1 sets or clears its active
 * state, 0 changes nothing. */
void arch_irq_ppi_set_active(uint32_t intid, bool active)
{
	if (intid < 32)
		mmio_write32(gicr + (active ? GICR_ISACTIVER0 : GICR_ICACTIVER0), 1u << intid);
}

bool arch_irq_is_pending(uint32_t intid)
{
	return spi_bit(GICD_ISPENDR, intid);
}
