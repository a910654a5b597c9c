/* SPDX-License-Identifier: MIT */
/* Block front end (blkfront.h, docs/block-protocol.md). */
#include <domain/core.h>

#include "blkfront.h"

#define MASK (BLKIF_RING_SIZE - 1)

static bool stop(struct blkfront *f, const char *why)
{
	if (!f->dead) {
		f->dead = true;
		f->why = why;
	}
	return false;
}

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
	f->ring = (volatile struct blkif_page *)(uintptr_t)c->ipa;
	f->data = (volatile uint8_t *)(uintptr_t)(c->ipa + BLKIF_DATA_OFFSET);
	f->data_size = (uint32_t)(c->size - BLKIF_DATA_OFFSET);
	f->next_id = 1;
	f->waits = f->signals = 0;
	f->req_prod = f->req_published = f->rsp_cons = f->rsp_prod_seen = 0;
	f->dead = false;
	f->why = NULL;
	/* The version before the first request (published by its index). */
	f->ring->front.version = BLKIF_VERSION;
	if (blkfront_io(f, BLKIF_OP_INFO, 0, 0, 0, &sectors) != BLKIF_OK) {
		*why = f->dead ? f->why : "the back end does not answer INFO";
		return false;
	}
	if (f->ring->back.version != BLKIF_VERSION) {
		*why = "the back end speaks another block protocol version";
		return stop(f, *why);
	}
	f->sectors = sectors;
	return true;
}

enum ring_status blkfront_queue(struct blkfront *f, uint32_t op, uint64_t sector,
				uint32_t offset, uint32_t len, uint32_t *id)
{
	struct blkif_req r = { f->next_id, op, sector, len, offset };

	if (f->dead)
		return RING_DEAD;
	if (f->req_prod - f->rsp_cons >= BLKIF_MAX_OUTSTANDING)
		return RING_FULL; /* docs/block-protocol.md: the protocol's limit */
	*id = f->next_id++;
	blkif_req_write(&f->ring->req[f->req_prod++ & MASK], &r);
	return RING_OK;
}

void blkfront_kick(struct blkfront *f)
{
	uint32_t old = f->req_published;

	if (f->req_prod == old || f->dead)
		return;
	blkring_mb(); /* the requests before the index that publishes them */
	f->ring->front.req_prod = f->req_prod;
	f->req_published = f->req_prod;
	blkring_mb(); /* the index before reading the back end's event */
	if (blkring_crossed(f->req_prod, old, f->ring->back.req_event)) {
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

/* Look at the back end's response index (read once, checked): true if a
 * response is there to take. */
static bool responses(struct blkfront *f)
{
	uint32_t prod = f->ring->back.rsp_prod;

	/* No more answers than requests published, and never back. */
	if (!blkring_prod_ok(prod, f->rsp_prod_seen, f->rsp_cons, f->req_published - f->rsp_cons))
		return stop(f, "the back end's response index went back or past the requests");
	f->rsp_prod_seen = prod;
	return prod != f->rsp_cons;
}

bool blkfront_response(struct blkfront *f, bool wait, uint32_t *id, struct blkif_rsp *rsp)
{
	while (f->rsp_cons == f->rsp_prod_seen && !responses(f)) {
		uint64_t word;

		if (f->dead || !wait)
			return false;
		blkfront_kick(f); /* what is queued must reach the back end first */
		f->ring->front.rsp_event = f->rsp_cons + 1;
		blkring_mb(); /* the event before the second look at the index */
		if (responses(f))
			break;
		if (f->dead)
			return false;
		f->waits++;
		cloison_channel_wait(f->slot, &word);
	}
	if (f->dead)
		return false;
	blkring_mb(); /* the index before the responses it publishes */
	blkif_rsp_read(&f->ring->rsp[f->rsp_cons++ & MASK], rsp);
	/* Taken: the back end may answer into its entry again. */
	f->ring->front.rsp_cons = f->rsp_cons;
	*id = rsp->id;
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
