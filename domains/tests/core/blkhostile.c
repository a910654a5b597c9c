/* SPDX-License-Identifier: MIT */
/*
 * A hostile front end (tests/system/systems/storage.toml): it tries every
 * way out of its extent (through sector numbers, lengths and offsets that
 * wrap), sends malformed batches (one per kind: count 0, a count too
 * large, a length not matching the count, another version, a message
 * shorter than a batch header), floods requests without reading a
 * response, then forges its ring's producer index. storage-dom must refuse each request and
 * disconnect it alone; the honest guests' I/O goes on.
 */
#include <domain/core.h>
#include <domain/result.h>

#include "blkfront.h"

static struct blkfront f;

/* A batch straight into the ring, as blkfront would never send it: the
 * header says `count` and `version`, the message is `len` bytes. Its one
 * answer must be INVALID, with the message's id. */
static bool malformed(uint32_t count, uint32_t version, uint32_t len, uint32_t id)
{
	struct blkif_req_msg b = { { count, version },
				   { { BLKIF_OP_WRITE, 512, 0, 0 }, { BLKIF_OP_WRITE, 512, 0, 0 } } };
	struct blkif_rsp rsp;
	uint32_t got;
	bool n;

	if (ring_send(&f.ring, &b, len, id, &n) != RING_OK)
		return false;
	cloison_channel_signal(f.slot);
	return blkfront_response(&f, true, &got, &rsp) && got == id &&
	       rsp.status == BLKIF_INVALID;
}

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
	test_report("vdbad.batch_count_zero_refused", malformed(0, BLKIF_VERSION, 8, 500),
		    "a batch of 0 requests was not answered INVALID");
	/* 0x0aaaaaab requests of 24 bytes: 8 + count * 24 wraps to 16 in 32
	 * bits, so only the count check stands between it and the length's. */
	test_report("vdbad.batch_count_too_large_refused",
		    malformed(0x0aaaaaabu, BLKIF_VERSION, 16, 501) &&
			    malformed(BLKIF_REQS_PER_MSG + 1, BLKIF_VERSION, RING_DATA, 502),
		    "a batch of too many requests was not answered INVALID");
	test_report("vdbad.batch_length_mismatch_refused",
		    malformed(2, BLKIF_VERSION, 8 + 24, 503) &&
			    malformed(1, BLKIF_VERSION, 8 + 2 * 24, 504) &&
			    malformed(1, BLKIF_VERSION, 8 + 24 - 1, 505),
		    "a batch whose length does not match its count was not answered INVALID");
	test_report("vdbad.batch_version_refused", malformed(1, 1, 8 + 24, 506) &&
			    malformed(1, BLKIF_VERSION + 1, 8 + 24, 507),
		    "a batch of another version was not answered INVALID");
	test_report("vdbad.batch_short_refused",
		    malformed(1, BLKIF_VERSION, 4, 508) && malformed(1, BLKIF_VERSION, 0, 509),
		    "a message shorter than a batch header was not answered INVALID");
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
		/* The one request of the message just sent: its sector. */
		sector = (volatile uint64_t *)(uintptr_t)&f.ring.tx
				 ->slot[(f.ring.tx_prod - 1) % RING_SLOTS]
				 .data[sizeof(struct blkif_batch) + 8];
		for (uint32_t j = 0; j < 2000; j++)
			*sector = (j & 1) ? f.sectors : 0;
		if (!blkfront_response(&f, true, &id, &rsp) ||
		    (rsp.status != BLKIF_OK && rsp.status != BLKIF_RANGE))
			break;
		flipped++;
	}
	test_report("vdbad.rewritten_in_flight_contained", flipped == 50, "%u of 50", flipped);
	/* Flood: fill the ring with full batches of writes and never read a
	 * response. Only its own rings fill up: storage-dom holds at most
	 * BLKIF_MAX_OUTSTANDING of them unanswered, the rest are answers in
	 * the full response ring or requests left in the full request ring. */
	for (uint32_t i = 0; i < 1000; i++) {
		/* Straight into the ring: blkfront keeps to the protocol's
		 * limit, a hostile front end does not. */
		struct blkif_req_msg b = { { 2, BLKIF_VERSION },
					   { { BLKIF_OP_WRITE, 4096, 0, 0 },
					     { BLKIF_OP_WRITE, 4096, 0, 0 } } };
		bool n;

		if (ring_send(&f.ring, &b, sizeof(b), 1000 + 2 * i, &n) == RING_OK) {
			sent += 2;
			cloison_channel_signal(f.slot);
		}
	}
	test_report("vdbad.flood_bounded",
		    sent <= BLKIF_MAX_OUTSTANDING + RING_SLOTS * BLKIF_REQS_PER_MSG +
				    RING_SLOTS * BLKIF_RSPS_PER_MSG,
		    "%u requests went in", sent);
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
