/* SPDX-License-Identifier: MIT */
/*
 * A hostile front end (tests/system/systems/storage.toml): it tries every
 * way out of its extent (through sector numbers, lengths and offsets that
 * wrap), floods requests without reading a response, then forges its
 * ring's producer index. storage-dom must refuse each request and
 * disconnect it alone; the honest guests' I/O goes on.
 */
#include <domain/core.h>
#include <domain/result.h>

#include "blkfront.h"

static struct blkfront f;

int domain_main(const struct cloison_start_info *si)
{
	const char *why = "";
	uint32_t sent = 0, answered = 0, flipped = 0, id;
	bool up;

	(void)si;
	test_begin("vdbad");
	up = blkfront_init(&f, "disk", &why);
	test_report("vdbad.connect", up, "%s", why);
	if (!up) {
		test_end();
		runtime_park();
	}
	test_report("vdbad.escape_refused",
		    blkfront_io(&f, BLKIF_OP_WRITE, f.sectors, 0, 512, NULL) == BLKIF_RANGE &&
			    blkfront_io(&f, BLKIF_OP_WRITE, ~0ull - 7, 0, 8192, NULL) == BLKIF_RANGE &&
			    blkfront_io(&f, BLKIF_OP_WRITE, 0, 0xfffff000u, 8192, NULL) ==
				    BLKIF_INVALID &&
			    blkfront_io(&f, BLKIF_OP_WRITE, f.sectors - 1, 0, 1u << 20, NULL) ==
				    BLKIF_RANGE,
		    "an escaping request was not refused");
	/* Rewrite requests in flight: the sector flips between its own sector
	 * 0 and the first sector past its extent while storage-dom takes it.
	 * storage-dom copies a request once and checks the copy, so each is
	 * either done at sector 0 or refused; the host checks that nothing
	 * past the extent was written. */
	for (uint32_t k = 0; k < 50; k++) {
		struct blkif_rsp rsp;
		volatile uint64_t *sector;

		if (blkfront_submit(&f, BLKIF_OP_WRITE, 0, 0, 4096, &id) != RING_OK)
			break;
		sector = (volatile uint64_t *)(uintptr_t)&f.ring.tx
				 ->slot[(f.ring.tx_prod - 1) % RING_SLOTS]
				 .data[8];
		for (uint32_t j = 0; j < 2000; j++)
			*sector = (j & 1) ? f.sectors : 0;
		if (!blkfront_response(&f, true, &id, &rsp) ||
		    (rsp.status != BLKIF_OK && rsp.status != BLKIF_RANGE))
			break;
		flipped++;
	}
	test_report("vdbad.rewritten_in_flight_contained", flipped == 50, "%u of 50", flipped);
	/* Flood: fill the ring with writes of its whole extent and never read
	 * a response. Only its own ring fills up. */
	for (uint32_t i = 0; i < 1000; i++) {
		/* Straight into the ring: blkfront keeps to the protocol's 16
		 * outstanding, a hostile front end does not. */
		struct blkif_req r = { BLKIF_OP_WRITE, 4096, 0, 0 };
		bool n;

		if (ring_send(&f.ring, &r, sizeof(r), 1000 + i, &n) == RING_OK) {
			sent++;
			cloison_channel_signal(f.slot);
		}
	}
	test_report("vdbad.flood_bounded", sent <= 2 * RING_SLOTS, "%u requests went in", sent);
	/* Every one of them is answered once it reads the responses. */
	for (uint32_t i = 0; i < sent; i++) {
		struct blkif_rsp rsp;

		if (!blkfront_response(&f, true, &id, &rsp) || rsp.status != BLKIF_OK)
			break;
		answered++;
	}
	test_report("vdbad.flood_answered", answered == sent, "%u of %u", answered, sent);
	test_end();
	/* Forge the producer index far ahead: storage-dom must disconnect it. */
	f.ring.tx->prod += 1000;
	cloison_channel_signal(f.slot);
	print("forged my ring\n");
	runtime_park();
}
