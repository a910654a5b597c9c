/* SPDX-License-Identifier: MIT */
/*
 * The VMM's GICv3 and SBSA UART models (domains/vmm/gic.c, uart.c) on the
 * host, against the architecture's register rules (GIC spec IHI 0069
 * chapter 12; PL011 TRM DDI 0183 §3.3): identification values Linux checks,
 * RAZ/WI and read-only bits, set/clear register pairs, byte/word/doubleword
 * access rules, what the distributor leaves to the redistributor with
 * affinity routing on, and which changes reach the core (enable, pend).
 */
#include "harness.h"

#include "../../domains/vmm/gic.h"
#include "../../domains/vmm/uart.h"

static int enables[GIC_NR_IRQS], disables[GIC_NR_IRQS], pends[GIC_NR_IRQS];

static void on_enable(void *ctx, uint32_t intid, bool on)
{
	(void)ctx;
	if (on)
		enables[intid]++;
	else
		disables[intid]++;
}

static void on_pend(void *ctx, uint32_t intid)
{
	(void)ctx;
	pends[intid]++;
}

static struct gic g;

static void fresh(void)
{
	static const struct gic_ops ops = { on_enable, on_pend, NULL };

	memset(enables, 0, sizeof(enables));
	memset(disables, 0, sizeof(disables));
	memset(pends, 0, sizeof(pends));
	gic_init(&g, &ops);
}

TEST(gicd_identification)
{
	fresh();
	/* TYPER: ITLinesNumber = 2 (96 INTIDs), IDbits = 9, no LPIs. */
	EXPECT_EQ(gicd_read(&g, 0x4, 4) & 0x1f, 2u);
	EXPECT_EQ((gicd_read(&g, 0x4, 4) >> 19) & 0x1f, 9u);
	EXPECT_EQ((gicd_read(&g, 0x4, 4) >> 17) & 1, 0u);
	/* PIDR2.ArchRev = 3: what Linux's gic_validate_dist_version checks. */
	EXPECT_EQ((gicd_read(&g, 0xffe8, 4) >> 4) & 0xf, 3u);
	EXPECT_EQ((gicr_read(&g, 0xffe8, 4) >> 4) & 0xf, 3u);
	/* TYPER2 reads as zero (no extended SPIs, no nASSGIcap). */
	EXPECT_EQ(gicd_read(&g, 0xc, 4), 0u);
}

TEST(gicd_ctlr_are_and_ds_are_rao_wi_rwp_reads_zero)
{
	fresh();
	gicd_write(&g, 0x0, 4, 0);
	EXPECT_EQ(gicd_read(&g, 0x0, 4), (1u << 4) | (1u << 6));
	gicd_write(&g, 0x0, 4, 0xffffffffu);
	/* EnableGrp0/1 set; RWP [31] never reads 1 (Linux polls it). */
	EXPECT_EQ(gicd_read(&g, 0x0, 4), 0x3u | (1u << 4) | (1u << 6));
}

TEST(set_clear_enable_pairs_and_core_callbacks)
{
	fresh();
	gicd_write(&g, 0x104, 4, 1u << 1);  /* ISENABLER1: INTID 33 */
	EXPECT(gic_enabled(&g, 33));
	EXPECT_EQ(gicd_read(&g, 0x104, 4), 1u << 1);
	EXPECT_EQ(gicd_read(&g, 0x184, 4), 1u << 1); /* ICENABLER reads the same */
	EXPECT_EQ(enables[33], 1);
	gicd_write(&g, 0x104, 4, 0);         /* writing 0 to a set register: no effect */
	EXPECT(gic_enabled(&g, 33));
	gicd_write(&g, 0x104, 4, 1u << 1);   /* already enabled: no second callback */
	EXPECT_EQ(enables[33], 1);
	gicd_write(&g, 0x184, 4, 1u << 1);
	EXPECT(!gic_enabled(&g, 33));
	EXPECT_EQ(disables[33], 1);
}

TEST(distributor_private_interrupts_are_raz_wi_with_are)
{
	fresh();
	gicd_write(&g, 0x100, 4, 0xffffffffu);  /* ISENABLER0 in GICD */
	EXPECT_EQ(gicd_read(&g, 0x100, 4), 0u);
	EXPECT(!gic_enabled(&g, 27));
	gicd_write(&g, 0x400, 4, 0xa0a0a0a0u);  /* IPRIORITYR0 in GICD */
	EXPECT_EQ(gicd_read(&g, 0x400, 4), 0u);
	/* The redistributor's SGI frame owns them. */
	gicr_write(&g, 0x10100, 4, 1u << 27);
	EXPECT(gic_enabled(&g, 27));
	EXPECT_EQ(enables[27], 1);
	EXPECT_EQ(gicr_read(&g, 0x10100, 4), 1u << 27);
}

TEST(priority_byte_and_word_access_other_sizes_raz_wi)
{
	fresh();
	gicd_write(&g, 0x420, 4, 0x44332211u);   /* INTIDs 32..35 */
	EXPECT_EQ(gicd_read(&g, 0x421, 1), 0x22u);
	gicd_write(&g, 0x423, 1, 0x99);
	EXPECT_EQ(gicd_read(&g, 0x420, 4), 0x99332211u);
	gicd_write(&g, 0x420, 2, 0xffff);        /* halfword: WI */
	EXPECT_EQ(gicd_read(&g, 0x420, 2), 0u);  /* and RAZ */
	EXPECT_EQ(gicd_read(&g, 0x420, 4), 0x99332211u);
	gicd_write(&g, 0x422, 4, 0);             /* misaligned word: WI */
	EXPECT_EQ(gicd_read(&g, 0x420, 4), 0x99332211u);
	gicr_write(&g, 0x1041b, 1, 0xa0);        /* PPI 27 in the SGI frame */
	EXPECT_EQ(gicr_read(&g, 0x10418, 4), 0xa0000000u);
}

TEST(word_registers_refuse_other_sizes)
{
	fresh();
	gicd_write(&g, 0x104, 1, 0xff);
	gicd_write(&g, 0x104, 8, 0xff);
	EXPECT_EQ(gicd_read(&g, 0x104, 4), 0u);
	EXPECT_EQ(gicd_read(&g, 0x4, 2), 0u);     /* TYPER by halfword: RAZ */
	EXPECT_EQ(gicd_read(&g, 0x4, 8), 0u);
}

TEST(irouter_64_and_32_bit_res0_masked)
{
	fresh();
	gicd_write(&g, 0x6100, 8, ~0ull);         /* IROUTER32 */
	EXPECT_EQ(gicd_read(&g, 0x6100, 8), 0xff80ffffffull);
	gicd_write(&g, 0x6108, 4, 0x80000001u);   /* IROUTER33 low half */
	gicd_write(&g, 0x610c, 4, 0x2u);          /* high half: Aff3 */
	EXPECT_EQ(gicd_read(&g, 0x6108, 8), 0x280000001ull);
	EXPECT_EQ(gicd_read(&g, 0x610c, 4), 0x2u);
	gicd_write(&g, 0x6000, 8, ~0ull);         /* IROUTER0..31: reserved */
	EXPECT_EQ(gicd_read(&g, 0x6000, 8), 0u);
	gicd_write(&g, 0x6100 + 8 * 64, 8, ~0ull); /* beyond the last SPI */
	EXPECT_EQ(gicd_read(&g, 0x6100 + 8 * 64, 8), 0u);
}

TEST(icfgr_sgis_read_only_edge_spis_bit0_res0)
{
	fresh();
	EXPECT_EQ(gicr_read(&g, 0x10c00, 4), 0xaaaaaaaau);
	gicr_write(&g, 0x10c00, 4, 0);
	EXPECT_EQ(gicr_read(&g, 0x10c00, 4), 0xaaaaaaaau);
	gicd_write(&g, 0xc08, 4, 0xffffffffu);    /* ICFGR2: SPIs 32..47 */
	EXPECT_EQ(gicd_read(&g, 0xc08, 4), 0xaaaaaaaau);
}

TEST(pending_goes_to_the_core)
{
	fresh();
	gicd_write(&g, 0x204, 4, 1u << 1);        /* ISPENDR1: INTID 33 */
	EXPECT_EQ(pends[33], 1);
	EXPECT_EQ(gicd_read(&g, 0x204, 4), 0u);   /* the core's LRs hold it */
}

TEST(redistributor_typer_waker)
{
	fresh();
	/* Last = 1, affinity 0.0.0.0 = the vCPU's MPIDR, no LPIs. */
	EXPECT_EQ(gicr_read(&g, 0x8, 8), 0x10ull);
	EXPECT_EQ(gicr_read(&g, 0x8, 4), 0x10u);
	EXPECT_EQ(gicr_read(&g, 0xc, 4), 0u);
	/* Out of reset asleep; clearing ProcessorSleep wakes ChildrenAsleep. */
	EXPECT_EQ(gicr_read(&g, 0x14, 4), 0x6u);
	gicr_write(&g, 0x14, 4, 0);
	EXPECT_EQ(gicr_read(&g, 0x14, 4), 0u);
	gicr_write(&g, 0x14, 4, 0xffffffffu);     /* only ProcessorSleep is RW */
	EXPECT_EQ(gicr_read(&g, 0x14, 4), 0x6u);
	EXPECT_EQ(gicr_read(&g, 0x0, 4), 0u);     /* CTLR: RWP 0, no LPIs */
}

TEST(garbage_everywhere_is_contained)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	fresh();
	for (unsigned i = 0; i < 200000; i++) {
		unsigned int size = 1u << (i % 4);
		uint64_t off;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		off = (x >> 8) % (i & 1 ? GICD_SIZE : GICR_SIZE);
		if (i & 1)
			gicd_write(&g, off, size, x);
		else
			gicr_write(&g, off, size, x);
		(void)gicd_read(&g, (x >> 24) % GICD_SIZE, size);
		(void)gicr_read(&g, (x >> 24) % GICR_SIZE, size);
	}
	/* Identification and RAO bits survive any write. */
	EXPECT_EQ(gicd_read(&g, 0x4, 4) & 0x1f, 2u);
	EXPECT_EQ(gicd_read(&g, 0x0, 4) & 0x50, 0x50u);
	EXPECT_EQ(gicr_read(&g, 0x8, 8), 0x10ull);
	for (unsigned i = 0; i < GIC_NR_IRQS; i++)
		EXPECT(enables[i] - disables[i] == 0 || enables[i] - disables[i] == 1);
}

static char txbuf[64];
static unsigned txlen, uart_irqs;

static void tx(void *ctx, char c)
{
	(void)ctx;
	if (txlen < sizeof(txbuf))
		txbuf[txlen++] = c;
}

static void uirq(void *ctx)
{
	(void)ctx;
	uart_irqs++;
}

TEST(uart_transmit_receive_and_interrupts)
{
	static const struct uart_ops ops = { tx, uirq, NULL };
	struct uart u;

	txlen = uart_irqs = 0;
	uart_init(&u, &ops);
	EXPECT_EQ(uart_read(&u, 0x18, 4), (1u << 7) | (1u << 4)); /* TXFE, RXFE */
	uart_write(&u, 0x0, 4, 'h');
	uart_write(&u, 0x0, 1, 'i');
	EXPECT_EQ(txlen, 2u);
	EXPECT(txbuf[0] == 'h' && txbuf[1] == 'i');
	EXPECT_EQ(uart_irqs, 0u);                 /* all masked */
	uart_write(&u, 0x38, 4, 1u << 4);         /* IMSC: RX */
	EXPECT(uart_receive(&u, 'x'));
	EXPECT_EQ(uart_irqs, 1u);
	EXPECT_EQ(uart_read(&u, 0x40, 4), 1u << 4); /* MIS: RX */
	EXPECT_EQ(uart_read(&u, 0x18, 4) & (1u << 4), 0u);
	EXPECT_EQ(uart_read(&u, 0x0, 4), (uint64_t)'x');
	EXPECT_EQ(uart_read(&u, 0x0, 4), 0u);     /* empty: reads 0 */
	EXPECT_EQ(uart_read(&u, 0x40, 4), 0u);
	for (unsigned i = 0; i < UART_RX_FIFO; i++)
		EXPECT(uart_receive(&u, 'a'));
	EXPECT(!uart_receive(&u, 'b'));           /* full: refused, not overwritten */
	EXPECT_EQ(uart_read(&u, 0x0, 2), 0u);     /* halfword: RAZ */
	EXPECT_EQ(uart_read(&u, 0x24, 4), 0u);    /* PL011-only registers: RAZ */
	uart_write(&u, 0x1000 - 4, 4, 0xffffffffu);
}

/* Every byte offset of every emulated region, with every access size,
 * aligned or not: a store of garbage (all ones, then a pattern), then a load.
 * Under ASan/UBSan nothing may read or write outside the model; the
 * identification registers and the read-only bits keep their values; the
 * UART's receive FIFO never grows past its size. */
TEST(every_offset_every_size_is_contained)
{
	static const struct uart_ops ops = { tx, uirq, NULL };
	static const uint64_t garbage[] = { ~0ull, 0xa5a5a5a55a5a5a5aull };
	struct uart u;

	fresh();
	uart_init(&u, &ops);
	for (unsigned int gi = 0; gi < 2; gi++) {
		for (unsigned int size = 1; size <= 8; size *= 2) {
			for (uint64_t off = 0; off < GICD_SIZE; off++) {
				gicd_write(&g, off, size, garbage[gi]);
				(void)gicd_read(&g, off, size);
			}
			for (uint64_t off = 0; off < GICR_SIZE; off++) {
				gicr_write(&g, off, size, garbage[gi]);
				(void)gicr_read(&g, off, size);
			}
			for (uint64_t off = 0; off < UART_SIZE; off++) {
				uart_write(&u, off, size, garbage[gi]);
				(void)uart_read(&u, off, size);
			}
		}
	}
	EXPECT_EQ(gicd_read(&g, 0x4, 4) & 0x1f, 2u);     /* TYPER.ITLinesNumber */
	EXPECT_EQ(gicd_read(&g, 0x0, 4) & 0x50, 0x50u);  /* CTLR.ARE, DS: RAO */
	EXPECT_EQ(gicr_read(&g, 0x8, 8), 0x10ull);       /* GICR_TYPER: Last */
	EXPECT(u.rx_len <= UART_RX_FIFO);
	for (unsigned i = 0; i < GIC_NR_IRQS; i++)
		EXPECT(enables[i] - disables[i] == 0 || enables[i] - disables[i] == 1);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}
