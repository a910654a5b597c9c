/* SPDX-License-Identifier: MIT */
/*
 * A guest on a virtual disk served by storage-dom (tests/system/systems/
 * storage.toml), through the block front end (domains/lib/blkfront.h):
 * read-after-write by hash over sizes 512 B .. 1 MiB at odd sectors,
 * requests in flight, flush, and every malformed request refused with its
 * error; its own mark at sector 0 is still there at the end (the other
 * guests, hostile one included, never reached its extent).
 */
#include <domain/core.h>
#include <domain/result.h>

#include "blkfront.h"

static struct blkfront f;
static uint8_t expect[1u << 20];

static uint64_t hash(const volatile uint8_t *p, uint32_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void fill(volatile uint8_t *p, uint32_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (uint32_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)x;
	}
}

static uint32_t seed_base;

static void test_sizes(void)
{
	static const uint32_t sizes[] = { 512, 1024, 1536, 4096, 12288, 65536, 131072,
					  262144, 524288, 1u << 20 };
	uint32_t bad = 0;
	bool ok = true;

	for (uint32_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t len = sizes[i];
		uint64_t sector = 1 + i * 613u, h;

		if (len > f.data_size)
			break;
		fill(blkfront_data(&f), len, seed_base + i);
		h = hash(blkfront_data(&f), len);
		if (blkfront_io(&f, BLKIF_OP_WRITE, sector, 0, len, NULL) != BLKIF_OK)
			ok = false;
		fill(blkfront_data(&f), len, 12345); /* not what was written */
		if (blkfront_io(&f, BLKIF_OP_READ, sector, 0, len, NULL) != BLKIF_OK ||
		    hash(blkfront_data(&f), len) != h) {
			ok = false;
			bad = len;
		}
	}
	test_report("vd.read_after_write", ok, "size %u read back differently", bad);
}

static void test_in_flight(void)
{
	struct blkif_rsp rsp;
	uint32_t id, got = 0, n = 12;
	bool ok = true;

	for (uint32_t i = 0; i < n; i++) {
		fill(blkfront_data(&f) + i * 4096, 4096, seed_base + 100 + i);
		if (blkfront_submit(&f, BLKIF_OP_WRITE, 4096 + i * 8, i * 4096, 4096, &id) != RING_OK)
			ok = false;
	}
	for (; got < n && blkfront_response(&f, true, &id, &rsp); got++)
		ok &= rsp.status == BLKIF_OK;
	for (uint32_t i = 0; i < n; i++) {
		fill(expect, 4096, seed_base + 100 + i);
		ok &= blkfront_io(&f, BLKIF_OP_READ, 4096 + i * 8, 0, 4096, NULL) == BLKIF_OK &&
		      hash(blkfront_data(&f), 4096) == hash(expect, 4096);
	}
	test_report("vd.in_flight", ok && got == n, "%u of %u answered", got, n);
}

static void test_refusals(void)
{
	uint64_t s = f.sectors;

	test_report("vd.outside_extent_refused",
		    blkfront_io(&f, BLKIF_OP_READ, s, 0, 512, NULL) == BLKIF_RANGE &&
			    blkfront_io(&f, BLKIF_OP_WRITE, s - 1, 0, 1024, NULL) == BLKIF_RANGE &&
			    blkfront_io(&f, BLKIF_OP_WRITE, ~0ull, 0, 512, NULL) == BLKIF_RANGE &&
			    blkfront_io(&f, BLKIF_OP_WRITE, ~0ull - 1, 0, 1024, NULL) == BLKIF_RANGE,
		    "a request outside the extent was not refused");
	test_report("vd.bad_length_refused",
		    blkfront_io(&f, BLKIF_OP_READ, 0, 0, 0, NULL) == BLKIF_INVALID &&
			    blkfront_io(&f, BLKIF_OP_READ, 0, 0, 513, NULL) == BLKIF_INVALID &&
			    blkfront_io(&f, BLKIF_OP_READ, 0, 0, 0xfffffe00u, NULL) == BLKIF_INVALID &&
			    blkfront_io(&f, BLKIF_OP_READ, 0, f.data_size, 512, NULL) == BLKIF_INVALID &&
			    blkfront_io(&f, BLKIF_OP_READ, 0, 100, 512, NULL) == BLKIF_INVALID &&
			    blkfront_io(&f, BLKIF_OP_FLUSH, 0, 0, 512, NULL) == BLKIF_INVALID,
		    "a bad length or offset was not refused");
	test_report("vd.unknown_op_refused",
		    blkfront_io(&f, 77, 0, 0, 512, NULL) == BLKIF_UNSUPP,
		    "an unknown op was not refused");
}

int domain_main(const struct cloison_start_info *si)
{
	const char *why = "";
	uint64_t mark;
	bool up;

	seed_base = (uint32_t)si->domain_id * 1000u;
	test_begin("vd");
	up = blkfront_init(&f, "disk", &why);
	test_report("vd.connect", up, "%s", why);
	if (!up) {
		test_end();
		runtime_park();
	}
	print("virtual disk: %lu sectors, data area %u KiB\n", f.sectors, f.data_size >> 10);
	test_report("vd.size", f.sectors == (4u << 20) / BLKIF_SECTOR, "%lu sectors", f.sectors);
	/* This guest's mark at sector 0, checked again at the end. */
	fill(blkfront_data(&f), 512, seed_base + 7);
	mark = hash(blkfront_data(&f), 512);
	test_report("vd.mark_written", blkfront_io(&f, BLKIF_OP_WRITE, 0, 0, 512, NULL) == BLKIF_OK,
		    "write failed");
	test_sizes();
	test_in_flight();
	test_refusals();
	test_report("vd.flush", blkfront_io(&f, BLKIF_OP_FLUSH, 0, 0, 0, NULL) == BLKIF_OK,
		    "flush failed");
	test_report("vd.mark_intact",
		    blkfront_io(&f, BLKIF_OP_READ, 0, 0, 512, NULL) == BLKIF_OK &&
			    hash(blkfront_data(&f), 512) == mark,
		    "sector 0 changed under this guest");
	test_end();
	runtime_park();
}
