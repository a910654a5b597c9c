/* SPDX-License-Identifier: MIT */
/*
 * A disk driver domain made at run time by the controller of
 * tests/system/systems/devhandoff.toml (handoffctl.c), which installs the
 * disk's register and interrupt caps in it. Started as "drv-a" it drives
 * the disk by interrupt, then leaves eight completions unacknowledged with
 * its interrupts masked (the SPI active at the distributor, its requests
 * in flight as far as it knows), says so and waits to be destroyed.
 * Started as "drv-b" after that, it binds the same SPI and drives the same
 * disk: writes read back by hash, every request completed by its
 * interrupt. Each tells the controller on the "note" notification.
 *
 * A domain made at run time is not told the physical address of its RAM
 * (start-info mem_pa is 0), so its DMA memory (the virtqueue and the
 * buffers) is a channel the controller made for it, whose physical
 * address memory_phys gives.
 */
#include <domain/core.h>
#include <domain/result.h>

#include "virtio/blk.h"

#define BLK_VIRQ 40u
#define DEV_IPA 0x0a001000ull /* where it maps the disk's registers */
#define DMA_IPA 0x20000000ull /* and its DMA channel */
#define N 32u

static struct vblk blk;
static uint8_t (*buf)[4096];  /* N buffers in the DMA channel, after the queue */
static uint64_t dma_pa;        /* the channel's physical address */
static volatile uint64_t irqs;

static uint64_t pa(const void *p)
{
	return dma_pa + ((uintptr_t)p - DMA_IPA);
}

void irq_handler(uint32_t vintid)
{
	if (vintid == BLK_VIRQ) {
		vblk_interrupt(&blk);
		irqs++;
	}
}

/* One request, completed only after its interrupt arrived: the
 * completion is asked for (EVENT_IDX) before the request goes, so each
 * raises one; a lost interrupt hangs the domain and fails the scenario. */
static bool one(enum vblk_op op, uint64_t sector, uint8_t *p)
{
	uint64_t before = irqs, tag;
	enum vblk_status st;

	vblk_arm(&blk);
	if (vblk_submit(&blk, op, sector, pa(p), 4096, sector) != VBLK_OK)
		return false;
	vblk_kick(&blk);
	for (;;) {
		irq_mask();
		if (irqs == before)
			__asm__ volatile("wfi");
		irq_unmask();
		if (irqs != before && vblk_complete(&blk, &tag, &st))
			return st == VBLK_OK && tag == sector;
	}
}

static uint64_t hash(const uint8_t *p, uint32_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* drv-b: N writes of distinct data, read back into zeroed buffers. */
static bool io_checked(void)
{
	uint64_t h[N];
	bool ok = true;

	for (uint32_t i = 0; i < N; i++) {
		for (uint32_t b = 0; b < 4096; b++)
			buf[i][b] = (uint8_t)(i * 31u + b * 7u + 1u);
		h[i] = hash(buf[i], 4096);
		ok &= one(VBLK_WRITE, 64 + i * 8u, buf[i]);
	}
	for (uint32_t i = 0; i < N; i++) {
		for (uint32_t b = 0; b < 4096; b++)
			buf[i][b] = 0;
		ok &= one(VBLK_READ, 64 + i * 8u, buf[i]) && hash(buf[i], 4096) == h[i];
	}
	return ok;
}

int domain_main(const struct cloison_start_info *si)
{
	const struct cloison_start_info_cap *dev = si_find("blk"), *ch = si_find("dma");
	uint64_t size = 0;
	bool first = si_name()[4] == 'a';
	const char *why = "no blk cap";
	uint64_t note = si_cap("note"), err;
	bool up;

	(void)si;
	test_begin(first ? "drv-a" : "drv-b");
	/* Caps installed at run time are not mapped: map the registers and
	 * the DMA channel. */
	up = dev && ch &&
	     cloison_memory_map(dev->slot, DEV_IPA,
				CLOISON_RIGHT_DEVICE_READ | CLOISON_RIGHT_DEVICE_WRITE) ==
		     CLOISON_ERR_OK &&
	     cloison_memory_map(ch->slot, DMA_IPA,
				CLOISON_RIGHT_CHANNEL_READ | CLOISON_RIGHT_CHANNEL_WRITE) ==
		     CLOISON_ERR_OK &&
	     cloison_memory_phys(ch->slot, &dma_pa, &size) == CLOISON_ERR_OK &&
	     size >= VBLK_DMA_SIZE + N * 4096;
	if (!up)
		why = "cannot map the disk's registers or the DMA channel";
	buf = (uint8_t (*)[4096])(uintptr_t)(DMA_IPA + VBLK_DMA_SIZE);
	up = up && vblk_init(&blk, (volatile void *)(uintptr_t)DEV_IPA,
			     (void *)(uintptr_t)DMA_IPA, dma_pa, &why);
	test_report(first ? "drv-a.init" : "drv-b.init", up, "%s", why);
	err = cloison_irq_bind(si_cap("blk-irq"), BLK_VIRQ);
	test_report(first ? "drv-a.bind" : "drv-b.bind_after_first_owner_destroyed",
		    err == CLOISON_ERR_OK, "irq_bind: %s", cloison_err_name(err));
	irq_enable(BLK_VIRQ, 0x80);
	irq_unmask();
	if (!first) {
		test_report("drv-b.io_by_interrupt", up && io_checked(),
			    "a request failed or read back differently (%lu interrupts)", irqs);
		test_end();
		cloison_notification_signal(note);
		runtime_park();
	}
	test_report("drv-a.io_by_interrupt", up && one(VBLK_READ, 0, buf[0]) &&
			    one(VBLK_READ, 8, buf[1]) && irqs >= 2,
		    "%lu interrupts", irqs);
	test_end();
	/* Wedge: interrupts masked, eight reads asked to interrupt and done
	 * by the device (so the SPI is raised and taken, never acknowledged),
	 * none of them taken by this driver. */
	irq_mask();
	vblk_arm(&blk);
	for (uint32_t i = 0; i < 8; i++)
		vblk_submit(&blk, VBLK_READ, i, pa(buf[i]), 4096, i);
	vblk_kick(&blk);
	while ((uint16_t)(blk.q.page->used.idx - blk.q.last_used) != 8)
		;
	print("wedged: 8 completions unacknowledged, interrupts masked\n");
	cloison_notification_signal(note);
	for (;;)
		;
}
