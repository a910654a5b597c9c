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
	ring_init(&f->ring, (void *)(uintptr_t)c->ipa, BLKIF_FRONTEND_END, false);
	if (blkfront_io(f, BLKIF_OP_INFO, 0, 0, 0, &sectors) != BLKIF_OK) {
		*why = "the back end does not answer INFO";
		return false;
	}
	f->sectors = sectors;
	return true;
}

enum ring_status blkfront_queue(struct blkfront *f, uint32_t op, uint64_t sector,
				uint32_t offset, uint32_t len, uint32_t *id)
{
	struct blkif_req r = { op, len, sector, offset };
	enum ring_status st;
	bool notify = false;

	if (f->outstanding >= RING_SLOTS)
		return RING_FULL; /* docs/block-protocol.md: at most 16 outstanding */
	*id = f->next_id++;
	st = ring_send(&f->ring, &r, sizeof(r), *id, &notify);
	if (st == RING_OK)
		f->outstanding++;
	f->kick |= notify;
	return st;
}

void blkfront_kick(struct blkfront *f)
{
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
	struct ring_msg m;

	for (;;) {
		enum ring_status st = ring_recv(&f->ring, &m);

		if (st == RING_OK) {
			if (m.len != sizeof(*rsp))
				continue; /* not a response: ignore it */
			memcpy(rsp, m.data, sizeof(*rsp));
			*id = m.id;
			if (f->outstanding)
				f->outstanding--;
			return true;
		}
		if (st != RING_EMPTY || !wait)
			return false;
		if (!ring_arm(&f->ring)) {
			uint64_t word;

			f->waits++;
			cloison_channel_wait(f->slot, &word);
		}
	}
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
