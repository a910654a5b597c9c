/* SPDX-License-Identifier: MIT */
/* Block front end (blkfront.h, docs/block-protocol.md). */
#include <domain/core.h>

#include "blkfront.h"

bool blkfront_init(struct blkfront *f, const char *cap, const char **why)
{
	const struct cloison_start_info_cap *c = si_find_mapped(cap);
	uint64_t badge = ~0ull, sectors = 0;

	if (!c || c->type != CLOISON_TYPE_CHANNEL || c->ipa == ~0ull ||
	    c->size <= BLKIF_DATA_OFFSET) {
		*why = "no mapped disk channel of that name";
		return false;
	}
	if (cloison_cap_identify(c->slot, NULL, NULL, &badge) != CLOISON_ERR_OK ||
	    badge != BLKIF_FRONTEND_END) {
		*why = "the channel's front-end end is held by the back end";
		return false;
	}
	f->slot = c->slot;
	f->data = (volatile uint8_t *)(uintptr_t)(c->ipa + BLKIF_DATA_OFFSET);
	f->data_size = (uint32_t)(c->size - BLKIF_DATA_OFFSET);
	f->next_id = 1;
	f->waits = f->signals = 0;
	f->outstanding = 0;
	f->kick = false;
	f->batch.h.count = 0;
	f->rsp_count = f->rsp_next = 0;
	ring_init(&f->ring, (void *)(uintptr_t)c->ipa, BLKIF_FRONTEND_END, false);
	if (blkfront_io(f, BLKIF_OP_INFO, 0, 0, 0, &sectors) != BLKIF_OK) {
		*why = "the back end does not answer INFO";
		return false;
	}
	f->sectors = sectors;
	return true;
}

/* Send the batch being filled (room was checked when it was started). */
static void send_batch(struct blkfront *f)
{
	bool notify = false;
	uint32_t n = f->batch.h.count;

	if (n == 0)
		return;
	f->batch.h.version = BLKIF_VERSION;
	ring_send(&f->ring, &f->batch, (uint32_t)(sizeof(f->batch.h) + n * sizeof(f->batch.req[0])),
		  f->batch_id, &notify);
	f->batch.h.count = 0;
	f->kick |= notify;
}

enum ring_status blkfront_queue(struct blkfront *f, uint32_t op, uint64_t sector,
				uint32_t offset, uint32_t len, uint32_t *id)
{
	uint32_t n = f->batch.h.count;

	if (f->ring.dead)
		return RING_DEAD;
	if (f->outstanding >= BLKIF_MAX_OUTSTANDING)
		return RING_FULL; /* docs/block-protocol.md: the protocol's limit */
	/* A new message needs a free slot now; it stays free until the
	 * message is sent, since only this end fills the request ring. */
	if (n == 0) {
		/* Room the peer already showed needs no second look. */
		if (f->ring.tx_prod - f->ring.tx_cons_seen >= RING_SLOTS &&
		    ring_space(&f->ring) == 0)
			return f->ring.dead ? RING_DEAD : RING_FULL;
		f->batch_id = f->next_id;
	}
	*id = f->next_id++;
	f->batch.req[n] = (struct blkif_req){ op, len, sector, offset };
	f->batch.h.count = n + 1;
	f->outstanding++;
	if (n + 1 == BLKIF_REQS_PER_MSG)
		send_batch(f);
	return RING_OK;
}

void blkfront_kick(struct blkfront *f)
{
	send_batch(f);
	if (f->kick) {
		f->kick = false;
		cloison_channel_signal(f->slot);
		f->signals++;
	}
}

enum ring_status blkfront_submit(struct blkfront *f, uint32_t op, uint64_t sector,
				 uint32_t offset, uint32_t len, uint32_t *id)
{
	enum ring_status st = blkfront_queue(f, op, sector, offset, len, id);

	blkfront_kick(f);
	return st;
}

bool blkfront_response(struct blkfront *f, bool wait, uint32_t *id, struct blkif_rsp *rsp)
{
	while (f->rsp_next >= f->rsp_count) {
		/* Straight into the private copy the responses are taken from. */
		enum ring_status st = ring_recv(&f->ring, &f->rsps);

		if (st == RING_OK) {
			/* The response ring was full before this message was taken
			 * (from the producer index the ring library checked): the
			 * back end may be holding answers for lack of room, and a
			 * ring past its event index would not tell it; so tell it
			 * (docs/block-protocol.md, "Notifications"). */
			if (f->ring.rx_prod_seen - (f->ring.rx_cons - 1) == RING_SLOTS) {
				cloison_channel_signal(f->slot);
				f->signals++;
			}
			f->rsp_count = blkif_batch_count(&f->rsps, sizeof(struct blkif_rsp),
							 BLKIF_RSPS_PER_MSG);
			f->rsp_next = 0;
			if (f->rsp_count == 0) {
				/* Another version or a broken back end: stop using
				 * it (the ring's own way of saying so). */
				f->ring.dead = true;
				f->ring.why = "a malformed response batch (count, length or version)";
				return false;
			}
			break;
		}
		if (st != RING_EMPTY || !wait)
			return false;
		blkfront_kick(f); /* what is queued must reach the back end first */
		if (!ring_arm(&f->ring)) {
			uint64_t word;

			f->waits++;
			cloison_channel_wait(f->slot, &word);
		}
	}
	__builtin_memcpy(rsp, f->rsps.data + sizeof(struct blkif_batch) +
				      f->rsp_next++ * sizeof(*rsp), sizeof(*rsp));
	*id = rsp->id;
	if (f->outstanding)
		f->outstanding--;
	return true;
}

uint32_t blkfront_io(struct blkfront *f, uint32_t op, uint64_t sector, uint32_t offset,
		     uint32_t len, uint64_t *value)
{
	struct blkif_rsp rsp;
	uint32_t id, got;

	if (blkfront_submit(f, op, sector, offset, len, &id) != RING_OK)
		return BLKIF_IOERR;
	while (blkfront_response(f, true, &got, &rsp))
		if (got == id) {
			if (value)
				*value = rsp.value;
			return rsp.status;
		}
	return BLKIF_IOERR;
}
