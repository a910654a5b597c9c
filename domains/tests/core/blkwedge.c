/* SPDX-License-Identifier: MIT */
/*
 * The owner of a disk that stops acknowledging its interrupt
 * (tests/system/systems/devstop.toml), driven through phases by the
 * controller over a shared page: it leaves completions unacknowledged
 * with interrupts masked (its SPI stays active), is stopped and resumed
 * (the SPI must be usable again: requests keep getting interrupts), then
 * does it again and is destroyed (the system must go on).
 */
#include <domain/core.h>
#include <domain/result.h>

#include "devstop.h"
#include "virtio/blk.h"

#define BLK_VIRQ 40u

static struct vblk blk;
static _Alignas(4096) uint8_t dma[VBLK_DMA_SIZE];
static _Alignas(4096) uint8_t buf[8 * 4096];
static volatile uint64_t irqs;
static volatile struct devstop_page *pg;

void irq_handler(uint32_t vintid)
{
	if (vintid == BLK_VIRQ) {
		vblk_interrupt(&blk);
		irqs++;
	}
}

static enum vblk_status wait_one(void)
{
	enum vblk_status st;
	uint64_t tag;

	for (;;) {
		if (vblk_complete(&blk, &tag, &st))
			return st;
		if (blk.q.broken)
			return VBLK_BROKEN;
		irq_mask();
		if (!vblk_arm(&blk))
			__asm__ volatile("wfi");
		irq_unmask();
	}
}

static uint32_t requests(uint32_t n)
{
	uint32_t ok = 0;

	for (uint32_t i = 0; i < n; i++) {
		/* Interrupt requested before the request goes (EVENT_IDX), so
		 * its completion raises one even when found by polling. */
		vblk_arm(&blk);
		if (vblk_submit(&blk, VBLK_READ, i, si_ram_pa(buf), 512, i) != VBLK_OK)
			continue;
		vblk_kick(&blk);
		ok += wait_one() == VBLK_OK;
	}
	return ok;
}

/* Give interrupts still on their way a moment (100 ms at most). */
static void settle(uint64_t want)
{
	uint64_t end = vtimer_now() + vtimer_freq() / 10;

	while (irqs < want && vtimer_now() < end)
		;
}

/* Interrupts masked, eight requests completed and never acknowledged:
 * the SPI stays active at the distributor. Then wait for `phase`. */
static void wedge(uint32_t state, uint32_t phase)
{
	irq_mask();
	vblk_arm(&blk); /* ask for the interrupt (EVENT_IDX), then never take it */
	for (uint32_t i = 0; i < 8; i++)
		vblk_submit(&blk, VBLK_READ, i, si_ram_pa(buf + i * 4096), 4096, i);
	vblk_kick(&blk);
	/* Done by the device (so its interrupt is raised) before saying so. */
	while ((uint16_t)(blk.q.page->used.idx - blk.q.last_used) != 8)
		;
	pg->state = state;
	while (pg->phase != phase)
		;
}

int domain_main(const struct cloison_start_info *si)
{
	const char *why = "";
	uint64_t before;
	uint32_t done;

	(void)si;
	pg = (volatile struct devstop_page *)(uintptr_t)si_find("phase")->ipa;
	test_begin("wedge");
	test_report("wedge.init",
		    vblk_init(&blk, (volatile void *)(uintptr_t)si_find("blk")->ipa, dma,
			      si_ram_pa(dma), &why),
		    "%s", why);
	cloison_irq_bind(si_cap("blk-irq"), BLK_VIRQ);
	irq_enable(BLK_VIRQ, 0x80);
	irq_unmask();
	test_report("wedge.before", requests(10) == 10 && irqs > 0, "%lu interrupts", irqs);
	wedge(DEVSTOP_WEDGED, DEVSTOP_RESUMED);
	/* Stopped and resumed meanwhile: the SPI was masked and cleared,
	 * now unmasked. The eight old completions and new requests must
	 * all arrive, by interrupt. */
	irq_unmask();
	for (done = 0; done < 8 && wait_one() == VBLK_OK; done++)
		;
	before = irqs;
	test_report("wedge.old_requests_after_resume", done == 8, "%u of 8", done);
	done = requests(50);
	settle(before + 50);
	test_report("wedge.interrupts_after_resume", done == 50 && irqs - before >= 25,
		    "%u done, %lu interrupts for 50 requests", done, irqs - before);
	test_end();
	wedge(DEVSTOP_WEDGED_AGAIN, 0xffffffffu); /* until destroyed */
	runtime_park();
}
