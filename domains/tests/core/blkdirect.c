/* SPDX-License-Identifier: MIT */
/*
 * A driver domain that owns a virtio-blk disk (tests/system/systems/
 * devices.toml): drives it with drivers/virtio directly and checks the
 * device hand-off of the core: the device's registers mapped by its cap,
 * its SPI delivered as a virtual interrupt whose EOI deactivates the SPI
 * (so every request of a long run gets its interrupt), several requests in
 * flight, read-after-write by hash, flush, requests outside the disk
 * refused, and a transport with no device refused with a clear message.
 */
#include <domain/core.h>
#include <domain/result.h>

#include "virtio/blk.h"

#define BLK_VIRQ 40u
#define DISK_SECTORS (16u << 20) / VBLK_SECTOR /* the scenario's 16 MiB disk */
#define BUF_SIZE (256u << 10)

static struct vblk blk;
static _Alignas(4096) uint8_t dma[VBLK_DMA_SIZE];
static _Alignas(4096) uint8_t buf[2 * BUF_SIZE];
static volatile uint64_t irqs;

void irq_handler(uint32_t vintid)
{
	if (vintid == BLK_VIRQ) {
		vblk_interrupt(&blk);
		irqs++;
	}
}

/* FNV-1a over a buffer: read-after-write is checked by hash. */
static uint64_t hash(const uint8_t *p, uint32_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void fill(uint8_t *p, uint32_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (uint32_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

/* Wait for one completion, sleeping for the device's interrupt. */
static enum vblk_status wait_one(uint64_t *tag)
{
	enum vblk_status st;

	for (;;) {
		if (vblk_complete(&blk, tag, &st))
			return st;
		if (blk.q.broken)
			return VBLK_BROKEN;
		irq_mask();
		if (!vblk_arm(&blk))
			__asm__ volatile("wfi");
		irq_unmask();
	}
}

static enum vblk_status io(enum vblk_op op, uint64_t sector, void *p, uint32_t len)
{
	uint64_t tag;
	enum vblk_status st;

	/* Interrupt requested before the request goes (EVENT_IDX), so its
	 * completion raises one even when it is found by polling. */
	vblk_arm(&blk);
	st = vblk_submit(&blk, op, sector, si_ram_pa(p), len, 7);

	if (st != VBLK_OK)
		return st;
	vblk_kick(&blk);
	st = wait_one(&tag);
	return tag == 7 ? st : VBLK_BROKEN;
}

static void test_sizes(void)
{
	static const uint32_t sizes[] = { 512, 1024, 4096, 8192, 65536, 131072, BUF_SIZE };
	bool ok = true;
	uint32_t bad = 0;

	for (uint32_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t len = sizes[i];
		uint64_t sector = 1 + i * 997u; /* odd sectors: not page aligned on disk */
		uint64_t h;

		fill(buf, len, i + 1);
		h = hash(buf, len);
		if (io(VBLK_WRITE, sector, buf, len) != VBLK_OK)
			ok = false;
		fill(buf + BUF_SIZE, len, 99); /* not what was written */
		if (io(VBLK_READ, sector, buf + BUF_SIZE, len) != VBLK_OK ||
		    hash(buf + BUF_SIZE, len) != h) {
			ok = false;
			bad = len;
		}
	}
	test_report("blk.read_after_write", ok, "size %u read back differently", bad);
}

static void test_in_flight(void)
{
	uint64_t notifies = blk.notifies, tag, seen = 0;
	uint32_t n = 32, max_in_flight = 0, done = 0;
	bool ok = true;

	for (uint32_t i = 0; i < n; i++) {
		fill(buf + i * 4096, 4096, 1000 + i);
		if (vblk_submit(&blk, VBLK_WRITE, 4096 + i * 8, si_ram_pa(buf + i * 4096), 4096, i) !=
		    VBLK_OK)
			ok = false;
	}
	max_in_flight = vblk_in_flight(&blk);
	vblk_kick(&blk);
	while (done < n) {
		if (wait_one(&tag) != VBLK_OK || tag >= n)
			ok = false;
		else
			seen |= 1ull << tag;
		done++;
	}
	test_report("blk.in_flight_32", ok && max_in_flight == n && seen == (1ull << n) - 1,
		    "ok %d, %u in flight, tags %lx", ok, max_in_flight, seen);
	test_report("blk.one_notify_per_batch", blk.notifies - notifies == 1,
		    "%lu notifies for one batch of %u", blk.notifies - notifies, n);
	/* Read them back in one batch too. */
	for (uint32_t i = 0; i < n; i++)
		vblk_submit(&blk, VBLK_READ, 4096 + i * 8, si_ram_pa(buf + BUF_SIZE + i * 4096), 4096, i);
	vblk_kick(&blk);
	for (done = 0; done < n; done++)
		if (wait_one(&tag) != VBLK_OK)
			ok = false;
	for (uint32_t i = 0; i < n; i++) {
		fill(buf, 4096, 1000 + i);
		if (hash(buf, 4096) != hash(buf + BUF_SIZE + i * 4096, 4096))
			ok = false;
	}
	test_report("blk.in_flight_read_back", ok, "a batched write read back differently");
}

static void test_interrupts(void)
{
	uint64_t before = irqs;
	bool ok = true;

	/* One request at a time, each waited for by interrupt: each needs the
	 * SPI deactivated by the previous EOI (list register HW bit). */
	for (uint32_t i = 0; i < 100; i++)
		if (io(VBLK_READ, i, buf, 512) != VBLK_OK)
			ok = false;
	/* The last ones may still be on their way: 100 ms at most. */
	for (uint64_t end = vtimer_now() + vtimer_freq() / 10; irqs - before < 100 &&
							      vtimer_now() < end;)
		;
	print("%lu interrupts for 100 requests\n", irqs - before);
	test_report("blk.interrupt_per_request", ok && irqs - before >= 90,
		    "ok %d, %lu interrupts for 100 requests", ok, irqs - before);
	test_report("blk.interrupts_acknowledged", blk.interrupts == irqs,
		    "driver saw %lu, handler %lu", blk.interrupts, irqs);
}

static void test_refusals(void)
{
	const struct cloison_start_info_cap *empty = si_find("empty");
	const char *why = "";
	struct vblk other;
	static _Alignas(4096) uint8_t dma2[VBLK_DMA_SIZE];
	bool refused;

	test_report("blk.outside_disk_refused",
		    vblk_submit(&blk, VBLK_READ, DISK_SECTORS, si_ram_pa(buf), 512, 0) == VBLK_INVALID &&
			    vblk_submit(&blk, VBLK_READ, DISK_SECTORS - 1, si_ram_pa(buf), 1024, 0) ==
				    VBLK_INVALID &&
			    vblk_submit(&blk, VBLK_READ, ~0ull, si_ram_pa(buf), 512, 0) == VBLK_INVALID,
		    "a request past the end was queued");
	test_report("blk.bad_length_refused",
		    vblk_submit(&blk, VBLK_WRITE, 0, si_ram_pa(buf), 0, 0) == VBLK_INVALID &&
			    vblk_submit(&blk, VBLK_WRITE, 0, si_ram_pa(buf), 513, 0) == VBLK_INVALID &&
			    vblk_submit(&blk, VBLK_FLUSH, 0, 0, 512, 0) == VBLK_INVALID &&
			    vblk_submit(&blk, (enum vblk_op)9, 0, 0, 0, 0) == VBLK_INVALID,
		    "a bad length or op was queued");
	refused = empty && !vblk_init(&other, (volatile void *)(uintptr_t)empty->ipa, dma2,
				      si_ram_pa(dma2), &why);
	print("empty transport: %s\n", why);
	test_report("blk.no_device_refused", refused, "vblk_init accepted an empty transport");
}

int domain_main(const struct cloison_start_info *si)
{
	const struct cloison_start_info_cap *dev = si_find("blk");
	const char *why = "";
	bool up;

	test_begin("blk");
	up = dev && vblk_init(&blk, (volatile void *)(uintptr_t)dev->ipa, dma, si_ram_pa(dma), &why);
	test_report("blk.init", up, "%s", why);
	if (!up) {
		test_end();
		runtime_poweroff();
	}
	print("virtio-blk: %lu sectors, flush %d, event idx %d, mem_pa %lx\n", blk.capacity,
	      blk.can_flush, blk.q.event_idx, si->mem_pa);
	TEST_REPORT_ERR("blk.irq_bind", cloison_irq_bind(si_cap("blk-irq"), BLK_VIRQ),
			CLOISON_ERR_OK);
	irq_enable(BLK_VIRQ, 0x80);
	irq_unmask();
	test_report("blk.capacity", blk.capacity == DISK_SECTORS, "%lu sectors", blk.capacity);
	test_report("blk.flush_offered", blk.can_flush, "no VIRTIO_BLK_F_FLUSH");
	test_sizes();
	test_in_flight();
	test_interrupts();
	test_report("blk.flush", io(VBLK_FLUSH, 0, NULL, 0) == VBLK_OK, "flush failed");
	test_refusals();
	test_end();
	runtime_poweroff();
}
