/* SPDX-License-Identifier: MIT */
/*
 * Block benchmarks (tests/bench/systems/block.toml): the same workloads
 * through the virtio-blk driver run directly in this domain ("direct",
 * the baseline: it holds a disk of its own) and through storage-dom with
 * the block front end ("front": it holds a virtual disk). Direct runs
 * first and then wakes the front-end domain over the "go" channel, so the
 * two windows never overlap. Sequential and random reads and writes of
 * 4 KiB and 64 KiB at queue depth 1, 16 and 32 (the block protocol's
 * limit of outstanding requests). Both paths take every completion that is
 * ready before queueing the next requests, as a driver does in its
 * interrupt handler.
 * Per window: instructions (PMCCNTR_EL0 = instructions under icount, EL2
 * and the other domains included), EL2 entries, switches, vIRQs (from
 * system_stats), and for the front end the notifications each way.
 */
#include <domain/core.h>

#include "blkfront.h"
#include "virtio/blk.h"

#define DISK_VIRQ 40u
#define OPS 128u
#define MAX_QD 32u
#define BIG (64u << 10)
#define SPAN_SECTORS (16u << 11) /* workloads stay in the first 16 MiB */

struct sample {
	uint64_t el2, switches, virqs, hc;
	uint32_t instr;
};

static uint64_t sys;
static bool direct;
static struct vblk blk;
static _Alignas(4096) uint8_t dma[VBLK_DMA_SIZE];
static _Alignas(4096) uint8_t bufs[MAX_QD][BIG];
static struct blkfront f;
static uint32_t rng = 12345;

void irq_handler(uint32_t vintid)
{
	if (direct && vintid == DISK_VIRQ)
		vblk_interrupt(&blk);
}

/* Instructions retired (event 0x08, PMEVCNTR0_EL0, EL2 included): unlike
 * the cycle counter it does not count the idle time icount skips while
 * the device works on the host. 32 bits: windows stay far below 2^32. */
static uint32_t instructions(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(v));
	return (uint32_t)v;
}

static void sample(struct sample *s)
{
	cloison_system_stats(sys, &s->el2, &s->switches, &s->virqs, &s->hc);
	s->instr = instructions();
}

static bool submit(uint32_t op, uint64_t sector, uint32_t slot, uint32_t len)
{
	uint32_t id;

	if (direct)
		return vblk_submit(&blk, op == BLKIF_OP_READ ? VBLK_READ : VBLK_WRITE, sector,
				   si_ram_pa(bufs[slot]), len, slot) == VBLK_OK;
	return blkfront_queue(&f, op, sector, slot * BIG, len, &id) == RING_OK;
}

/* Take one completion, waiting for it if `wait`. *ok: false on an error.
 * False when none (not waiting). */
static bool complete(bool wait, bool *ok)
{
	if (direct) {
		enum vblk_status st;
		uint64_t tag;

		for (;;) {
			if (vblk_complete(&blk, &tag, &st)) {
				*ok &= st == VBLK_OK;
				return true;
			}
			if (!wait)
				return false;
			irq_mask();
			if (!vblk_arm(&blk))
				__asm__ volatile("wfi");
			irq_unmask();
		}
	} else {
		struct blkif_rsp rsp;
		uint32_t id;

		if (!blkfront_response(&f, wait, &id, &rsp)) {
			*ok &= !wait;
			return false;
		}
		*ok &= rsp.status == BLKIF_OK;
		return true;
	}
}

static uint64_t next_sector(bool random, uint32_t i, uint32_t len)
{
	uint32_t per = len / BLKIF_SECTOR, slots = SPAN_SECTORS / per;

	if (!random)
		return (uint64_t)(i % slots) * per;
	rng = rng * 1103515245u + 12345u;
	return (uint64_t)((rng >> 8) % slots) * per;
}

static void run(const char *what, uint32_t op, bool random, uint32_t len, uint32_t qd)
{
	struct sample a, b;
	uint64_t tx = f.signals, rx = f.waits;
	uint32_t sent = 0, done = 0, in_flight = 0;
	bool ok = true;

	sample(&a);
	while (done < OPS) {
		while (sent < OPS && in_flight < qd &&
		       submit(op, next_sector(random, sent, len), sent % MAX_QD, len)) {
			sent++;
			in_flight++;
		}
		/* The front end publishes (and signals, with its wait: one
		 * EL2 entry) in the waiting blkfront_response below. */
		if (direct)
			vblk_kick(&blk);
		if (!complete(true, &ok))
			break;
		done++;
		in_flight--;
		while (done < OPS && complete(false, &ok)) {
			done++;
			in_flight--;
		}
	}
	sample(&b);
	print("BENCH %s_%s_%s_%uK_qd%u ops=%u instructions=%lu el2_entries=%lu switches=%lu "
	      "virqs=%lu bytes=%lu notify_tx=%lu notify_rx=%lu copied=0 ok=%d\n",
	      direct ? "direct" : "front", what, op == BLKIF_OP_READ ? "read" : "write",
	      len >> 10, qd, OPS, (uint64_t)(uint32_t)(b.instr - a.instr), b.el2 - a.el2, b.switches - a.switches,
	      b.virqs - a.virqs, (uint64_t)OPS * len,
	      direct ? blk.notifies : f.signals - tx, direct ? blk.interrupts : f.waits - rx,
	      ok);
}

static void all(void)
{
	static const uint32_t lens[] = { 4096, BIG };
	static const uint32_t qds[] = { 1, 16, MAX_QD };

	for (uint32_t q = 0; q < 3; q++)
		for (uint32_t l = 0; l < 2; l++)
			for (uint32_t r = 0; r < 2; r++)
				for (uint32_t o = 0; o < 2; o++)
					run(r ? "rand" : "seq", o ? BLKIF_OP_WRITE : BLKIF_OP_READ,
					    r, lens[l], qds[q]);
}

int domain_main(const struct cloison_start_info *si)
{
	const struct cloison_start_info_cap *dev = si_find("blk");
	uint64_t go = si_cap("go"), word;
	const char *why = "";

	(void)si;
	sys = si_cap("system");
	/* PMEVTYPER0_EL0: INST_RETIRED (0x08), NSH (bit 27): EL2 counted too. */
	__asm__ volatile("msr pmevtyper0_el0, %0" : : "r"(0x08ull | 1ull << 27));
	__asm__ volatile("msr pmcr_el0, %0" : : "r"(0x3ull));
	__asm__ volatile("msr pmcntenset_el0, %0; isb" : : "r"(1ull));
	direct = dev != NULL;
	if (direct) {
		if (!vblk_init(&blk, (volatile void *)(uintptr_t)dev->ipa, dma, si_ram_pa(dma), &why))
			runtime_panic("%s", why);
		cloison_irq_bind(si_cap("blk-irq"), DISK_VIRQ);
		irq_enable(DISK_VIRQ, 0x80);
		irq_unmask();
		print("BENCH-BASELINE direct_seq_read_4K_qd1\n");
		all();
		cloison_channel_signal(go);
		runtime_park();
	}
	cloison_channel_wait(go, &word); /* the direct runs are done */
	if (!blkfront_init(&f, "disk", &why))
		runtime_panic("%s", why);
	all();
	runtime_poweroff();
}
