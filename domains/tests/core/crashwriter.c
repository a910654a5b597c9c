/* SPDX-License-Identifier: MIT */
/*
 * A write-heavy guest for the crash-safety test (tests/system/test_crash.py,
 * systems/crash.toml). Its virtual disk holds SLOTS one-sector records;
 * record `seq` goes to slot seq % SLOTS and carries its number and a
 * checksum. It writes records 8 at a time (in flight together), and once
 * they are all answered sends a FLUSH; when the FLUSH is answered it prints
 * "CRASH-ACK <seq>": every record up to seq is then on stable storage. At
 * start it finds the highest record on the disk and goes on from there, so
 * the numbers keep growing over QEMU kills and restarts.
 */
#include <domain/core.h>

#include "blkfront.h"

#define SLOTS 64u
#define BATCH 8u
#define MAGIC 0x4b52574853415243ull /* "CRASHWRK" */

struct record {
	uint64_t magic;
	uint64_t seq;
	uint64_t check; /* seq * K ^ magic: a record torn or stale reads wrong */
	uint8_t fill[512 - 24];
};

_Static_assert(sizeof(struct record) == 512, "one record per sector");

static struct blkfront f;

static uint64_t check_of(uint64_t seq)
{
	return seq * 0x9e3779b97f4a7c15ull ^ MAGIC;
}

int domain_main(const struct cloison_start_info *si)
{
	const char *why = "";
	uint64_t seq = 0;

	(void)si;
	if (!blkfront_init(&f, "disk", &why))
		runtime_panic("no disk: %s", why);
	if (blkfront_io(&f, BLKIF_OP_READ, 0, 0, SLOTS * 512, NULL) != BLKIF_OK)
		runtime_panic("cannot read the records");
	for (uint32_t i = 0; i < SLOTS; i++) {
		const volatile struct record *r =
			(const volatile struct record *)(uintptr_t)(blkfront_data(&f) + i * 512);

		if (r->magic == MAGIC && r->check == check_of(r->seq) && r->seq >= seq)
			seq = r->seq + 1;
	}
	print("CRASH-START %lu\n", seq);
	for (;;) {
		struct blkif_rsp rsp;
		uint32_t id;

		for (uint32_t i = 0; i < BATCH; i++, seq++) {
			volatile struct record *r =
				(volatile struct record *)(uintptr_t)(blkfront_data(&f) + i * 512);

			r->magic = MAGIC;
			r->seq = seq;
			r->check = check_of(seq);
			for (uint32_t b = 0; b < sizeof(r->fill); b++)
				r->fill[b] = (uint8_t)(seq + b);
			if (blkfront_submit(&f, BLKIF_OP_WRITE, seq % SLOTS, i * 512, 512, &id) !=
			    RING_OK)
				runtime_panic("ring full");
		}
		for (uint32_t i = 0; i < BATCH; i++)
			if (!blkfront_response(&f, true, &id, &rsp) || rsp.status != BLKIF_OK)
				runtime_panic("write failed");
		if (blkfront_io(&f, BLKIF_OP_FLUSH, 0, 0, 0, NULL) != BLKIF_OK)
			runtime_panic("flush failed");
		print("CRASH-ACK %lu\n", seq - 1);
	}
}
