/* SPDX-License-Identifier: MIT */
/*
 * A hostile front end (tests/system/systems/storage.toml): it tries every
 * way out of its extent (through sector numbers, lengths and offsets that
 * wrap), overwrites the back end's indices and its own response array,
 * forges its event index, rewrites requests in flight, floods requests
 * without reading a response, then forges its ring's producer index.
 * storage-dom must refuse each escape, ignore what it never reads, bound the
 * flood and disconnect it alone; the honest guests' I/O goes on.
 */
#include <domain/core.h>
#include <domain/result.h>

#include "blkfront.h"

static struct blkfront f;

/* A request straight into the ring, published and signalled, as blkfront
 * would never: past the protocol's limit of outstanding requests, as far
 * as the request array has room by the back end's published index. */
static bool raw_push(const struct blkif_req *r)
{
	if (f.req_prod - f.ring->back.req_cons >= BLKIF_RING_SIZE)
		return false;
	blkif_req_write(&f.ring->req[f.req_prod++ % BLKIF_RING_SIZE], r);
	blkring_mb();
	f.ring->front.req_prod = f.req_prod;
	f.req_published = f.req_prod;
	cloison_channel_signal(f.slot);
	return true;
}

/* n writes in flight (sectors 0.., buffers 0..), all answered OK. */
static bool writes_ok(uint32_t n)
{
	uint32_t id, got = 0;
	struct blkif_rsp rsp;

	for (uint32_t i = 0; i < n; i++)
		if (blkfront_queue(&f, BLKIF_OP_WRITE, i * 8, i * 4096, 4096, &id) != RING_OK)
			return false;
	blkfront_kick(&f);
	for (; got < n && blkfront_response(&f, true, &id, &rsp); got++)
		if (rsp.status != BLKIF_OK)
			return false;
	return got == n;
}

int domain_main(const struct cloison_start_info *si)
{
	const char *why = "";
	uint32_t sent = 0, answered = 0, flipped = 0, forged = 0, id;
	bool up, ok;

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
	/* The back end's header is the back end's: it keeps its indices
	 * privately and only writes them out, so overwriting them (its request
	 * consumer index, its event index) changes nothing for it. Signalled
	 * by hand: the forged event index would have blkfront stay quiet. */
	f.ring->back.req_cons = 0xdead0000u;
	f.ring->back.req_event = f.req_prod + 1000;
	f.ring->back.reserved[0] = ~0u;
	ok = blkfront_queue(&f, BLKIF_OP_WRITE, 0, 0, 4096, &id) == RING_OK;
	blkfront_kick(&f);
	cloison_channel_signal(f.slot);
	{
		struct blkif_rsp rsp;
		uint32_t got = 0;

		ok = ok && blkfront_response(&f, true, &got, &rsp) && got == id &&
		     rsp.status == BLKIF_OK;
	}
	test_report("vdbad.back_indices_overwritten_ignored",
		    ok && f.ring->back.req_cons == f.req_prod && writes_ok(8),
		    "I/O failed after overwriting the back end's indices (req_cons %u of %u)",
		    f.ring->back.req_cons, f.req_prod);
	/* The response array is the front end's to read only: garbage in it,
	 * and in requests already taken, is never read by the back end. */
	for (uint32_t i = 0; i < BLKIF_RING_SIZE; i++) {
		f.ring->rsp[i].id = ~0u;
		f.ring->rsp[i].status = 0x5a5a5a5au;
		f.ring->rsp[i].value = ~0ull;
		f.ring->req[i].op = 0x77u;
		f.ring->req[i].len = ~0u;
	}
	test_report("vdbad.response_ring_tampered_contained", writes_ok(16) && writes_ok(32),
		    "I/O failed after the response array was overwritten");
	/* Forged event indices: the back end signals at most once a round
	 * whatever they say; blkfront sets its own again before it sleeps. */
	for (uint32_t k = 0; k < 16; k++) {
		f.ring->front.rsp_event = k * 0x9e3779b9u;
		if (!writes_ok(4))
			break;
		forged++;
	}
	test_report("vdbad.event_index_forged_contained", forged == 16, "%u of 16", forged);
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
		sector = &f.ring->req[(f.req_prod - 1) % BLKIF_RING_SIZE].sector;
		for (uint32_t j = 0; j < 2000; j++)
			*sector = (j & 1) ? f.sectors : 0;
		if (!blkfront_response(&f, true, &id, &rsp) ||
		    (rsp.status != BLKIF_OK && rsp.status != BLKIF_RANGE))
			break;
		flipped++;
	}
	test_report("vdbad.rewritten_in_flight_contained", flipped == 50, "%u of 50", flipped);
	/* Flood: requests without reading a response, past the protocol's
	 * limit. storage-dom takes at most BLKIF_MAX_OUTSTANDING that are not
	 * consumed; the rest wait in the request array (no more fit: a
	 * producer index further ahead is a forgery). */
	for (uint32_t i = 0; i < 1000; i++) {
		struct blkif_req r = { 1000 + i, BLKIF_OP_WRITE, 0, 4096, 0 };

		if (raw_push(&r))
			sent++;
	}
	test_report("vdbad.flood_bounded",
		    sent >= BLKIF_RING_SIZE && sent <= BLKIF_MAX_OUTSTANDING + BLKIF_RING_SIZE,
		    "%u requests went in", sent);
	/* Every one of them is answered once it reads the responses; past the
	 * limit it must signal after making room (docs/block-protocol.md). */
	while (answered < sent) {
		struct blkif_rsp rsp;

		if (!blkfront_response(&f, false, &id, &rsp)) {
			if (f.dead)
				break;
			cloison_channel_signal(f.slot);
			if (!blkfront_response(&f, true, &id, &rsp))
				break;
		}
		if (rsp.status != BLKIF_OK)
			break;
		answered++;
	}
	test_report("vdbad.flood_answered", answered == sent, "%u of %u", answered, sent);
	test_end();
	/* Forge the producer index far ahead: storage-dom must disconnect it. */
	f.ring->front.req_prod = f.req_prod + 1000;
	cloison_channel_signal(f.slot);
	print("forged my ring\n");
	runtime_park();
}
